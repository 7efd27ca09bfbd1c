/**
 * Starts a real Candor server process for tests that need the whole HTTP stack (security-header
 * wrapper, lean API, URL guard, Express, React Router): a copy of the seeded template database,
 * a free loopback port, production mode. The child runs in its own process group so `stop()` ends
 * tsx and the node process under it.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { Db } from "../../app/utils/db.server";
import { openSqliteDatabase, type SqliteDatabase } from "../../app/utils/db-sqlite.server";
import { TEMPLATE_PATH } from "./database";

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 */
  base: string;
  /** The server's SQLite file, opened here too (WAL allows both), as the CLI would: the domain's async handle. */
  db: Db;
  /** The same connection (raw SQL through `database.client`); closed by `stop()`. */
  database: SqliteDatabase;
  file: string;
  /** Everything the server wrote, except its "listening" line. */
  logs: string[];
  stop(): void;
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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candor-server-"));
  const file = path.join(dir, "candor.sqlite");
  fs.copyFileSync(TEMPLATE_PATH, file);
  const database = openSqliteDatabase(file);
  await options.prepare?.(database.db);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logs: string[] = [];
  const child = spawn(path.resolve("node_modules/.bin/tsx"), [options.script ?? "test/bench/shipped-server.ts"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: file, PUBLIC_URL: base, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    logs.push(chunk.toString());
    if (options.echo ?? true) process.stderr.write(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => (chunk.toString().includes("listening") ? resolve() : logs.push(chunk.toString())));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${logs.join("")}`)));
  });
  return {
    base,
    db: database.db,
    database,
    file,
    logs,
    stop() {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
      void database.close();
    },
  };
}
