import { expect, test } from "@playwright/test";
import { newCustomer, personalLink } from "./support";
import { tr } from "../support/locales";

// This file runs in the "no-javascript" project: JavaScript is disabled in the browser.
test("without JavaScript: link → choices → concern → reply (de)", async ({ page }) => {
  const customer = newCustomer("de");
  await page.goto(personalLink(customer.id, { lang: "de" }));
  await page.getByRole("button", { name: tr("de", "link.continue") }).click();
  await expect(page).toHaveURL(/\/de$/);

  await page.goto("/de/me/preferences");
  await page.getByRole("group").filter({ hasText: /./ }).first().getByRole("radio", { name: new RegExp(tr("de", "choiceValues.never")) }).check();
  await page.getByRole("button", { name: tr("de", "preferences.save") }).click();
  await expect(page.getByText(tr("de", "preferences.savedTitle"))).toBeVisible();

  await page.goto("/de/me/concerns/new");
  await page.getByRole("radio", { name: new RegExp(tr("de", "concernKinds.human_review")) }).check();
  await page.getByLabel(tr("de", "concernForm.description")).fill("kurz");
  await page.getByRole("button", { name: tr("de", "concernForm.submit") }).click();
  // Server-side validation: translated error, text kept.
  await expect(page.locator(".field__error", { hasText: tr("de", "errors.tooShort", { min: 10 }) })).toBeVisible();
  await expect(page.getByRole("link", { name: `${tr("de", "concernForm.description")}: ${tr("de", "errors.tooShort", { min: 10 })}` })).toBeVisible();
  await expect(page.getByLabel(tr("de", "concernForm.description"))).toHaveValue("kurz");
  await expect(page.getByRole("radio", { name: new RegExp(tr("de", "concernKinds.human_review")) })).toBeChecked();
  await page.getByLabel(tr("de", "concernForm.description")).fill("Bitte lassen Sie die Entscheidung von einem Menschen prüfen.");
  await page.getByRole("button", { name: tr("de", "concernForm.submit") }).click();
  await expect(page.getByText(tr("de", "concernStatus.filedTitle"))).toBeVisible();

  await page.getByLabel(tr("de", "concernStatus.replyLabel")).fill("Noch eine Ergänzung.");
  await page.getByRole("button", { name: tr("de", "concernStatus.send") }).click();
  await expect(page.getByText("Noch eine Ergänzung.")).toBeVisible();
  // Withdrawing without ticking "I understand" changes nothing and says why; with it, it is done.
  await page.getByRole("button", { name: tr("de", "concernStatus.withdraw") }).click();
  await expect(page.locator(".field__error", { hasText: tr("de", "errors.confirmWithdraw") })).toBeVisible();
  await page.getByRole("checkbox", { name: tr("de", "concernStatus.withdrawConfirm") }).check();
  await page.getByRole("button", { name: tr("de", "concernStatus.withdraw") }).click();
  await expect(page.getByText(tr("de", "concernStatus.done.withdraw"))).toBeVisible();
});

test("without JavaScript: an anonymous concern in Arabic", async ({ page }) => {
  await page.goto("/ar/me/concerns/new");
  await page.getByRole("radio", { name: new RegExp(tr("ar", "concernKinds.other")) }).check();
  await page.getByLabel(tr("ar", "concernForm.description")).fill("لدي سؤال عن استخدام الذكاء الاصطناعي.");
  await page.getByRole("radio", { name: new RegExp(tr("ar", "concernForm.contact.portal")) }).check();
  await page.getByRole("button", { name: tr("ar", "concernForm.submit") }).click();
  await expect(page).toHaveURL(/\/ar\/concerns\/track\//);
  await expect(page.getByText(tr("ar", "concernStatus.filedTitle"))).toBeVisible();
});
