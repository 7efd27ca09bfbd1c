/**
 * What `npm run lighthouse` (run.ts) and the A/B comparison (compare.ts) share: the system
 * Chromium, one Lighthouse 12.2.3 measurement (node API, default config: the mobile preset with
 * its simulated throttling) retried when Chromium failed to record a trace, the pages measured.
 */
import fs from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

export const CATEGORIES = ["performance", "accessibility", "best-practices"] as const;
export type Category = (typeof CATEGORIES)[number];
export type Result = NonNullable<Awaited<ReturnType<typeof lighthouse>>>["lhr"];

/** The overview, the AI register and the choices page (the demo customer signed in: `cookie`). */
export function pagesOf(base: string, cookie: string) {
  // Lighthouse treats localhost as a secure origin (best practices: "uses HTTPS").
  const origin = base.replace("127.0.0.1", "localhost");
  return [
    { name: "overview", url: `${origin}/en` },
    { name: "register", url: `${origin}/en/ai-systems` },
    { name: "choices", url: `${origin}/en/me/preferences`, cookie },
  ];
}

/**
 * A server that has answered before (as one in production has): the first answers of a fresh
 * process (compiling, cold caches) would count against the first page measured.
 */
export async function warmUp(pages: { url: string; cookie?: string }[]): Promise<void> {
  for (const page of pages) for (let i = 0; i < 5; i++) await (await fetch(page.url, { headers: page.cookie ? { Cookie: page.cookie } : {} })).text();
}

/** Headless Chromium (CHROMIUM_PATH, else /usr/bin/chromium); exits the process when there is none. */
export async function launchChromium(): Promise<chromeLauncher.LaunchedChrome> {
  const chromePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && fs.existsSync(p));
  if (!chromePath) {
    console.error("No Chromium found: install the Debian package `chromium` or set CHROMIUM_PATH");
    process.exit(1);
  }
  return chromeLauncher.launch({
    chromePath,
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
  });
}

/**
 * One Lighthouse run of `url` (with `cookie`, if any). A trace Chromium failed to record
 * (NO_NAVSTART on a busy machine) is measured again, twice at most; a page that ends elsewhere
 * (signed out, redirected) is an error.
 */
export async function measure(port: number, url: string, cookie?: string): Promise<Result> {
  for (let attempt = 1; ; attempt++) {
    const result = await lighthouse(url, {
      port,
      output: "json",
      logLevel: "error",
      onlyCategories: [...CATEGORIES],
      ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}),
    });
    const lhr = result?.lhr;
    if (!lhr) throw new Error(`Lighthouse gave no result for ${url}`);
    if (lhr.runtimeError) {
      if (attempt === 3) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.message}`);
      console.log(`${url}: ${lhr.runtimeError.code}, measuring again`);
      continue;
    }
    if (lhr.finalDisplayedUrl !== url) throw new Error(`${url} ended on ${lhr.finalDisplayedUrl} (signed out?)`);
    return lhr;
  }
}

/** The timing metrics performance is scored from (ms; CLS unitless), as Lighthouse estimated them. */
export const METRICS = ["first-contentful-paint", "largest-contentful-paint", "speed-index", "total-blocking-time", "cumulative-layout-shift"] as const;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
