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
 * Before them (when the server's process id is known: Linux /proc), what the staff requests cost
 * the server's main thread — the thread that answers the hot path — measured without decision
 * load: CPU ms of the main thread and of the whole process per reports page and per search
 * (STAFF_REQUESTS, 20 each, sequential; 0 leaves this out), and the main thread's CPU per second
 * while idle (the workers' ticks). During the first two decision loads: the main thread's share of
 * a CPU, and how long per second it was ready to run but waited for a CPU (contention: the load
 * generator, the timed client and the page threads on the same cores).
 *
 * Alone: `npx tsx test/bench/isolation.ts [--engine sqlite|postgres] [--size 1000000]
 * [--threads default,0] [--runs 1]` starts the server on the growth bench's cached database of
 * that size (seeding it when missing, see growth-support.ts; PostgreSQL: DATABASE_URL names the
 * server) once per PAGE_THREADS value ("default": unset) and prints one table per value, with each
 * run's figures and, with `--runs N` (N > 1), the median of the N runs: the p99.9 ratio of one run
 * moves by ±0.5 on a shared 2-core machine. Without PAGE_THREADS in app/utils/env.server.ts (before
 * page threads existed) it runs the server once, as it is. `npm run bench:growth -- --isolation`
 * runs the measures once at its largest size (runIsolation). No CI job runs this bench. The figures
 * are for the machine the bench ran on, with what else ran on it (printed: `uptime`).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { prepareAuth, QUEUE_WORD, seedTag, signIn, startProductionServer, targetFor, type Auth } from "./growth-support";

const SECONDS = Number(process.env.ISOLATION_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.ISOLATION_CONNECTIONS ?? 10);
const STAFF_REQUESTS = Number(process.env.STAFF_REQUESTS ?? 20);
const IDLE_SECONDS = 10;
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
  while (!done) times.push(await timed(base, path, cookie));
  return times.sort((a, b) => a - b);
}

const at = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const ms = (value: number) => (value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString("en"));
const load = () => os.loadavg().map((n) => n.toFixed(1)).join(", ");
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * CPU time (ms) the server process `pid` has used so far: its main thread (the thread whose id is
 * the process id: the listener, the lean API, the workers' ticks without page threads) and all
 * its threads together (page threads, libuv's pool, V8's helpers; threads that ended are not
 * counted); and `mainWait`: how long the main thread was ready to run but waited for a CPU (ms) —
 * time a decision waits that no code of ours spends. From /proc/<pid>/task/<tid>/schedstat (ns on
 * a CPU, ns waiting on a run queue); null where there is no /proc.
 */
function cpuMs(pid: number): { main: number; mainWait: number; total: number } | null {
  const schedstat = (tid: string) => fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ").map((n) => Number(n) / 1e6);
  try {
    let total = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        total += schedstat(tid)[0]!;
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    const [main, mainWait] = schedstat(String(pid));
    return { main: main!, mainWait: mainWait!, total };
  } catch {
    return null;
  }
}

/** What the staff requests cost the server's threads, measured without decision load. */
interface StaffCost {
  /** Main-thread / whole-process CPU ms per request. */
  reports: { main: number; total: number; p50: number };
  searches: { main: number; total: number; p50: number };
  /** Main-thread CPU ms per second with nothing asked (the workers' ticks). */
  idleMainPerSecond: number;
}

async function staffCost(base: string, auth: Auth, pid: number, log: (line: string) => void): Promise<StaffCost | null> {
  if (!cpuMs(pid) || STAFF_REQUESTS < 1) return null;
  log(`isolation: main-thread CPU per staff request (${STAFF_REQUESTS} of each, no decision load) and while idle (${IDLE_SECONDS} s)`);
  const measure = async (path: string, cookie: string) => {
    for (let i = 0; i < 3; i++) await timed(base, path, cookie);
    const before = cpuMs(pid)!;
    const times: number[] = [];
    for (let i = 0; i < STAFF_REQUESTS; i++) times.push(await timed(base, path, cookie));
    const after = cpuMs(pid)!;
    return { main: (after.main - before.main) / STAFF_REQUESTS, total: (after.total - before.total) / STAFF_REQUESTS, p50: at(times.sort((a, b) => a - b), 50) };
  };
  const reports = await measure("/staff/reports", auth.supervisorCookie);
  const searches = await measure(`/staff/concerns?q=${QUEUE_WORD}`, auth.staffCookie);
  const idleBefore = cpuMs(pid)!;
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const idleMainPerSecond = (cpuMs(pid)!.main - idleBefore.main) / IDLE_SECONDS;
  return { reports, searches, idleMainPerSecond };
}

/** One request of `path`, timed to its last byte (ms); throws unless it answers 200. */
async function timed(base: string, path: string, cookie: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(base + path, { headers: { Cookie: cookie }, redirect: "manual" });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  return performance.now() - started;
}

/** One run of the three measures (numbers; isolationTable prints them). */
export interface IsolationRun {
  loadBefore: string;
  loadAfter: string;
  alone: LoadResult;
  during: LoadResult;
  reports: number[];
  searches: number[];
  heavy: LoadResult;
  queue: number[];
  /**
   * The main thread during decisions alone and during the staff loops: its share of one CPU (%),
   * and the ms per second it was ready to run but waited for a CPU; null without /proc.
   */
  mainBusy: { alone: number; during: number; aloneWait: number; duringWait: number } | null;
  staff: StaffCost | null;
}

/**
 * Runs the three isolation measures once against the server at `base` (`pid`: its process id,
 * for the main thread's CPU figures; without it they are left out). `label` names it in the log.
 */
export async function measureIsolation(base: string, auth: Auth, log: (line: string) => void, label: string, pid?: number): Promise<IsolationRun> {
  const loadBefore = load();
  const staff = pid === undefined ? null : await staffCost(base, auth, pid, log);
  const busy = async <T>(work: Promise<T>, started: Promise<void>) => {
    await started;
    const before = pid === undefined ? null : cpuMs(pid);
    const at0 = performance.now();
    const result = await work;
    const after = pid === undefined ? null : cpuMs(pid);
    const elapsed = performance.now() - at0;
    return {
      result,
      mainPercent: before && after ? (100 * (after.main - before.main)) / elapsed : NaN,
      mainWaitPerSecond: before && after ? (1000 * (after.mainWait - before.mainWait)) / elapsed : NaN,
    };
  };

  log(`isolation (${label}): decisions alone (${SECONDS} s, ${CONNECTIONS} connections)`);
  const aloneLoad = decisionLoad(base, auth, CONNECTIONS);
  const alone = await busy(aloneLoad.done, aloneLoad.started);

  log(`isolation (${label}): decisions during a reports loop and a queue search loop`);
  const loaded = decisionLoad(base, auth, CONNECTIONS);
  await loaded.started;
  const [during, reports, searches] = await Promise.all([
    busy(loaded.done, loaded.started),
    loop(base, "/staff/reports", auth.supervisorCookie, loaded.done),
    loop(base, `/staff/concerns?q=${QUEUE_WORD}`, auth.staffCookie, loaded.done),
  ]);

  log(`isolation (${label}): the queue page during a 50-connection decision load`);
  const heavy = decisionLoad(base, auth, 50);
  await heavy.started;
  const [heavyResult, queue] = await Promise.all([heavy.done, loop(base, "/staff/concerns", auth.staffCookie, heavy.done)]);
  const mainBusy = pid === undefined ? null : { alone: alone.mainPercent, during: during.mainPercent, aloneWait: alone.mainWaitPerSecond, duringWait: during.mainWaitPerSecond };
  return { loadBefore, loadAfter: load(), alone: alone.result, during: during.result, reports, searches, heavy: heavyResult, queue, mainBusy, staff };
}

/** A run's decision p99.9 during the staff loops, as a multiple of alone. */
const ratioOf = (run: IsolationRun) => run.during.p999 / run.alone.p999;

/**
 * The runs (at least one) as a markdown table: one column per run and, for several, their median
 * (the judgement: a p99.9 ratio of one run on a shared machine is noise-prone).
 */
export function isolationTable(runs: IsolationRun[], size: number, label: string): string {
  const columns = runs.length > 1 ? [...runs.map((_, i) => `run ${i + 1}`), `median of ${runs.length}`] : ["figure"];
  const row = (name: string, cell: (run: IsolationRun) => number, format: (value: number) => string, target = "", pass?: (value: number) => boolean) => {
    const values = runs.map(cell);
    const cells = values.map(format);
    const judged = runs.length > 1 ? median(values) : values[0]!;
    if (runs.length > 1) cells.push(`**${format(judged)}**`);
    return `| ${name} | ${cells.join(" | ")} | ${target} | ${pass ? (pass(judged) ? "PASS" : "FAIL") : ""} |`;
  };
  const times = (sorted: number[], p: number) => at(sorted, p);
  const lines = [
    `### Isolation at ${size.toLocaleString("en")} customers: ${label} (${SECONDS} s per load; ${runs.length} run${runs.length > 1 ? "s" : ""}; load average ${runs.map((r) => `${r.loadBefore} → ${r.loadAfter}`).join("; ")})`,
    "",
    `| measure | ${columns.join(" | ")} | target | result |`,
    `|---|${columns.map(() => "---:").join("|")}|---|---|`,
    row(`decisions alone (${CONNECTIONS} conn.): req/s`, (r) => r.alone.rps, (v) => String(Math.round(v))),
    row("decisions alone: p99.9 ms", (r) => r.alone.p999, (v) => ms(v)),
    row("decisions during reports + search loops: req/s", (r) => r.during.rps, (v) => String(Math.round(v))),
    row("decisions during reports + search loops: p99.9 ms", (r) => r.during.p999, (v) => ms(v)),
    row("p99.9 during ÷ alone", ratioOf, (v) => `${v.toFixed(2)}x`, "≤ 2x", (v) => v <= 2),
    row("reports pages done meanwhile", (r) => r.reports.length, String),
    row("searches done meanwhile", (r) => r.searches.length, String),
    row("reports page p50 ms meanwhile", (r) => times(r.reports, 50), (v) => ms(v)),
    row("search p50 ms meanwhile", (r) => times(r.searches, 50), (v) => ms(v)),
    row("queue page during 50-conn. decisions: p99 ms", (r) => times(r.queue, 99), (v) => ms(v), "< 250 ms", (v) => v < 250),
  ];
  if (runs.every((r) => r.mainBusy)) {
    lines.push(
      row("main thread busy, decisions alone (% of a CPU)", (r) => r.mainBusy!.alone, (v) => v.toFixed(0)),
      row("main thread busy, during the staff loops (% of a CPU)", (r) => r.mainBusy!.during, (v) => v.toFixed(0)),
      row("main thread waiting for a CPU, decisions alone (ms per s)", (r) => r.mainBusy!.aloneWait, (v) => v.toFixed(0)),
      row("main thread waiting for a CPU, during the staff loops (ms per s)", (r) => r.mainBusy!.duringWait, (v) => v.toFixed(0)),
    );
  }
  if (runs.every((r) => r.staff)) {
    lines.push(
      row("main-thread CPU ms per reports page (no decision load)", (r) => r.staff!.reports.main, (v) => v.toFixed(2)),
      row("process CPU ms per reports page (all threads)", (r) => r.staff!.reports.total, (v) => v.toFixed(1)),
      row("main-thread CPU ms per search", (r) => r.staff!.searches.main, (v) => v.toFixed(2)),
      row("process CPU ms per search (all threads)", (r) => r.staff!.searches.total, (v) => v.toFixed(1)),
      row("reports page p50 ms, no decision load", (r) => r.staff!.reports.p50, (v) => ms(v)),
      row("search p50 ms, no decision load", (r) => r.staff!.searches.p50, (v) => ms(v)),
      row("main-thread CPU ms per second, idle (ticks)", (r) => r.staff!.idleMainPerSecond, (v) => v.toFixed(2)),
    );
  }
  for (const [i, run] of runs.entries()) {
    for (const result of [run.alone, run.during, run.heavy]) {
      if (result.non2xx > 0 || result.errors > 0) lines.push("", `!! run ${i + 1}: non-2xx: ${result.non2xx}, errors: ${result.errors}`);
    }
  }
  return lines.join("\n");
}

/**
 * Runs the three isolation measures once against the server at `base` (`label` names it in the
 * title; `pid`: the server's process id, for the main thread's CPU figures); returns them as a
 * markdown table with the machine's load average before and after.
 */
export async function runIsolation(base: string, auth: Auth, log: (line: string) => void, label: string, pid?: number): Promise<string> {
  return isolationTable([await measureIsolation(base, auth, log, label, pid)], auth.size, label);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const engine = (arg("--engine") ?? "sqlite") as "sqlite" | "postgres";
  const size = Number((arg("--size") ?? "1000000").replace(/_/g, ""));
  const runCount = Number(arg("--runs") ?? 1);
  if (engine !== "sqlite" && engine !== "postgres") throw new Error("--engine sqlite|postgres");
  if (!Number.isInteger(runCount) || runCount < 1) throw new Error("--runs <a whole number ≥ 1>");
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
      const auth = await signIn(server.base, prepared, size);
      const runs: IsolationRun[] = [];
      for (let i = 0; i < runCount; i++) {
        const run = await measureIsolation(server.base, auth, log, `${engine}, ${label}, run ${i + 1} of ${runCount}`, server.pid);
        log(`isolation (${label}): run ${i + 1}: p99.9 ${ms(run.during.p999)} ms during ÷ ${ms(run.alone.p999)} ms alone = ${ratioOf(run).toFixed(2)}x`);
        runs.push(run);
      }
      reports.push(isolationTable(runs, size, `${engine}, ${label}`));
    } finally {
      await server.stop();
    }
  }
  console.log(`\n${reports.join("\n\n")}`);
}
