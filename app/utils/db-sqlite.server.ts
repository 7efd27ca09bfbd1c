/**
 * The embedded engine: one better-sqlite3 connection per process, driven through drizzle's async
 * (sqlite-proxy) driver so the domain is written once, with promises, for SQLite and PostgreSQL.
 *
 * better-sqlite3 is synchronous and the connection is shared by every request, so an `await`
 * inside a transaction would let other requests' statements run inside it (and be rolled back with
 * it). Hence a write gate: a transaction holds the gate from BEGIN IMMEDIATE to COMMIT; statements
 * from outside it wait until it ends, statements from inside it (recognised through
 * AsyncLocalStorage) go through. A statement itself runs synchronously, so between two awaits
 * nothing else can touch the connection.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import { Mutex } from "async-mutex";
import BetterSqlite3 from "better-sqlite3";
import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { drizzle } from "drizzle-orm/sqlite-proxy";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { drizzle as drizzleSync } from "drizzle-orm/better-sqlite3";
import * as schema from "../../db/schema";
import type { Database, Db, RunResult } from "./db.server";

/** Prepared statements kept per connection; drizzle's SQL varies with list lengths, so bounded. */
const STATEMENT_CACHE_SIZE = 500;

type RawQuery = (query: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
/**
 * Where a handle keeps its raw-query door: on its drizzle session (shared by its transactions),
 * under a registered symbol, so every copy of this module (the server bundle and the sources the
 * tests and the CLI load) finds it on a handle any of them opened.
 */
const RAW_QUERY = Symbol.for("candor.sqlite.rawQuery");
const dialect = new SQLiteAsyncDialect();

/** Raw SQL on a SQLite handle or transaction, through its write gate; rows as objects. */
export async function allSqliteRows(db: Db, query: SQL): Promise<Record<string, unknown>[]> {
  const raw = (db as unknown as { session: { [RAW_QUERY]?: RawQuery } }).session[RAW_QUERY];
  if (!raw) throw new Error("Not a handle of openSqliteDatabase");
  const { sql, params } = dialect.sqlToQuery(query);
  return raw(sql, params);
}

export interface SqliteDatabase extends Database {
  engine: "sqlite";
  /** The raw connection, for the engine-specific pieces (hot-path statements, pragmas, backups). */
  client: BetterSqlite3.Database;
  /**
   * Runs synchronous work on `client` (prepared hot-path statements) outside any other request's
   * open transaction: immediately when none is open, else once it ends. Returns the work's result
   * (or a promise of it).
   */
  exclusive<T>(work: () => T): T | Promise<T>;
  /**
   * From now on a statement that finds the file locked by another connection (a page thread's
   * write transaction) does not sleep on this thread (busy_timeout 0): it fails with SQLITE_BUSY,
   * and the asynchronous paths — every statement of the domain handle, and the group commit
   * (whenNotBusy) — try again after a timer, for up to BUSY_TIMEOUT_MS. For the main thread of a
   * server with page threads, whose event loop answers the agents' hot path.
   */
  yieldWhenBusy(): void;
}

/** How long a statement waits for another connection's write lock before it fails (ms). */
export const BUSY_TIMEOUT_MS = 5_000;

/** True for SQLite's "database is locked" (SQLITE_BUSY and its extended codes). */
export function isBusyError(error: unknown): boolean {
  return typeof (error as { code?: unknown })?.code === "string" && (error as { code: string }).code.startsWith("SQLITE_BUSY");
}

/**
 * Runs `attempt`; while it fails with SQLITE_BUSY, runs it again after a timer (1 ms, doubling up
 * to 16 ms) — the event loop stays free meanwhile — until BUSY_TIMEOUT_MS have passed, then lets
 * the last error through. Other errors go through at once.
 */
export async function whenNotBusy<T>(attempt: () => T | Promise<T>): Promise<T> {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (let wait = 1; ; wait = Math.min(wait * 2, 16)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusyError(error) || Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/**
 * Opens (creating its folder) a SQLite file with the pragmas every Candor connection needs:
 * WAL, `synchronous=FULL` (an acknowledged write survives power loss), foreign keys, a 5 s busy
 * timeout for other processes (CLI), and `secure_delete` so erased personal data (GDPR Art. 17)
 * is overwritten with zeros instead of lingering in free pages.
 */
export function openSqliteClient(file: string): BetterSqlite3.Database {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const client = new BetterSqlite3(file);
  client.pragma("journal_mode = WAL");
  client.pragma("synchronous = FULL");
  client.pragma("foreign_keys = ON");
  client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  client.pragma("secure_delete = ON");
  return client;
}

/** Called with every statement a connection runs (its SQL text and bound parameters). */
export type QueryObserver = (query: string, params: unknown[]) => void;

/**
 * Makes `client` report every statement it runs to `observe` (benchmarks and tests that print or
 * check query plans): statements prepared from then on report each run with its parameters.
 */
export function observeSqliteClient(client: BetterSqlite3.Database, observe: QueryObserver): void {
  const prepare = client.prepare.bind(client);
  client.prepare = ((source: string) => {
    const statement = prepare(source);
    for (const method of ["run", "get", "all", "iterate"] as const) {
      const original = (statement[method] as (...args: unknown[]) => unknown).bind(statement);
      (statement as unknown as Record<string, unknown>)[method] = (...params: unknown[]) => {
        observe(source, params);
        return original(...params);
      };
    }
    return statement;
  }) as typeof client.prepare;
}

/**
 * `file` is a path (`data/candor.sqlite`) or `:memory:`. `options.observe` (benchmarks, plan
 * checks) sees every statement the connection runs.
 */
export function openSqliteDatabase(file: string, options: { observe?: QueryObserver } = {}): SqliteDatabase {
  const client = openSqliteClient(file);
  if (options.observe) observeSqliteClient(client, options.observe);
  const statements = new Map<string, BetterSqlite3.Statement>();
  const gate = new Mutex();
  // The store marks code running inside a transaction; `open` turns false at its end, because
  // callbacks scheduled inside it (timers, fire-and-forget) keep the store after it has ended.
  const insideTransaction = new AsyncLocalStorage<{ open: boolean }>();
  const inOpenTransaction = () => insideTransaction.getStore()?.open === true;

  function prepare(query: string): BetterSqlite3.Statement {
    let statement = statements.get(query);
    if (statement) {
      // Map order is insertion order: re-inserting keeps recently used statements at the end.
      statements.delete(query);
    } else {
      statement = client.prepare(query);
      if (statement.reader) statement.raw(true);
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
    }
    statements.set(query, statement);
    return statement;
  }

  function execute(query: string, params: unknown[], method: "run" | "all" | "values" | "get" | "objects") {
    if (method === "objects") {
      // Raw SQL (executeSql): a statement that returns no rows (insert, update, analyze) gives [].
      const raw = client.prepare(query);
      if (!raw.reader) return { rows: [], rowCount: raw.run(...params).changes };
      return { rows: raw.all(...params) as unknown[] };
    }
    const statement = prepare(query);
    if (!statement.reader) {
      const result = statement.run(...params);
      return { rows: [], rowCount: result.changes };
    }
    if (method === "get") return { rows: statement.get(...params) as unknown[] };
    const rows = statement.all(...params) as unknown[][];
    return { rows, rowCount: rows.length };
  }

  /** Runs synchronous work on the connection outside any other request's open transaction. */
  function exclusive<T>(work: () => T): T | Promise<T> {
    if (inOpenTransaction() || !gate.isLocked()) return work();
    return gate.runExclusive(work);
  }
  const run = async (query: string, params: unknown[], method: Parameters<typeof execute>[2]) => whenNotBusy(() => exclusive(() => execute(query, params, method)));
  const orm = drizzle(run, { schema });
  // Transactions share the root's session: raw queries of either find the connection through it.
  (orm as unknown as { session: { [RAW_QUERY]?: RawQuery } }).session[RAW_QUERY] = async (query, params) => (await run(query, params, "objects")).rows as Record<string, unknown>[];

  const transaction = orm.transaction.bind(orm);
  orm.transaction = (async (body: (tx: Db) => Promise<unknown>) => {
    if (inOpenTransaction()) {
      throw new Error("A transaction was opened on the root handle inside another: pass the transaction down instead");
    }
    return gate.runExclusive(async () => {
      const state = { open: true };
      try {
        return await insideTransaction.run(state, () => transaction(body as never, { behavior: "immediate" }));
      } finally {
        state.open = false;
      }
    });
  }) as unknown as typeof orm.transaction;

  return {
    engine: "sqlite",
    db: orm as unknown as Db,
    client,
    exclusive,
    yieldWhenBusy() {
      client.pragma("busy_timeout = 0");
    },
    async close() {
      await gate.waitForUnlock();
      client.close();
    },
  };
}

/**
 * The tables whose rows one migration statement may write or recreate (so a foreign key from or
 * to them may break): `[]` for statements that touch no rows (indexes, triggers, views, virtual
 * tables, pragmas), `null` when it cannot tell.
 */
export function tablesWrittenBy(statement: string): string[] | null {
  const text = statement.replace(/--[^\n]*/g, " ").replace(/\/\*[\s\S]*?\*\//g, " ").trim();
  if (text === "") return [];
  if (/^(create\s+(unique\s+)?index|drop\s+index|create\s+trigger|drop\s+trigger|create\s+view|drop\s+view|create\s+virtual\s+table|pragma)\b/i.test(text)) return [];
  const name = "[`\"\\[]?(\\w+)[`\"\\]]?";
  const rename = new RegExp(`^alter\\s+table\\s+${name}\\s+rename\\s+to\\s+${name}`, "i").exec(text);
  if (rename) return [rename[1]!, rename[2]!];
  const single = new RegExp(`^(?:create\\s+table(?:\\s+if\\s+not\\s+exists)?|alter\\s+table|drop\\s+table(?:\\s+if\\s+exists)?|insert\\s+(?:or\\s+\\w+\\s+)?into|update(?:\\s+or\\s+\\w+)?|delete\\s+from)\\s+${name}`, "i").exec(text);
  return single ? [single[1]!] : null;
}

/**
 * The foreign-key violations a migration may have left in `written` tables: the rows of those
 * tables (their own references) and of every table referencing one of them. `null` → the whole
 * database.
 */
function foreignKeyViolations(client: BetterSqlite3.Database, written: Set<string> | null): unknown[] {
  if (written === null) return client.pragma("foreign_key_check") as unknown[];
  const tables = client.prepare("select name from sqlite_master where type = 'table' and sql not like 'create virtual%'").pluck().all() as string[];
  const quote = (table: string) => `"${table.replace(/"/g, '""')}"`;
  const checked = tables.filter((table) => {
    const references = (client.pragma(`foreign_key_list(${quote(table)})`) as { table: string }[]).map((fk) => fk.table);
    return references.length > 0 && (written.has(table) || references.some((parent) => written.has(parent)));
  });
  return checked.flatMap((table) => client.pragma(`foreign_key_check(${quote(table)})`) as unknown[]);
}

/**
 * Runs pending migrations (db/migrations/sqlite). The drizzle migrator wraps them in one
 * transaction, where `PRAGMA foreign_keys=OFF` is ignored — so a table-rebuild migration would
 * cascade-delete child rows. Foreign keys are switched off on the connection first and checked
 * after, only when a migration ran, and only in the tables the pending migrations wrote and those
 * referencing them (the whole database on a new file, or when a statement's tables cannot be
 * told): a start with nothing to migrate reads no table, and a migration that adds an index to a
 * 1M-customer file does not read the whole file. Throws when a migration leaves a foreign key violation.
 */
export function migrateSqlite(client: BetterSqlite3.Database, migrationsFolder = path.resolve("db/migrations/sqlite")): void {
  const hasTable = () => Boolean(client.prepare("select count(*) from sqlite_master where name = '__drizzle_migrations'").pluck().get());
  const applied = () => (hasTable() ? (client.prepare("select count(*) from __drizzle_migrations").pluck().get() as number) : 0);
  const before = applied();
  // Pending as the migrator decides it: folder time after the last applied one.
  const last = hasTable() ? (client.prepare("select max(created_at) from __drizzle_migrations").pluck().get() as number | null) : null;
  const pending = readMigrationFiles({ migrationsFolder }).filter((m) => last === null || Number(last) < m.folderMillis);
  client.pragma("foreign_keys = OFF");
  try {
    migrate(drizzleSync(client), { migrationsFolder });
    if (applied() === before) return;
    let written: Set<string> | null = new Set();
    for (const statement of before === 0 ? [] : pending.flatMap((m) => m.sql)) {
      const tables = tablesWrittenBy(statement);
      if (tables === null) {
        written = null;
        break;
      }
      for (const table of tables) written.add(table);
    }
    const violations = foreignKeyViolations(client, before === 0 ? null : written);
    if (violations.length > 0) throw new Error(`Migration left ${violations.length} foreign key violation(s)`);
  } finally {
    client.pragma("foreign_keys = ON");
  }
}

export type { RunResult };
