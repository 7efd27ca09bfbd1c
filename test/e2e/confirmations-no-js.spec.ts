/**
 * "Ask me first" without JavaScript (SPEC §11.1): this file runs in the "no-javascript" project.
 * The customer opens their personal link and approves an AI agent's request in Arabic with the
 * page's plain form.
 */
import { findConfirmation } from "../../app/domain/confirmations.server";
import { confirmationFor } from "../support/confirmation-factories";
import { tr } from "../support/locales";
import { BASE, e2eDb, expect, newCustomer, personalLink, test } from "./support";

test("without JavaScript: approve a request in Arabic, then the answered state", async ({ page }) => {
  const customer = await newCustomer("ar");
  const pending = await confirmationFor(e2eDb(), customer.id, { summary: { ar: "نقلك إلى باقة أرخص مقابل 20 يورو شهريًا" }, baseUrl: BASE, expiresInMinutes: 120 });
  await page.goto(await personalLink(customer.id, { lang: "ar" }));
  await page.getByRole("button", { name: tr("ar", "link.continue") }).click();
  await expect(page).toHaveURL(/\/ar$/);
  await page.getByRole("link", { name: "نقلك إلى باقة أرخص مقابل 20 يورو شهريًا" }).click();
  await expect(page).toHaveURL(new RegExp(`/ar/me/confirmations/${pending.id}$`));
  await page.getByRole("button", { name: tr("ar", "confirmations.approve") }).click();
  await expect(page).toHaveURL(new RegExp(`/ar/me/confirmations/${pending.id}\\?done=answered#outcome$`));
  await expect(page.getByText(tr("ar", "confirmations.done.approvedTitle"))).toBeVisible();
  await expect(page.getByText(tr("ar", "confirmations.status.approved"))).toBeVisible();
  await expect(page.getByRole("button", { name: tr("ar", "confirmations.approve") })).toHaveCount(0);
  expect((await findConfirmation(e2eDb(), pending.id))!.answer).toMatchObject({ answer: "approved", method: "portal", lang: "ar" });
  // The overview no longer lists it.
  await page.goto("/ar");
  await expect(page.getByRole("heading", { name: tr("ar", "confirmations.waitingTitle") })).toHaveCount(0);
});
