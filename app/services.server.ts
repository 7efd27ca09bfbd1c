/**
 * The composition root: builds the database (engine chosen by DATABASE_URL) and the services
 * around it, once per process. The server hands the result to React Router through the router
 * context (`servicesContext`), to the lean API handler and to the workers; the CLI and the tests
 * build their own with the same function. Nothing below it reaches for a global.
 */
import { openDatabase, runMigrations, type AnyDatabase, type Db } from "./utils/db.server";

export interface Services {
  database: AnyDatabase;
  /** The domain's handle: pass it (or a transaction) as the first argument of domain functions. */
  db: Db;
}

/**
 * `url`: DATABASE_URL by default (unset → the embedded SQLite file); `database`: one already open
 * (tests) instead. `migrate` (default true) brings the schema up to date first. Throws when the database cannot be opened or migrated.
 */
export async function createServices(options: { url?: string; migrate?: boolean; database?: AnyDatabase } = {}): Promise<Services> {
  const database = options.database ?? openDatabase(options.url);
  if (options.migrate ?? true) await runMigrations(database);
  return { database, db: database.db };
}
