import type { Page } from "@playwright/test";
import { getPreferences, listConsentEvents } from "../../app/domain/preferences.server";
import { tr } from "../support/locales";
import { e2eDb, expect, newCustomer, personalLink, test } from "./support";

/** Signs the customer in through a personal link (the "Continue" button is a plain form POST). */
async function signIn(page: Page, customerId: string, lang: "en" | "de") {
  await page.goto(await personalLink(customerId, { lang }));
  await page.getByRole("button").first().click();
  await page.waitForURL(new RegExp(`/${lang}$`));
}

// Without JavaScript a refused form is the server's 400 page; Chromium logs the status.
test.use({ allowedBrowserErrors: [/status of 400 \(Bad Request\) \(http:\/\/localhost:\d+\/de\/me\/preferences\)$/] });

const ordersLimits = async (customerId: string) => (await getPreferences(e2eDb(), customerId)).find((p) => p.key === "orders")!;

test("limits with JavaScript: closed until opened, checked before sending, then saved with the choice (SPEC §11.2)", async ({ page }) => {
  const customer = await newCustomer("en");
  await signIn(page, customer.id, "en");
  await page.goto("/en/me/preferences");
  const orders = page.locator("#choice-orders");
  const details = orders.locator("details.choice-limits");
  await expect(details).not.toHaveAttribute("open");
  await details.locator("summary").click();
  await expect(details).toHaveAttribute("open");
  const amount = orders.getByLabel(tr("en", "preferences.limits.amount"), { exact: true });
  await amount.fill("lots");
  await orders.getByLabel(tr("en", "preferences.limits.quietFrom"), { exact: true }).fill("22:00");
  await page.getByRole("button", { name: tr("en", "preferences.save") }).click();
  // Checked in the browser with the page's one schema: errors next to the fields, what was typed kept, nothing sent.
  await expect(orders.locator(`[id$="limits.orders.amount-error"]`)).toHaveText(tr("en", "preferences.limits.errors.amountProblem.notNumber"));
  await expect(orders.locator(`[id$="limits.orders.quietTo-error"]`)).toHaveText(tr("en", "preferences.limits.errors.quietBoth"));
  await expect(amount).toHaveValue("lots");
  expect(await listConsentEvents(e2eDb(), customer.id)).toEqual([]);

  await orders.getByRole("radio", { name: tr("en", "choiceValues.allow") }).check();
  await amount.fill("25.50");
  await orders.getByLabel(tr("en", "preferences.limits.currency"), { exact: true }).selectOption("CHF");
  await orders.getByRole("checkbox", { name: tr("en", "channels.app"), exact: true }).check();
  await orders.getByLabel(tr("en", "preferences.limits.quietTo"), { exact: true }).fill("07:00");
  await orders.getByLabel(tr("en", "preferences.limits.allowedFor")).selectOption("90");
  await page.getByRole("button", { name: tr("en", "preferences.save") }).click();
  await page.waitForURL(/\/en\/me\/preferences\?saved=\d+/);
  await expect(page.getByText(tr("en", "preferences.savedBody_one", { count: 1 }))).toBeVisible();
  expect(await ordersLimits(customer.id)).toMatchObject({
    value: "allow",
    limits: { maxAmount: { hundredths: 2550, currency: "CHF" }, channels: ["app"], quietHours: { from: "22:00", to: "07:00" }, allowedForDays: 90 },
  });
  // Limits that are set are named in words on the closed disclosure (short on a phone).
  await expect(page.locator("#choice-orders details.choice-limits")).not.toHaveAttribute("open");
  await expect(page.locator("#choice-orders details.choice-limits summary")).toContainText(tr("en", "preferences.limits.inWords.quietHours", { from: "22:00", to: "07:00" }));
});

test("limits without JavaScript: the server refuses a bad amount, keeps what was typed, and saves the corrected form", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const customer = await newCustomer("de");
  await signIn(page, customer.id, "de");
  await page.goto("/de/me/preferences");
  const orders = page.locator("#choice-orders");
  await orders.locator("details.choice-limits summary").click();
  const amount = orders.getByLabel(tr("de", "preferences.limits.amount"), { exact: true });
  await amount.fill("viel");
  await orders.getByRole("checkbox", { name: tr("de", "channels.sms"), exact: true }).check();
  await page.getByRole("button", { name: tr("de", "preferences.save") }).click();
  await expect(page.locator(".error-summary")).toBeVisible();
  const refused = page.locator("#choice-orders");
  await expect(refused.locator("details.choice-limits")).toHaveAttribute("open");
  await expect(refused.locator(`[id$="limits.orders.amount-error"]`)).toHaveText(tr("de", "preferences.limits.errors.amountProblem.notNumber"));
  await expect(refused.getByLabel(tr("de", "preferences.limits.amount"), { exact: true })).toHaveValue("viel");
  await expect(refused.getByRole("checkbox", { name: tr("de", "channels.sms"), exact: true })).toBeChecked();
  expect(await listConsentEvents(e2eDb(), customer.id)).toEqual([]);

  await refused.getByLabel(tr("de", "preferences.limits.amount"), { exact: true }).fill("19,99");
  await page.getByRole("button", { name: tr("de", "preferences.save") }).click();
  await page.waitForURL(/\/de\/me\/preferences\?saved=\d+/);
  expect((await ordersLimits(customer.id)).limits).toEqual({ maxAmount: { hundredths: 1999, currency: "EUR" }, channels: ["sms"] });
  await expect(page.locator("#choice-orders details.choice-limits")).not.toHaveAttribute("open");
  await context.close();
});
