/**
 * `npm run bench:growth [-- --engine sqlite|postgres] [--sizes 10000,100000,1000000] [--isolation]`:
 * does Candor stay flat as data grows (issue 10, SPEC §10)?
 *
 * For each size: a database grown by `npm run seed:scale` (db/seed-scale.ts), cached under
 * GROWTH_CACHE (default /tmp/candor-growth-cache/) keyed by engine, size and a hash of the seed
 * (GROWTH_SEED_TAG overrides it), migrated to the current schema, and grown from the largest smaller
 * cached size when missing (`--prepare`: only that, then exit). Then the
 * production server (`node <CANDOR_BUILD_DIR>/server/index.js`, NODE_ENV=production,
 * RATE_LIMITS=off) starts on it — its time to "listening" is the startup figure — and each measure
 * runs GROWTH_WARMUP (20) unmeasured then GROWTH_REQUESTS (200) sequential requests, timed from
 * send to the last byte of the body, the sizes' servers running side by side and the requests
 * interleaved across them (a busy moment of a shared machine hits every size alike):
 * - decision: POST /api/v1/decisions for random bulk customers (API key);
 * - queue: the staff queue's first page (open, by due date);
 * - queue filtered: one AI system + assigned to me (the demo agent);
 * - queue search: a place name in ~1/16 of the concerns, typed without its accent;
 *   both like for like: every size renders a full page of 25 rows (the bench files the missing
 *   open cases at the small sizes, growth-support.ts ensureFullQueuePages), and the table prints
 *   the rows each page rendered and how many open cases each view matched;
 * - interactions: a customer's "My AI interactions" page (customer session);
 * - reports: the staff reports page.
 * Prints a markdown table (p50 and p99 per size, p50 ratio to the smallest size, PASS/FAIL at
 * 1.5x) and, per measure, the query plans of the statements that request runs (captured in
 * process by the same build on the same database; SQLite EXPLAIN QUERY PLAN / PostgreSQL EXPLAIN),
 * flagging full scans of growing tables. Exits 1 when a p50 exceeds 1.5x its smallest-size figure.
 * `--isolation` also runs test/bench/isolation.ts at the largest size.
 * PostgreSQL: DATABASE_URL names the server; databases `candor_growth_<size>_<hash>` are kept there.
 */
import path from "node:path";
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import { createServices } from "../../app/services.server";
import type { AnyDatabase } from "../../app/utils/db.server";
import type * as Shipped from "../../app/server";
import {
  BUILD_DIR, ensureFullQueuePages, importOnlyMs, MEASURES, percentile, prepareAuth, seedTag, signIn, startProductionServer, targetFor, timeOne,
  type Auth, type Running, type Target,
} from "./growth-support";
import { runIsolation } from "./isolation";

const argv = process.argv.slice(2);
const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const ENGINE = (arg("--engine") ?? "sqlite") as "sqlite" | "postgres";
const SIZES = (arg("--sizes") ?? "10000,100000,1000000").split(",").map((s) => Number(s.replace(/_/g, "")));
const REQUESTS = Number(process.env.GROWTH_REQUESTS ?? 200);
const WARMUP = Number(process.env.GROWTH_WARMUP ?? 20);
const LIMIT = 1.5;
/** Tables that grow with customers: a full scan of one of them is a plan that will not stay flat. */
const GROWING = ["customers", "preferences", "consent_events", "interactions", "interaction_ai", "decisions", "concerns", "concern_events", "concern_messages", "confirmations", "confirmation_answers", "permission_breaches", "audit_log", "customer_sessions", "staff_sessions", "link_tokens"];

if (ENGINE !== "sqlite" && ENGINE !== "postgres") throw new Error("--engine sqlite|postgres");
if (SIZES.some((s) => !Number.isInteger(s) || s < 1)) throw new Error("--sizes: whole numbers, e.g. 10000,100000");
if (ENGINE === "postgres" && !/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "")) throw new Error("--engine postgres needs DATABASE_URL=postgres://…");
if (!argv.includes("--prepare") && !fs.existsSync(path.join(BUILD_DIR, "server/index.js"))) throw new Error(`No build in ${BUILD_DIR}/: run CANDOR_BUILD_DIR=${BUILD_DIR} npx react-router build`);

const log = (line: string) => console.log(line);
type Figure = { p50: number; p99: number; rows: number | null };

/**
 * Every measure on every size, interleaved (request i goes to each size's server in turn), so a
 * busy moment of the machine falls on all sizes alike: the ratios compare like with like. A
 * measure that counts rows must render the same number on every request of a size.
 */
async function measureAll(servers: { base: string; auth: Auth }[]): Promise<Map<number, Map<string, Figure>>> {
  const results = new Map(servers.map(({ auth }) => [auth.size, new Map<string, Figure>()]));
  for (const measure of MEASURES) {
    for (let i = 0; i < WARMUP; i++) for (const { base, auth } of servers) await timeOne(base, measure, auth, i);
    const times = servers.map(() => [] as number[]);
    const rows = servers.map(() => new Set<number | null>());
    for (let i = 0; i < REQUESTS; i++) {
      for (const [n, { base, auth }] of servers.entries()) {
        const one = await timeOne(base, measure, auth, WARMUP + i);
        times[n]!.push(one.ms);
        rows[n]!.add(one.rows);
      }
    }
    for (const [n, { auth }] of servers.entries()) {
      const sorted = times[n]!.sort((a, b) => a - b);
      if (rows[n]!.size !== 1) throw new Error(`${measure.name}: the page rendered ${[...rows[n]!].join(", ")} rows at ${auth.size}`);
      results.get(auth.size)!.set(measure.name, { p50: percentile(sorted, 50), p99: percentile(sorted, 99), rows: [...rows[n]!][0]! });
    }
    const figure = (size: number) => results.get(size)!.get(measure.name)!;
    log(`growth: ${measure.name}: p50 ${servers.map(({ auth }) => `${auth.size.toLocaleString("en")}: ${figure(auth.size).p50.toFixed(1)} ms${figure(auth.size).rows === null ? "" : ` (${figure(auth.size).rows} rows)`}`).join(", ")}`);
  }
  return results;
}

// ── Query plans ─────────────────────────────────────────────────────────────
const SKIP = /^\s*(begin|commit|rollback|savepoint|release|pragma|set |select pg_advisory|select 1\b|listen|with recursive)/i;

/** Runs each measure's request once in process, on a connection that records the statements it runs, and explains them. */
async function queryPlans(target: Target, auth: Auth): Promise<Map<string, { query: string; plan: string[]; fullScans: string[] }[]>> {
  let recorded: { query: string; params: unknown[] }[] = [];
  let recording = false;
  const database = target.open({ observe: (query, params) => void (recording && recorded.push({ query, params: [...params] })) });
  const services = await createServices({ database, migrate: false });
  const { createApp } = (await import(path.resolve(BUILD_DIR, "server/index.js"))) as typeof Shipped;
  const server: Server = createServer(createApp(services));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const plans = new Map<string, { query: string; plan: string[]; fullScans: string[] }[]>();
  const partialIndexes = new Set(
    database.engine === "sqlite" ? (database.client.prepare("select name from sqlite_master where type = 'index' and sql like '% where %'").pluck().all() as string[]) : [],
  );
  try {
    for (const measure of MEASURES) {
      await timeOne(base, measure, auth, 1); // first call: statements prepared, caches filled
      recorded = [];
      recording = true;
      await timeOne(base, measure, auth, 2);
      recording = false;
      const seen = new Set<string>();
      const explained: { query: string; plan: string[]; fullScans: string[] }[] = [];
      for (const { query, params } of recorded) {
        if (seen.has(query) || SKIP.test(query)) continue;
        seen.add(query);
        const plan = await explain(database, query, params);
        // PostgreSQL rightly reads a tiny table whole: a Seq Scan counts only when it stays with sequential scans off (no index can serve).
        const detection = database.engine === "postgres" ? await explain(database, query, params, { noSeqScan: true }) : plan;
        const fullScans = detection.flatMap((line) => fullScan(line, partialIndexes, query));
        explained.push({ query, plan, fullScans });
      }
      plans.set(measure.name, explained);
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await database.close();
  }
  return plans;
}

/**
 * The growing table a plan line reads whole, or nothing: SQLite `SCAN t` (or `SCAN t USING INDEX i`
 * over a whole index that is not partial and not cut short by a LIMIT — the rule of test/support/query-plans.ts),
 * PostgreSQL `Seq Scan on t` in the plan made with sequential scans off (so only where no index
 * can serve). Index scans without a bound are not visible in PostgreSQL's text plan.
 */
function fullScan(line: string, partialIndexes: Set<string>, query: string): string[] {
  const postgres = /Seq Scan on (\w+)/.exec(line);
  if (postgres) return GROWING.includes(postgres[1]!) ? [postgres[1]!] : [];
  const sqlite = /^\s*SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?/.exec(line);
  if (!sqlite || !GROWING.includes(sqlite[1]!)) return [];
  if (!sqlite[2]) return [sqlite[1]!];
  // An ordered walk that stops at a page (LIMIT), or a walk of a partial index, reads what it returns or what is open.
  return partialIndexes.has(sqlite[2]) || /\blimit\b/i.test(query) ? [] : [`${sqlite[1]} (whole index ${sqlite[2]})`];
}

async function explain(database: AnyDatabase, query: string, params: unknown[], options: { noSeqScan?: boolean } = {}): Promise<string[]> {
  try {
    if (database.engine === "sqlite") {
      const rows = database.client.prepare(`explain query plan ${query}`).all(...(params as never[])) as { detail: string; id: number; parent: number }[];
      const depth = new Map<number, number>([[0, -1]]);
      return rows.map((r) => {
        depth.set(r.id, (depth.get(r.parent) ?? -1) + 1);
        return `${"  ".repeat(depth.get(r.id)!)}${r.detail}`;
      });
    }
    const client = await database.pool.connect();
    try {
      await client.query(`set enable_seqscan = ${options.noSeqScan ? "off" : "on"}`);
      const result = await client.query<{ "QUERY PLAN": string }>(`explain ${query}`, params);
      return result.rows.map((r) => r["QUERY PLAN"]);
    } finally {
      await client.query("reset enable_seqscan");
      client.release();
    }
  } catch (error) {
    return [`(not explained: ${(error as Error).message})`];
  }
}

// ── Main ────────────────────────────────────────────────────────────────────
const tag = seedTag();
const startups = new Map<number, number>();
const plansBySize = new Map<number, Map<string, { query: string; plan: string[]; fullScans: string[] }[]>>();
let isolationReport: string | null = null;
const targets: Target[] = [];
for (const size of SIZES) targets.push(await targetFor(ENGINE, size, tag));
if (argv.includes("--prepare")) {
  log(`growth: databases ready (${ENGINE}, tag ${tag}): ${SIZES.join(", ")}`);
  process.exit(0);
}
// Every size renders full filtered and searched queue pages (like for like); how many cases they match is printed.
const queueMatches = new Map<number, { added: number; filtered: number; searched: number }>();
for (const target of targets) queueMatches.set(target.size, await ensureFullQueuePages(target));
// One server per size, started one after the other (each startup timed alone), then measured side by side.
const running: { target: Target; server: Running; auth: Auth }[] = [];
let figures: Map<number, Map<string, Figure>>;
try {
  for (const target of targets) {
    const prepared = await prepareAuth(target);
    const server = await startProductionServer(target);
    running.push({ target, server, auth: undefined as unknown as Auth });
    startups.set(target.size, server.startupMs);
    log(`growth: ${target.size.toLocaleString("en")} customers, server listening after ${Math.round(server.startupMs)} ms`);
    running[running.length - 1]!.auth = await signIn(server.base, prepared, target.size);
  }
  figures = await measureAll(running.map(({ server, auth }) => ({ base: server.base, auth })));
  if (argv.includes("--isolation")) {
    // Alone on the machine with the largest size's server (in its own process; the load generator in another).
    for (const { server } of running.slice(0, -1)) await server.stop();
    const { server, auth } = running[running.length - 1]!;
    isolationReport = await runIsolation(server.base, auth, log, "the server as started by the growth bench", server.pid);
  }
} finally {
  for (const { server } of running) await server.stop();
}

// Plans at the largest size, with its sessions (the figures above were measured without the recording connection).
const largest = SIZES[SIZES.length - 1]!;
const last = running[running.length - 1]!;
plansBySize.set(largest, await queryPlans(last.target, last.auth));

const importMs = await importOnlyMs();
const smallest = SIZES[0]!;
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(1) : Math.round(ms).toLocaleString("en"));
const lines: string[] = [];
let failed = 0;
lines.push(`### Growth (${ENGINE}; ${REQUESTS} sequential requests per size after ${WARMUP} warm-up, sizes interleaved; p50 / p99 in ms, and the rows a queue page rendered; ratio = worst p50 / p50 at ${smallest.toLocaleString("en")})`, "");
lines.push(`| measure | ${SIZES.map((s) => `${s.toLocaleString("en")}`).join(" | ")} | ratio | ${LIMIT}x | full scans |`);
lines.push(`|---|${SIZES.map(() => "---:").join("|")}|---:|---|---|`);
for (const measure of MEASURES) {
  const base = figures.get(smallest)!.get(measure.name)!.p50;
  const ratios = SIZES.map((s) => figures.get(s)!.get(measure.name)!.p50 / base);
  const worst = Math.max(...ratios);
  const pass = worst <= LIMIT;
  if (!pass) failed++;
  const scans = [...new Set((plansBySize.get(largest)?.get(measure.name) ?? []).flatMap((p) => p.fullScans))];
  lines.push(`| ${measure.name} | ${SIZES.map((s) => { const f = figures.get(s)!.get(measure.name)!; return `${fmt(f.p50)} / ${fmt(f.p99)}${f.rows === null ? "" : ` (${f.rows} rows)`}`; }).join(" | ")} | ${worst.toFixed(2)} | ${pass ? "PASS" : "FAIL"} | ${scans.join(", ") || "none"} |`);
}
lines.push(`| server start, ms to "listening" (importing the bundle alone: ${fmt(importMs)}) | ${SIZES.map((s) => fmt(startups.get(s)!)).join(" | ")} | ${(Math.max(...startups.values()) / startups.get(smallest)!).toFixed(2)} | | |`);
lines.push("");
lines.push(`Open cases the filtered page / the search match: ${SIZES.map((n) => { const q = queueMatches.get(n)!; return `${n.toLocaleString("en")}: ${q.filtered} / ${q.searched}${q.added > 0 ? ` (${q.added} of them filed by the bench to fill the pages)` : ""}`; }).join("; ")}.`, "");
if (isolationReport) lines.push(isolationReport, "");
lines.push(`### Query plans at ${largest.toLocaleString("en")} customers (${ENGINE})`, "");
for (const [measure, plans] of plansBySize.get(largest) ?? []) {
  lines.push(`#### ${measure}`, "");
  for (const { query, plan, fullScans } of plans) {
    lines.push("```", query.replace(/\s+/g, " ").slice(0, 600), ...plan.map((l) => `  ${l}`), ...(fullScans.length ? [`  !! full scan of ${fullScans.join(", ")}`] : []), "```");
  }
  lines.push("");
}
console.log(`\n${lines.join("\n")}`);
console.log(`bench:growth: engine=${ENGINE} sizes=${SIZES.join(",")} failed=${failed}`);
process.exit(failed > 0 ? 1 : 0);
