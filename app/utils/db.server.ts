/**
 * The database port. `openDatabase(url)` picks the engine from DATABASE_URL — unset or `file:` →
 * the embedded SQLite file, `postgres://` → PostgreSQL — and returns a `Database` whose `db` the
 * domain uses for both: every domain function is async and takes `db` (or a transaction from
 * `db.transaction(async (tx) => …)`) as its first argument.
 *
 * Rules for code written against `Db` (they keep it valid on both engines):
 * - await query builders; read one row with `const [row] = await …limit(1)`; never `.get()`,
 *   `.all()`, `.run()` or `.values()` (SQLite-only);
 * - affected rows: `.returning()`, or `rowCount` of an awaited update/delete;
 * - inside a transaction use `tx` for every statement; never open `db.transaction` inside another;
 * - what truly differs between engines (`least` vs `min`, `ILIKE`, advisory locks, `FOR UPDATE
 *   SKIP LOCKED`) goes in small per-engine pieces (`forEngine`); raw SQL through `executeSql`.
 */
import BetterSqlite3 from "better-sqlite3";
import { and, asc, eq, is, isNull, type SQL } from "drizzle-orm";
import { PgDatabase } from "drizzle-orm/pg-core";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import * as schema from "../../db/schema";
import { env } from "./env.server";
import { concernSearchText } from "./text";
import { allSqliteRows, migrateSqlite, openSqliteDatabase, type SqliteDatabase } from "./db-sqlite.server";
import { migratePostgres, openPostgresDatabase, type PostgresDatabase } from "./db-postgres.server";

/** What an awaited insert/update/delete without `.returning()` gives, on both engines. */
export interface RunResult {
  /** Rows written (PostgreSQL's rowCount, SQLite's changes). */
  rowCount: number | null;
}

/** A database handle or an open transaction: domain functions accept either. */
export type Db = BaseSQLiteDatabase<"async", RunResult, typeof schema>;

export type Engine = "sqlite" | "postgres";

export interface Database {
  engine: Engine;
  db: Db;
  /** Waits for an open transaction, then closes the connection(s). */
  close(): Promise<void>;
}

export type AnyDatabase = SqliteDatabase | PostgresDatabase;

/** Which engine a handle (or transaction) runs on; for the small per-engine pieces only. */
export function engineOf(db: Db): Engine {
  return is(db as unknown, PgDatabase) ? "postgres" : "sqlite";
}

/**
 * The per-engine piece of a rule: `pieces.sqlite` or `pieces.postgres` for `db`'s engine.
 * E.g. `forEngine(db, { sqlite: () => sql\`min(a, b)\`, postgres: () => sql\`least(a, b)\` })`.
 */
export function forEngine<T>(db: Db, pieces: Record<Engine, () => T>): T {
  return pieces[engineOf(db)]();
}

/** Runs raw SQL (built with drizzle's `sql`) on either engine; returns the rows as objects. */
export async function executeSql<Row = Record<string, unknown>>(db: Db, query: SQL): Promise<Row[]> {
  if (engineOf(db) === "postgres") {
    const result = await (db as unknown as { execute(q: SQL): Promise<{ rows: Row[] }> }).execute(query);
    return result.rows;
  }
  return (await allSqliteRows(db, query)) as Row[];
}

/**
 * True when `error` (as thrown by a query on either engine; drizzle wraps the driver's error in
 * `cause`) is a unique-constraint violation: SQLite's SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY or
 * PostgreSQL's 23505.
 */
export function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    const code = (current as { code?: unknown }).code;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505") return true;
    if (current === (current as { cause?: unknown }).cause) break;
  }
  return false;
}

/** DATABASE_URL, or `file:` + DATABASE_PATH when unset (the embedded default). */
export function databaseUrl(): string {
  const { DATABASE_URL, DATABASE_PATH } = env();
  return DATABASE_URL ?? `file:${DATABASE_PATH}`;
}

/**
 * `url`: `file:<path>` (or a bare path) for SQLite, `postgres://…` / `postgresql://…` for
 * PostgreSQL. Opening does not migrate: call runMigrations.
 */
export function openDatabase(url = databaseUrl()): AnyDatabase {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresDatabase(url);
  return openSqliteDatabase(url.replace(/^file:/, ""));
}

/**
 * Brings the schema up to date (per-engine migrations under db/migrations/<engine>), then fills
 * what SQL cannot (Unicode folding of `concerns.search_text`). Safe to run on every start and
 * from several instances at once.
 */
export async function runMigrations(database: AnyDatabase): Promise<void> {
  if (database.engine === "sqlite") migrateSqlite(database.client);
  else await migratePostgres(database);
  await backfillSearchText(database.db);
}

/**
 * Fills `concerns.search_text` where it is NULL (rows from before the column existed, written by
 * hand, or emptied by a migration that changed the search form): SQL's lower() folds ASCII only,
 * so the folding (`concernSearchText`) runs here, 500 rows per transaction. The rows are found
 * through the partial index `concerns_search_pending`, so a start with nothing to fill reads one
 * index page, not the table. Idempotent (safe from several instances at once); returns the number
 * of rows filled.
 */
export async function backfillSearchText(db: Db): Promise<number> {
  const { concerns } = schema;
  let filled = 0;
  for (;;) {
    const rows = await db
      .select({ id: concerns.id, ref: concerns.ref, description: concerns.description, desiredOutcome: concerns.desiredOutcome })
      .from(concerns)
      .where(isNull(concerns.searchText))
      .orderBy(asc(concerns.id))
      .limit(BACKFILL_BATCH);
    if (rows.length === 0) return filled;
    await db.transaction(async (tx) => {
      for (const row of rows) {
        await tx.update(concerns).set({ searchText: concernSearchText(row) }).where(and(eq(concerns.id, row.id), isNull(concerns.searchText)));
      }
    });
    filled += rows.length;
  }
}

const BACKFILL_BATCH = 500;

/**
 * SQLite only: copies every committed change from the write-ahead log into the main file and
 * truncates the log (`PRAGMA wal_checkpoint(TRUNCATE)`), so older versions of pages — e.g. with
 * data just erased — are no longer in the `-wal` file. Returns false when a reader kept the
 * checkpoint from completing. PostgreSQL reuses dead tuples' space through VACUUM instead.
 */
export function truncateWal(client: BetterSqlite3.Database): boolean {
  const [result] = client.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
  return result?.busy === 0;
}
