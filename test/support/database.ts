/**
 * Real databases with real migrations for tests, on the suite's engine (DATABASE_URL unset →
 * SQLite files; postgres://… → databases on that server): a migrated, seeded template built once
 * per run, copied per test.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runMigrations, truncateWal, type AnyDatabase } from "../../app/utils/db.server";
import { openSqliteDatabase, type SqliteDatabase } from "../../app/utils/db-sqlite.server";
import { seedDemo, seedDemoStaff } from "../../db/seed";
import { freshPostgresDatabase, onPostgres, recreateDatabase, templateName } from "./postgres";

// One template per build directory, so parallel working copies do not overwrite each other's.
export const TEMPLATE_PATH = path.resolve("test/.tmp", process.env.CANDOR_BUILD_DIR ?? "build", "template.sqlite");

/** Builds the template once per run (global setup): migrations + demo seed. */
export async function buildTemplate(file = TEMPLATE_PATH): Promise<void> {
  if (onPostgres()) {
    const database = await recreateDatabase(process.env.DATABASE_URL!, templateName());
    try {
      await runMigrations(database);
      await seedDemo(database.db);
      await seedDemoStaff(database.db);
    } finally {
      // A template database takes no connections while it is copied.
      await database.close();
    }
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  const database = openSqliteDatabase(file);
  try {
    await runMigrations(database);
    await seedDemo(database.db);
    await seedDemoStaff(database.db);
    // Everything in the main file: copies of the template need no -wal file.
    truncateWal(database.client);
  } finally {
    await database.close();
  }
}

/**
 * A fresh database for one test: a copy of the migrated, seeded template, or (`seeded: false`)
 * an empty migrated one. The engine is the one the suite runs on.
 */
export async function freshTestDatabase(options: { seeded?: boolean } = {}): Promise<AnyDatabase> {
  if (onPostgres()) {
    const database = await freshPostgresDatabase(process.env.DATABASE_URL!, options.seeded === false ? undefined : templateName());
    if (options.seeded === false) await runMigrations(database);
    return database;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candor-test-"));
  const file = path.join(dir, "candor.sqlite");
  if (options.seeded === false) {
    const database = openSqliteDatabase(file);
    await runMigrations(database);
    return database;
  }
  if (!fs.existsSync(TEMPLATE_PATH)) throw new Error("Run the test setup first: the database template is missing");
  fs.copyFileSync(TEMPLATE_PATH, file);
  return openSqliteDatabase(file);
}

/**
 * A seeded SQLite database whatever the suite's engine: for the checks of SQLite-only migration
 * steps (the backfills of databases created before a column existed; PostgreSQL databases start
 * from the current schema). Copies the SQLite template when this run built one.
 */
export async function seededSqliteDatabase(): Promise<SqliteDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candor-test-"));
  const file = path.join(dir, "candor.sqlite");
  if (!onPostgres() && fs.existsSync(TEMPLATE_PATH)) {
    fs.copyFileSync(TEMPLATE_PATH, file);
    return openSqliteDatabase(file);
  }
  const database = openSqliteDatabase(file);
  await runMigrations(database);
  await seedDemo(database.db);
  return database;
}
