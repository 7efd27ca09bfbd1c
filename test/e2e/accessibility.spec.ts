import { type Page } from "@playwright/test";
import { tr, trNs } from "../support/locales";
import { expectNoAxeViolations } from "./axe";
import { BASE, e2eDb, expect, newCustomer, personalLink, signInStaff, test } from "./support";
import { confirmationFor } from "../support/confirmation-factories";

// An unknown personal link answers 404 on purpose (its page is checked too); Chromium logs the status.
test.use({ allowedBrowserErrors: [/status of 404 \(Not Found\) \(http:\/\/localhost:\d+\/l\/not-a-real-token\)$/] });

const PUBLIC_PAGES = ["", "/ai-systems", "/ai-systems/network-troubleshooter", "/me/concerns/new", "/statistics", "/report"];
const PRIVATE_PAGES = ["", "/me/interactions", "/me/preferences", "/me/concerns", "/me/concerns/new", "/me/data"];

// Issue 12: en, de, ar, fi, pl and el (right to left, long compounds, other scripts, three plural forms).
for (const lang of ["en", "de", "ar", "fi", "pl", "el"] as const) {
  test(`axe finds no violations on every customer page (${lang})`, async ({ page }) => {
    for (const path of PUBLIC_PAGES) {
      await page.goto(`/${lang}${path}`);
      await expectNoAxeViolations(page);
    }
    await page.goto("/l/not-a-real-token");
    await expectNoAxeViolations(page);

    await page.goto(await personalLink("demo-customer-1", { lang }));
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
  const customer = await newCustomer("ar");
  await page.goto(await personalLink(customer.id, { lang: "ar" }));
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
  // An AI agent's request waiting for the customer's answer (SPEC §11.1), and the overview listing it.
  const pending = await confirmationFor(e2eDb(), customer.id, { baseUrl: BASE });
  await page.goto(`/ar/me/confirmations/${pending.id}`);
  await expect(page.locator("h1")).toHaveText(tr("ar", "confirmations.title"));
  await expectNoAxeViolations(page);
  await page.goto("/ar");
  await expect(page.getByRole("heading", { level: 2, name: tr("ar", "confirmations.waitingTitle") })).toBeVisible();
  await expectNoAxeViolations(page);
  await context.close();
});

test("every page fits a 320 px phone screen without sideways scrolling (en, de, ar)", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  for (const lang of ["en", "de", "ar"] as const) {
    await page.goto(await personalLink("demo-customer-1", { lang }));
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

/** Sideways overflow of the page at the current viewport, in CSS pixels (0 when it fits). */
const overflowOf = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test("320 px: German register pages (long compounds) and every AI system's page fit", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await page.goto("/de/ai-systems");
  expect(await overflowOf(page), "/de/ai-systems").toBeLessThanOrEqual(0);
  const links = await page.locator('main a[href^="/de/ai-systems/"]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute("href")!))]);
  expect(links.length).toBeGreaterThanOrEqual(5);
  for (const href of links) {
    await page.goto(href);
    expect(await overflowOf(page), href).toBeLessThanOrEqual(0);
  }
  await context.close();
});

test("320 px: a 300-character unbroken subject from the API wraps on every page that shows it (en, ar)", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const subject = "X".repeat(300);
  for (const lang of ["en", "ar"] as const) {
    const customer = await newCustomer(lang, { subject, actionDetail: "Y".repeat(300) });
    await page.goto(await personalLink(customer.id, { lang }));
    await page.getByRole("button").first().click();
    await page.waitForURL(new RegExp(`/${lang}$`));
    for (const path of ["", "/me/interactions", "/me/concerns/new"]) {
      await page.goto(`/${lang}${path}`);
      expect(await overflowOf(page), `${lang}${path}`).toBeLessThanOrEqual(0);
    }
    await expect(page.locator("select").first()).toBeVisible();
  }
  await context.close();
});

test("320 px, Arabic: English subjects and customer text keep their direction and the page fits", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const customer = await newCustomer("ar", { subject: "Router keeps rebooting (model X-200) since 12/03" });
  await page.goto(await personalLink(customer.id, { lang: "ar" }));
  await page.getByRole("button").first().click();
  await page.waitForURL(/\/ar$/);
  await page.goto("/ar/me/interactions");
  const heading = page.getByRole("heading", { level: 2, name: "Router keeps rebooting (model X-200) since 12/03" });
  await expect(heading).toBeVisible();
  // dir="auto" resolves to left-to-right for an English subject inside the right-to-left page.
  expect(await heading.evaluate((h) => getComputedStyle(h).direction)).toBe("ltr");
  expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
  expect(await overflowOf(page)).toBeLessThanOrEqual(0);
  await context.close();
});

test("320 px: password fields are styled like the others; a wide staff table scrolls inside a region keyboard users can reach and scroll", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await page.goto("/staff/audit");
  await expect(page).toHaveURL(/\/staff\/login\?next=/);
  // The password field looks like every other input (it was left unstyled).
  const look = (label: string) =>
    page.getByLabel(label).evaluate((el) => {
      const c = getComputedStyle(el);
      return [c.borderTopWidth, c.borderTopStyle, c.borderTopColor, c.borderRadius, c.paddingTop, c.minHeight, c.fontSize, c.width].join(" ");
    });
  expect(await look(trNs("en", "staff", "login.password"))).toBe(await look(trNs("en", "staff", "login.email")));
  await signInStaff(page, "admin", "/staff/audit");
  expect(await overflowOf(page)).toBeLessThanOrEqual(0);
  const region = page.getByRole("region", { name: trNs("en", "common", "layout.tableRegion", { name: trNs("en", "admin", "audit.tableCaption") }) });
  expect(await region.evaluate((r) => r.scrollWidth > r.clientWidth)).toBe(true);
  // Reached with the Tab key (not clicked), then scrolled with the arrow key.
  for (let i = 0; i < 80 && !(await region.evaluate((r) => r === document.activeElement)); i += 1) await page.keyboard.press("Tab");
  await expect(region).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => region.evaluate((r) => r.scrollLeft)).toBeGreaterThan(0);
  await context.close();
});

for (const lang of ["en", "ar"] as const) {
  test(`axe: the timeline with an action done without permission, before and after contesting it (${lang})`, async ({ page }) => {
    // newCustomer's AI action names no decision check: a permission breach (SPEC §11.5).
    const customer = await newCustomer(lang);
    await page.goto(await personalLink(customer.id, { lang }));
    await page.getByRole("button").first().click();
    await page.waitForURL(new RegExp(`/${lang}$`));
    await page.goto(`/${lang}/me/interactions`);
    const marker = page.getByRole("region", { name: tr(lang, "breaches.marker") });
    await expect(marker).toBeVisible();
    await expectNoAxeViolations(page);
    await marker.getByRole("button", { name: tr(lang, "breaches.contest") }).click();
    await expect(page.getByText(tr(lang, "breaches.filedTitle"))).toBeVisible();
    await expect(marker.getByRole("button")).toHaveCount(0);
    await expectNoAxeViolations(page);
  });
}

for (const lang of ["en", "ar"] as const) {
  test(`axe: my choices with a limits disclosure open, and with a limit's error (${lang})`, async ({ page }) => {
    const customer = await newCustomer(lang);
    await page.goto(await personalLink(customer.id, { lang }));
    await page.getByRole("button").first().click();
    await page.waitForURL(new RegExp(`/${lang}$`));
    await page.goto(`/${lang}/me/preferences`);
    const limits = page.locator("#choice-orders details.choice-limits");
    await limits.locator("summary").click();
    await expect(limits).toHaveAttribute("open");
    await expectNoAxeViolations(page);
    await limits.locator('input[name="limits.orders.quietFrom"]').fill("22:00");
    await page.getByRole("button", { name: tr(lang, "preferences.save") }).click();
    await expect(limits.locator(".field__error")).toHaveText(tr(lang, "preferences.limits.errors.quietBoth"));
    await expectNoAxeViolations(page);
  });
}
