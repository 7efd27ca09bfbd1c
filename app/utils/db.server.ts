import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "../../db/schema";
import { env } from "./env.server";
import { concernSearchText } from "./text";

/** A database handle or an open transaction: domain functions accept either. */
export type Db = BaseSQLiteDatabase<"sync", Database.RunResult, typeof schema>;
/** The process's connection, with the raw better-sqlite3 client for pragmas and backups. */
export type Connection = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * Opens a SQLite file with the pragmas every Candor connection needs. `secure_delete` makes
 * SQLite overwrite deleted rows and freed pages with zeros, so erased personal data (GDPR
 * Art. 17) does not linger in free space of the file; see also truncateWal.
 */
export function openDatabase(file: string): Connection {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("secure_delete = ON");
  return drizzle(sqlite, { schema }) as Connection;
}

/**
 * Copies every committed change from the write-ahead log into the main file and truncates the
 * log to zero bytes (`PRAGMA wal_checkpoint(TRUNCATE)`), so older versions of pages — e.g. with
 * data just erased — are no longer in the `-wal` file. Must be called on the connection, outside
 * any transaction; waits for other connections' readers up to busy_timeout. Returns false when a
 * reader kept the checkpoint from completing (the log then still holds older pages until the next one).
 */
export function truncateWal(db: Connection): boolean {
  const [result] = db.$client.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
  return result?.busy === 0;
}

/**
 * Runs pending migrations. The drizzle migrator wraps them in one transaction, where
 * `PRAGMA foreign_keys=OFF` is ignored — so a table-rebuild migration would cascade-delete
 * child rows. Foreign keys are switched off on the connection first and checked after.
 * Then the data steps SQL cannot do (Unicode folding) fill what migrations left empty.
 */
export function runMigrations(db: Connection, migrationsFolder = path.resolve("db/migrations")): void {
  const sqlite = db.$client;
  sqlite.pragma("foreign_keys = OFF");
  try {
    migrate(db, { migrationsFolder });
    const violations = sqlite.pragma("foreign_key_check") as unknown[];
    if (violations.length > 0) {
      throw new Error(`Migration left ${violations.length} foreign key violation(s)`);
    }
  } finally {
    sqlite.pragma("foreign_keys = ON");
  }
  backfillSearchText(db);
}

/**
 * Fills `concerns.search_text` where it is NULL (rows from before the column existed, or written by
 * hand): SQLite's lower() folds ASCII only, so the folding (`searchKey`) runs here. Idempotent.
 */
export function backfillSearchText(db: Connection): number {
  const sqlite = db.$client;
  const rows = sqlite.prepare("select id, ref, description, desired_outcome as desiredOutcome from concerns where search_text is null").all() as {
    id: number;
    ref: string;
    description: string;
    desiredOutcome: string;
  }[];
  if (rows.length === 0) return 0;
  const update = sqlite.prepare("update concerns set search_text = ? where id = ?");
  sqlite.transaction(() => {
    for (const row of rows) update.run(concernSearchText(row), row.id);
  }).immediate();
  return rows.length;
}

// One connection per process; kept on globalThis so dev-server reloads reuse it.
const globalForDb = globalThis as unknown as { __candorDb?: Connection };

export function getDb(): Connection {
  globalForDb.__candorDb ??= openDatabase(env().DATABASE_PATH);
  return globalForDb.__candorDb;
}
