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
import { errorFields, log } from "./log.server";
import type { Database, Db } from "./db.server";

export interface PostgresDatabase extends Database {
  engine: "postgres";
  /** The raw pool, for the engine-specific pieces (hot-path statements, advisory locks). */
  pool: pg.Pool;
  /** The connection URL (for pg_dump / pg_restore); holds the password, so never log it. */
  url: string;
}

/**
 * Timestamps are bigint milliseconds, ids are bigint and counts come back as int8: all far below
 * 2^53, so they are parsed as JavaScript numbers, as SQLite returns them. Set on the driver's
 * shared parsers because drizzle passes its own per-query type parsers, which fall back to them.
 */
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/**
 * `url`: `postgres://user:password@host:port/database`; `max`: pool size (default 10);
 * `idleTimeoutMillis`: how long an unused connection stays open (default 10 000 ms); `observe`
 * (benchmarks, plan checks): sees every statement with its parameters.
 */
export function openPostgresDatabase(
  url: string,
  options: { max?: number; idleTimeoutMillis?: number; observe?: (query: string, params: unknown[]) => void } = {},
): PostgresDatabase {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, idleTimeoutMillis: options.idleTimeoutMillis ?? 10_000 });
  const { observe } = options;
  if (observe) {
    // Benchmarks and plan checks: every statement of every pooled connection, with its parameters.
    pool.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown];
        if (typeof first === "string") observe(first, Array.isArray(second) ? second : []);
        else if (first && typeof first === "object" && typeof first.text === "string") observe(first.text, first.values ?? (Array.isArray(second) ? second : []));
        return query(...args);
      };
    });
  }
  // An idle client losing its server (restart, failover) must not take the process down.
  pool.on("error", (error) => log.error({ event: "postgres.pool", ...errorFields(error) }));
  const orm = drizzle(pool, { schema });
  return {
    engine: "postgres",
    db: orm as unknown as Db,
    pool,
    url,
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
