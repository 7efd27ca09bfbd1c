/**
 * The graceful stop of a serving process (app/http.server.ts stopGracefully; SPEC §13), on the
 * suite's engine: found by the multi-instance test's rolling restart, where a SIGTERM under load
 * through HAProxy failed requests (the database closed and the process exited while answers were
 * still on their way; kept-alive connections were reused meanwhile).
 */
import { createServer, type RequestListener, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { stopGracefully, type Readiness } from "../../app/http.server";
import { createServices, type Services } from "../../app/services.server";
import { loadShippedServer } from "../support/app";
import { freshTestDatabase } from "../support/database";
import { rawGet } from "../support/raw-sql";
import { freePort } from "../support/server";

let server: Server | undefined;
let services: Services | undefined;
afterEach(async () => {
  if (server?.listening) await new Promise((resolve) => server!.close(resolve));
  await services?.database.close().catch(() => undefined);
  server = undefined;
  services = undefined;
});

/** Resolves when the server began answering `/slow`. */
let slowStarted: Promise<void> = Promise.resolve();
/** What happened, in order, on the server's side. */
let events: string[] = [];

/** The shipped listener, plus `/slow` (answers after `slowMs`, reading the database first and last). */
async function start(readiness: Readiness, slowMs: number) {
  events = [];
  let began: () => void = () => undefined;
  slowStarted = new Promise<void>((resolve) => (began = resolve));
  services = await createServices({ database: await freshTestDatabase(), migrate: false });
  const database = services.database;
  const { createApp } = await loadShippedServer();
  const app = createApp(services, { readiness });
  const listener: RequestListener = (req, res) => {
    if (req.url !== "/slow") return app(req, res);
    void (async () => {
      await rawGet(database, "select 1 as one");
      began();
      await new Promise((resolve) => setTimeout(resolve, slowMs));
      const row = await rawGet<{ two: number }>(database, "select 2 as two");
      res.writeHead(200, { "content-type": "text/plain" }).end(`done ${row?.two}`, () => events.push("answered"));
    })().catch(() => res.writeHead(500).end("database closed"));
  };
  const port = await freePort();
  server = createServer(listener);
  await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
  return `http://127.0.0.1:${port}`;
}

describe("stopGracefully", () => {
  it("drains: readiness off at once, answers in flight finish before the workers stop and the database closes, then the port is closed", async () => {
    const readiness: Readiness = { accepting: true };
    // The answer in flight outlasts the drain, so the listener closes while it is still on its way.
    const base = await start(readiness, 3_000);
    const inFlight = fetch(`${base}/slow`).then(async (r) => ({ status: r.status, text: await r.text() }));
    // The slow request is being answered when the stop begins.
    await slowStarted;
    const stopped = stopGracefully(server!, services!, [async () => void events.push("workers stopped")], readiness, { drainMs: 1_500, graceMs: 10_000 }).then(() =>
      events.push("stopped"),
    );

    // During the drain the instance still answers, says it is not ready, and ends each connection.
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get("connection")).toBe("close");
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get("connection")).toBe("close");

    expect(await inFlight).toEqual({ status: 200, text: "done 2" });
    await stopped;
    expect(events).toEqual(["answered", "workers stopped", "stopped"]);
    expect(server!.listening).toBe(false);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    await expect(rawGet(services!.database, "select 1 as one")).rejects.toThrow();
  });

  it("cuts the connections still busy after the grace period, then stops anyway", async () => {
    const readiness: Readiness = { accepting: true };
    const base = await start(readiness, 5_000);
    const inFlight = fetch(`${base}/slow`).then(
      (r) => r.status,
      () => "cut",
    );
    await slowStarted;
    const started = Date.now();
    await stopGracefully(server!, services!, [], readiness, { drainMs: 0, graceMs: 300 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await inFlight).toBe("cut");
    expect(server!.listening).toBe(false);
  });
});
