/** Real SQLite files with real migrations for tests: a migrated, seeded template copied per test. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openSyncDatabase, runSyncMigrations, type AnyDatabase, type Connection } from "../../app/utils/db.server";
import { openSqliteDatabase } from "../../app/utils/db-sqlite.server";
import { runMigrations } from "../../app/utils/db.server";
import { seedDemo, seedDemoStaff } from "../../db/seed";

// One template per build directory, so parallel working copies do not overwrite each other's.
export const TEMPLATE_PATH = path.resolve("test/.tmp", process.env.CANDOR_BUILD_DIR ?? "build", "template.sqlite");

/** Builds the template once per run (global setup): migrations + demo seed. */
export async function buildTemplate(file = TEMPLATE_PATH): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  const db = openSyncDatabase(file);
  runSyncMigrations(db);
  seedDemo(db);
  await seedDemoStaff(db);
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  db.$client.close();
}

/**
 * A fresh database for one test: a copy of the migrated, seeded template, or (`seeded: false`)
 * an empty migrated one. The engine is the one the suite runs on.
 */
export async function freshTestDatabase(options: { seeded?: boolean } = {}): Promise<AnyDatabase> {
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

/** @deprecated A fresh copy of the template as a synchronous handle (tests not yet moved). */
export function freshDatabase(options: { seeded?: boolean } = {}): Connection {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candor-test-"));
  const file = path.join(dir, "candor.sqlite");
  if (options.seeded === false) {
    const db = openSyncDatabase(file);
    runSyncMigrations(db);
    return db;
  }
  if (!fs.existsSync(TEMPLATE_PATH)) throw new Error("Run the test setup first: the database template is missing");
  fs.copyFileSync(TEMPLATE_PATH, file);
  return openSyncDatabase(file);
}

/** Makes the app's getDb() return this connection (it is looked up on globalThis). */
export function useAsAppDatabase(db: Connection): void {
  (globalThis as unknown as { __candorDb?: Connection }).__candorDb = db;
}
