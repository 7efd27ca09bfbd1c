/**
 * Candor's production server: static assets, then React Router for every page.
 * The integration API (/api/v1/*) is answered by a lean node:http handler in front of both
 * (app/api/handler.server.ts): the agents' hot path never goes through Express middleware.
 */
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express from "express";
import { createServer } from "node:http";
import path from "node:path";
import { RouterContextProvider, type ServerBuild } from "react-router";
import { flushApiUsage, withLeanApi } from "./api/handler.server";
import type { clientIpContext as ClientIpContext } from "./context";
import { env } from "./utils/env.server";

/** Form posts are small: refuse large or unsized bodies before anything reads them. */
export const MAX_FORM_BODY_BYTES = 64 * 1024;

function limitFormBodies(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const length = req.headers["content-length"];
  if (length === undefined && req.headers["transfer-encoding"]) {
    return void res.status(411).type("text/plain").send("Length Required");
  }
  if (Number(length ?? 0) > MAX_FORM_BODY_BYTES) {
    return void res.status(413).type("text/plain").send("Payload Too Large");
  }
  next();
}

export async function createApp(buildPath = path.resolve("build/server/index.js")) {
  const build = (await import(buildPath)) as ServerBuild;
  const { clientIpContext } = build.entry.module as unknown as { clientIpContext: typeof ClientIpContext };
  const app = express();
  app.disable("x-powered-by");
  // Behind a TLS-terminating proxy, set TRUST_PROXY so the request origin (and CSRF checks) use https.
  if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);
  app.use(compression());
  app.use(limitFormBodies);
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/client", { maxAge: "1h", index: false }));
  app.all(
    "/{*splat}",
    createRequestHandler({
      build,
      mode: "production",
      getLoadContext(req) {
        const context = new RouterContextProvider();
        context.set(clientIpContext, req.ip ?? "unknown");
        return context;
      },
    }),
  );
  return app;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("app/server.ts")) {
  const { PORT, HOST, PUBLIC_URL, NODE_ENV, SMTP_URL, MAIL_FROM } = env();
  if (NODE_ENV === "production" && !process.env.TRUST_PROXY && !process.argv.includes("--demo")) {
    console.warn("TRUST_PROXY is not set: behind a proxy, every visitor would share one rate-limit bucket.");
  }
  const { getDb, runMigrations } = await import("./utils/db.server");
  runMigrations(getDb());
  const app = await createApp();
  const server = createServer(withLeanApi(app)).listen(PORT, HOST, async () => {
    console.log(`Candor is listening on ${PUBLIC_URL} (port ${PORT})`);
    // Notification emails: sent from the durable outbox only when SMTP is configured; without it
    // they stay in the outbox (readable at /staff/outbox).
    // Webhooks: always delivered from their durable outbox (every 5 s), to the endpoints admins
    // configured at /staff/webhooks.
    const { startWebhookWorker } = await import("./domain/webhooks.server");
    const stoppers: (() => Promise<void>)[] = [startWebhookWorker(getDb(), { intervalMs: 5_000 })];
    if (SMTP_URL) {
      const { startOutboxWorker } = await import("./domain/outbox.server");
      stoppers.push(startOutboxWorker(getDb(), { smtpUrl: SMTP_URL, from: MAIL_FROM }));
      console.log("Outbox worker started: notification emails are sent over SMTP.");
    }
    // On SIGTERM: stop accepting requests, let each worker finish what it is sending, then exit.
    process.once("SIGTERM", () => {
      server.close();
      try {
        // The hot path's per-minute call counts go to the audit log before the process ends.
        flushApiUsage(getDb());
      } catch (error) {
        console.error("Could not record the last API call counts:", error);
      }
      void Promise.allSettled(stoppers.map((stop) => stop())).finally(() => process.exit(0));
    });
    if (process.argv.includes("--demo")) {
      const [{ printDemoLinks }, { getDb }] = await Promise.all([import("../db/demo-links"), import("./utils/db.server")]);
      printDemoLinks(getDb(), PUBLIC_URL);
    }
  });
}
