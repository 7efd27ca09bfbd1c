/**
 * `npm run bench` (SPEC §10 hot path, group commit, both engines): the shipped API against S0, side by side.
 *
 * 1. Prepares a database (migrations + demo seed + an API key + the bench's customers): a SQLite
 *    file in a temp folder, or (`BENCH_ENGINE=postgres` or `--engine postgres`) a fresh database
 *    on DATABASE_URL's server — or, when DATABASE_URL is unset, on a throw-away cluster
 *    (test/postgres-cluster.mjs; fsync off) — plus a copy of it for the ceiling.
 * 2. Starts three servers at once on 127.0.0.1:
 *    - S0: test/bench/s0.ts (SQLite) or test/bench/s0-pg.ts (node-postgres, a pool of the shipped
 *      size): the bare node:http baseline, one durable autocommit insert per decision;
 *    - ceiling: the shipped server with every decision insert ignored by a trigger
 *      (BENCH_WITHOUT_DECISION_INSERT, test/bench/shipped-server.ts): the read-only ceiling;
 *    - shipped: test/bench/shipped-server.ts (the lean API in front of the Express/React Router
 *      app, composed as app/server.ts does; decisions by group commit on SQLite).
 *    The shipped servers run with RATE_LIMITS=off (the per-key limit of 6000/min would otherwise
 *    answer 429 to a load test).
 * 3. Interleaved rounds (ROUNDS × DURATION s, CONNECTIONS connections, autocannon; the servers'
 *    order rotates every round) of POST /api/v1/decisions and GET /api/v1/customers/:id/preferences,
 *    over CUSTOMERS customers of the bench's own: every check with identity verified and a context
 *    (20 EUR by email), a quarter of the customers with limits (SPEC §11.2) — half of those within
 *    them (allow), half over their cap (ask amount_over_limit).
 * 4. Checks answers (every SAMPLE-th response body, and every customer once after the load, is
 *    compared with what the domain says; any wrong answer or non-2xx → exit 1), prints req/s,
 *    p50/p99, non-2xx per endpoint and server, the ratios to S0 (paired, below), each server's
 *    main-thread CPU µs per request (Linux /proc schedstat of the event loop's thread: barely moved
 *    by other load on the machine, unlike req/s), the targets
 *    with PASS/FAIL (SQLite: decisions > 1.0× S0, preferences ≥ 0.9× S0 — a miss exits 1;
 *    PostgreSQL: both ≥ 0.8× S0, reported), and as the last line
 *    `bench: engine=<engine> decisions=<ratio> preferences=<ratio>`.
 * Ratios are paired: per round, a server's req/s over S0's in the same round (seconds apart), then
 * the median over rounds — on a shared machine the load moves between rounds, not within one.
 * Environment: BENCH_ENGINE (sqlite), BENCH_ROUNDS (8), BENCH_DURATION (3), BENCH_CONNECTIONS (50).
 */
import { randomBytes } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { createApiKey } from "../../app/domain/api-keys.server";
import { decide } from "../../app/domain/decisions.server";
import { getPreferences } from "../../app/domain/preferences.server";
import type { PermissionLimits } from "../../app/domain/vocabulary";
import { runMigrations, type AnyDatabase } from "../../app/utils/db.server";
import { openSqliteDatabase } from "../../app/utils/db-sqlite.server";
import { seedDemo } from "../../db/seed";
import { buildTemplate } from "../support/database";
import { recreateDatabase, withDatabase } from "../support/postgres";
import { customerWithChoices } from "../support/decision-factories";
import { ensureBuild } from "../support/build";
import { freePort, spawnServer, TS_ENTRY } from "../support/server";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const DURATION = Number(process.env.BENCH_DURATION ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ENGINE = process.argv.includes("--engine") ? process.argv[process.argv.indexOf("--engine") + 1] : (process.env.BENCH_ENGINE ?? "sqlite");
if (ENGINE !== "sqlite" && ENGINE !== "postgres") throw new Error(`BENCH_ENGINE must be sqlite or postgres, not ${ENGINE}`);
const SAMPLE = 20;
const CUSTOMERS = 100;
const CONTEXT = { amount: 20, currency: "EUR", channel: "email" };
/** A bench server (tsx `script`) on `port`, its errors shown; resolves once it is listening. */
const start = (script: string, port: number, env: Record<string, string>) => spawnServer({ args: [...TS_ENTRY, script], port, env, echo: true });

// ── Prepare ──────────────────────────────────────────────────────────────────
ensureBuild("bench");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candor-bench-"));
const file = path.join(dir, "candor.sqlite");
/** PostgreSQL: the server (DATABASE_URL's, or a throw-away cluster), the bench's database and the ceiling's copy. */
let postgres: { url: string; name: string; ceiling: string; stop?: () => Promise<void> } | undefined;
let database: AnyDatabase;
if (ENGINE === "sqlite") {
  await buildTemplate(file);
  database = openSqliteDatabase(file);
} else {
  const given = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "") ? process.env.DATABASE_URL! : undefined;
  // test/postgres-cluster.mjs is plain JavaScript, loaded at run time.
  const { startCluster } = (await import(new URL("../postgres-cluster.mjs", import.meta.url).href)) as { startCluster(): Promise<{ url: string; stop(): Promise<void> }> };
  const cluster = given ? undefined : await startCluster();
  const name = `candor_bench_${randomBytes(4).toString("hex")}`;
  postgres = { url: given ?? cluster!.url, name, ceiling: `${name}_ceiling`, stop: cluster && (() => cluster.stop()) };
  database = await recreateDatabase(postgres.url, name);
  await runMigrations(database);
  await seedDemo(database.db);
}
const { db } = database;
const { key } = await createApiKey(db, { name: "bench", scopes: ["decisions"] });

/** Quiet hours that stay clear of the bench's run (6–7 hours from now, in UTC). */
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const farQuietHours = { from: hhmm(Date.now() + 6 * 3_600_000), to: hhmm(Date.now() + 7 * 3_600_000) };
function limitsOf(i: number): PermissionLimits | null {
  if (i % 8 === 0) return { maxAmount: { hundredths: 5000, currency: "EUR" }, channels: ["email", "app"], quietHours: farQuietHours };
  if (i % 8 === 4) return { maxAmount: { hundredths: 1000, currency: "EUR" }, channels: ["email"] };
  return null;
}
/** Limits as the API reports them (independent of the code under test). */
const apiLimits = (limits: PermissionLimits | null) =>
  limits && {
    ...(limits.maxAmount ? { maxAmount: { amount: limits.maxAmount.hundredths / 100, currency: limits.maxAmount.currency } } : {}),
    ...(limits.channels ? { channels: limits.channels } : {}),
    ...(limits.quietHours ? { quietHours: { ...limits.quietHours, timeZone: "UTC" } } : {}),
  };

interface BenchCustomer {
  id: string;
  decisionBody: string;
  decision: { decision: string; reason: string; preferenceVersion: number };
  choices: string;
}
const customers: BenchCustomer[] = [];
for (let i = 0; i < CUSTOMERS; i++) {
  const limits = limitsOf(i);
  const id = await customerWithChoices(db, { "plan-changes": { value: "allow", limits } }, { id: `bench-customer-${i}`, timeZone: limits ? "UTC" : null });
  // What the domain says (decide(): the same rules, not the hot path under test).
  const expected = await decide(db, {
    customerId: id,
    actionKey: "plan-changes",
    aiSystemSlug: "offer-predictor",
    context: { amountHundredths: 2000, currency: "EUR", channel: "email", identity: { verified: true } },
  });
  const choices = (await getPreferences(db, id)).map((p) => ({
    key: p.key,
    value: p.value,
    isDefault: p.isDefault,
    noticeVersion: p.noticeVersion,
    needsReconfirmation: p.needsReconfirmation,
    limits: p.key === "plan-changes" ? apiLimits(limits) : null,
  }));
  customers.push({
    id,
    decisionBody: JSON.stringify({ customerId: id, action: "plan-changes", aiSystem: "offer-predictor", context: CONTEXT, identity: { verified: true } }),
    decision: { decision: expected.decision, reason: expected.reason, preferenceVersion: expected.preferenceVersion },
    choices: JSON.stringify(choices),
  });
}
const reasons = new Set(customers.map((c) => c.decision.reason));
if (!reasons.has("preference_allow") || !reasons.has("amount_over_limit")) throw new Error(`The bench's customers do not get the answers it means to measure: ${[...reasons].join(", ")}`);

type ServerName = "S0" | "ceiling" | "shipped";
const SERVERS: ServerName[] = ["S0", "ceiling", "shipped"];
const ports: Record<ServerName, number> = { S0: await freePort(), ceiling: await freePort(), shipped: await freePort() };
if (postgres) {
  await database.close();
  // The ceiling's trigger lives in its own copy, so it never touches S0's or the shipped server's inserts.
  await (await recreateDatabase(postgres.url, postgres.ceiling, postgres.name)).close();
}
const storage = (server: ServerName): Record<string, string> =>
  postgres ? { DATABASE_URL: withDatabase(postgres.url, server === "ceiling" ? postgres.ceiling : postgres.name) } : { DATABASE_PATH: file };
const shippedEnv = (server: ServerName) => ({ ...storage(server), RATE_LIMITS: "off" });
const servers = await Promise.all([
  start(postgres ? "test/bench/s0-pg.ts" : "test/bench/s0.ts", ports.S0, storage("S0")),
  start("test/bench/shipped-server.ts", ports.ceiling, { ...shippedEnv("ceiling"), BENCH_WITHOUT_DECISION_INSERT: "1" }),
  start("test/bench/shipped-server.ts", ports.shipped, shippedEnv("shipped")),
]);
/**
 * The process that runs a server's script (tsx runs it in a child of the one started), found
 * through /proc (Linux); undefined where there is none.
 */
function serverProcess(started: ChildProcess, script: string): number | undefined {
  const children = (pid: number): number[] => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const runs = (pid: number) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").some((arg) => arg.endsWith(script));
    } catch {
      return false;
    }
  };
  for (let pending = started.pid ? [started.pid] : [], found: number | undefined; pending.length > 0; pending = pending.flatMap(children)) {
    found = pending.find((pid) => runs(pid) && children(pid).every((child) => !runs(child)));
    if (found) return found;
  }
  return undefined;
}
/** CPU time of a process's main thread (the event loop that answers), in µs; null where /proc has no schedstat. */
function mainThreadCpuUs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    return Number(fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ")[0]) / 1000;
  } catch {
    return null;
  }
}
const serverPids: Record<ServerName, number | undefined> = {
  S0: serverProcess(servers[0]!.child, postgres ? "test/bench/s0-pg.ts" : "test/bench/s0.ts"),
  ceiling: serverProcess(servers[1]!.child, "test/bench/shipped-server.ts"),
  shipped: serverProcess(servers[2]!.child, "test/bench/shipped-server.ts"),
};
let stopped = false;
const stop = () => {
  if (stopped) return;
  stopped = true;
  for (const server of servers) void server.stop();
};
process.on("exit", stop);

// ── Checking answers ─────────────────────────────────────────────────────────
type Endpoint = "decisions" | "preferences";
const wrong: Record<string, number> = {};
const wrongExamples: string[] = [];

function check(endpoint: Endpoint, customer: BenchCustomer, status: number, body: string): string | null {
  if (status !== 200) return `status ${status}`;
  const json = JSON.parse(body) as Record<string, unknown>;
  if (endpoint === "decisions") {
    const expected = customer.decision;
    const ok = json.decision === expected.decision && json.reason === expected.reason && json.preferenceVersion === expected.preferenceVersion && typeof json.decisionId === "string" && /^[0-9a-f-]{36}$/.test(json.decisionId);
    return ok ? null : body;
  }
  const choices = (json.choices as Record<string, unknown>[]).map((c) => ({ key: c.key, value: c.value, isDefault: c.isDefault, noticeVersion: c.noticeVersion, needsReconfirmation: c.needsReconfirmation, limits: c.limits ?? null }));
  const ok = json.preferenceVersion === customer.decision.preferenceVersion && JSON.stringify(choices) === customer.choices;
  return ok ? null : body;
}

/** Responses each server has given the load generator (for CPU time per request). */
const answered: Record<ServerName, number> = { S0: 0, ceiling: 0, shipped: 0 };

function target(server: ServerName, endpoint: Endpoint) {
  const port = ports[server];
  const id = `${endpoint}/${server}`;
  let seen = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    // Each connection cycles through the customers.
    requests: customers.map((customer) => ({
      method: endpoint === "decisions" ? ("POST" as const) : ("GET" as const),
      path: endpoint === "decisions" ? "/api/v1/decisions" : `/api/v1/customers/${customer.id}/preferences`,
      headers: { authorization: `Bearer ${key}`, ...(endpoint === "decisions" ? { "content-type": "application/json" } : {}) },
      ...(endpoint === "decisions" ? { body: customer.decisionBody } : {}),
      onResponse: (status: number, body: string) => {
        answered[server] += 1;
        if (status !== 200 || seen++ % SAMPLE === 0) {
          const problem = check(endpoint, customer, status, body);
          if (problem) {
            wrong[id] = (wrong[id] ?? 0) + 1;
            if (wrongExamples.length < 5) wrongExamples.push(`${id} ${customer.id}: ${problem.slice(0, 300)}`);
          }
        }
      },
    })),
  };
}

// ── Rounds ───────────────────────────────────────────────────────────────────
/** `cpuUs`: the server's main-thread CPU time per answered request, µs (null without /proc). */
interface Sample { rps: number; p50: number; p99: number; non2xx: number; errors: number; cpuUs: number | null }
const results: Record<string, Sample[]> = {};
const run = async (server: ServerName, endpoint: Endpoint, duration: number): Promise<Sample> => {
  const [cpuBefore, answeredBefore] = [mainThreadCpuUs(serverPids[server]), answered[server]];
  const result = await autocannon({ ...target(server, endpoint), duration });
  const [cpuAfter, count] = [mainThreadCpuUs(serverPids[server]), answered[server] - answeredBefore];
  const cpuUs = cpuBefore === null || cpuAfter === null || count === 0 ? null : (cpuAfter - cpuBefore) / count;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts, cpuUs };
};

console.log(`Warming up (both servers, both endpoints)…`);
for (const endpoint of ["decisions", "preferences"] as const) for (const server of SERVERS) await run(server, endpoint, 1);

const endpoints: Endpoint[] = ["decisions", "preferences"];
for (let round = 1; round <= ROUNDS; round++) {
  // Rotate which server goes first, so none always runs on a warmer (or busier) machine.
  const order = SERVERS.map((_, i) => SERVERS[(i + round) % SERVERS.length]!);
  for (const endpoint of endpoints) {
    for (const server of order) {
      const sample = await run(server, endpoint, DURATION);
      (results[`${endpoint}/${server}`] ??= []).push(sample);
    }
  }
  console.log(`round ${round}/${ROUNDS} done`);
}
// A final full check of every customer's answers, outside the load.
for (const endpoint of endpoints) {
  for (const server of SERVERS) {
    const t = target(server, endpoint);
    for (const [i, r] of t.requests.entries()) {
      const response = await fetch(t.url + r.path, { method: r.method, headers: r.headers, body: "body" in r ? r.body : undefined });
      const problem = check(endpoint, customers[i]!, response.status, await response.text());
      if (problem) {
        wrong[`${endpoint}/${server}`] = (wrong[`${endpoint}/${server}`] ?? 0) + 1;
        wrongExamples.push(`${endpoint}/${server} ${customers[i]!.id}: ${problem.slice(0, 300)}`);
      }
    }
  }
}

// ── Report ───────────────────────────────────────────────────────────────────
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const where = postgres ? `PostgreSQL (${postgres.stop ? "throw-away cluster, fsync off" : "DATABASE_URL's server"})` : "SQLite (WAL, synchronous=FULL)";
console.log(`\n${where}: ${ROUNDS} rounds × ${DURATION} s, ${CONNECTIONS} connections, ${os.cpus().length} CPUs, medians:`);
console.log("endpoint     server    req/s      p50 ms  p99 ms  non-2xx  wrong   × S0 (paired)  main-thread CPU µs/req");
const medianRps = (endpoint: Endpoint, server: ServerName) => median(results[`${endpoint}/${server}`]!.map((s) => s.rps));
/** The median over rounds of the server's req/s over S0's in the same round. */
const pairedRatio = (endpoint: Endpoint, server: ServerName) => {
  const s0 = results[`${endpoint}/S0`]!;
  return median(results[`${endpoint}/${server}`]!.map((s, round) => s.rps / s0[round]!.rps));
};
/** The median over rounds of the main thread's CPU µs per request ("–" without /proc). */
const cpuPerRequest = (samples: Sample[]) => {
  const known = samples.flatMap((s) => (s.cpuUs === null ? [] : [s.cpuUs]));
  return known.length === 0 ? "–" : median(known).toFixed(1);
};
const ratios: Record<Endpoint, number> = { decisions: 0, preferences: 0 };
let failed = false;
for (const endpoint of endpoints) {
  for (const server of SERVERS) {
    const samples = results[`${endpoint}/${server}`]!;
    const non2xx = samples.reduce((n, s) => n + s.non2xx + s.errors, 0);
    const bad = wrong[`${endpoint}/${server}`] ?? 0;
    if (non2xx > 0 || bad > 0) failed = true;
    console.log(
      `${endpoint.padEnd(12)} ${server.padEnd(8)} ${medianRps(endpoint, server).toFixed(0).padStart(7)} ${median(samples.map((s) => s.p50)).toFixed(1).padStart(9)} ${median(samples.map((s) => s.p99)).toFixed(1).padStart(7)} ${String(non2xx).padStart(8)} ${String(bad).padStart(6)} ${pairedRatio(endpoint, server).toFixed(2).padStart(6)} ${cpuPerRequest(samples).padStart(20)}`,
    );
  }
  ratios[endpoint] = pairedRatio(endpoint, "shipped");
}
for (const example of wrongExamples) console.log(`wrong answer: ${example}`);
const targets =
  ENGINE === "sqlite"
    ? [
        { what: "shipped decisions > 1.0× S0", ok: ratios.decisions > 1.0 },
        { what: "shipped preferences ≥ 0.9× S0", ok: ratios.preferences >= 0.9 },
      ]
    : [
        { what: "shipped decisions ≥ 0.8× S0 (PostgreSQL)", ok: ratios.decisions >= 0.8 },
        { what: "shipped preferences ≥ 0.8× S0 (PostgreSQL)", ok: ratios.preferences >= 0.8 },
      ];
for (const t of targets) console.log(`target: ${t.ok ? "PASS" : "FAIL"} ${t.what}`);
stop();
if (postgres) {
  // The servers must be gone before their databases can be dropped.
  await Promise.all(servers.map((s) => s.exited));
  const admin = new pg.Client({ connectionString: withDatabase(postgres.url, "postgres") });
  await admin.connect();
  for (const name of [postgres.name, postgres.ceiling]) await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
  await postgres.stop?.();
} else {
  await database.close();
}
fs.rmSync(dir, { recursive: true, force: true });
if (failed) console.log("bench: FAILED — wrong answers or non-2xx responses (see above)");
// SQLite's targets are the issue's; PostgreSQL's are reported.
const missed = ENGINE === "sqlite" && targets.some((t) => !t.ok);
console.log(`bench: engine=${ENGINE} decisions=${ratios.decisions.toFixed(2)} preferences=${ratios.preferences.toFixed(2)}`);
process.exit(failed || missed ? 1 : 0);
