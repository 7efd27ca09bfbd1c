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
  client.pragma("busy_timeout = 5000");
  client.pragma("secure_delete = ON");
  return client;
}

/** `file` is a path (`data/candor.sqlite`) or `:memory:`. */
export function openSqliteDatabase(file: string): SqliteDatabase {
  const client = openSqliteClient(file);
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
    if (method === "objects") return { rows: client.prepare(query).all(...params) as unknown[] };
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
  const run = async (query: string, params: unknown[], method: Parameters<typeof execute>[2]) => exclusive(() => execute(query, params, method));
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
    async close() {
      await gate.waitForUnlock();
      client.close();
    },
  };
}

/**
 * Runs pending migrations (db/migrations/sqlite). The drizzle migrator wraps them in one
 * transaction, where `PRAGMA foreign_keys=OFF` is ignored — so a table-rebuild migration would
 * cascade-delete child rows. Foreign keys are switched off on the connection first and checked
 * after (only when a migration ran: the check reads the whole file). Throws when a migration leaves a foreign key violation.
 */
export function migrateSqlite(client: BetterSqlite3.Database, migrationsFolder = path.resolve("db/migrations/sqlite")): void {
  const applied = () =>
    client.prepare("select count(*) from sqlite_master where name = '__drizzle_migrations'").pluck().get()
      ? (client.prepare("select count(*) from __drizzle_migrations").pluck().get() as number)
      : 0;
  const before = applied();
  client.pragma("foreign_keys = OFF");
  try {
    migrate(drizzleSync(client), { migrationsFolder });
    // The check reads the whole database: only worth it when a migration actually ran.
    const violations = applied() === before ? [] : (client.pragma("foreign_key_check") as unknown[]);
    if (violations.length > 0) throw new Error(`Migration left ${violations.length} foreign key violation(s)`);
  } finally {
    client.pragma("foreign_keys = ON");
  }
}

export type { RunResult };
