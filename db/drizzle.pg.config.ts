import { defineConfig } from "drizzle-kit";

/** PostgreSQL migrations: `npm run db:generate:pg -- --name <topic>` after changing db/schema.pg.ts. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.pg.ts",
  out: "./db/migrations/postgres",
});
