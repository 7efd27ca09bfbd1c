/** Real SQLite files with real migrations for tests: a migrated, seeded template copied per test. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, runMigrations, type Connection } from "../../app/utils/db.server";
import { seedDemo, seedDemoStaff } from "../../db/seed";

// One template per build directory, so parallel working copies do not overwrite each other's.
export const TEMPLATE_PATH = path.resolve("test/.tmp", process.env.CANDOR_BUILD_DIR ?? "build", "template.sqlite");

/** Builds the template once per run (global setup): migrations + demo seed. */
export async function buildTemplate(file = TEMPLATE_PATH): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  const db = openDatabase(file);
  runMigrations(db);
  seedDemo(db);
  await seedDemoStaff(db);
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  db.$client.close();
}

/** A fresh copy of the template in its own temp folder. */
export function freshDatabase(options: { seeded?: boolean } = {}): Connection {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candor-test-"));
  const file = path.join(dir, "candor.sqlite");
  if (options.seeded === false) {
    const db = openDatabase(file);
    runMigrations(db);
    return db;
  }
  if (!fs.existsSync(TEMPLATE_PATH)) throw new Error("Run the test setup first: the database template is missing");
  fs.copyFileSync(TEMPLATE_PATH, file);
  return openDatabase(file);
}

/** Makes the app's getDb() return this connection (it is looked up on globalThis). */
export function useAsAppDatabase(db: Connection): void {
  (globalThis as unknown as { __candorDb?: Connection }).__candorDb = db;
}
