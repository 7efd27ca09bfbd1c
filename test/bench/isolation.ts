/**
 * Isolation (issue 10 item 3, SPEC §10): staff work must not delay the agents' decisions, and the
 * queue must stay usable under decision load. Three processes: the production server (started as
 * `npm run serve` starts it: `node <CANDOR_BUILD_DIR>/server/index.js`, NODE_ENV=production), the
 * decision load generator (test/bench/decision-load.mjs, autocannon) and this process, which times
 * the staff pages — so neither client shares an event loop with the server or with the other.
 * 1. decision p99.9 alone: ISOLATION_SECONDS (10) of load, ISOLATION_CONNECTIONS (10) connections,
 *    POST /api/v1/decisions over 500 bulk customers;
 * 2. the same while one client loads the reports page back to back and another searches the queue
 *    back to back (target: p99.9 within 2x of alone);
 * 3. the queue's first page, requested back to back by one client (p50/p99) during a 50-connection
 *    decision load (target: p99 < 250 ms).
 *
 * Alone: `npx tsx test/bench/isolation.ts [--engine sqlite|postgres] [--size 1000000]
 * [--threads default,0]` starts the server on the growth bench's cached database of that size
 * (seeding it when missing, see growth-support.ts; PostgreSQL: DATABASE_URL names the server) once
 * per PAGE_THREADS value ("default": unset) and prints one table per value. Without PAGE_THREADS
 * in app/utils/env.server.ts (before page threads existed) it runs the server once, as it is.
 * `npm run bench:growth -- --isolation` runs the measures at its largest size (runIsolation).
 * The figures are for the machine the bench ran on, with what else ran on it (printed: `uptime`).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { prepareAuth, QUEUE_WORD, seedTag, signIn, startProductionServer, targetFor, type Auth } from "./growth-support";

const SECONDS = Number(process.env.ISOLATION_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.ISOLATION_CONNECTIONS ?? 10);
const LOAD_SCRIPT = fileURLToPath(new URL("./decision-load.mjs", import.meta.url));

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  p999: number;
  non2xx: number;
  errors: number;
}

/**
 * Decision load from a child process. `started` resolves when the load begins (the timed loops
 * start then), `done` with its figures when it ends.
 */
function decisionLoad(base: string, auth: Auth, connections: number): { started: Promise<void>; done: Promise<LoadResult> } {
  const options = {
    url: base,
    connections,
    duration: SECONDS,
    requests: auth.customers.map((customerId) => ({
      method: "POST",
      path: "/api/v1/decisions",
      headers: { Authorization: `Bearer ${auth.apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ customerId, action: "plan-changes", aiSystem: "offer-predictor", identity: { verified: true } }),
    })),
  };
  const child = spawn(process.execPath, [LOAD_SCRIPT], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.end(JSON.stringify(options));
  let output = "";
  let markStarted: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes("ready\n")) markStarted();
  });
  const done = new Promise<LoadResult>((resolve, reject) => {
    child.once("exit", (code) => {
      markStarted();
      const last = output.trim().split("\n").pop() ?? "";
      if (code !== 0 || !last.startsWith("{")) reject(new Error(`the load generator exited with ${code}: ${output}`));
      else resolve(JSON.parse(last) as LoadResult);
    });
  });
  return { started, done };
}

/** Requests `path` back to back until `until` resolves; returns the sorted latencies (ms). */
async function loop(base: string, path: string, cookie: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  const stop = () => (done = true);
  void until.then(stop, stop);
  const times: number[] = [];
  while (!done) {
    const started = performance.now();
    const response = await fetch(base + path, { headers: { Cookie: cookie }, redirect: "manual" });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

const at = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const ms = (value: number) => (value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString("en"));
const load = () => os.loadavg().map((n) => n.toFixed(1)).join(", ");

/**
 * Runs the three isolation measures against the server at `base` (`label` names it in the
 * title); returns them as a markdown table with the machine's load average before and after.
 */
export async function runIsolation(base: string, auth: Auth, log: (line: string) => void, label: string): Promise<string> {
  const loadBefore = load();
  log(`isolation (${label}): decisions alone (${SECONDS} s, ${CONNECTIONS} connections)`);
  const aloneLoad = decisionLoad(base, auth, CONNECTIONS);
  const alone = await aloneLoad.done;

  log(`isolation (${label}): decisions during a reports loop and a queue search loop`);
  const loaded = decisionLoad(base, auth, CONNECTIONS);
  await loaded.started;
  const [during, reports, searches] = await Promise.all([loaded.done, loop(base, "/staff/reports", auth.supervisorCookie, loaded.done), loop(base, `/staff/concerns?q=${QUEUE_WORD}`, auth.staffCookie, loaded.done)]);

  log(`isolation (${label}): the queue page during a 50-connection decision load`);
  const heavy = decisionLoad(base, auth, 50);
  await heavy.started;
  const [heavyResult, queue] = await Promise.all([heavy.done, loop(base, "/staff/concerns", auth.staffCookie, heavy.done)]);

  const ratio = during.p999 / alone.p999;
  const queueP99 = at(queue, 99);
  const rows = [
    `### Isolation at ${auth.size.toLocaleString("en")} customers: ${label} (${SECONDS} s per run; load average before ${loadBefore}, after ${load()})`,
    "",
    "| measure | figure | target | result |",
    "|---|---:|---|---|",
    `| decisions alone (${CONNECTIONS} conn.): req/s, p50 / p99 / p99.9 ms | ${Math.round(alone.rps)} req/s, ${ms(alone.p50)} / ${ms(alone.p99)} / ${ms(alone.p999)} | | |`,
    `| decisions during reports + search loops: req/s, p50 / p99 / p99.9 ms | ${Math.round(during.rps)} req/s, ${ms(during.p50)} / ${ms(during.p99)} / ${ms(during.p999)} | p99.9 ≤ 2x alone | ${ratio.toFixed(2)}x ${ratio <= 2 ? "PASS" : "FAIL"} |`,
    `| reports pages / searches done meanwhile: count (p50 ms) | ${reports.length} (${ms(at(reports, 50))}) / ${searches.length} (${ms(at(searches, 50))}) | | |`,
    `| queue page during 50-conn. decisions: p50 / p99 ms (${queue.length} pages; decisions ${Math.round(heavyResult.rps)} req/s) | ${ms(at(queue, 50))} / ${ms(queueP99)} | p99 < 250 ms | ${queueP99 < 250 ? "PASS" : "FAIL"} |`,
  ];
  for (const result of [alone, during, heavyResult]) {
    if (result.non2xx > 0 || result.errors > 0) rows.push("", `!! non-2xx: ${result.non2xx}, errors: ${result.errors}`);
  }
  return rows.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const engine = (arg("--engine") ?? "sqlite") as "sqlite" | "postgres";
  const size = Number((arg("--size") ?? "1000000").replace(/_/g, ""));
  if (engine !== "sqlite" && engine !== "postgres") throw new Error("--engine sqlite|postgres");
  if (engine === "postgres" && !/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "")) throw new Error("--engine postgres needs DATABASE_URL=postgres://…");
  const threaded = fs.readFileSync("app/utils/env.server.ts", "utf8").includes("PAGE_THREADS");
  const settings = threaded ? (arg("--threads") ?? "default,0").split(",") : ["(none)"];
  const log = (line: string) => console.log(line);
  const target = await targetFor(engine, size, seedTag());
  const reports: string[] = [];
  for (const setting of settings) {
    const extraEnv: Record<string, string> = threaded && setting !== "default" ? { PAGE_THREADS: setting } : {};
    const label = !threaded ? "the server as it is (no PAGE_THREADS)" : setting === "default" ? "PAGE_THREADS unset (default)" : `PAGE_THREADS=${setting}`;
    const prepared = await prepareAuth(target);
    const server = await startProductionServer(target, extraEnv);
    try {
      log(`isolation: ${engine}, ${size.toLocaleString("en")} customers, ${label}: server pid ${server.pid}, bench pid ${process.pid}`);
      reports.push(await runIsolation(server.base, await signIn(server.base, prepared, size), log, `${engine}, ${label}`));
    } finally {
      await server.stop();
    }
  }
  console.log(`\n${reports.join("\n\n")}`);
}
