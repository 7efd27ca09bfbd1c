/**
 * Raw SQL in tests, on either engine: checks that read the database independently of the domain
 * (what is really stored) and the few writes that fake what the domain never does (backdated
 * rows, damaged data). Written with `?` placeholders; on PostgreSQL they become `$1…`, and
 * camelCase aliases (`AS createdAt`) are quoted, since PostgreSQL folds unquoted names to lower case.
 */
import type { AnyDatabase } from "../../app/utils/db.server";

function forPostgres(text: string): string {
  let index = 0;
  return text
    .replace(/'(?:[^']|'')*'|\?/g, (match) => (match === "?" ? `$${++index}` : match))
    .replace(/\bas\s+([a-z]\w*[A-Z]\w*)/gi, (_, alias: string) => `AS "${alias}"`);
}

/** Every row of a query, as objects. */
export async function rawAll<T = Record<string, unknown>>(database: AnyDatabase, text: string, ...params: unknown[]): Promise<T[]> {
  if (database.engine === "sqlite") return database.client.prepare(text).all(...params) as T[];
  return (await database.pool.query(forPostgres(text), params)).rows as T[];
}

/** The first row, or undefined. */
export async function rawGet<T = Record<string, unknown>>(database: AnyDatabase, text: string, ...params: unknown[]): Promise<T | undefined> {
  return (await rawAll<T>(database, text, ...params))[0];
}

/** The first column of the first row (a count, an id), or undefined. */
export async function rawValue<T = unknown>(database: AnyDatabase, text: string, ...params: unknown[]): Promise<T | undefined> {
  const row = await rawGet<Record<string, unknown>>(database, text, ...params);
  return row === undefined ? undefined : (Object.values(row)[0] as T);
}

/** A statement without rows (update, delete, insert); resolves to the rows changed. */
export async function rawRun(database: AnyDatabase, text: string, ...params: unknown[]): Promise<number> {
  if (database.engine === "sqlite") return database.client.prepare(text).run(...params).changes;
  return (await database.pool.query(forPostgres(text), params)).rowCount ?? 0;
}

/** The first column of every row. */
export async function rawColumn<T = unknown>(database: AnyDatabase, text: string, ...params: unknown[]): Promise<T[]> {
  return (await rawAll<Record<string, unknown>>(database, text, ...params)).map((row) => Object.values(row)[0] as T);
}
