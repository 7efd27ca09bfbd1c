import { tr } from "../support/locales";
import { expectNoAxeViolations } from "./axe";
import { expect, newCustomer, personalLink, test } from "./support";

// An unknown personal link answers 404 on purpose (its page is checked too); Chromium logs the status.
test.use({ allowedBrowserErrors: [/status of 404 \(Not Found\) \(http:\/\/localhost:\d+\/l\/not-a-real-token\)$/] });

const PUBLIC_PAGES = ["", "/ai-systems", "/ai-systems/network-troubleshooter", "/me/concerns/new"];
const PRIVATE_PAGES = ["", "/me/interactions", "/me/preferences", "/me/concerns", "/me/concerns/new", "/me/data"];

for (const lang of ["en", "de", "ar"] as const) {
  test(`axe finds no violations on every customer page (${lang})`, async ({ page }) => {
    for (const path of PUBLIC_PAGES) {
      await page.goto(`/${lang}${path}`);
      await expectNoAxeViolations(page);
    }
    await page.goto("/l/not-a-real-token");
    await expectNoAxeViolations(page);

    await page.goto(personalLink("demo-customer-1", { lang }));
    await expectNoAxeViolations(page);
    await page.getByRole("button").first().click();
    await page.waitForURL(new RegExp(`/${lang}$`));
    for (const path of PRIVATE_PAGES) {
      await page.goto(`/${lang}${path}`);
      await expectNoAxeViolations(page);
    }
    // A concern status page with a conversation.
    await page.goto(`/${lang}/me/concerns`);
    await page.locator("td a.ref").first().click();
    await expectNoAxeViolations(page);
  });
}

test("axe: form errors, dark mode and a phone-sized screen", async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: "dark", viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const customer = newCustomer("ar");
  await page.goto(personalLink(customer.id, { lang: "ar" }));
  await page.getByRole("button").first().click();
  // Signed in only once the link's POST has answered (else the pages below are the signed-out page).
  await page.waitForURL(/\/ar$/);
  await page.goto("/ar/me/concerns/new");
  await expectNoAxeViolations(page);
  await page.locator("form.card button[type=submit]").click();
  await page.locator(".field__error").first().waitFor();
  await expectNoAxeViolations(page);
  await page.goto("/ar/me/preferences");
  await expect(page.locator("h1")).toHaveText(tr("ar", "preferences.title"));
  await expectNoAxeViolations(page);
  await context.close();
});

test("every page fits a 320 px phone screen without sideways scrolling (en, ar)", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  for (const lang of ["en", "ar"] as const) {
    await page.goto(personalLink("demo-customer-1", { lang }));
    await page.getByRole("button").first().click();
    await page.waitForURL(new RegExp(`/${lang}$`));
    for (const path of [...PUBLIC_PAGES, ...PRIVATE_PAGES]) {
      await page.goto(`/${lang}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${lang}${path}`).toBeLessThanOrEqual(0);
    }
  }
  await context.close();
});
