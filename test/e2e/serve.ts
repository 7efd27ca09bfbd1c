/**
 * Starts the built portal for the browser tests on a fresh, migrated and seeded database: a new
 * SQLite file, or — when DATABASE_URL is postgres://… — its own database on that server
 * (e2ePostgresUrl(), dropped and recreated on every run).
 */
import fs from "node:fs";
import path from "node:path";
import { recreateDatabase } from "../support/postgres";
import { E2E_DB, E2E_PORT, e2ePostgresUrl } from "./support";

const postgresUrl = e2ePostgresUrl();
if (postgresUrl) {
  const name = new URL(postgresUrl).pathname.slice(1);
  // Only the database is made here; the server opens its own pool on it (and migrates it) below.
  await (await recreateDatabase(process.env.DATABASE_URL!, name)).close();
  process.env.DATABASE_URL = postgresUrl;
} else {
  fs.rmSync(path.dirname(E2E_DB), { recursive: true, force: true });
  process.env.DATABASE_PATH = E2E_DB;
}
process.env.PORT = String(E2E_PORT);
process.env.HOST = "127.0.0.1";
process.env.NODE_ENV = "production";
process.env.PUBLIC_URL = `http://localhost:${E2E_PORT}`;
// Browser tests file many concerns from one address.
process.env.RATE_LIMITS = "off";

const { createServices } = await import("../../app/services.server");
const { seedDemo, seedDemoStaff } = await import("../../db/seed");
const services = await createServices();
await seedDemo(services.db);
await seedDemoStaff(services.db);
// As `npm run serve` starts it: page threads (PAGE_THREADS), the hot path on the main thread.
const { serve } = (await import(path.resolve(process.env.CANDOR_BUILD_DIR ?? "build", "server/index.js"))) as typeof import("../../app/server");
await serve(services);
