/**
 * `npm run bench`, second part (SPEC §10 "Pages", issue 10 item 5): server-rendered throughput of
 * the customer pages against a minimal React Router page on the same stack, and the JavaScript
 * each customer page loads.
 *
 * 1. Builds Candor into CANDOR_BUILD_DIR (when it has no build; CANDOR_REBUILD=1 always) and the
 *    minimal app (test/bench/minimal: one route, same React Router/React/Vite/Express, served the
 *    same way: node:http → Express + compression → static files → React Router, production mode).
 * 2. Starts both: Candor on a fresh copy of the demo database (DATABASE_URL=postgres://… →
 *    PostgreSQL), and signs the demo customer in (a personal link, as a customer does).
 * 3. Interleaved rounds (ROUNDS × DURATION s, CONNECTIONS connections, autocannon, gzip accepted
 *    as browsers do): the minimal page, then each page — the overview (`/en`, anonymous and signed
 *    in), the AI register (`/en/ai-systems`), the choices page (`/en/me/preferences`, signed in) —
 *    the order reversed every other round. Ratio = median req/s of a page / median req/s of the
 *    minimal page. Every answer must be 200 and the page's own (checked on every 20th response).
 * 4. The gzipped JavaScript each customer page loads (test/bench/pages-support.ts scriptsOfPage:
 *    what its HTML references, gzip -9 sizes from the build output).
 * Targets: every page ≥ 0.6× the minimal page; ≤ 120 KB of gzipped JavaScript on each of the
 * overview, register and choices pages. Prints PASS/FAIL per target; exit 1 when one fails.
 * Environment: BENCH_ROUNDS (5), BENCH_DURATION (5), BENCH_PAGE_CONNECTIONS (10).
 *
 * `--profile "<page name>"` (e.g. `--profile "overview (signed in)"`): instead of the comparison,
 * loads that one page for ROUNDS × DURATION s with V8's CPU profiler on in the server
 * (test/bench/profile-server.ts) and prints where the `.cpuprofile` is (open it in Chrome DevTools
 * or speedscope). PROFILE_DIR: where it goes (default /tmp/candor-page-profiles).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { BUILD_DIR, MINIMAL_BUILD_DIR, buildMinimal, customerCookie, ensureBuild, kb, scriptsOfPage, startCandor, startMinimal, sum } from "./pages-support";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_PAGE_CONNECTIONS ?? 10);
const THROUGHPUT_TARGET = 0.6;
const JS_TARGET_BYTES = 120 * 1024;
const SAMPLE = 20;

const profileArg = process.argv.indexOf("--profile");
const profiled = profileArg >= 0 ? (process.argv[profileArg + 1] ?? "") : null;
const PROFILE_DIR = path.resolve(process.env.PROFILE_DIR ?? "/tmp/candor-page-profiles");

ensureBuild();
if (profiled === null) buildMinimal();
const candor = await (profiled === null
  ? startCandor()
  : startCandor({ script: "test/bench/profile-server.ts", env: { PROFILE_DIR } }));
const minimal = profiled === null ? await startMinimal() : { base: "", stop: () => {} };
const stop = async () => {
  minimal.stop();
  await candor.stop();
};
process.on("SIGINT", () => void stop().finally(() => process.exit(130)));

const cookie = await customerCookie(candor);

interface Target {
  name: string;
  base: string;
  path: string;
  cookie?: string;
  /** A text the page's HTML holds: the answer is this page, not a redirect or an error page. */
  marker: string;
  /** Whether the page is one of the three with a JavaScript budget. */
  budget: boolean;
}
const minimalTarget: Target = { name: "minimal page", base: minimal.base, path: "/", marker: "<h1>Hello</h1>", budget: false };
const pages: Target[] = [
  { name: "overview", base: candor.base, path: "/en", marker: 'id="home-see"', budget: true },
  { name: "overview (signed in)", base: candor.base, path: "/en", cookie, marker: 'id="home-choices"', budget: false },
  { name: "register", base: candor.base, path: "/en/ai-systems", marker: "/en/ai-systems/offer-predictor", budget: true },
  { name: "choices", base: candor.base, path: "/en/me/preferences", cookie, marker: 'name="plan-changes"', budget: true },
];

const wrong: Record<string, string[]> = {};
function options(target: Target, duration: number) {
  let seen = 0;
  return {
    url: target.base,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        method: "GET" as const,
        path: target.path,
        headers: { "accept-encoding": "gzip, deflate, br", accept: "text/html", ...(target.cookie ? { cookie: target.cookie } : {}) },
        onResponse: (status: number) => {
          if (status !== 200) (wrong[target.name] ??= []).push(`status ${status}`);
          // Bodies arrive compressed: check an uncompressed answer now and then instead.
          else if (seen++ % SAMPLE === 0) sampleCheck(target);
        },
      },
    ],
  };
}
/** The sample checks still running: awaited before the servers stop. */
const checking = new Set<Promise<void>>();
function sampleCheck(target: Target) {
  const check: Promise<void> = checkPage(target).finally(() => checking.delete(check));
  checking.add(check);
}
async function checkPage(target: Target) {
  const response = await fetch(target.base + target.path, { headers: target.cookie ? { cookie: target.cookie } : {} });
  const html = await response.text();
  if (response.status !== 200 || !html.includes(target.marker)) (wrong[target.name] ??= []).push(`status ${response.status}, marker ${target.marker} missing`);
}

interface Sample { rps: number; p50: number; p99: number; non2xx: number; errors: number }
const results: Record<string, Sample[]> = {};
async function run(target: Target, duration: number): Promise<Sample> {
  const result = await autocannon(options(target, duration));
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

if (profiled !== null) {
  const target = pages.find((page) => page.name === profiled);
  if (!target) {
    console.log(`No page named "${profiled}"; the pages are: ${pages.map((page) => `"${page.name}"`).join(", ")}`);
    await stop();
    process.exit(1);
  }
  const before = new Set(fs.existsSync(PROFILE_DIR) ? fs.readdirSync(PROFILE_DIR) : []);
  await checkPage(target);
  await run(target, 1);
  const sample = await run(target, ROUNDS * DURATION);
  await Promise.all(checking);
  await stop();
  // The server writes its profile after its launcher (tsx) has exited: wait for the file.
  const newProfiles = () => (fs.existsSync(PROFILE_DIR) ? fs.readdirSync(PROFILE_DIR) : []).filter((name) => !before.has(name) && name.endsWith(".cpuprofile"));
  for (let waited = 0; newProfiles().length === 0 && waited < 30_000; waited += 200) await new Promise((resolve) => setTimeout(resolve, 200));
  const written = newProfiles();
  console.log(`${target.name}: ${sample.rps.toFixed(0)} req/s while profiled (${ROUNDS * DURATION} s, ${CONNECTIONS} connections)`);
  console.log(`CPU profile of the server: ${written[0] ? path.join(PROFILE_DIR, written[0]) : "none written"}`);
  process.exit(wrong[target.name] || !written[0] ? 1 : 0);
}

for (const target of [minimalTarget, ...pages]) await checkPage(target);
if (Object.keys(wrong).length) {
  console.log("A page does not answer as expected before the load starts:", wrong);
  await stop();
  process.exit(1);
}
console.log("Warming up…");
for (const target of [minimalTarget, ...pages]) await run(target, 1);
for (let round = 1; round <= ROUNDS; round++) {
  const order = round % 2 ? [minimalTarget, ...pages] : [...pages].reverse().concat(minimalTarget);
  for (const target of order) (results[target.name] ??= []).push(await run(target, DURATION));
  console.log(`round ${round}/${ROUNDS} done`);
}

// ── JavaScript per page ─────────────────────────────────────────────────────
const clientDir = path.resolve(BUILD_DIR, "client");
const weights = new Map<string, number>();
for (const target of pages) {
  const html = await (await fetch(target.base + target.path, { headers: target.cookie ? { cookie: target.cookie } : {} })).text();
  weights.set(target.name, sum(scriptsOfPage(html, clientDir)));
}
const minimalHtml = await (await fetch(minimal.base + "/")).text();
await Promise.all(checking);
const minimalJs = sum(scriptsOfPage(minimalHtml, path.join(MINIMAL_BUILD_DIR, "client")));
await stop();

// ── Report ──────────────────────────────────────────────────────────────────
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const engine = /^postgres/.test(process.env.DATABASE_URL ?? "") ? "PostgreSQL" : "SQLite";
console.log(`\nPages: ${ROUNDS} rounds × ${DURATION} s, ${CONNECTIONS} connections, ${os.cpus().length} CPUs, ${engine}, medians:`);
console.log("page                    req/s   p50 ms  p99 ms  non-2xx  ratio   gzip JS");
const minimalRps = median(results[minimalTarget.name]!.map((s) => s.rps));
let failed = false;
const lines: string[] = [];
for (const target of [minimalTarget, ...pages]) {
  const samples = results[target.name]!;
  const rps = median(samples.map((s) => s.rps));
  const non2xx = samples.reduce((n, s) => n + s.non2xx + s.errors, 0) + (wrong[target.name]?.length ?? 0);
  const ratio = rps / minimalRps;
  const js = target === minimalTarget ? minimalJs : weights.get(target.name)!;
  console.log(
    `${target.name.padEnd(22)} ${rps.toFixed(0).padStart(6)} ${median(samples.map((s) => s.p50)).toFixed(1).padStart(8)} ${median(samples.map((s) => s.p99)).toFixed(1).padStart(7)} ${String(non2xx).padStart(8)} ${ratio.toFixed(2).padStart(6)} ${kb(js).padStart(9)}`,
  );
  if (target === minimalTarget) continue;
  if (non2xx > 0) failed = true;
  const speedOk = ratio >= THROUGHPUT_TARGET;
  lines.push(`${speedOk ? "PASS" : "FAIL"} ${target.name}: ${ratio.toFixed(2)}× the minimal page (target ≥ ${THROUGHPUT_TARGET})`);
  if (target.budget) {
    const jsOk = js <= JS_TARGET_BYTES;
    lines.push(`${jsOk ? "PASS" : "FAIL"} ${target.name}: ${kb(js)} of gzipped JavaScript (target ≤ ${kb(JS_TARGET_BYTES)})`);
    if (!jsOk) failed = true;
  }
  if (!speedOk) failed = true;
}
for (const [name, problems] of Object.entries(wrong)) console.log(`wrong answers from ${name}: ${problems.slice(0, 3).join("; ")} (${problems.length})`);
for (const line of lines) console.log(line);
console.log(`pages: ${failed ? "FAILED" : "PASSED"}`);
process.exit(failed ? 1 : 0);
