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
  /** The raw pool, for the engine-specific pieces (advisory locks, rate limits, raw SQL). */
  pool: pg.Pool;
  /**
   * The agents' hot path's own pool (`decision-hot-path.server.ts`), opened on first use and
   * closed with the database: its connections run with `plan_cache_mode = force_generic_plan`, so
   * each named prepared statement is planned once per connection instead of at every execution
   * (about 0.3 ms per check), and staff pages or workers can never take all its connections.
   */
  hotPathPool(): pg.Pool;
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

/** The hot path's session setting: one generic plan per prepared statement and connection. */
const HOT_PATH_SESSION_OPTIONS = "-c plan_cache_mode=force_generic_plan";

/**
 * `url`: `postgres://user:password@host:port/database`; `max`: pool size (default 10), also the
 * hot path's own pool's (`hotPathPool`, opened on first use: at most `2 × max` connections in all);
 * `idleTimeoutMillis`: how long an unused connection stays open (default 10 000 ms); `observe`
 * (benchmarks, plan checks): sees every statement of both pools with its parameters.
 */
export function openPostgresDatabase(
  url: string,
  options: { max?: number; idleTimeoutMillis?: number; observe?: (query: string, params: unknown[]) => void } = {},
): PostgresDatabase {
  const { observe } = options;
  const openPool = (extra: pg.PoolConfig) => {
    const opened = new pg.Pool({ connectionString: url, max: options.max ?? 10, idleTimeoutMillis: options.idleTimeoutMillis ?? 10_000, ...extra });
    if (observe) {
      // Benchmarks and plan checks: every statement of every pooled connection, with its parameters.
      opened.on("connect", (client) => {
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
    opened.on("error", (error) => log.error({ event: "postgres.pool", ...errorFields(error) }));
    return opened;
  };
  const pool = openPool({});
  let hotPath: pg.Pool | undefined;
  let closed = false;
  const orm = drizzle(pool, { schema });
  return {
    engine: "postgres",
    db: orm as unknown as Db,
    pool,
    url,
    hotPathPool() {
      if (closed) throw new Error("The database is closed");
      return (hotPath ??= openPool({ options: HOT_PATH_SESSION_OPTIONS }));
    },
    async close() {
      closed = true;
      await Promise.all([pool.end(), hotPath?.end()]);
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
