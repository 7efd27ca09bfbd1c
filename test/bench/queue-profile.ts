/**
 * Where a staff queue page's time goes, per rendered row: `npx tsx test/bench/queue-profile.ts
 * [--size 10000] [--requests 400] [--profile]`. On the growth bench's cached SQLite database of
 * that size (full filtered and searched pages: growth-support.ts ensureFullQueuePages), starts the
 * production server in its own process and times, interleaved, the searched queue page (25 rows)
 * and a search that finds one case (1 row; same statements, same counts): the difference over 24
 * is the cost of one rendered row (its render, its loader data in the page, its bytes).
 * `--profile` also records a CPU profile of the server (node --cpu-prof) and prints the
 * functions with the most self time and the inclusive time of the queue's components.
 */
import fs from "node:fs";
import path from "node:path";
import { ensureFullQueuePages, percentile, prepareAuth, QUEUE_WORD, seedTag, signIn, startProductionServer, targetFor, timeOne, type Measure } from "./growth-support";

const argv = process.argv.slice(2);
const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const size = Number(arg("--size") ?? 10_000);
const requests = Number(arg("--requests") ?? 400);
const profile = argv.includes("--profile");
const profileDir = path.resolve(`/tmp/candor-queue-profile-${process.pid}`);

const target = await targetFor("sqlite", size, seedTag());
await ensureFullQueuePages(target);
const prepared = await prepareAuth(target);
const server = await startProductionServer(target, {}, profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []);
const figures: Record<string, { p50: number; rows: number | null; bytes: number }> = {};
try {
  const auth = await signIn(server.base, prepared, size);
  // One case's own reference number, searched as a word: the same search statements, one row.
  const first = await fetch(`${server.base}/staff/concerns?q=${QUEUE_WORD}`, { headers: { Cookie: auth.staffCookie } });
  const ref = /<tr data-ref="([^"]+)"/.exec(await first.text())?.[1];
  if (!ref) throw new Error("no row on the searched page");
  const page = (name: string, q: string): Measure => ({
    name,
    request: () => ({ path: `/staff/concerns?q=${encodeURIComponent(q)}`, init: { headers: { Cookie: auth.staffCookie } } }),
    rows: (body) => body.match(/<tr data-ref="/g)?.length ?? 0,
  });
  const pages = [page("25 rows", QUEUE_WORD), page("1 row", `${QUEUE_WORD} ${ref.split("-").pop()!.toLowerCase()}`)];
  const times = pages.map(() => [] as number[]);
  for (let i = 0; i < requests + 40; i++) {
    for (const [n, measure] of pages.entries()) {
      const one = await timeOne(server.base, measure, auth, i);
      if (i >= 40) times[n]!.push(one.ms);
      const bytes = Number((await fetch(server.base + measure.request(auth, i).path, measure.request(auth, i).init)).headers.get("content-length") ?? 0);
      figures[measure.name] = { p50: 0, rows: one.rows, bytes };
    }
  }
  for (const [n, measure] of pages.entries()) figures[measure.name]!.p50 = percentile(times[n]!.sort((a, b) => a - b), 50);
} finally {
  await server.stop();
}
const [many, one] = [figures["25 rows"]!, figures["1 row"]!];
console.log(`queue page at ${size.toLocaleString("en")} customers, p50 of ${requests}: ${many.rows} rows ${many.p50.toFixed(2)} ms; ${one.rows} row ${one.p50.toFixed(2)} ms; per row ${((many.p50 - one.p50) / ((many.rows ?? 25) - (one.rows ?? 1))).toFixed(3)} ms`);

if (profile) {
  interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
  // One profile per thread (the main thread and each page thread): their samples are added up.
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const name = (n: Node) => `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^.*\/(build-[^/]+|node_modules)\//, "$1/")}:${n.callFrame.lineNumber}`;
  for (const file of fs.readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile"))) {
    const data = JSON.parse(fs.readFileSync(path.join(profileDir, file), "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
    const byId = new Map(data.nodes.map((n) => [n.id, n]));
    const selfUs = new Map<number, number>();
    data.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (data.timeDeltas[i] ?? 0)));
    const parent = new Map<number, number>();
    for (const n of data.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    for (const [id, us] of selfUs) {
      const node = byId.get(id)!;
      if (/^\((idle|root)\)/.test(node.callFrame.functionName)) continue;
      self.set(name(node), (self.get(name(node)) ?? 0) + us);
      // Inclusive: each sample counted once per function on its stack.
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const fn = byId.get(at)!.callFrame.functionName;
        if (fn && fn !== "(root)" && !seen.has(fn)) {
          seen.add(fn);
          inclusive.set(fn, (inclusive.get(fn) ?? 0) + us);
        }
      }
    }
  }
  const busy = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\nself time, top 40 (busy ${(busy / 1000).toFixed(0)} ms, all threads):`);
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${((us / busy) * 100).toFixed(1).padStart(5)}%  ${k}`);
  console.log("\ninclusive time, top 80 named functions:");
  for (const [k, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 80)) console.log(`${((us / busy) * 100).toFixed(1).padStart(5)}%  ${k}`);
  const watched = ["QueueTable", "QueueBadges", "LinkWithRef", "Time", "truncateText", "dateFor", "translate", "flatten", "encodeViaTurboStream", "Queue", "QueueFilters", "QueueStatusCounts", "QueuePagination"];
  console.log(`\ninclusive time of the queue's parts: ${watched.map((fn) => `${fn} ${(((inclusive.get(fn) ?? 0) / busy) * 100).toFixed(1)}%`).join(", ")}`);
  fs.rmSync(profileDir, { recursive: true, force: true });
}
