import { tr } from "../support/locales";
import { expect, personalLink, test } from "./support";

test("my choices on a 360 px phone: no sideways scroll, limits named on their closed disclosure, shorter than before", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await page.goto(await personalLink("demo-customer-1", { lang: "en" }));
  await page.getByRole("button").first().click();
  await page.waitForURL(/\/en$/);
  await page.goto("/en/me/preferences");
  const size = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth }));
  expect(size.width).toBeLessThanOrEqual(360);
  // 12,872 px at the start of issue 10's second session (same seed and browser); about 9,650 since.
  expect(size.height).toBeLessThan(11_000);
  // Alex's quiet hours on fault fixing: named in words while the fields stay folded away.
  const limits = page.locator("#choice-troubleshooting details.choice-limits");
  await expect(limits).not.toHaveAttribute("open");
  await expect(limits.locator("summary")).toContainText(tr("en", "preferences.limits.inWords.quietHours", { from: "22:00", to: "07:00" }));
  await limits.locator("summary").click();
  await expect(limits.getByLabel(tr("en", "preferences.limits.quietFrom"), { exact: true })).toHaveValue("22:00");
  await context.close();
});
