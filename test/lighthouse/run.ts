/**
 * `npm run lighthouse` (SPEC §10 "Pages", issue 10 item 5): Lighthouse 12.2.3 (node API, default
 * config: the mobile preset with its simulated throttling) on the production build, served as
 * `npm run serve` serves it, with the demo data on a fresh database (DATABASE_URL=postgres://… →
 * PostgreSQL), RUNS times (default 5) on each of the overview (`/en`), the AI register
 * (`/en/ai-systems`) and the choices page (`/en/me/preferences`, the demo customer signed in: its
 * session cookie sent with `extraHeaders`). Prints the median score per page and category and
 * exits 1 unless, on every page, performance ≥ 0.98 and accessibility = best practices = 1.0.
 * Builds into CANDOR_BUILD_DIR when it holds no build (CANDOR_REBUILD=1: always).
 * Chromium: CHROMIUM_PATH, else /usr/bin/chromium. Environment: LIGHTHOUSE_RUNS (5).
 */
import { customerCookie, ensureBuild, startCandor } from "../bench/pages-support";
import { CATEGORIES, launchChromium, measure, median, pagesOf, warmUp, type Category } from "./support";

const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 5);
const TARGETS: Record<Category, number> = { performance: 0.98, accessibility: 1, "best-practices": 1 };

ensureBuild();
const server = await startCandor();
const pages = pagesOf(server.base, await customerCookie(server));
await warmUp(pages);
const chrome = await launchChromium();
const scores: Record<string, Record<Category, number[]>> = {};
const failures: Record<string, Set<string>> = {};
try {
  for (let run = 1; run <= RUNS; run++) {
    for (const page of pages) {
      const lhr = await measure(chrome.port, page.url, page.cookie);
      for (const category of CATEGORIES) {
        ((scores[page.name] ??= { performance: [], accessibility: [], "best-practices": [] })[category]).push(lhr.categories[category]?.score ?? 0);
        // What cost points, for the report.
        for (const ref of lhr.categories[category]?.auditRefs ?? []) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) (failures[`${page.name} ${category}`] ??= new Set()).add(`${ref.id} (${audit.displayValue ?? audit.score})`);
        }
      }
    }
    console.log(`run ${run}/${RUNS} done`);
  }
} finally {
  chrome.kill();
  await server.stop();
}

const engine = /^postgres/.test(process.env.DATABASE_URL ?? "") ? "PostgreSQL" : "SQLite";
console.log(`\nLighthouse 12.2.3, mobile preset, median of ${RUNS}, ${engine}:`);
console.log("page        performance  accessibility  best-practices");
let failed = false;
for (const page of pages) {
  const row = CATEGORIES.map((category) => {
    const score = median(scores[page.name]![category]);
    if (score < TARGETS[category]) failed = true;
    return score.toFixed(2).padStart(category.length);
  });
  console.log(`${page.name.padEnd(11)} ${row.join("  ")}`);
}
for (const [where, audits] of Object.entries(failures)) console.log(`below 1 in ${where}: ${[...audits].slice(0, 8).join(", ")}`);
console.log(`lighthouse: ${failed ? "FAILED" : "PASSED"} (targets: performance ≥ ${TARGETS.performance}, accessibility = 1, best practices = 1)`);
process.exit(failed ? 1 : 0);
