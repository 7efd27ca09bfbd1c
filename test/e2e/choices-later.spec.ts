import type { Page } from "@playwright/test";
import { tr } from "../support/locales";
import { expect, newCustomer, personalLink, test } from "./support";

/** Signs the customer in through a personal link (the "Continue" button is a plain form POST). */
async function signIn(page: Page, customerId: string) {
  await page.goto(await personalLink(customerId, { lang: "en" }));
  await page.getByRole("button").first().click();
  await page.waitForURL(/\/en$/);
}

const PARTS = /\/assets\/preferences-parts-[\w-]+\.js$/;

test("My choices: the parts' code loads at the first touch, then the form is checked in the browser (SPEC §10)", async ({ page }) => {
  const customer = await newCustomer("en");
  await signIn(page, customer.id);
  const requested: string[] = [];
  page.on("request", (request) => {
    if (PARTS.test(request.url()) || request.method() === "POST") requested.push(`${request.method()} ${request.url()}`);
  });
  await page.goto("/en/me/preferences");
  await page.waitForLoadState("networkidle");
  // Read, not touched: the server's HTML is the whole page, no further code fetched.
  expect(requested).toEqual([]);
  const orders = page.locator("#choice-orders");
  await expect(orders.locator("details.choice-limits")).toHaveCount(1);

  const parts = page.waitForResponse(PARTS);
  await orders.getByRole("radio", { name: tr("en", "choiceValues.never") }).focus();
  await parts;
  const validator = page.waitForResponse(/\/assets\/preferences-validate-[\w-]+\.js$/);
  await orders.locator("details.choice-limits summary").click();
  await orders.getByLabel(tr("en", "preferences.limits.quietFrom"), { exact: true }).fill("22:00");
  await validator;
  await page.getByRole("button", { name: tr("en", "preferences.save") }).click();
  // Hydrated: the browser's check answers, next to the field, and nothing is posted.
  await expect(orders.locator(`[id$="limits.orders.quietTo-error"]`)).toHaveText(tr("en", "preferences.limits.errors.quietBoth"));
  expect(requested.filter((r) => r.startsWith("POST"))).toEqual([]);
});

test("My choices reached by a client-side navigation: the whole page, the time-zone list included", async ({ page }) => {
  const customer = await newCustomer("en");
  await signIn(page, customer.id);
  await page.waitForLoadState("networkidle");
  const documents: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "document") documents.push(request.url());
  });
  await page.getByRole("link", { name: tr("en", "nav.preferences"), exact: true }).click();
  await expect(page).toHaveURL(/\/en\/me\/preferences$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tr("en", "preferences.title"));
  await expect(page.locator("#history-title")).toBeVisible();
  await expect(page.locator("#choice-orders details.choice-limits")).toHaveCount(1);
  // Rendered in the browser, the select asks the page for its list once.
  await expect.poll(() => page.locator('select[name="timeZone"] option').count()).toBeGreaterThan(300);
  await expect(page.locator('select[name="timeZone"]')).toHaveValue(/\//);
  expect(documents).toEqual([]);
});
