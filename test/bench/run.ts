/**
 * `npm run bench` (SPEC §10 hot path): the shipped API against S0, side by side.
 *
 * 1. Prepares a database (migrations + demo seed + an API key) in a temp folder.
 * 2. Starts S0 (test/bench/s0.ts) and the shipped server (test/bench/shipped-server.ts: the lean
 *    API in front of the Express/React Router app, composed as app/server.ts does) at the same time
 *    on 127.0.0.1, on the same SQLite file. The shipped server runs with RATE_LIMITS=off (the
 *    per-key limit of 6000/min would otherwise answer 429 to a load test).
 * 3. Interleaved rounds (ROUNDS × DURATION s, CONNECTIONS connections, autocannon) of
 *    POST /api/v1/decisions and GET /api/v1/customers/:id/preferences on both servers.
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
import { getPreferences, getPreferenceVersion } from "../../app/domain/preferences.server";
import { openSqliteDatabase } from "../../app/utils/db-sqlite.server";
import { buildTemplate } from "../support/database";
import { freePort } from "../support/server";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SAMPLE = 20;
const CUSTOMER = "demo-customer-1";
const DECISION_BODY = JSON.stringify({ customerId: CUSTOMER, action: "plan-changes", aiSystem: "offer-predictor" });

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
const expectedVersion = await getPreferenceVersion(db, CUSTOMER);
const expectedChoices = (await getPreferences(db, CUSTOMER)).map((p) => ({ key: p.key, value: p.value, isDefault: p.isDefault, noticeVersion: p.noticeVersion, needsReconfirmation: p.needsReconfirmation }));
const expectedDecision = { decision: "deny", reason: "preference_never", preferenceVersion: expectedVersion };
if (expectedChoices.find((c) => c.key === "plan-changes")?.value !== "never") throw new Error("The demo seed changed: adapt the bench's expected answer");

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

function check(endpoint: Endpoint, status: number, body: string): string | null {
  if (status !== 200) return `status ${status}`;
  const json = JSON.parse(body) as Record<string, unknown>;
  if (endpoint === "decisions") {
    const ok = json.decision === expectedDecision.decision && json.reason === expectedDecision.reason && json.preferenceVersion === expectedVersion && typeof json.decisionId === "string" && /^[0-9a-f-]{36}$/.test(json.decisionId);
    return ok ? null : body;
  }
  const choices = (json.choices as Record<string, unknown>[]).map((c) => ({ key: c.key, value: c.value, isDefault: c.isDefault, noticeVersion: c.noticeVersion, needsReconfirmation: c.needsReconfirmation }));
  const ok = json.preferenceVersion === expectedVersion && JSON.stringify(choices) === JSON.stringify(expectedChoices);
  return ok ? null : body;
}

function target(server: ServerName, endpoint: Endpoint) {
  const port = server === "S0" ? s0Port : shippedPort;
  const id = `${endpoint}/${server}`;
  let seen = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    requests: [
      {
        method: endpoint === "decisions" ? ("POST" as const) : ("GET" as const),
        path: endpoint === "decisions" ? "/api/v1/decisions" : `/api/v1/customers/${CUSTOMER}/preferences`,
        headers: { authorization: `Bearer ${key}`, ...(endpoint === "decisions" ? { "content-type": "application/json" } : {}) },
        ...(endpoint === "decisions" ? { body: DECISION_BODY } : {}),
        onResponse: (status: number, body: string) => {
          if (status !== 200 || seen++ % SAMPLE === 0) {
            const problem = check(endpoint, status, body);
            if (problem) {
              wrong[id] = (wrong[id] ?? 0) + 1;
              if (wrongExamples.length < 5) wrongExamples.push(`${id}: ${problem.slice(0, 200)}`);
            }
          }
        },
      },
    ],
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
// A final full check of one answer each, outside the load.
for (const endpoint of endpoints) {
  for (const server of ["S0", "shipped"] as ServerName[]) {
    const t = target(server, endpoint);
    const r = t.requests[0]!;
    const response = await fetch(t.url + r.path, { method: r.method, headers: r.headers, body: "body" in r ? r.body : undefined });
    const problem = check(endpoint, response.status, await response.text());
    if (problem) {
      wrong[`${endpoint}/${server}`] = (wrong[`${endpoint}/${server}`] ?? 0) + 1;
      wrongExamples.push(`${endpoint}/${server}: ${problem.slice(0, 200)}`);
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
