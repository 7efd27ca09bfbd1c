/**
 * Starts the shipped server — app/server.ts `serve`: the page threads, the listener (security
 * headers, the lean API, the guards, static files, the pages), the email and webhook workers and
 * the graceful stop — exactly as `npm run serve` does, but with the build directory taken from
 * CANDOR_BUILD_DIR (parallel working copies build side by side). Used by the integration tests
 * (test/support/server.ts) and by `npm run bench`. Prints "Candor is listening" when ready.
 * PAGE_THREADS as for the server; CANDOR_PAGE_WORKER: another module for the page threads to run
 * (a test's wrapper of the bundle's `renderPage`; test/integration/page-threads.test.ts).
 *
 * BENCH_WITHOUT_DECISION_INSERT=1 (the bench's read-only ceiling; read by this file only, never by
 * the application): the same server, every decision insert ignored by a trigger — on SQLite a TEMP
 * trigger of this process's connection (`RAISE(IGNORE)`: the statement runs, writes nothing, and
 * the group commit commits nothing, so no fsync); on PostgreSQL a trigger returning NULL, created in
 * the database given, which must be a copy of the bench's own (test/bench/run.ts makes one).
 */
import path from "node:path";
import type * as Shipped from "../../app/server";
import { createServices } from "../../app/services.server";

// The built bundle (the build's server entry), as `npm run serve` runs it.
const { serve } = (await import(path.resolve(process.env.CANDOR_BUILD_DIR ?? "build", "server/index.js"))) as typeof Shipped;
const services = await createServices();
if (process.env.BENCH_WITHOUT_DECISION_INSERT === "1") {
  const { database } = services;
  if (database.engine === "sqlite") {
    database.client.exec("CREATE TEMP TRIGGER bench_without_decision_insert BEFORE INSERT ON main.decisions BEGIN SELECT RAISE(IGNORE); END");
  } else {
    await database.pool.query("CREATE OR REPLACE FUNCTION bench_without_decision_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$");
    await database.pool.query("CREATE OR REPLACE TRIGGER bench_without_decision_insert BEFORE INSERT ON decisions FOR EACH ROW EXECUTE FUNCTION bench_without_decision_insert()");
  }
}
await serve(services, { pageWorker: process.env.CANDOR_PAGE_WORKER || undefined });
