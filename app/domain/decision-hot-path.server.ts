/**
 * The agents' hot path (SPEC §10, §5.2): the decision check and the preferences read of
 * decisions.server.ts — the same SQL (`factsQuery`, `insertQuery`, `preferencesQuery`) and the
 * same rules — compiled once into prepared statements of the database's engine: better-sqlite3
 * statements with group commit on the embedded engine, named node-postgres statements on
 * PostgreSQL, on the hot path's own pool (`hotPathPool()`: generic plans, planned once per
 * connection). Built once per process by the composition root (`services.decide`,
 * `services.readPreferences`).
 */
import { sql, type Placeholder, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type pg from "pg";
import { isUniqueViolation, type AnyDatabase } from "../utils/db.server";
import { BUSY_TIMEOUT_MS, isBusyError, type SqliteDatabase } from "../utils/db-sqlite.server";
import {
  alreadyUsed,
  decisionRecord,
  factsOf,
  factsParams,
  factsQuery,
  insertQuery,
  preferenceSnapshot,
  preferencesQuery,
  spendsConfirmation,
  type DecideInput,
  type Decision,
  type PreferenceSnapshot,
} from "./decisions.server";

/** A decision check bound to one database's connection(s), as prepared statements. */
export interface DecideFn {
  (input: DecideInput): Promise<Decision>;
  /** Resolves once every check made so far is answered (shutdown: before the database closes). */
  settled(): Promise<void>;
}
/**
 * The customer's choices (`PreferenceSnapshot`) read by one prepared statement: at once on SQLite
 * when no transaction holds the connection (no promise on the hot path), else a promise. Throws
 * (or rejects) when storage fails.
 */
export type PreferencesReadFn = (customerId: string) => PreferenceSnapshot | undefined | Promise<PreferenceSnapshot | undefined>;

export interface Compiled {
  text: string;
  /** The statement's positional values, from named inputs. */
  values(input: object): unknown[];
}

/** Renders a query written with `sql.placeholder`s in an engine's dialect, once. */
function compile(dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } }, query: SQL): Compiled {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const names = params.map((p) => (p as Placeholder).name);
  return { text, values: (input) => names.map((name) => (input as Record<string, unknown>)[name]) };
}

const placeholders = <K extends string>(...names: K[]) => Object.fromEntries(names.map((n) => [n, sql.placeholder(n)])) as Record<K, unknown>;
const FACTS_PLACEHOLDERS = placeholders("customerId", "actionKey", "aiSystemSlug", "interactionRef", "confirmationId");
const INSERT_PLACEHOLDERS = placeholders("id", "customerId", "actionKey", "aiSystemSlug", "interactionId", "decision", "reason", "preferenceVersion", "confirmationId", "context", "retryAfter", "createdAt");
const PREFERENCES_PLACEHOLDERS = placeholders("customerId");

const sqliteDialect = new SQLiteAsyncDialect();
const pgDialect = new PgDialect();

/** The most checks one group commit writes; later arrivals open the next batch. */
export const GROUP_COMMIT_MAX = 256;

interface Waiter {
  input: DecideInput;
  resolve(decision: Decision): void;
  reject(error: unknown): void;
}
type Outcome = { decision: Decision } | { error: unknown };

/**
 * SQLite, group commit: the checks that arrive together (before the event loop's next check
 * phase, `setImmediate`; at most GROUP_COMMIT_MAX) run their facts statement and insert inside ONE
 * `BEGIN IMMEDIATE … COMMIT`, then each promise settles — so an answer is only ever given for a
 * committed (synchronous=FULL: durable) record, and one fsync serves the whole batch. The batch
 * runs synchronously through `database.exclusive`: no other request's open transaction is entered,
 * and nothing can interleave between BEGIN and COMMIT. Within a batch the checks run in arrival
 * order, each reading what the earlier ones wrote (a confirmation spent twice: the second is deny
 * confirmation_used, as across batches).
 * An input that fails (malformed limits, a failed insert) rejects its own promise only: it wrote
 * nothing (its one insert is its last statement, and SQLite undoes a failed statement), so no
 * savepoint is needed. When the transaction cannot commit — or an error ended it early — every
 * waiter of the batch is rejected: no answer without its record.
 */
function sqliteDecisionCheck(database: SqliteDatabase): DecideFn {
  const { client } = database;
  const factsSql = compile(sqliteDialect, factsQuery(FACTS_PLACEHOLDERS));
  const insertSql = compile(sqliteDialect, insertQuery(INSERT_PLACEHOLDERS));
  const facts = client.prepare<unknown[], Record<string, unknown>>(factsSql.text);
  const insert = client.prepare(insertSql.text);

  function checkOne(input: DecideInput): Decision {
    const record = decisionRecord(input, factsOf(facts.get(...factsSql.values(factsParams(input)))!));
    try {
      insert.run(...insertSql.values(record));
      return record;
    } catch (error) {
      // Serialised here, so only another process (CLI) could have spent it in between.
      if (!spendsConfirmation(record) || !isUniqueViolation(error)) throw error;
      const used = alreadyUsed(record);
      insert.run(...insertSql.values(used));
      return used;
    }
  }

  const writeBatch = client.transaction((waiters: Waiter[]): Outcome[] =>
    waiters.map((waiter) => {
      // SQLite rolls the whole transaction back on some errors (full disk, I/O): what follows
      // would run in autocommit, outside the batch. Abort it instead (every waiter is rejected).
      if (!client.inTransaction) throw new Error("The group commit's transaction ended early");
      try {
        return { decision: checkOne(waiter.input) };
      } catch (error) {
        return { error };
      }
    }),
  );

  let open: Waiter[] | null = null;
  let unsettled = 0;
  let onSettled: (() => void)[] = [];

  /** Writes the batch and settles its waiters; true when it should be tried again (another connection holds the write lock). */
  function commit(batch: Waiter[], deadline: number): boolean {
    if (open === batch) open = null;
    let outcomes: Outcome[];
    try {
      // Never inside another transaction (better-sqlite3 would nest it as a savepoint).
      if (client.inTransaction) throw new Error("A transaction is open on the connection");
      outcomes = writeBatch.immediate(batch);
    } catch (error) {
      // SQLITE_BUSY comes from BEGIN IMMEDIATE, before anything was written (with page threads the
      // connection does not wait in SQLite: `yieldWhenBusy`): the whole batch is tried again.
      if (isBusyError(error) && Date.now() < deadline) return true;
      for (const waiter of batch) waiter.reject(error);
      return false;
    }
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i]!;
      if ("decision" in outcome) batch[i]!.resolve(outcome.decision);
      else batch[i]!.reject(outcome.error);
    }
    return false;
  }

  function settle() {
    if (--unsettled > 0) return;
    const callbacks = onSettled;
    onSettled = [];
    for (const callback of callbacks) callback();
  }

  async function writeWhenFree(batch: Waiter[]) {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    // `exclusive` runs it now, or after the transaction open on the connection ends (meanwhile
    // the batch stays open to new arrivals). While another connection writes, it waits on a timer
    // (1 ms, doubling up to 16 ms), the event loop free, for at most BUSY_TIMEOUT_MS.
    for (let wait = 1; await database.exclusive(() => commit(batch, deadline)); wait = Math.min(wait * 2, 16)) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  function run(batch: Waiter[]) {
    void writeWhenFree(batch)
      .catch((error: unknown) => {
        for (const waiter of batch) waiter.reject(error);
      })
      .finally(settle);
  }

  const check = (input: DecideInput) =>
    new Promise<Decision>((resolve, reject) => {
      if (open === null) {
        const batch: Waiter[] = [];
        open = batch;
        unsettled++;
        setImmediate(run, batch);
      }
      open.push({ input, resolve, reject });
      if (open.length >= GROUP_COMMIT_MAX) open = null;
    });
  return Object.assign(check, {
    settled: () => (unsettled === 0 ? Promise.resolve() : new Promise<void>((resolve) => onSettled.push(resolve))),
  });
}

/**
 * PostgreSQL: the facts statement (one snapshot), then the insert, as named prepared statements
 * (prepared once per pooled connection). A failed insert throws: no answer without its record —
 * except the loser of a race for one approval, recorded and answered as deny confirmation_used.
 */
function postgresDecisionCheck(pool: pg.Pool): DecideFn {
  const factsSql = compile(pgDialect, factsQuery(FACTS_PLACEHOLDERS));
  const insertSql = compile(pgDialect, insertQuery(INSERT_PLACEHOLDERS));
  const insert = (record: Decision) => pool.query({ name: "candor_decision_insert", text: insertSql.text, values: insertSql.values(record) });
  const inFlight = new Set<Promise<unknown>>();
  const settled = async () => {
    while (inFlight.size > 0) await Promise.allSettled(inFlight);
  };
  const checkOne = async (input: DecideInput) => {
    const { rows } = await pool.query<Record<string, unknown>>({ name: "candor_decision_facts", text: factsSql.text, values: factsSql.values(factsParams(input)) });
    const record = decisionRecord(input, factsOf(rows[0]!));
    try {
      await insert(record);
      return record;
    } catch (error) {
      if (!spendsConfirmation(record) || !isUniqueViolation(error)) throw error;
      const used = alreadyUsed(record);
      await insert(used);
      return used;
    }
  };
  const check = (input: DecideInput) => {
    const answer = checkOne(input);
    inFlight.add(answer);
    void answer.catch(() => undefined).finally(() => inFlight.delete(answer));
    return answer;
  };
  return Object.assign(check, { settled });
}

/**
 * The hot path's statements as PostgreSQL runs them: `text` with `$n` placeholders and `values`,
 * which orders named inputs (facts: `FactsParams`; insert: a `Decision`; preferences:
 * `{ customerId }`) into them. For the bench's bare baseline (test/bench/s0-pg.ts), which runs the
 * same SQL.
 */
export function postgresHotPathStatements(): Record<"facts" | "insert" | "preferences", Compiled> {
  return {
    facts: compile(pgDialect, factsQuery(FACTS_PLACEHOLDERS)),
    insert: compile(pgDialect, insertQuery(INSERT_PLACEHOLDERS)),
    preferences: compile(pgDialect, preferencesQuery(PREFERENCES_PLACEHOLDERS)),
  };
}

/** The columns of `preferencesQuery`, in its SELECT order (checked when the statement is prepared). */
const PREFERENCE_COLUMNS = "version,timeZone,key,kind,defaultValue,definitionNoticeVersion,value,preferenceNoticeVersion,method,updatedAt,limits";

/**
 * `preferencesQuery`'s rows as `preferenceSnapshot` reads them, from the statement's raw rows
 * (arrays in PREFERENCE_COLUMNS order): better-sqlite3 builds a row object with named keys
 * several times slower than a literal does here — a third of the read's cost.
 */
function preferenceRows(raw: unknown[][]): Record<string, unknown>[] {
  const rows = new Array<Record<string, unknown>>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i]!;
    rows[i] = {
      version: r[0],
      timeZone: r[1],
      key: r[2],
      kind: r[3],
      defaultValue: r[4],
      definitionNoticeVersion: r[5],
      value: r[6],
      preferenceNoticeVersion: r[7],
      method: r[8],
      updatedAt: r[9],
      limits: r[10],
    };
  }
  return rows;
}

function sqlitePreferencesRead(database: SqliteDatabase): PreferencesReadFn {
  const compiled = compile(sqliteDialect, preferencesQuery(PREFERENCES_PLACEHOLDERS));
  const statement = database.client.prepare<unknown[], unknown[]>(compiled.text).raw(true);
  const columns = statement.columns().map((column) => column.name).join(",");
  if (columns !== PREFERENCE_COLUMNS) throw new Error(`preferencesQuery's columns changed (${columns}): update PREFERENCE_COLUMNS and preferenceRows`);
  const snapshot = (customerId: string, raw: unknown[][]) => preferenceSnapshot(customerId, preferenceRows(raw), Date.now());
  return (customerId) => {
    // Straight through when no transaction is open; after it ends when one is.
    const raw = database.exclusive(() => statement.all(...compiled.values({ customerId })) as unknown[][]);
    return raw instanceof Promise ? raw.then((rows) => snapshot(customerId, rows)) : snapshot(customerId, raw);
  };
}

function postgresPreferencesRead(pool: pg.Pool): PreferencesReadFn {
  const compiled = compile(pgDialect, preferencesQuery(PREFERENCES_PLACEHOLDERS));
  return async (customerId) => {
    const { rows } = await pool.query<Record<string, unknown>>({ name: "candor_preferences_read", text: compiled.text, values: compiled.values({ customerId }) });
    return preferenceSnapshot(customerId, rows, Date.now());
  };
}

/**
 * The decision check of the agents' hot path (POST /api/v1/decisions), prepared once per
 * database: the SQL and rules of `decide()`, as prepared statements of the database's engine.
 * Built once per process by the composition root (`services.decide`).
 */
export function decisionCheck(database: AnyDatabase): DecideFn {
  return database.engine === "sqlite" ? sqliteDecisionCheck(database) : postgresDecisionCheck(database.hotPathPool());
}

/**
 * The customer's current choices for the agents' hot path (GET /api/v1/customers/:id/preferences),
 * one prepared statement per engine. Built once per process by the composition root
 * (`services.readPreferences`). Undefined for an unknown or erased customer.
 */
export function preferencesRead(database: AnyDatabase): PreferencesReadFn {
  return database.engine === "sqlite" ? sqlitePreferencesRead(database) : postgresPreferencesRead(database.hotPathPool());
}
