/**
 * Opens the customer pages in Chromium (Playwright) and reports every console message, CSP
 * violation and page error, and whether the inlined stylesheet applies before and after a
 * client-side navigation. `npx tsx test/lighthouse/browser-check.mts` (CANDOR_BUILD_DIR).
 */
import fs from "node:fs";
import { chromium } from "playwright";
import { customerCookie, ensureBuild, startCandor } from "../bench/pages-support";

ensureBuild();
const server = await startCandor();
const executablePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium"].find((p) => p && fs.existsSync(p));
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
let problems = 0;
try {
  const cookie = await customerCookie(server);
  const [name, value] = cookie.split("=") as [string, string];
  const context = await browser.newContext();
  await context.addCookies([{ name, value, url: server.base }]);
  const page = await context.newPage();
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      problems++;
      console.log(`  console.${message.type()}: ${message.text().slice(0, 300)}`);
    }
  });
  page.on("pageerror", (error) => {
    problems++;
    console.log(`  page error: ${error.message.slice(0, 300)}`);
  });
  const styled = () => page.evaluate(() => ({ bg: getComputedStyle(document.body).backgroundColor, styles: document.querySelectorAll("style").length, links: document.querySelectorAll('link[rel="stylesheet"]').length, textLength: document.querySelector("style")?.textContent?.length ?? 0 }));
  for (const path of ["/en", "/ar/ai-systems", "/en/me/preferences", "/en/no-such-page"]) {
    await page.goto(server.base + path, { waitUntil: "networkidle" });
    await page.waitForFunction(() => (window as unknown as { __reactRouterRouteModules?: unknown }).__reactRouterRouteModules !== undefined);
    await page.waitForTimeout(300);
    console.log(path, JSON.stringify(await styled()));
  }
  // A client-side navigation: the stylesheet stays.
  await page.goto(server.base + "/en", { waitUntil: "networkidle" });
  await page.click('a[href="/en/ai-systems"]');
  await page.waitForURL("**/en/ai-systems");
  await page.waitForTimeout(300);
  console.log("after client navigation to /en/ai-systems", JSON.stringify(await styled()));
  await page.click('a[href="/en/me/preferences"]');
  await page.waitForURL("**/en/me/preferences");
  await page.waitForTimeout(500);
  console.log("after client navigation to /en/me/preferences", JSON.stringify(await styled()));
} finally {
  await browser.close();
  await server.stop();
}
console.log(`${problems} console errors, warnings or page errors`);
