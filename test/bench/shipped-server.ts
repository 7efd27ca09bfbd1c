/**
 * Starts the shipped server composition — app/server.ts `createApp`: security headers, the lean
 * API (app/api), then the Express/React Router app — exactly as `app/server.ts` does, but with the build
 * directory taken from CANDOR_BUILD_DIR (parallel working copies build side by side). Used by the
 * integration test of the API and by `npm run bench`. Prints "listening" when ready.
 */
import { createServer } from "node:http";
import path from "node:path";
import type * as Shipped from "../../app/server";
import { createServices } from "../../app/services.server";
import { env } from "../../app/utils/env.server";

const { PORT, HOST } = env();
// The built bundle (the build's server entry), as `npm run serve` runs it.
const { createApp } = (await import(path.resolve(process.env.CANDOR_BUILD_DIR ?? "build", "server/index.js"))) as typeof Shipped;
const app = createApp(await createServices());
createServer(app).listen(PORT, HOST, () => console.log(`listening on ${HOST}:${PORT}`));
