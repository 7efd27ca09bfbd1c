/**
 * The scale-out engine: a node-postgres pool per process (DATABASE_URL=postgres://…), any number
 * of instances on one PostgreSQL 15+.
 *
 * Queries are built from the same table definitions as on SQLite (db/schema.ts): drizzle's
 * PostgreSQL dialect renders them (quoting, `$n` placeholders); the tables contribute names and
 * value mappers only. db/schema.pg.ts is the PostgreSQL DDL (migrations), and
 * test/unit/schema-parity.test.ts proves both describe the same tables and columns.
 */
import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "../../db/schema";
import type { Database, Db } from "./db.server";

export interface PostgresDatabase extends Database {
  engine: "postgres";
  /** The raw pool, for the engine-specific pieces (hot-path statements, advisory locks). */
  pool: pg.Pool;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Timestamps are bigint milliseconds and counts come back as int8: both are far below 2^53,
 * so they are parsed as JavaScript numbers, as SQLite returns them.
 */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as "text");
  },
};

/** `url`: `postgres://user:password@host:port/database`; `max`: pool size (default 10). */
export function openPostgresDatabase(url: string, options: { max?: number } = {}): PostgresDatabase {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types: types as pg.CustomTypesConfig });
  // An idle client losing its server (restart, failover) must not take the process down.
  pool.on("error", (error) => console.error("PostgreSQL pool:", error.message));
  const orm = drizzle(pool, { schema });
  return {
    engine: "postgres",
    db: orm as unknown as Db,
    pool,
    async close() {
      await pool.end();
    },
  };
}

/** Runs pending migrations (db/migrations/postgres) under drizzle's migration lock table. */
export async function migratePostgres(database: PostgresDatabase, migrationsFolder = path.resolve("db/migrations/postgres")): Promise<void> {
  // Several instances may start at once: one migrates, the others wait on the advisory lock.
  const client = await database.pool.connect();
  try {
    await client.query("select pg_advisory_lock(7243101)");
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.query("select pg_advisory_unlock(7243101)").catch(() => undefined);
    client.release();
  }
}
