/**
 * Server processes for tests, benches and the crash and multi-instance tools: `spawnServer` starts
 * any server process and waits for its ready line (the one way they all start one), `startServer`
 * a real Candor server for tests that need the whole HTTP stack (security-header wrapper, lean
 * API, URL guard, Express, React Router) on a fresh copy of the seeded template database.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { freshTestDatabase } from "./database";

/**
 * The environment that points a child process (server, CLI) at `database`: DATABASE_PATH with an
 * empty DATABASE_URL (unset, for the app) for a SQLite file, DATABASE_URL for PostgreSQL.
 */
export function databaseEnv(database: AnyDatabase): Record<string, string> {
  return database.engine === "sqlite" ? { DATABASE_URL: "", DATABASE_PATH: database.client.name } : { DATABASE_URL: database.url };
}

/** A loopback TCP port free at the time of the call (the OS's pick). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Node's arguments that run a TypeScript entry in this very process (`spawnServer({ args: [...TS_ENTRY, "x.ts"] })`).
 * Not the tsx command: it would run node as a child of its own and relay signals to it, killing it
 * (SIGKILL) when the child has not acknowledged a signal within 30 ms — on a loaded machine, in the
 * middle of a graceful stop.
 */
export const TS_ENTRY = ["--import", "tsx"] as const;

export interface SpawnServerOptions {
  /** The program (default: this node binary; with TS_ENTRY in `args` for a TypeScript entry). */
  command?: string;
  /** Its arguments, e.g. `[<build>/server/index.js]`, or node flags then the entry. */
  args: string[];
  /**
   * More environment, over this process's and the defaults NODE_ENV=production, HOST=127.0.0.1,
   * PORT=`port`, PUBLIC_URL=http://127.0.0.1:`port`.
   */
  env?: Record<string, string>;
  /** The port it is told to listen on (default: a free one). */
  port?: number;
  cwd?: string;
  /** What its standard output says once it accepts connections (default "listening"). */
  readyLine?: string | RegExp;
  /** How long it may take to say it (default 60 s); then it is killed and the start rejects. */
  timeoutMs?: number;
  /**
   * Its own process group (default true), so signals reach the processes it runs (tsx runs node
   * as a child). False: it stays in this process's group, and ends with it on Ctrl-C.
   */
  group?: boolean;
  /** Also write its standard error to this process's (default false). */
  echo?: boolean;
  /** Every chunk it writes, as text, with the stream it came on. */
  onOutput?: (text: string, stream: "stdout" | "stderr") => void;
}

export interface SpawnedServer {
  child: ChildProcess;
  port: number;
  /** e.g. http://127.0.0.1:41234 */
  base: string;
  /** Milliseconds from the spawn to its ready line. */
  startupMs: number;
  /** Resolves with its exit code (null when a signal ended it) once it has exited. */
  exited: Promise<number | null>;
  /** The last lines it wrote (standard output and error), for failure reports. */
  output(): string;
  /**
   * Sends `signal` (default SIGTERM: a graceful stop) to it (its group when `group`) and resolves
   * with its exit code once it has exited; at once when it already has.
   */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Lines `output()` keeps. */
const OUTPUT_KEPT = 40;

/**
 * Starts a server process and resolves once its standard output holds `readyLine`. Rejects with
 * the last lines it wrote when it exits first or is not ready within `timeoutMs` (then it is
 * killed). Nothing is left running after a rejection.
 */
export async function spawnServer(options: SpawnServerOptions): Promise<SpawnedServer> {
  const port = options.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const group = options.group ?? true;
  const readyLine = options.readyLine ?? "listening";
  const timeoutMs = options.timeoutMs ?? 60_000;
  // Chunks end anywhere, lines too: the text is kept as it came, cut to its last lines.
  let tail = "";
  const keep = (text: string) => {
    tail = (tail + text).split("\n").slice(-OUTPUT_KEPT - 1).join("\n");
  };
  const output = () => tail.split("\n").filter(Boolean).join("\n");
  const started = performance.now();
  const child = spawn(options.command ?? process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), PUBLIC_URL: base, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: group,
  });
  // "error": it could not be started at all (no such program), and there is no "exit".
  let spawnError: Error | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", (error) => {
      spawnError = error;
      resolve(null);
    });
  });
  const signal = (name: NodeJS.Signals) => {
    if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(group ? -child.pid : child.pid, name);
    } catch {
      // exited meanwhile
    }
  };
  child.stderr!.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    keep(text);
    if (options.echo) process.stderr.write(chunk);
    options.onOutput?.(text, "stderr");
  });
  let said = "";
  let readyAt = 0;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal("SIGKILL");
      reject(new Error(`${options.args.join(" ")}: not ready ("${readyLine}") after ${timeoutMs} ms; its last output:\n${output()}`));
    }, timeoutMs);
    child.stdout!.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      keep(text);
      options.onOutput?.(text, "stdout");
      if (readyAt) return;
      // A line may come in two chunks: look at everything said so far.
      said += text;
      if (typeof readyLine === "string" ? said.includes(readyLine) : readyLine.test(said)) {
        readyAt = performance.now();
        said = "";
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      const how = spawnError ? `could not start (${spawnError.message})` : `exited (${code ?? child.signalCode}) before it was ready`;
      reject(new Error(`${options.args.join(" ")}: ${how}; its last output:\n${output()}`));
    });
  });
  try {
    await ready;
  } catch (error) {
    await exited;
    throw error;
  }
  return {
    child,
    port,
    base,
    startupMs: readyAt - started,
    exited,
    output,
    async stop(name: NodeJS.Signals = "SIGTERM") {
      signal(name);
      return exited;
    },
  };
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 */
  base: string;
  /** The server's process id (its threads are under /proc/<pid>/task on Linux). */
  pid: number;
  /** The server's database, opened here too (as the CLI would): the domain's async handle. */
  db: Db;
  /** The same database (raw SQL through test/support/raw-sql.ts); closed by `stop()`. */
  database: AnyDatabase;
  /** Everything the server wrote, except its "listening" line. */
  logs: string[];
  /** Ends the server's process group, waits for it to exit, then closes `database`. */
  stop(): Promise<void>;
}

/**
 * A real Candor server on a fresh copy of the seeded template database on the suite's engine (a
 * SQLite file, or a PostgreSQL database when DATABASE_URL is postgres://…), a free loopback port,
 * production mode, in its own process group.
 * @param options.script the entry to run with tsx (default: the shipped composition, test/bench/shipped-server.ts)
 * @param options.env extra environment for the server
 * @param options.prepare runs (async) on the database before the server starts (API keys, sites…)
 * @param options.echo also write the server's stderr to this process's stderr (default true)
 */
export async function startServer(
  options: { script?: string; env?: Record<string, string>; prepare?: (db: Db) => unknown; echo?: boolean } = {},
): Promise<RunningServer> {
  const database = await freshTestDatabase();
  const logs: string[] = [];
  let server: SpawnedServer;
  try {
    await options.prepare?.(database.db);
    server = await spawnServer({
      args: [...TS_ENTRY, options.script ?? "test/bench/shipped-server.ts"],
      env: { ...databaseEnv(database), ...options.env },
      echo: options.echo ?? true,
      onOutput: (text, stream) => (stream === "stderr" || !text.includes("listening")) && logs.push(text),
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    base: server.base,
    pid: server.child.pid!,
    db: database.db,
    database,
    logs,
    async stop() {
      await server.stop();
      await database.close();
    },
  };
}
