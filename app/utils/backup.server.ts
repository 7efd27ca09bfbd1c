/**
 * Backups and restores for each engine (`npm run cli -- backup --to <file>`,
 * `npm run cli -- restore --from <file>`):
 * - SQLite: the online backup API (`db.backup`) writes a consistent copy while the server runs;
 *   the copy is then opened and `PRAGMA integrity_check` must answer `ok`. Restore copies a checked
 *   backup over the database file: the server must be stopped.
 * - PostgreSQL: `pg_dump --format=custom` (a consistent snapshot while instances run), checked by
 *   listing it with `pg_restore --list`; restore is `pg_restore --clean --if-exists` into the
 *   database of DATABASE_URL. The client tools must match the server's major version.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { AnyDatabase } from "./db.server";

export class BackupError extends Error {}

/** Finds a PostgreSQL client tool on PATH, else in Debian's server folders. */
function postgresTool(name: "pg_dump" | "pg_restore"): string {
  const onPath = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
  if (onPath) return onPath;
  const root = "/usr/lib/postgresql";
  const majors = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const major of majors) {
    const candidate = path.join(root, major, "bin", name);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new BackupError(`${name} not found: install the PostgreSQL client tools (apt-get install postgresql-client)`);
}

function runTool(tool: string, args: string[]): string {
  const result = spawnSync(tool, args, { encoding: "utf8" });
  if (result.status !== 0) throw new BackupError(`${path.basename(tool)} failed: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

/** `PRAGMA integrity_check` of a SQLite file, opened read-only; throws unless it answers `ok`. */
export function checkSqliteFile(file: string): void {
  const copy = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const result = copy.pragma("integrity_check", { simple: true });
    if (result !== "ok") throw new BackupError(`integrity_check of ${file}: ${String(result)}`);
  } finally {
    copy.close();
  }
}

/**
 * Writes a consistent, checked backup of `database` to `file` (created; an existing file is
 * refused). Resolves to the file's size in bytes. Throws BackupError.
 */
export async function backupDatabase(database: AnyDatabase, file: string): Promise<number> {
  if (fs.existsSync(file)) throw new BackupError(`${file} exists: choose a new file name`);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (database.engine === "sqlite") {
    await database.client.backup(file);
    checkSqliteFile(file);
  } else {
    runTool(postgresTool("pg_dump"), ["--format=custom", "--no-owner", `--file=${file}`, `--dbname=${database.url}`]);
    const listing = runTool(postgresTool("pg_restore"), ["--list", file]);
    if (!/TABLE DATA public audit_log/.test(listing)) throw new BackupError(`${file} does not hold Candor's tables`);
  }
  return fs.statSync(file).size;
}

/**
 * Restores a backup made by backupDatabase into the database at `url` (`file:` path or
 * `postgres://`). SQLite: the server must be stopped; the backup is checked first, then copied
 * over the file (its -wal/-shm removed). PostgreSQL: existing objects are dropped and recreated.
 * Throws BackupError.
 */
export function restoreDatabase(url: string, file: string): void {
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist`);
  if (/^postgres(ql)?:\/\//.test(url)) {
    runTool(postgresTool("pg_restore"), ["--clean", "--if-exists", "--no-owner", "--single-transaction", `--dbname=${url}`, file]);
    return;
  }
  checkSqliteFile(file);
  const target = url.replace(/^file:/, "");
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(target + suffix, { force: true });
  fs.copyFileSync(file, target);
}
