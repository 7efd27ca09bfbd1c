/**
 * Starts the shipped server composition — the lean API (app/api) in front of the Express/React
 * Router app from app/server.ts `createApp` — exactly as `app/server.ts` does, but with the build
 * directory taken from CANDOR_BUILD_DIR (parallel working copies build side by side). Used by the
 * integration test of the API and by `npm run bench`. Prints "listening" when ready.
 */
import { createServer } from "node:http";
import path from "node:path";
import { withLeanApi } from "../../app/api/handler.server";
import { createApp } from "../../app/server";
import { getDb, runMigrations } from "../../app/utils/db.server";
import { env } from "../../app/utils/env.server";

const { PORT, HOST } = env();
runMigrations(getDb());
const app = await createApp(path.resolve(process.env.CANDOR_BUILD_DIR ?? "build", "server/index.js"));
createServer(withLeanApi(app)).listen(PORT, HOST, () => console.log(`listening on ${HOST}:${PORT}`));
