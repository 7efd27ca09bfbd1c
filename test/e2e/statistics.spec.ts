import { expect, test } from "./support";
import { expectNoAxeViolations } from "./axe";
import { tr } from "../support/locales";

test("public statistics: tables per quarter, readable without signing in, in English and Arabic (axe clean)", async ({ page }) => {
  for (const lang of ["en", "ar"] as const) {
    await page.goto(`/${lang}/statistics`);
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(tr(lang, "statistics.title"));
    await expect(page.getByRole("table", { name: tr(lang, "statistics.allCaption") })).toBeVisible();
    await expect(page.getByRole("table", { name: tr(lang, "statistics.accountabilityCaption") })).toBeVisible();
    await expect(page.getByRole("table", { name: tr(lang, "statistics.allCaption") }).getByRole("rowheader")).toHaveCount(8);
    await expectNoAxeViolations(page);
  }
});
