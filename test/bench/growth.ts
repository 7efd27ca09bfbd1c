/**
 * `npm run bench:growth [-- --engine sqlite|postgres] [--sizes 10000,100000,1000000] [--isolation]`:
 * does Candor stay flat as data grows (issue 10, SPEC §10)?
 *
 * For each size: a database grown by `npm run seed:scale` (db/seed-scale.ts), cached under
 * GROWTH_CACHE (default /tmp/candor-growth-cache/) keyed by engine, size and a hash of the seed,
 * migrated to the current schema, and grown from the largest smaller cached size when missing. Then the
 * production server (`node <CANDOR_BUILD_DIR>/server/index.js`, NODE_ENV=production,
 * RATE_LIMITS=off) starts on it — its time to "listening" is the startup figure — and each measure
 * runs GROWTH_WARMUP (20) unmeasured then GROWTH_REQUESTS (200) sequential requests, timed from
 * send to the last byte of the body, the sizes' servers running side by side and the requests
 * interleaved across them (a busy moment of a shared machine hits every size alike):
 * - decision: POST /api/v1/decisions for random bulk customers (API key);
 * - queue: the staff queue's first page (open, by due date);
 * - queue filtered: one AI system + assigned to me (the demo agent);
 * - queue search: a place name in ~1/16 of the concerns, typed without its accent;
 * - interactions: a customer's "My AI interactions" page (customer session);
 * - reports: the staff reports page.
 * Prints a markdown table (p50 and p99 per size, p50 ratio to the smallest size, PASS/FAIL at
 * 1.5x) and, per measure, the query plans of the statements that request runs (captured in
 * process by the same build on the same database; SQLite EXPLAIN QUERY PLAN / PostgreSQL EXPLAIN),
 * flagging full scans of growing tables. Exits 1 when a p50 exceeds 1.5x its smallest-size figure.
 * `--isolation` also runs test/bench/isolation.ts at the largest size.
 * PostgreSQL: DATABASE_URL names the server; databases `candor_growth_<size>_<hash>` are kept there.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import pg from "pg";
import { createApiKey } from "../../app/domain/api-keys.server";
import { mintLink } from "../../app/domain/links.server";
import { createServices } from "../../app/services.server";
import { truncateWal, type AnyDatabase } from "../../app/utils/db.server";
import { openPostgresDatabase } from "../../app/utils/db-postgres.server";
import { openSqliteDatabase } from "../../app/utils/db-sqlite.server";
import { DEMO_STAFF } from "../../db/seed";
import { scaleCustomerId, seedScale } from "../../db/seed-scale";
import type * as Shipped from "../../app/server";
import { freePort } from "../support/server";
import { runIsolation } from "./isolation";

const argv = process.argv.slice(2);
const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const ENGINE = (arg("--engine") ?? "sqlite") as "sqlite" | "postgres";
const SIZES = (arg("--sizes") ?? "10000,100000,1000000").split(",").map((s) => Number(s.replace(/_/g, "")));
const REQUESTS = Number(process.env.GROWTH_REQUESTS ?? 200);
const WARMUP = Number(process.env.GROWTH_WARMUP ?? 20);
const CACHE = process.env.GROWTH_CACHE ?? "/tmp/candor-growth-cache";
const BUILD_DIR = process.env.CANDOR_BUILD_DIR ?? "build";
const LIMIT = 1.5;
/** Tables that grow with customers: a full scan of one of them is a plan that will not stay flat. */
const GROWING = ["customers", "preferences", "consent_events", "interactions", "interaction_ai", "decisions", "concerns", "concern_events", "concern_messages", "confirmations", "confirmation_answers", "permission_breaches", "audit_log", "customer_sessions", "staff_sessions", "link_tokens"];

if (ENGINE !== "sqlite" && ENGINE !== "postgres") throw new Error("--engine sqlite|postgres");
if (SIZES.some((s) => !Number.isInteger(s) || s < 1)) throw new Error("--sizes: whole numbers, e.g. 10000,100000");
if (ENGINE === "postgres" && !/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "")) throw new Error("--engine postgres needs DATABASE_URL=postgres://…");
if (!fs.existsSync(path.join(BUILD_DIR, "server/index.js"))) throw new Error(`No build in ${BUILD_DIR}/: run CANDOR_BUILD_DIR=${BUILD_DIR} npx react-router build`);

/**
 * Changes when the seed changes: cached databases of another seed are not reused. A newer schema
 * does not invalidate them: they are migrated (before the server starts, so startup figures are
 * a plain start).
 */
function version(): string {
  return createHash("sha256").update(fs.readFileSync("db/seed-scale.ts")).digest("hex").slice(0, 10);
}

// ── Databases per size ──────────────────────────────────────────────────────
interface Target {
  size: number;
  /** What the server gets: DATABASE_PATH or DATABASE_URL. */
  env: Record<string, string>;
  open(options?: { observe?: (query: string, params: unknown[]) => void }): AnyDatabase;
}

const log = (line: string) => console.log(line);

async function sqliteTarget(size: number, tag: string): Promise<Target> {
  fs.mkdirSync(CACHE, { recursive: true });
  const file = (n: number) => path.join(CACHE, `sqlite-${n}-${tag}.sqlite`);
  const target = file(size);
  if (fs.existsSync(target)) {
    const database = openSqliteDatabase(target);
    try {
      await seedScale(database, size, { log });
      truncateWal(database.client);
    } finally {
      await database.close();
    }
  } else {
    const smaller = fs.readdirSync(CACHE).map((f) => /^sqlite-(\d+)-(\w+)\.sqlite$/.exec(f)).filter((m) => m && m[2] === tag && Number(m[1]) < size).map((m) => Number(m![1])).sort((a, b) => b - a)[0];
    const partial = `${target}.partial`;
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(partial + suffix, { force: true });
    if (smaller) {
      log(`growth: growing the cached ${smaller.toLocaleString("en")}-customer database to ${size.toLocaleString("en")}`);
      fs.copyFileSync(file(smaller), partial);
    } else log(`growth: seeding ${size.toLocaleString("en")} customers (SQLite)`);
    const database = openSqliteDatabase(partial);
    try {
      await seedScale(database, size, { log });
      truncateWal(database.client);
    } finally {
      await database.close();
    }
    fs.renameSync(partial, target);
  }
  return { size, env: { DATABASE_URL: "", DATABASE_PATH: target }, open: (options) => openSqliteDatabase(target, options) };
}

async function postgresTarget(size: number, tag: string): Promise<Target> {
  const base = new URL(process.env.DATABASE_URL!);
  const urlOf = (name: string) => Object.assign(new URL(base.href), { pathname: `/${name}` }).href;
  const name = (n: number) => `candor_growth_${n}_${tag}`;
  const admin = new pg.Client({ connectionString: base.href });
  await admin.connect();
  try {
    const existing = (await admin.query<{ datname: string }>("select datname from pg_database where datname like $1", [`candor_growth_%_${tag}`])).rows.map((r) => r.datname);
    if (existing.includes(name(size))) {
      const database = openPostgresDatabase(urlOf(name(size)));
      try {
        await seedScale(database, size, { log });
      } finally {
        await database.close();
      }
    } else {
      const smaller = existing.map((d) => Number(d.split("_")[2])).filter((n) => n < size).sort((a, b) => b - a)[0];
      const partial = `${name(size)}_partial`;
      await admin.query(`drop database if exists ${partial}`);
      if (smaller) {
        log(`growth: growing the cached ${smaller.toLocaleString("en")}-customer database to ${size.toLocaleString("en")}`);
        await admin.query(`create database ${partial} template ${name(smaller)}`);
      } else {
        log(`growth: seeding ${size.toLocaleString("en")} customers (PostgreSQL)`);
        await admin.query(`create database ${partial}`);
      }
      const database = openPostgresDatabase(urlOf(partial));
      try {
        await seedScale(database, size, { log });
      } finally {
        await database.close();
      }
      await admin.query(`alter database ${partial} rename to ${name(size)}`);
    }
  } finally {
    await admin.end();
  }
  const url = urlOf(name(size));
  return { size, env: { DATABASE_URL: url }, open: (options) => openPostgresDatabase(url, { max: 4, observe: options?.observe }) };
}

// ── The server and its sessions ─────────────────────────────────────────────
interface Running {
  base: string;
  startupMs: number;
  stop(): Promise<void>;
}

async function startProductionServer(target: Target): Promise<Running> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [path.join(BUILD_DIR, "server/index.js")], {
    env: { ...process.env, ...target.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: base, RATE_LIMITS: "off", LOG_LEVEL: "warn", TRUST_PROXY: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
    child.once("exit", (code) => reject(new Error(`the server exited with ${code}`)));
  });
  const startupMs = performance.now() - started;
  return {
    base,
    startupMs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** ms to import the server bundle alone (no database): startup minus this is the database's part. */
async function importOnlyMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ["-e", `import(${JSON.stringify(path.resolve(BUILD_DIR, "server/index.js"))}).then(() => process.exit(0))`], { env: { ...process.env, NODE_ENV: "production" }, stdio: "ignore" });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`importing the server bundle failed (${code})`);
  return performance.now() - started;
}

export interface Auth {
  apiKey: string;
  /** The demo agent's session. */
  staffCookie: string;
  /** The demo supervisor's session (reports). */
  supervisorCookie: string;
  customerCookie: string;
  /** Bulk customers the decision checks go to. */
  customers: string[];
  size: number;
}

/** An API key and a customer link made in the database; the sessions started through the server (as people do). */
async function prepareAuth(target: Target): Promise<{ apiKey: string; linkToken: string; customerId: string }> {
  const database = target.open();
  try {
    const { key } = await createApiKey(database.db, { name: `growth-${Date.now()}`, scopes: ["decisions"] });
    const customerId = scaleCustomerId(Math.floor(target.size / 2));
    const { token } = await mintLink(database.db, { customerId, lang: "en", createdBy: "cli", baseUrl: "http://127.0.0.1" });
    return { apiKey: key, linkToken: token, customerId };
  } finally {
    await database.close();
  }
}

async function signIn(base: string, prepared: { apiKey: string; linkToken: string }, size: number): Promise<Auth> {
  const origin = { Origin: base, "Content-Type": "application/x-www-form-urlencoded" };
  const link = await fetch(`${base}/l/${prepared.linkToken}`, { method: "POST", headers: origin, body: "", redirect: "manual" });
  const customerCookie = link.headers.get("set-cookie")?.split(";")[0];
  if (link.status !== 303 || !customerCookie) throw new Error(`customer sign-in: ${link.status}`);
  const staffSignIn = async (role: "agent" | "supervisor") => {
    const { email, password } = DEMO_STAFF.find((s) => s.role === role)!;
    const login = await fetch(`${base}/staff/login`, { method: "POST", headers: origin, body: new URLSearchParams({ step: "password", email, password }).toString(), redirect: "manual" });
    const cookie = login.headers.get("set-cookie")?.split(";")[0];
    if (login.status !== 303 || !cookie) throw new Error(`staff sign-in (${role}): ${login.status}`);
    return cookie;
  };
  // The queue as an agent (the demo agent has a share of the assignments); reports need a supervisor.
  const staffCookie = await staffSignIn("agent");
  const supervisorCookie = await staffSignIn("supervisor");
  // Random bulk customers spread over the whole id range (a deterministic sample).
  const customers = Array.from({ length: 500 }, (_, i) => scaleCustomerId((i * 7919 + 13) % size));
  return { apiKey: prepared.apiKey, staffCookie, supervisorCookie, customerCookie, customers, size };
}

// ── Measures ────────────────────────────────────────────────────────────────
export interface Measure {
  name: string;
  request(auth: Auth, i: number): { path: string; init: RequestInit };
}

export const MEASURES: Measure[] = [
  {
    name: "decision check (API)",
    request: (auth, i) => ({
      path: "/api/v1/decisions",
      init: {
        method: "POST",
        headers: { Authorization: `Bearer ${auth.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ customerId: auth.customers[i % auth.customers.length], action: "plan-changes", aiSystem: "offer-predictor", identity: { verified: true } }),
      },
    }),
  },
  { name: "queue, first page (by due)", request: (auth) => ({ path: "/staff/concerns", init: { headers: { Cookie: auth.staffCookie } } }) },
  { name: "queue, filtered (system + mine)", request: (auth) => ({ path: "/staff/concerns?system=offer-predictor&assignee=me", init: { headers: { Cookie: auth.staffCookie } } }) },
  { name: "queue, search", request: (auth) => ({ path: "/staff/concerns?q=munchen", init: { headers: { Cookie: auth.staffCookie } } }) },
  { name: "customer's interactions", request: (auth) => ({ path: "/en/me/interactions", init: { headers: { Cookie: auth.customerCookie } } }) },
  { name: "reports (staff)", request: (auth) => ({ path: "/staff/reports", init: { headers: { Cookie: auth.supervisorCookie } } }) },
];

/** ms, 0–100th percentile by nearest rank. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function timeOne(base: string, measure: Measure, auth: Auth, i: number): Promise<number> {
  const { path: pathname, init } = measure.request(auth, i);
  const started = performance.now();
  const response = await fetch(base + pathname, { ...init, redirect: "manual" });
  await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${measure.name}: ${pathname} answered ${response.status}`);
  return ms;
}

/**
 * Every measure on every size, interleaved (request i goes to each size's server in turn), so a
 * busy moment of the machine falls on all sizes alike: the ratios compare like with like.
 */
async function measureAll(servers: { base: string; auth: Auth }[]): Promise<Map<number, Map<string, { p50: number; p99: number }>>> {
  const results = new Map(servers.map(({ auth }) => [auth.size, new Map<string, { p50: number; p99: number }>()]));
  for (const measure of MEASURES) {
    for (let i = 0; i < WARMUP; i++) for (const { base, auth } of servers) await timeOne(base, measure, auth, i);
    const times = servers.map(() => [] as number[]);
    for (let i = 0; i < REQUESTS; i++) for (const [n, { base, auth }] of servers.entries()) times[n]!.push(await timeOne(base, measure, auth, WARMUP + i));
    for (const [n, { auth }] of servers.entries()) {
      const sorted = times[n]!.sort((a, b) => a - b);
      results.get(auth.size)!.set(measure.name, { p50: percentile(sorted, 50), p99: percentile(sorted, 99) });
    }
    log(`growth: ${measure.name}: p50 ${servers.map(({ auth }) => `${auth.size.toLocaleString("en")}: ${results.get(auth.size)!.get(measure.name)!.p50.toFixed(1)} ms`).join(", ")}`);
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
const tag = version();
const startups = new Map<number, number>();
const plansBySize = new Map<number, Map<string, { query: string; plan: string[]; fullScans: string[] }[]>>();
let isolationReport: string | null = null;
const targets: Target[] = [];
for (const size of SIZES) targets.push(ENGINE === "sqlite" ? await sqliteTarget(size, tag) : await postgresTarget(size, tag));
// One server per size, started one after the other (each startup timed alone), then measured side by side.
const running: { target: Target; server: Running; auth: Auth }[] = [];
let figures: Map<number, Map<string, { p50: number; p99: number }>>;
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
    // Alone on the machine with the largest size's server.
    for (const { server } of running.slice(0, -1)) await server.stop();
    const { server, auth } = running[running.length - 1]!;
    isolationReport = await runIsolation(server.base, auth, log);
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
lines.push(`### Growth (${ENGINE}; ${REQUESTS} sequential requests per size after ${WARMUP} warm-up, sizes interleaved; p50 / p99 in ms; ratio = worst p50 / p50 at ${smallest.toLocaleString("en")})`, "");
lines.push(`| measure | ${SIZES.map((s) => `${s.toLocaleString("en")}`).join(" | ")} | ratio | ${LIMIT}x | full scans |`);
lines.push(`|---|${SIZES.map(() => "---:").join("|")}|---:|---|---|`);
for (const measure of MEASURES) {
  const base = figures.get(smallest)!.get(measure.name)!.p50;
  const ratios = SIZES.map((s) => figures.get(s)!.get(measure.name)!.p50 / base);
  const worst = Math.max(...ratios);
  const pass = worst <= LIMIT;
  if (!pass) failed++;
  const scans = [...new Set((plansBySize.get(largest)?.get(measure.name) ?? []).flatMap((p) => p.fullScans))];
  lines.push(`| ${measure.name} | ${SIZES.map((s) => { const f = figures.get(s)!.get(measure.name)!; return `${fmt(f.p50)} / ${fmt(f.p99)}`; }).join(" | ")} | ${worst.toFixed(2)} | ${pass ? "PASS" : "FAIL"} | ${scans.join(", ") || "none"} |`);
}
lines.push(`| server start, ms to "listening" (importing the bundle alone: ${fmt(importMs)}) | ${SIZES.map((s) => fmt(startups.get(s)!)).join(" | ")} | ${(Math.max(...startups.values()) / startups.get(smallest)!).toFixed(2)} | | |`);
lines.push("");
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
