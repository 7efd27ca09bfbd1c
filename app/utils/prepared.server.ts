/**
 * Prepared queries for the reads every page makes (session, customer, settings, register), written
 * once for both engines: drizzle builds the SQL text once per database session instead of on every
 * request, and the statement's values come from `sql.placeholder("name")`.
 *
 * - SQLite (sqlite-proxy): a prepared query runs through the same raw-query callback as any other
 *   statement of the connection, so the write gate of app/utils/db-sqlite.server.ts applies: from
 *   outside a transaction it waits for an open one to end; inside one (the same async context) it
 *   runs at once. A transaction shares its root handle's session, so they share one cache.
 * - PostgreSQL (node-postgres): the query is a named server-side statement (`candor_<name>_<hash
 *   of its SQL>`: the same name is always the same text, even after a code change reloads a
 *   module), parsed once per pooled connection. A transaction has a session of its own (its one client):
 *   queries prepared on it run inside it and are dropped with it, never mixed with the pool's.
 *
 * Kept in a WeakMap keyed by the handle's drizzle session: no cache outlives its database, and two
 * databases (tests, the CLI beside a server) never share a statement.
 */
import { createHash } from "node:crypto";
import type { Db } from "./db.server";

interface PreparedLike<Result> {
  execute(values?: Record<string, unknown>): Promise<Result>;
}

/** Anything drizzle can prepare: a select (insert, update) built on a `Db`. */
interface Preparable<Result> {
  prepare(): PreparedLike<Result>;
  toSQL(): { sql: string };
}

/** Per session: each declaration (its own key object) → its prepared query. */
const cache = new WeakMap<object, Map<object, PreparedLike<unknown>>>();

function sessionOf(db: Db): object {
  return (db as unknown as { session: object }).session;
}

/**
 * Declares a prepared query: `name` (`[a-z0-9_]`, at most 40 characters: with a hash of the SQL
 * it names the PostgreSQL statement) and `build`, the drizzle query on `db` with
 * `sql.placeholder(…)` where values go. Returns `(db, values) => rows`: the query prepared on
 * `db`'s session the first time, executed with `values` (placeholder name → value, passed to the
 * driver as they are: no column mapping, so give numbers, strings and null).
 * Placeholders cannot stand for lists (`inArray`): such queries stay unprepared.
 * @throws Error when `name` is malformed.
 */
export function preparedQuery<Result>(name: string, build: (db: Db) => Preparable<Result>): (db: Db, values?: Record<string, unknown>) => Promise<Result> {
  if (!/^[a-z0-9_]{1,40}$/.test(name)) throw new Error(`Prepared query name "${name}": use [a-z0-9_], at most 40 characters`);
  const declaration = {};
  return (db, values = {}) => {
    const session = sessionOf(db);
    let queries = cache.get(session);
    if (!queries) {
      queries = new Map();
      cache.set(session, queries);
    }
    let query = queries.get(declaration) as PreparedLike<Result> | undefined;
    if (!query) {
      const builder = build(db);
      const hash = createHash("sha256").update(builder.toSQL().sql).digest("hex").slice(0, 8);
      // SQLite's prepare() takes no name and ignores it; PostgreSQL's names the server-side statement.
      query = (builder.prepare as (statementName: string) => PreparedLike<Result>).call(builder, `candor_${name}_${hash}`);
      queries.set(declaration, query);
    }
    return query.execute(values);
  };
}
