import { expect, test } from "./support";
import { tr } from "../support/locales";

// Reading pages paint before their JavaScript is fetched (app/components/page-scripts.tsx), then
// hydrate as before: links navigate in the browser, with no CSP violation or console error.

/** Whether React has hydrated the page's main landmark. */
function hydrated(): boolean {
  const main = document.querySelector("main");
  return Boolean(main && Object.keys(main).some((key) => key.startsWith("__react")));
}

test("the register paints first, then fetches its modules, hydrates and navigates in the browser", async ({ page }) => {
  await page.goto("/en/ai-systems");
  await page.waitForFunction(hydrated);
  const timing = await page.evaluate(() => ({
    firstContentfulPaint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
    modules: performance
      .getEntriesByType("resource")
      .filter((entry) => /\/assets\/[^/]+\.js$/.test(entry.name))
      .map((entry) => ({ name: entry.name, startTime: entry.startTime })),
  }));
  expect(timing.firstContentfulPaint).toBeGreaterThan(0);
  expect(timing.modules.length).toBeGreaterThan(3);
  for (const module of timing.modules) expect(module.startTime, module.name).toBeGreaterThanOrEqual(timing.firstContentfulPaint);

  // A client-side navigation: the document stays (a marker set on it survives).
  await page.evaluate(() => ((window as unknown as { stayed?: boolean }).stayed = true));
  await page.getByRole("link", { name: tr("en", "nav.overview"), exact: true }).click();
  await expect(page).toHaveURL(/\/en$/);
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
});

test("a form and the staff console load their modules as React Router renders them, and hydrate", async ({ page }) => {
  for (const path of ["/en/me/concerns/new", "/staff/login"]) {
    await page.goto(path);
    await page.waitForFunction(hydrated);
    expect(await page.evaluate(() => document.getElementById("scripts-after-paint-module")), path).toBeNull();
  }
});
