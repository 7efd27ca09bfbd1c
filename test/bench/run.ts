/**
 * `npm run bench` (SPEC §10 hot path): the shipped API against S0, side by side.
 *
 * 1. Prepares a database (migrations + demo seed + an API key) in a temp folder.
 * 2. Starts S0 (test/bench/s0.ts) and the shipped server (test/bench/shipped-server.ts: the lean
 *    API in front of the Express/React Router app, composed as app/server.ts does) at the same time
 *    on 127.0.0.1, on the same SQLite file. The shipped server runs with RATE_LIMITS=off (the
 *    per-key limit of 6000/min would otherwise answer 429 to a load test).
 * 3. Interleaved rounds (ROUNDS × DURATION s, CONNECTIONS connections, autocannon) of
 *    POST /api/v1/decisions and GET /api/v1/customers/:id/preferences on both servers, over
 *    CUSTOMERS customers of the bench's own: every check with identity verified and a context
 *    (20 EUR by email), a quarter of the customers with limits (SPEC §11.2) — half of those
 *    within them (allow), half over their cap (ask amount_over_limit).
 * 4. Checks answers (every SAMPLE-th response body is compared with what the domain says; any
 *    wrong answer or non-2xx → exit 1), prints req/s, p50/p99, non-2xx per endpoint and server,
 *    the ratio shipped/S0 of the median req/s, and as the last line
 *    `bench: decisions=<ratio> preferences=<ratio>`.
 * Environment: BENCH_ROUNDS (5), BENCH_DURATION (5), BENCH_CONNECTIONS (50).
 */
import { execSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createApiKey } from "../../app/domain/api-keys.server";
import { decide } from "../../app/domain/decisions.server";
import { getPreferences } from "../../app/domain/preferences.server";
import type { PermissionLimits } from "../../app/domain/vocabulary";
import { openSqliteDatabase } from "../../app/utils/db-sqlite.server";
import { buildTemplate } from "../support/database";
import { customerWithChoices } from "../support/decision-factories";
import { freePort } from "../support/server";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SAMPLE = 20;
const CUSTOMERS = 100;
const CONTEXT = { amount: 20, currency: "EUR", channel: "email" };
function start(script: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(path.resolve("node_modules/.bin/tsx"), [script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"], detached: true });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve(child));
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

// ── Prepare ──────────────────────────────────────────────────────────────────
const buildDir = process.env.CANDOR_BUILD_DIR ?? "build";
if (!fs.existsSync(path.join(buildDir, "server/index.js"))) {
  console.log(`Building the app into ${buildDir}/ …`);
  execSync("npx react-router build", { stdio: "ignore" });
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candor-bench-"));
const file = path.join(dir, "candor.sqlite");
await buildTemplate(file);
const database = openSqliteDatabase(file);
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

const [s0Port, shippedPort] = [await freePort(), await freePort()];
const common = { DATABASE_PATH: file, HOST: "127.0.0.1", NODE_ENV: "production" };
const servers = await Promise.all([
  start("test/bench/s0.ts", { ...common, PORT: String(s0Port) }),
  start("test/bench/shipped-server.ts", { ...common, PORT: String(shippedPort), RATE_LIMITS: "off", PUBLIC_URL: `http://127.0.0.1:${shippedPort}` }),
]);
const stop = () => servers.forEach((s) => s.pid && process.kill(-s.pid, "SIGTERM"));
process.on("exit", stop);

// ── Checking answers ─────────────────────────────────────────────────────────
type Endpoint = "decisions" | "preferences";
type ServerName = "S0" | "shipped";
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

function target(server: ServerName, endpoint: Endpoint) {
  const port = server === "S0" ? s0Port : shippedPort;
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
interface Sample { rps: number; p50: number; p99: number; non2xx: number; errors: number }
const results: Record<string, Sample[]> = {};
const run = async (server: ServerName, endpoint: Endpoint, duration: number) => {
  const result = await autocannon({ ...target(server, endpoint), duration });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
};

console.log(`Warming up (both servers, both endpoints)…`);
for (const endpoint of ["decisions", "preferences"] as const) for (const server of ["S0", "shipped"] as const) await run(server, endpoint, 1);

const endpoints: Endpoint[] = ["decisions", "preferences"];
for (let round = 1; round <= ROUNDS; round++) {
  // Alternate which server goes first, so neither always runs on a warmer machine.
  const order: ServerName[] = round % 2 ? ["S0", "shipped"] : ["shipped", "S0"];
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
  for (const server of ["S0", "shipped"] as ServerName[]) {
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
console.log(`\n${ROUNDS} rounds × ${DURATION} s, ${CONNECTIONS} connections, ${os.cpus().length} CPUs, medians:`);
console.log("endpoint     server    req/s      p50 ms  p99 ms  non-2xx  wrong");
const ratios: Record<Endpoint, number> = { decisions: 0, preferences: 0 };
let failed = false;
for (const endpoint of endpoints) {
  for (const server of ["S0", "shipped"] as ServerName[]) {
    const samples = results[`${endpoint}/${server}`]!;
    const non2xx = samples.reduce((n, s) => n + s.non2xx + s.errors, 0);
    const bad = wrong[`${endpoint}/${server}`] ?? 0;
    if (non2xx > 0 || bad > 0) failed = true;
    console.log(
      `${endpoint.padEnd(12)} ${server.padEnd(8)} ${median(samples.map((s) => s.rps)).toFixed(0).padStart(7)} ${median(samples.map((s) => s.p50)).toFixed(1).padStart(9)} ${median(samples.map((s) => s.p99)).toFixed(1).padStart(7)} ${String(non2xx).padStart(8)} ${String(bad).padStart(6)}`,
    );
  }
  ratios[endpoint] = median(results[`${endpoint}/shipped`]!.map((s) => s.rps)) / median(results[`${endpoint}/S0`]!.map((s) => s.rps));
}
for (const example of wrongExamples) console.log(`wrong answer: ${example}`);
await database.close();
stop();
fs.rmSync(dir, { recursive: true, force: true });
if (failed) console.log("bench: FAILED — wrong answers or non-2xx responses (see above)");
console.log(`bench: decisions=${ratios.decisions.toFixed(2)} preferences=${ratios.preferences.toFixed(2)}`);
process.exit(failed ? 1 : 0);
