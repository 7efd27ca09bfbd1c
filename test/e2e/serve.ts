/** Starts the built portal on a fresh, seeded SQLite file for the browser tests. */
import fs from "node:fs";
import path from "node:path";
import { E2E_DB, E2E_PORT } from "./support";

fs.rmSync(path.dirname(E2E_DB), { recursive: true, force: true });
process.env.DATABASE_PATH = E2E_DB;
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
const { createServer } = await import("node:http");
const { createApp } = await import("../../app/server");
createServer(await createApp(services)).listen(E2E_PORT, () => console.log(`e2e portal on ${process.env.PUBLIC_URL}`));
