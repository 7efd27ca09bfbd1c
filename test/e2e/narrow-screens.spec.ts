import { type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { expect, personalLink, test } from "./support";

// Every customer page on a 360 px and a 320 px phone: nothing makes the page scroll sideways, and
// no table scrolls sideways inside its region either (a list table shows each row as a block on a
// phone: app.css .table-stack). The status badge of "My concerns" once made its table scroll in
// French. Languages: English, French, and the ones whose words run longest or turn the page around
// (German and Finnish compounds, Hungarian, Greek, Arabic right to left). At 320 px each page of
// de, fi, el and ar is also kept as a screenshot (test-results/…/narrow-<lang>-<page>.png), and the
// open language menu (27 languages) must fit too.

const PAGES = ["", "/ai-systems", "/ai-systems/network-troubleshooter", "/me/interactions", "/me/preferences", "/me/concerns", "/me/concerns/new", "/me/data", "/statistics", "/report"];
const LANGS = ["en", "fr", "de", "fi", "hu", "el", "ar"] as const;
const SCREENSHOT_LANGS: readonly string[] = ["de", "fi", "el", "ar"];

/** What scrolls sideways on the page: the document, and any element that scrolls horizontally (px it needs). */
function sidewaysScroll(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const doc = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    if (doc > 0) found.push(`the page (${doc} px)`);
    for (const element of Array.from(document.querySelectorAll<HTMLElement>("body *"))) {
      if (!/auto|scroll/.test(getComputedStyle(element).overflowX)) continue;
      const extra = element.scrollWidth - element.clientWidth;
      if (extra > 1) found.push(`${element.tagName.toLowerCase()}.${element.className} (${extra} px)`);
    }
    return found;
  });
}

for (const width of [360, 320]) {
  test(`${width} px: no customer page scrolls sideways (${LANGS.join(", ")})`, async ({ browser }, testInfo) => {
    const context = await browser.newContext({ viewport: { width, height: 740 } });
    const page = await context.newPage();
    for (const lang of LANGS) {
      await page.goto(await personalLink("demo-customer-1", { lang }));
      await page.getByRole("button").first().click();
      await page.waitForURL(new RegExp(`/${lang}$`));
      const paths = [...PAGES];
      await page.goto(`/${lang}/me/concerns`);
      // The list is not empty (the table is what is checked), and one concern's own page too.
      const concern = await page.locator("td a.ref").first().getAttribute("href");
      expect(concern, `${lang}: demo-customer-1 has concerns`).toBeTruthy();
      paths.push(concern!.slice(`/${lang}`.length));
      for (const path of paths) {
        await page.goto(`/${lang}${path}`);
        expect(await sidewaysScroll(page), `${width} px ${lang}${path}`).toEqual([]);
        if (width === 320 && SCREENSHOT_LANGS.includes(lang)) {
          const name = `narrow-${lang}-${path.replace(/^\//, "").replace(/[^a-z0-9]+/gi, "-") || "overview"}.png`;
          await page.screenshot({ path: testInfo.outputPath(name), fullPage: true });
        }
      }
      // The language menu open: 27 names in their own scripts, still inside the screen.
      await page.goto(`/${lang}/ai-systems`);
      await page.locator(".language-switcher summary").click();
      await expect(page.locator(".language-switcher ul")).toBeVisible();
      expect(await sidewaysScroll(page), `${width} px ${lang}: the open language menu`).toEqual([]);
      const menu = (await page.locator(".language-switcher ul").boundingBox())!;
      expect(menu.x, `${lang}: the menu starts inside the screen`).toBeGreaterThanOrEqual(0);
      expect(menu.x + menu.width, `${lang}: the menu ends inside the screen`).toBeLessThanOrEqual(width);
      // Each stacked cell still says which column it is (the header row is hidden on a phone).
      await page.goto(`/${lang}/me/concerns`);
      const labels = await page.locator("table.table-stack tbody tr").first().locator("td").evaluateAll((cells) => cells.map((cell) => getComputedStyle(cell, "::before").content));
      expect(labels.every((label) => label.length > 2 && label !== "none"), `${lang}: ${labels.join(", ")}`).toBe(true);
      await expectNoAxeViolations(page);
    }
    await context.close();
  });
}
