/**
 * PostgreSQL databases for tests (when DATABASE_URL is postgres://…): a migrated, seeded template
 * database built once per run, and a copy of it per test (`CREATE DATABASE … TEMPLATE …`, a file
 * copy on the server: tens of milliseconds).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openPostgresDatabase, type PostgresDatabase } from "../../app/utils/db-postgres.server";

/** True when the suite runs on PostgreSQL. */
export function onPostgres(): boolean {
  return /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The template's name: one per build directory, so parallel working copies don't share one. */
export function templateName(): string {
  return `candor_template_${(process.env.CANDOR_BUILD_DIR ?? "build").replace(/\W/g, "_")}`.toLowerCase();
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops and creates `name` (empty), returning a handle to it; nobody may be connected to it. */
export async function recreateDatabase(url: string, name: string, template?: string): Promise<PostgresDatabase> {
  await admin(url, async (client) => {
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.query(`create database "${name}"${template ? ` template "${template}"` : ""}`);
  });
  // Small pools: a test opens one database per app, and many apps per file.
  return openPostgresDatabase(withDatabase(url, name), { max: 4, idleTimeoutMillis: 2_000 });
}

/** Databases this test file created: dropped after it (test/support/after-each-file.ts). */
const created = new Set<string>();

/** A fresh copy of the template (or, `template: undefined`, an empty database) for one test. */
export async function freshPostgresDatabase(url: string, template: string | undefined): Promise<PostgresDatabase> {
  const name = `candor_test_${randomBytes(6).toString("hex")}`;
  created.add(name);
  return recreateDatabase(url, name, template);
}

/**
 * Drops every database this file created (connections still open are ended: `with (force)`),
 * so a run on PostgreSQL does not leave hundreds of databases behind.
 */
export async function dropCreatedDatabases(): Promise<void> {
  if (created.size === 0 || !onPostgres()) return;
  const names = [...created];
  created.clear();
  await admin(process.env.DATABASE_URL!, async (client) => {
    for (const name of names) await client.query(`drop database if exists "${name}" with (force)`);
  });
}
