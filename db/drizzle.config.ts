import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema.ts",
  out: "./db/migrations/sqlite",
  dbCredentials: { url: process.env.DATABASE_PATH ?? "data/candor.sqlite" },
});
