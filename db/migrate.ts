/** `npm run db:migrate`: applies pending migrations to DATABASE_PATH. */
import { getDb, runSyncMigrations } from "../app/utils/db.server";
import { env } from "../app/utils/env.server";

runSyncMigrations(getDb());
console.log(`Database ready at ${env().DATABASE_PATH}`);
