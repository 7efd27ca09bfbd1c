/**
 * `npx tsx test/lighthouse/compare.ts <build dir A> <build dir B>`: Lighthouse on two builds of
 * Candor side by side, to measure one change on a shared machine. Both servers run at once (each
 * on its own fresh copy of the demo database); each round measures every page on A then B (the
 * order reversed every other round), so load changes hit both alike. Prints, per page and build,
 * the median performance score and the median of each timing metric. Environment:
 * LIGHTHOUSE_RUNS (5). The database seed and server composition are this working copy's.
 */
import path from "node:path";
import { customerCookie } from "../bench/pages-support";
import { buildTemplate } from "../support/database";
import { startServer, type RunningServer } from "../support/server";
import { launchChromium, measure, median, METRICS, pagesOf, warmUp } from "./support";

const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 5);
const dirs = process.argv.slice(2, 4).map((dir) => path.resolve(dir));
if (dirs.length !== 2) {
  console.error("usage: tsx test/lighthouse/compare.ts <build dir A> <build dir B>");
  process.exit(2);
}

await buildTemplate();
const servers: RunningServer[] = [];
try {
  for (const dir of dirs) servers.push(await startServer({ env: { RATE_LIMITS: "off", LOG_LEVEL: "warn", CANDOR_BUILD_DIR: dir }, echo: true }));
  const sides = await Promise.all(servers.map(async (server) => pagesOf(server.base, await customerCookie(server))));
  for (const pages of sides) await warmUp(pages);
  const chrome = await launchChromium();
  // [page][side] → score and metric samples
  const samples = new Map<string, { score: number[]; metrics: Record<string, number[]> }[]>();
  try {
    for (let run = 1; run <= RUNS; run++) {
      const order = run % 2 ? [0, 1] : [1, 0];
      for (let p = 0; p < sides[0]!.length; p++) {
        for (const side of order) {
          const page = sides[side]![p]!;
          const lhr = await measure(chrome.port, page.url, page.cookie);
          const entry = (samples.get(page.name) ?? samples.set(page.name, [0, 1].map(() => ({ score: [], metrics: {} }))).get(page.name)!)[side]!;
          entry.score.push(lhr.categories.performance?.score ?? 0);
          for (const metric of METRICS) (entry.metrics[metric] ??= []).push(lhr.audits[metric]?.numericValue ?? NaN);
        }
      }
      console.log(`run ${run}/${RUNS} done`);
    }
  } finally {
    chrome.kill();
  }
  console.log(`\nLighthouse 12.2.3, mobile preset, median of ${RUNS}; A = ${dirs[0]}, B = ${dirs[1]}`);
  console.log(`page      side  perf   ${["FCP", "LCP", "SI", "TBT", "CLS"].map((m) => m.padStart(6)).join(" ")}   scores`);
  for (const [name, bySide] of samples) {
    bySide.forEach((entry, side) => {
      const metrics = METRICS.map((m) => {
        const value = median(entry.metrics[m]!);
        return (m === "cumulative-layout-shift" ? value.toFixed(3) : String(Math.round(value))).padStart(6);
      });
      console.log(`${name.padEnd(9)} ${"AB"[side]}     ${median(entry.score).toFixed(2)}   ${metrics.join(" ")}   ${entry.score.map((s) => s.toFixed(2)).join(" ")}`);
    });
  }
} finally {
  for (const server of servers) await server.stop();
}
process.exit(0);
