/**
 * `npm run crash-test [-- --engine sqlite|postgres|both] [--rounds N] [--seed N] [--self-check]` (SPEC §10
 * Durability, issue 10): kill -9 under load, nothing acknowledged lost.
 *
 * Per engine, a database is prepared once (test/crash/fixture.ts). Then, per round:
 * 1. the production server (`node <CANDOR_BUILD_DIR|build>/server/index.js`, built if missing)
 *    starts on it — after the first round, on the database a killed server left behind (WAL
 *    recovery on SQLite, a dead pool's transactions on PostgreSQL);
 * 2. concurrent clients (test/crash/load.ts) save choices, file concerns, ask for decisions and
 *    write staff notes, logging every write that was answered as done;
 * 3. once every kind of write has been answered, a random 0.3–2 s later, the server gets SIGKILL
 *    mid-load (every client has a request in flight); with it down, test/crash/verify.ts checks that every
 *    acknowledged write is there and nothing is half-written, the engine's integrity checks, and
 *    the audit chain. On SQLite the checks read a copy of the files as the kill left them (the
 *    database and its -wal), so the next server start still has the log to recover.
 * After the last round the server starts once more, answers /healthz and stops gracefully, and
 * every acknowledged write of every round is checked on the database itself.
 *
 * Prints a line per round and, per engine, `crash-test: engine=<e> rounds=<n> acknowledged=<N> lost=<L>`.
 * Exits 1 on any lost write, half-written change, integrity or audit failure, or an answer other
 * than the expected success while the server was up; the failing database is kept (its path is printed).
 * `--seed N` repeats a run's round lengths (printed with each run).
 *
 * `--self-check`: after round 1, damages the database one way at a time (test/crash/self-check.ts:
 * ten kinds on copies of the SQLite file; an orphan row on PostgreSQL) and fails unless the checks
 * find each damage.
 *
 * The server's migrations come from db/migrations of the working directory (as `npm run serve`).
 * Environment: CRASH_ROUNDS (default 100), CANDOR_BUILD_DIR; PostgreSQL: DATABASE_URL or
 * TEST_DATABASE_URL (postgres://…, a database is created on that server and dropped after), else
 * a throw-away cluster (test/postgres-cluster.mjs).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import type { AnyDatabase } from "../../app/utils/db.server";
import { openPostgresDatabase, type PostgresDatabase } from "../../app/utils/db-postgres.server";
import { openSqliteDatabase, type SqliteDatabase } from "../../app/utils/db-sqlite.server";
import { mulberry32 } from "../../db/seeded-random";
import { withDatabase } from "../support/postgres";
import { ensureBuild } from "../support/build";
import type { SpawnedServer } from "../support/server";
import { prepareCrashDatabase, type CrashFixture } from "./fixture";
import { emptyJournal, signInAll, startLoad, type Journal } from "./load";
import { startProductionServer, startReceiver, type Receiver } from "./server";
import { selfCheck, selfCheckPostgres } from "./self-check";
import { checkIntegrity, checkRound, type CheckResult } from "./verify";

type Engine = "sqlite" | "postgres";

const { values: args } = parseArgs({
  options: { engine: { type: "string", default: "both" }, rounds: { type: "string" }, seed: { type: "string" }, "self-check": { type: "boolean", default: false } },
  strict: true,
});
if (!["sqlite", "postgres", "both"].includes(args.engine!)) throw new Error(`--engine must be sqlite, postgres or both, not ${args.engine}`);
const ROUNDS = Number(args.rounds ?? process.env.CRASH_ROUNDS ?? 100);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`--rounds must be a positive whole number, not ${args.rounds ?? process.env.CRASH_ROUNDS}`);
const SEED = Number(args.seed ?? Math.floor(Math.random() * 2 ** 31));
const MIN_LOAD_MS = 300;
const MAX_LOAD_MS = 2000;
/** The longest wait for the first acknowledged write of every kind (a cold server on a busy machine). */
const WARM_UP_LIMIT_MS = 30_000;
/** How long the clients get to notice the kill before their requests are aborted. */
const STOP_LIMIT_MS = 10_000;

interface Target {
  /** The environment that points the server at the database. */
  serverEnv: Record<string, string>;
  /** Opens the database for the checks (SQLite: a copy of the files as the crash left them). */
  openForCheck(): Promise<{ database: AnyDatabase; close(): Promise<void> }>;
  /** Opens the database itself (after a graceful stop). */
  openLive(): AnyDatabase;
  /** Where the data is (kept for inspection when a round fails). */
  where: string;
  /** Deletes the data (unless `keep`) and stops what the target started. */
  cleanup(keep: boolean): Promise<void>;
}

async function sqliteTarget(dir: string): Promise<Target> {
  const file = path.join(dir, "candor.sqlite");
  return {
    serverEnv: { DATABASE_URL: "", DATABASE_PATH: file },
    async openForCheck() {
      const copyDir = fs.mkdtempSync(path.join(dir, "check-"));
      const copy = path.join(copyDir, "candor.sqlite");
      // The files as the kill left them; the -shm (an index of the -wal) is rebuilt on open.
      for (const suffix of ["", "-wal"]) if (fs.existsSync(file + suffix)) fs.copyFileSync(file + suffix, copy + suffix);
      const database = openSqliteDatabase(copy);
      return {
        database,
        async close() {
          await database.close();
          fs.rmSync(copyDir, { recursive: true, force: true });
        },
      };
    },
    openLive: () => openSqliteDatabase(file),
    where: file,
    cleanup: async (keep) => {
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresTarget(): Promise<Target> {
  let serverUrl = [process.env.DATABASE_URL, process.env.TEST_DATABASE_URL].find((url) => url && /^postgres(ql)?:\/\//.test(url));
  let stopCluster: (() => Promise<void>) | undefined;
  if (!serverUrl) {
    const { startCluster } = (await import(new URL("../postgres-cluster.mjs", import.meta.url).href)) as { startCluster(): Promise<{ url: string; stop(): Promise<void> }> };
    const cluster = await startCluster();
    serverUrl = cluster.url;
    stopCluster = cluster.stop;
    console.log(`crash-test: a throw-away PostgreSQL cluster at ${serverUrl}`);
  }
  const name = `candor_crash_${randomBytes(5).toString("hex")}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${name}"`);
  const url = withDatabase(serverUrl, name);
  let checker: AnyDatabase | undefined;
  const open = () => (checker ??= openPostgresDatabase(url, { max: 2, idleTimeoutMillis: 1_000 }));
  return {
    serverEnv: { DATABASE_URL: url },
    openForCheck: async () => ({ database: open(), close: async () => undefined }),
    openLive: open,
    where: url,
    async cleanup(keep) {
      await checker?.close();
      checker = undefined;
      // A throw-away cluster goes with its data: there is nothing to keep.
      if (!keep || stopCluster) await admin(`drop database if exists "${name}" with (force)`);
      await stopCluster?.();
    },
  };
}

/** What an interrupt (Ctrl-C, SIGTERM) must end: the running server, the engine's data and cluster. */
const onInterrupt = new Set<() => Promise<unknown>>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.log(`crash-test: ${signal}, stopping`);
    void Promise.allSettled([...onInterrupt].map((end) => end())).finally(() => process.exit(130));
  });
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
const seconds = (ms: number) => (ms / 1000).toFixed(2);

interface EngineResult {
  engine: Engine;
  rounds: number;
  acknowledged: number;
  lost: number;
  failed: boolean;
}

function acknowledged(journal: Journal): number {
  return journal.decisions.length + journal.preferences.length + journal.concerns.length + journal.notes.length;
}

function report(round: string, check: CheckResult, integrity: { problems: string[] }, refusals: string[]): string[] {
  return [...check.problems, ...integrity.problems, ...refusals.slice(0, 5).map((r) => `unexpected answer: ${r}`), ...(refusals.length > 5 ? [`… and ${refusals.length - 5} more unexpected answers`] : [])].map(
    (line) => `  ${round}: ${line}`,
  );
}

async function runEngine(engine: Engine, entry: string, receiver: Receiver): Promise<EngineResult> {
  // The round lengths come from their own sequence, so --seed repeats them whatever the clients drew.
  const roundLengths = mulberry32(SEED + (engine === "postgres" ? 1 : 0));
  const random = mulberry32(SEED + 2 + (engine === "postgres" ? 1 : 0));
  const began = performance.now();
  const target = engine === "sqlite" ? await sqliteTarget(fs.mkdtempSync(path.join(os.tmpdir(), "candor-crash-"))) : await postgresTarget();
  const endTarget = () => target.cleanup(false);
  onInterrupt.add(endTarget);
  // The server of the moment: killed on an interrupt and whenever the run stops early.
  let server: SpawnedServer | undefined;
  const endServer = async () => server?.stop("SIGKILL");
  onInterrupt.add(endServer);
  const journal = emptyJournal();
  let failed = false;
  let lost = 0;
  let roundsRun = 0;
  try {
    // ── The database, prepared once.
    let fixture: CrashFixture;
    {
      const database = engine === "sqlite" ? target.openLive() : (await target.openForCheck()).database;
      fixture = await prepareCrashDatabase(database, receiver.url);
      if (engine === "sqlite") await database.close();
    }
    let auditEntries = 0;
    const initial = await target.openForCheck();
    let state = await checkRound(initial.database, fixture, journal, { round: 0, outcomes: [], full: true, previousAuditEntries: 0, random });
    await initial.close();
    if (state.problems.length > 0) throw new Error(`the prepared database fails its own checks:\n${state.problems.join("\n")}`);
    console.log(`crash-test: engine=${engine} seed=${SEED} rounds=${ROUNDS} database ${target.where}`);

    const startups: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      server = await startProductionServer(entry, target.serverEnv);
      if (round > 1) startups.push(server.startupMs);
      await signInAll(fixture, server.base);
      const loadMs = MIN_LOAD_MS + roundLengths() * (MAX_LOAD_MS - MIN_LOAD_MS);
      const load = startLoad(fixture, { round, base: server.base, choiceValues: state.choiceValues, caseRevisions: state.caseRevisions }, journal, random);
      // The kill comes a random time after every kind of write is under way, so each round
      // crashes with all four in flight (a cold server needs a moment for its first answers).
      const warmUp = performance.now();
      const giveUp = new AbortController();
      await Promise.race([load.everyKindAcknowledged, load.finished, sleep(WARM_UP_LIMIT_MS, giveUp.signal)]);
      giveUp.abort();
      const warmUpMs = performance.now() - warmUp;
      await sleep(loadMs);
      load.killed();
      await server.stop("SIGKILL");
      const stopWait = new AbortController();
      await Promise.race([load.finished, sleep(STOP_LIMIT_MS, stopWait.signal)]);
      stopWait.abort();
      load.abort();
      await load.finished;
      roundsRun = round;

      const check = await target.openForCheck();
      let integrity: { problems: string[]; checked: string };
      try {
        state = await checkRound(check.database, fixture, journal, { round, outcomes: load.preferenceOutcomes(), full: false, previousAuditEntries: auditEntries, random });
        integrity = await checkIntegrity(check.database);
      } finally {
        await check.close();
      }
      auditEntries = state.auditEntries;
      lost += state.lost;
      const counts = load.counts();
      const problems = report(`round ${round}`, state, integrity, load.refusals());
      console.log(
        `round ${round}/${ROUNDS} ${engine}: killed ${seconds(loadMs)} s after the first answers (${seconds(warmUpMs)} s); acknowledged decisions=${counts.decisions} preferences=${counts.preferences} concerns=${counts.concerns} notes=${counts.notes}, unanswered ${load.unanswered()}; ` +
          `startup ${Math.round(server.startupMs)} ms; audit ${state.auditEntries} entries; ${integrity.checked}: ${problems.length === 0 ? "ok" : "FAILED"}`,
      );
      if (problems.length > 0) {
        console.log(problems.join("\n"));
        console.log(`  the server's last output:\n${server.output().replace(/^/gm, "    ")}`);
        failed = true;
        break;
      }
      if (round === 1 && args["self-check"]) {
        const missed =
          engine === "sqlite"
            ? await selfCheck(target.openForCheck as () => Promise<{ database: SqliteDatabase; close(): Promise<void> }>, fixture, journal, { round, outcomes: load.preferenceOutcomes(), random })
            : await selfCheckPostgres(target.openLive() as PostgresDatabase);
        if (missed === null) console.log("  self-check: skipped (switching foreign key triggers off needs a superuser)");
        else if (missed.length > 0) {
          console.log(`  self-check: the checks missed ${missed.length} damage(s): ${missed.join("; ")}`);
          failed = true;
          break;
        }
      }
    }

    if (!failed) {
      // ── Once more: the server recovers from the last kill, answers, and stops gracefully; then
      // every acknowledged write of every round is checked on the database itself.
      server = await startProductionServer(entry, target.serverEnv);
      startups.push(server.startupMs);
      const health = await fetch(`${server.base}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
      const code = await server.stop();
      const database = target.openLive();
      try {
        const final = await checkRound(database, fixture, journal, { round: -1, outcomes: [], full: true, previousAuditEntries: auditEntries, random });
        const integrity = await checkIntegrity(database);
        lost += final.lost;
        const problems = [
          ...report("final", final, integrity, []),
          ...(health === 200 ? [] : [`  final: /healthz answered ${health} after recovery`]),
          ...(code === 0 ? [] : [`  final: graceful stop exited with ${code}`]),
        ];
        if (problems.length > 0) {
          console.log(problems.join("\n"));
          failed = true;
        }
      } finally {
        if (engine === "sqlite") await database.close();
      }
      const sorted = [...startups].sort((a, b) => a - b);
      const latencies = journal.decisions.map((d) => d.latencyMs).sort((a, b) => a - b);
      const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
      console.log(
        `crash-test: engine=${engine} final check of all ${acknowledged(journal)} acknowledged writes (decisions=${journal.decisions.length} preferences=${journal.preferences.length} ` +
          `concerns=${journal.concerns.length} notes=${journal.notes.length}): ${failed ? "FAILED" : "ok"}; startup after a crash p50 ${Math.round(sorted[Math.floor(sorted.length / 2)]!)} ms, ` +
          `max ${Math.round(sorted.at(-1)!)} ms; decision answers under the mixed load p50 ${at(0.5)} ms, p99 ${at(0.99)} ms; ${seconds(performance.now() - began)} s`,
      );
    }
  } catch (error) {
    failed = true;
    console.log(`crash-test: engine=${engine} stopped: ${(error as Error).stack ?? String(error)}`);
  } finally {
    await endServer();
    onInterrupt.delete(endServer);
    if (failed) console.log(`crash-test: the ${engine} database is kept for inspection: ${target.where}`);
    onInterrupt.delete(endTarget);
    await target.cleanup(failed);
  }
  return { engine, rounds: roundsRun, acknowledged: acknowledged(journal), lost, failed };
}

const engines: Engine[] = args.engine === "both" ? ["sqlite", "postgres"] : [args.engine as Engine];
const entry = ensureBuild("crash-test");
const receiver = await startReceiver();
const results: EngineResult[] = [];
try {
  for (const engine of engines) results.push(await runEngine(engine, entry, receiver));
} finally {
  await receiver.close();
}
for (const result of results) {
  console.log(`crash-test: engine=${result.engine} rounds=${result.rounds} acknowledged=${result.acknowledged} lost=${result.lost}${result.failed ? " FAILED" : ""}`);
}
process.exit(results.some((r) => r.failed || r.lost > 0) ? 1 : 0);
