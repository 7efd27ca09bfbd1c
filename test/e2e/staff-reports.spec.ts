import { expect, signInStaff, test } from "./support";
import { type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { trNs } from "../support/locales";

// An impossible date answers 400 on purpose; Chromium logs the status.
test.use({ allowedBrowserErrors: [/status of 400 \(Bad Request\) \(http:\/\/localhost:\d+\/staff\/reports\?from=2024-02-30\)$/] });

const r = (key: string, params: Record<string, string | number> = {}) => trNs("en", "reports", key, params);
const REPORT_TITLES = ["bySystem.title", "byKind.title", "byWeek.title", "responseTimes.title", "outcomes.title", "choices.title"];

/** Signs the supervisor in through the sign-in page and lands on the reports, in English. */
async function signInToReports(page: Page) {
  await signInStaff(page, "supervisor", "/staff/reports");
  // Another journey may have changed the console language: make sure it is English.
  if ((await page.locator("html").getAttribute("lang")) !== "en") {
    await page.goto("/staff/account");
    await page.locator("select[name=locale]").selectOption("en");
    await page.locator("form:has(select[name=locale]) button[type=submit]").click();
    await page.goto("/staff/reports");
  }
}

test("staff reports: charts with tables, a period in the URL, CSV download (axe clean)", async ({ page }) => {
  await signInToReports(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(r("title"));
  for (const key of REPORT_TITLES) {
    const section = page.getByRole("region", { name: r(key), exact: true });
    await expect(section.getByRole("img", { name: r(key) })).toBeVisible();
    await expect(section.getByRole("table", { name: r(key) })).toBeVisible();
    await expect(section.getByRole("link", { name: r("download") })).toHaveAttribute("href", new RegExp(`^/staff/reports/[a-z-]+\\.csv\\?from=`));
  }
  await expectNoAxeViolations(page);

  // A chosen period goes into the URL and is shown back.
  await page.getByLabel(r("filter.from"), { exact: true }).fill("2024-01-01");
  await page.getByLabel(r("filter.to"), { exact: true }).fill("2024-01-14");
  await page.getByRole("button", { name: r("filter.submit") }).click();
  await expect(page).toHaveURL(/\/staff\/reports\?from=2024-01-01&to=2024-01-14$/);
  const weeks = page.getByRole("table", { name: r("byWeek.title") });
  await expect(weeks.getByRole("rowheader")).toHaveText([r("byWeek.weekLabel", { week: "1", year: "2024" }), r("byWeek.weekLabel", { week: "2", year: "2024" })]);
  await expect(page.getByLabel(r("filter.from"), { exact: true })).toHaveValue("2024-01-01");

  // The CSV of a report downloads as a dated file for that period.
  const bySystem = page.getByRole("region", { name: r("bySystem.title"), exact: true });
  const download = page.waitForEvent("download");
  await bySystem.getByRole("link", { name: r("download") }).click();
  expect((await download).suggestedFilename()).toBe("candor-by-system-2024-01-01-to-2024-01-14.csv");

  // A bad date in the URL: a translated error, the default period shown, still axe clean.
  const response = await page.goto("/staff/reports?from=2024-02-30");
  expect(response?.status()).toBe(400);
  await expect(page.getByText(r("errors.title"))).toBeVisible();
  await expect(page.getByText(r("errors.date"))).toBeVisible();
  await expectNoAxeViolations(page);
});

test("staff reports: axe clean in dark mode on a phone-sized screen", async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: "dark", viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await signInToReports(page);
  await expect(page.getByRole("img", { name: r("choices.title") })).toBeVisible();
  await expectNoAxeViolations(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await context.close();
});
