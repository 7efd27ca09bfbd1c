/**
 * `npx tsx test/lighthouse/explain.ts [page …]` (pages: overview, register, choices; default
 * register): one Lighthouse 12.2.3 run per page on the production build (as `npm run lighthouse`),
 * printing what lantern puts on the page's critical path: the metrics, the LCP element, the
 * critical request chains, every request (size, priority, start/end in the unthrottled trace), the
 * main-thread work, and the HTML's size. `--json <dir>`: also writes each report there.
 */
import fs from "node:fs";
import path from "node:path";
import { customerCookie, ensureBuild, startCandor } from "../bench/pages-support";
import { launchChromium, measure, METRICS, pagesOf, warmUp } from "./support";

const args = process.argv.slice(2);
const jsonAt = args.indexOf("--json");
const jsonDir = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
const wanted = args.length ? args : ["register"];

ensureBuild();
const server = await startCandor();
const pages = pagesOf(server.base, await customerCookie(server)).filter((p) => wanted.includes(p.name));
await warmUp(pages);
const chrome = await launchChromium();
try {
  for (const page of pages) {
    const lhr = await measure(chrome.port, page.url, page.cookie);
    if (jsonDir) fs.writeFileSync(path.join(jsonDir, `${page.name}.json`), JSON.stringify(lhr));
    const audit = (id: string) => lhr.audits[id];
    console.log(`\n== ${page.name}: performance ${lhr.categories.performance?.score}`);
    console.log(METRICS.map((m) => `${m} ${audit(m)?.displayValue}`).join(", "));
    const lcp = audit("largest-contentful-paint-element")?.details as { items?: { items?: { node?: { snippet?: string }; phase?: string; timing?: number }[] }[] } | undefined;
    for (const group of lcp?.items ?? []) for (const item of group.items ?? []) console.log(`LCP: ${item.node?.snippet ?? `${item.phase} ${Math.round(item.timing ?? 0)} ms`}`);
    const requests = (audit("network-requests")?.details as { items?: Record<string, unknown>[] } | undefined)?.items ?? [];
    console.log("requests (transfer B, resource B, priority, start–end ms):");
    for (const r of requests) console.log(`  ${String(r.transferSize).padStart(7)} ${String(r.resourceSize).padStart(7)} ${String(r.priority).padEnd(8)} ${Math.round(Number(r.networkRequestTime))}–${Math.round(Number(r.networkEndTime))} ${String(r.url).replace(/^https?:\/\/[^/]+/, "")}`);
    const chains = (audit("critical-request-chains")?.details as { longestChain?: unknown } | undefined)?.longestChain;
    console.log(`critical chain: ${JSON.stringify(chains)}`);
    console.log(`render-blocking: ${audit("render-blocking-resources")?.displayValue ?? "none"}`);
    const diag = (audit("diagnostics")?.details as { items?: Record<string, unknown>[] } | undefined)?.items?.[0];
    console.log(`diagnostics: ${JSON.stringify(diag)}`);
    const work = (audit("mainthread-work-breakdown")?.details as { items?: { groupLabel: string; duration: number }[] } | undefined)?.items ?? [];
    console.log(`main thread: ${work.map((w) => `${w.groupLabel} ${Math.round(w.duration)}`).join(", ")}`);
    const boot = (audit("bootup-time")?.details as { items?: { url: string; scripting: number; scriptParseCompile: number }[] } | undefined)?.items ?? [];
    const long = (audit("long-tasks")?.details as { items?: { url: string; duration: number; startTime: number }[] } | undefined)?.items ?? [];
    for (const t of long) console.log(`  long task ${Math.round(t.duration)} ms at ${Math.round(t.startTime)} ${t.url.replace(/^https?:\/\/[^/]+/, "")}`);
    for (const b of boot) console.log(`  bootup ${Math.round(b.scripting)} + parse ${Math.round(b.scriptParseCompile)} ${b.url.replace(/^https?:\/\/[^/]+/, "")}`);
  }
} finally {
  chrome.kill();
  await server.stop();
}
process.exit(0);
