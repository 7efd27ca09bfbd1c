/**
 * Starts a real Candor server process for tests that need the whole HTTP stack (security-header
 * wrapper, lean API, URL guard, Express, React Router): a fresh copy of the seeded template
 * database on the suite's engine (a SQLite file, or a PostgreSQL database when DATABASE_URL is
 * postgres://…), a free loopback port, production mode. The child runs in its own process group so
 * `stop()` ends tsx and the node process under it.
 */
import { spawn } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { freshTestDatabase } from "./database";

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 */
  base: string;
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
 * The environment that points a child process (server, CLI) at `database`: DATABASE_PATH with an
 * empty DATABASE_URL (unset, for the app) for a SQLite file, DATABASE_URL for PostgreSQL.
 */
export function databaseEnv(database: AnyDatabase): Record<string, string> {
  return database.engine === "sqlite" ? { DATABASE_URL: "", DATABASE_PATH: database.client.name } : { DATABASE_URL: database.url };
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * @param options.script the entry to run (default: the shipped composition, test/bench/shipped-server.ts)
 * @param options.env extra environment for the server
 * @param options.prepare runs (async) on the database before the server starts (API keys, sites…)
 * @param options.echo also write the server's stderr to this process's stderr (default true)
 */
export async function startServer(
  options: { script?: string; env?: Record<string, string>; prepare?: (db: Db) => unknown; echo?: boolean } = {},
): Promise<RunningServer> {
  const database = await freshTestDatabase();
  await options.prepare?.(database.db);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logs: string[] = [];
  const child = spawn(path.resolve("node_modules/.bin/tsx"), [options.script ?? "test/bench/shipped-server.ts"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", ...databaseEnv(database), PUBLIC_URL: base, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    logs.push(chunk.toString());
    if (options.echo ?? true) process.stderr.write(chunk);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (chunk: Buffer) => (chunk.toString().includes("listening") ? resolve() : logs.push(chunk.toString())));
      child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${logs.join("")}`)));
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    base,
    db: database.db,
    database,
    logs,
    async stop() {
      if (child.pid && child.exitCode === null && child.signalCode === null) {
        process.kill(-child.pid, "SIGTERM");
        await exited;
      }
      await database.close();
    },
  };
}
