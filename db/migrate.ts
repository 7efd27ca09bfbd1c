/** `npm run db:migrate`: applies pending migrations to the database DATABASE_URL names (default: the SQLite file DATABASE_PATH). */
import { createServices } from "../app/services.server";
import { databaseUrl } from "../app/utils/db.server";

// The composition root migrates while it builds the services.
const services = await createServices();
await services.database.close();
// PostgreSQL: host and database only, never the credentials of the URL.
const where = services.database.engine === "sqlite" ? databaseUrl().replace(/^file:/, "") : (({ host, pathname }) => `postgres://${host}${pathname}`)(new URL(databaseUrl()));
console.log(`Database ready at ${where}`);
