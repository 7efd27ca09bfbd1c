/**
 * `npm run test:multi` — three Candor instances on one PostgreSQL behind a real HAProxy (issue
 * 10, item 1; SPEC §13). Starts (or takes from DATABASE_URL / TEST_DATABASE_URL) a PostgreSQL
 * server, creates, migrates and seeds a database of its own, queues emails and webhook events,
 * starts three instances of the production build (`<CANDOR_BUILD_DIR or build>/server/index.js`,
 * as `npm run serve` does: workers included) and HAProxy in front of them, then proves:
 * 1. read-your-writes across instances (TRIALS flip-then-check trials, default 1000);
 * 2. each email and webhook delivered exactly once with three workers;
 * 3. the audit chain verifies after concurrent staff actions on all three;
 * 4. sign-in and API rate limits are shared;
 * 5. a revoked API key is refused by every instance within the stated 2 s (the per-process cache);
 * 6. a rolling restart (SIGTERM, start again) under load fails no request;
 * 7. no acknowledged write is lost when one instance is killed (kill -9), and HAProxy routes around it.
 * Prints "<check>: N passed, N failed" per check (assertions) and a last line "N passed, N failed";
 * exits non-zero on any failure. MULTI_REPORT=<file>: also writes the results there as JSON
 * (`passed`/`failed` count checks; test/run-all.mjs reads it). Everything it started is stopped and its database dropped at the end
 * (KEEP=1 keeps the database and the logs for a look).
 */
import { eq } from "drizzle-orm";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createApiKey } from "../../app/domain/api-keys.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { createWebhookEndpoint, enqueueWebhookEvent } from "../../app/domain/webhooks.server";
import { runMigrations } from "../../app/utils/db.server";
import { choiceDefinitions, outboxEmails, staffUsers, webhookDeliveries } from "../../db/schema";
import { seedDemo, seedDemoStaff } from "../../db/seed";
import { recreateDatabase, withDatabase } from "../support/postgres";
import { freePort } from "../support/server";
import { auditChain } from "./check-audit-chain";
import { exactlyOnce } from "./check-exactly-once";
import { killOne } from "./check-kill-one";
import { sharedRateLimits } from "./check-rate-limits";
import { readYourWrites } from "./check-read-your-writes";
import { revocationBound } from "./check-revocation";
import { rollingRestart } from "./check-rolling-restart";
import type { CheckResult, Context } from "./checks";
import { haproxyBinary, postgresServer, startBalancer, startInstance, startSmtpSink, startWebhookReceiver, stopProcess, type Balancer, type Instance } from "./cluster";
import { KeyPool } from "./client";

const TRIALS = Number(process.env.TRIALS ?? 1000);
/** Emails and webhook events queued for the exactly-once check. */
const MESSAGES = Number(process.env.MESSAGES ?? Math.max(60, Math.min(300, Math.round(TRIALS / 4))));
/** Deliberately small, so the shared API limit is reached quickly (the other checks spread their calls over many keys). */
const API_LIMIT = 60;
const KEY_BUDGET = API_LIMIT - 10;
const KILL_PHASE_MS = Number(process.env.KILL_PHASE_MS ?? (TRIALS >= 1000 ? 10_000 : 5_000));
const buildDir = process.env.CANDOR_BUILD_DIR ?? "build";

const log = (line: string) => console.log(line);
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

if (!Number.isInteger(TRIALS) || TRIALS < 1) throw new Error("TRIALS must be a positive whole number");
if (!fs.existsSync(path.resolve(buildDir, "server/index.js"))) {
  console.log(`0 passed, 1 failed\nNo production build in ${buildDir}/: run \`npx react-router build\` first (CANDOR_BUILD_DIR=${buildDir}).`);
  process.exit(1);
}
if (!haproxyBinary()) {
  console.log("0 passed, 1 failed\nHAProxy is not installed: apt-get install haproxy (or set HAPROXY_PATH).");
  process.exit(1);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candor-multi-"));
const server = await postgresServer();
const databaseName = `candor_multi_${process.pid}`;
const database = await recreateDatabase(server.url, databaseName);
const databaseUrl = withDatabase(server.url, databaseName);
const instances: Instance[] = [];
let balancer: Balancer | undefined;
const smtp = await startSmtpSink(40);
const receiver = await startWebhookReceiver(40);
const results: CheckResult[] = [];

async function cleanUp() {
  await Promise.allSettled(instances.map((i) => stopProcess(i.child, i.exited)));
  if (balancer) await stopProcess(balancer.child, balancer.exited);
  await smtp.close();
  await receiver.close();
  await database.close();
  if (!process.env.KEEP) {
    const client = new pg.Client({ connectionString: withDatabase(server.url, "postgres") });
    await client.connect();
    await client.query(`drop database if exists "${databaseName}" with (force)`);
    await client.end();
    fs.rmSync(dir, { recursive: true, force: true });
  } else {
    log(`Kept: database ${databaseName}, logs in ${dir}`);
  }
  await server.stop();
}

try {
  log(`Multi-instance test: ${TRIALS} trials, ${MESSAGES} emails + ${MESSAGES} webhook events, build ${buildDir}/, database ${databaseName}`);
  await runMigrations(database);
  await seedDemo(database.db);
  await seedDemoStaff(database.db);
  const db = database.db;
  const [admin] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.role, "admin")).limit(1);
  // Enough keys that no check but the rate-limit one comes near the per-key limit.
  const plannedCalls = 2 * TRIALS + 40 + 30 + 3000 + 100;
  const keys: string[] = [];
  for (let n = 0; n * KEY_BUDGET < plannedCalls; n++) {
    keys.push((await createApiKey(db, { name: `multi-instance ${n}`, scopes: ["decisions", "links", "customers"] })).key);
  }
  const rateLimitKey = (await createApiKey(db, { name: "multi-instance rate limit", scopes: ["decisions"] })).key;
  const revocable = await createApiKey(db, { name: "multi-instance revoked", scopes: ["decisions"] });
  const customers: string[] = [];
  for (let n = 0; n < 12; n++) customers.push((await upsertCustomer(db, { id: `multi-${n}`, email: `multi-${n}@example.test`, locale: "en" })).id);
  const choices = await db.select().from(choiceDefinitions);
  const neutral: Record<string, string> = { action: "ask", training: "no", human_first: "no", identity: "no" };
  const baseForm: Record<string, string> = {
    shown: choices.map((c) => `${c.key}:${c.noticeVersion}`).join(","),
    ...Object.fromEntries(choices.map((c) => [c.key, neutral[c.kind] ?? c.defaultValue])),
  };
  // Queued before the instances start: their workers' first runs race for the same rows.
  const { endpoint } = await createWebhookEndpoint(db, { url: `http://127.0.0.1:${receiver.port}/hooks`, events: ["confirmation.answered"], staffId: admin!.id });
  for (let n = 0; n < MESSAGES; n++) await enqueueWebhookEvent(db, "confirmation.answered", { multiInstance: n });
  const webhookKeys = (await db.select({ payload: webhookDeliveries.payload }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id))).map(
    (row) => (JSON.parse(row.payload) as { id: string }).id,
  );
  const now = Date.now();
  // The demo's own queued emails wait a day: this check counts the workers' first runs on its own.
  await db.update(outboxEmails).set({ nextAttemptAt: now + 86_400_000 }).where(eq(outboxEmails.status, "pending"));
  const emailKeys = Array.from({ length: MESSAGES }, (_, n) => `mail-${n}`);
  await db.insert(outboxEmails).values(
    emailKeys.map((key, n) => ({
      toAddress: `multi-${n % 12}@example.test`,
      lang: "en",
      template: "concern_received",
      subject: `Multi-instance ${key}`,
      bodyText: `Hello,\n\nX-Multi-Id: ${key}\n`,
      nextAttemptAt: now,
      createdAt: now,
    })),
  );
  log(`[${seconds()}] database ready (${keys.length + 1} API keys, ${customers.length} customers)`);

  const balancerPort = await freePort();
  const env = {
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: `http://127.0.0.1:${balancerPort}`,
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    RATE_LIMITS: "on",
    API_RATE_LIMIT_PER_MINUTE: String(API_LIMIT),
    TRUST_PROXY: "loopback",
    COOKIE_SECURE: "false",
  };
  instances.push(...(await Promise.all(["a", "b", "c"].map((name) => startInstance(name, { buildDir, env, logDir: dir })))));
  log(`[${seconds()}] instances a, b, c on ports ${instances.map((i) => i.port).join(", ")}`);
  balancer = await startBalancer(instances, dir, balancerPort);
  log(`[${seconds()}] HAProxy on ${balancer.base} (round robin, health check /readyz every 200 ms)`);

  const ctx: Context = {
    base: balancer.base,
    instances,
    db,
    sql: database.pool,
    keys: new KeyPool(keys, KEY_BUDGET),
    rateLimitKey,
    revocableKey: { id: revocable.id, secret: revocable.key },
    apiLimitPerMinute: API_LIMIT,
    trials: TRIALS,
    customers,
    baseForm,
    smtp,
    receiver,
    emailKeys,
    webhookKeys,
    webhookEndpointId: endpoint.id,
    log,
  };
  const checks: [string, (c: Context) => Promise<CheckResult>][] = [
    ["read-your-writes across instances", readYourWrites],
    ["exactly-once delivery with three workers", exactlyOnce],
    ["audit chain under concurrent staff actions", auditChain],
    ["shared rate limits", sharedRateLimits],
    ["revoked API key refused everywhere within the stated 2 s", revocationBound],
    ["rolling restart without a failed request", (c) => rollingRestart(c, 2, (old) => startInstance(old.name, { buildDir, env, logDir: dir, port: old.port }))],
    ["no acknowledged write lost when an instance is killed", (c) => killOne(c, instances[1]!, KILL_PHASE_MS)],
  ];
  for (const [name, check] of checks) {
    let result: CheckResult;
    try {
      result = await check(ctx);
    } catch (error) {
      result = { name, passed: 0, failed: 1, notes: [`FAIL ${(error as Error).stack ?? String(error)}`] };
    }
    results.push(result);
    log(`[${seconds()}] ${result.name}: ${result.passed} passed, ${result.failed} failed`);
    for (const note of result.notes) log(`  ${note}`);
  }
} catch (error) {
  results.push({ name: "setup", passed: 0, failed: 1, notes: [] });
  console.error(error);
} finally {
  await cleanUp().catch((error: unknown) => console.error("clean-up:", error));
}
// For test/run-all.mjs: one count per check.
if (process.env.MULTI_REPORT) {
  fs.mkdirSync(path.dirname(process.env.MULTI_REPORT), { recursive: true });
  const failedChecks = results.filter((r) => r.failed > 0).length;
  fs.writeFileSync(process.env.MULTI_REPORT, JSON.stringify({ passed: results.length - failedChecks, failed: failedChecks, checks: results }, null, 2));
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
log(`Multi-instance test finished in ${seconds()}`);
log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);
