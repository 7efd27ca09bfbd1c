/**
 * What the pages bench (test/bench/pages.ts) and `npm run lighthouse` (test/lighthouse/run.ts)
 * share: the production build, Candor on a fresh copy of the demo database, a signed-in customer's
 * session cookie, the minimal React Router app, and the JavaScript a page loads.
 */
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { mintLink } from "../../app/domain/links.server";
import { BUILD_DIR } from "../support/build";
import { buildTemplate } from "../support/database";
import { spawnServer, startServer, TS_ENTRY, type RunningServer } from "../support/server";

export const MINIMAL_DIR = path.resolve("test/bench/minimal");
/** The minimal app's build, beside Candor's (test/bench/minimal/react-router.config.ts). */
export const MINIMAL_BUILD_DIR = path.resolve(`${BUILD_DIR}-minimal`);

/** The build of the pages bench and `npm run lighthouse` (built when missing; CANDOR_REBUILD=1: always). */
export { BUILD_DIR, ensureBuild } from "../support/build";

/** Builds the minimal app (test/bench/minimal) every time: it takes a few seconds and never goes stale. */
export function buildMinimal(): void {
  execSync(`npx react-router build ${MINIMAL_DIR}`, { stdio: "ignore", env: { ...process.env, NODE_ENV: "production" } });
}

/**
 * Candor as `npm run serve` runs it (test/bench/shipped-server.ts: the built bundle, production
 * mode), on a fresh copy of the demo database (migrations + demo seed) on the suite's engine
 * (DATABASE_URL=postgres://… → PostgreSQL), rate limits off (a load test comes from one address).
 * `options.script`: another server entry (the `--profile` one); `options.env`: more environment.
 */
export async function startCandor(options: { script?: string; env?: Record<string, string> } = {}): Promise<RunningServer> {
  await buildTemplate();
  return startServer({ script: options.script, env: { RATE_LIMITS: "off", LOG_LEVEL: "warn", ...options.env }, echo: true });
}

/** The minimal app's server (test/bench/minimal/server.ts) on a free port; `stop()` sends it SIGTERM. */
export async function startMinimal(): Promise<{ base: string; stop: () => void }> {
  const server = await spawnServer({ args: [...TS_ENTRY, path.join(MINIMAL_DIR, "server.ts")], env: { MINIMAL_BUILD_DIR }, echo: true });
  return { base: server.base, stop: () => void server.stop() };
}

/**
 * Signs `customerId` in as a customer does (a personal link, then "Continue": POST /l/<token>)
 * and returns the session cookie (`name=value`).
 */
export async function customerCookie(server: RunningServer, customerId = "demo-customer-1"): Promise<string> {
  const { token } = await mintLink(server.db, { customerId, lang: "en", createdBy: "cli", baseUrl: server.base });
  const response = await fetch(`${server.base}/l/${token}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.base, "Sec-Fetch-Site": "same-origin" },
    body: "",
    redirect: "manual",
  });
  const setCookie = response.headers.get("set-cookie");
  if (response.status !== 303 || !setCookie) throw new Error(`Signing the customer in failed: ${response.status}`);
  return setCookie.split(";")[0]!;
}

/** One asset a page loads: its address, its size in the build output and gzip -9. */
export interface Asset {
  url: string;
  bytes: number;
  gzipBytes: number;
}

/** gzip -9 size of a file of the client build (`/assets/x.js` → <clientDir>/assets/x.js). */
export function gzipSizeOf(clientDir: string, url: string): Asset {
  const file = path.join(clientDir, new URL(url, "http://x").pathname);
  const content = fs.readFileSync(file);
  return { url, bytes: content.length, gzipBytes: zlib.gzipSync(content, { level: 9 }).length };
}

/**
 * The JavaScript files a page's HTML makes the browser load before it is interactive: every
 * `<script src>`, `<link rel="modulepreload">` and module imported by an inline module script,
 * then (transitively) every static `import` of those files. Dynamic `import()`s are not followed:
 * code behind them loads only when used (a page's own lazy validation, other languages).
 */
export function scriptsOfPage(html: string, clientDir: string): Asset[] {
  const seen = new Set<string>();
  const queue: string[] = [];
  const add = (url: string) => {
    if (!url.startsWith("/") || !url.endsWith(".js") || seen.has(url)) return;
    seen.add(url);
    queue.push(url);
  };
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)) add(/\bhref="([^"]+)"/.exec(m[0])?.[1] ?? "");
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) add(m[1]!);
  for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
    for (const i of m[1]!.matchAll(/\bimport\s*(?:[^"'()]*?\bfrom\s*)?["']([^"']+)["']/g)) add(i[1]!);
  }
  while (queue.length) {
    const url = queue.shift()!;
    const code = fs.readFileSync(path.join(clientDir, url), "utf8");
    const dir = url.slice(0, url.lastIndexOf("/") + 1);
    for (const i of code.matchAll(/(?:^|[;}\s])import\s*(?:[^"'()]*?\bfrom\s*)?["'](\.\/[^"']+)["']/g)) add(dir + i[1]!.slice(2));
  }
  return [...seen].map((url) => gzipSizeOf(clientDir, url));
}

export const sum = (assets: Asset[], field: "bytes" | "gzipBytes" = "gzipBytes") => assets.reduce((n, a) => n + a[field], 0);
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
