/**
 * Liveness and readiness for the load balancer (README "Deploying"): the shipped listener
 * (app/server.ts createApp) on a real port, on the suite's engine.
 */
import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { Readiness } from "../../app/http.server";
import { createServices, type Services } from "../../app/services.server";
import { loadShippedServer } from "../support/app";
import { freshTestDatabase } from "../support/database";
import { freePort } from "../support/server";

let server: Server | undefined;
let services: Services | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await services?.database.close().catch(() => undefined);
  server = undefined;
  services = undefined;
});

async function start(readiness: Readiness) {
  services = await createServices({ database: await freshTestDatabase(), migrate: false });
  const { createApp } = await loadShippedServer();
  const app = createApp(services, { readiness });
  const port = await freePort();
  server = createServer(app);
  await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
  return `http://127.0.0.1:${port}`;
}

describe("/healthz and /readyz", () => {
  it("answer 200 while the process runs and its database answers, uncached", async () => {
    const base = await start({ accepting: true });
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
    expect(ready.headers.get("cache-control")).toBe("no-store");
    expect(ready.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("/readyz answers 503 from the moment a shutdown begins; /healthz still 200", async () => {
    const readiness = { accepting: true };
    const base = await start(readiness);
    readiness.accepting = false;
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "not ready", reason: "shutting down" });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("/readyz answers 503 when the database does not answer", async () => {
    const base = await start({ accepting: true });
    await services!.database.close();
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "not ready", reason: "database" });
  });

  it("refuse other methods with 405", async () => {
    const base = await start({ accepting: true });
    const response = await fetch(`${base}/readyz`, { method: "POST" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });
});
