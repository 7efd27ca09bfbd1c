/**
 * Candor's production server as one node:http listener (createListener; app/server.ts, the build's
 * server entry, calls it with the React Router build it is bundled with), which
 * 1. puts the security headers of SPEC §9 on every response (withSecurityHeaders),
 * 2. answers the integration API (/api/v1/*) with a lean node:http handler
 *    (app/api/handler.server.ts): the agents' hot path never goes through Express middleware,
 * 3. refuses malformed URLs, unusable Host headers and methods no page answers with Candor's own
 *    translated page,
 * 4. refuses oversized and cross-site form posts, serves static assets, then React Router for
 *    every page (Express) — rendered in the page threads when it is given them
 *    (app/page-threads.server.ts), so no page holds the event loop the agents' hot path answers on.
 */
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express from "express";
import { type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import path from "node:path";
import { RouterContextProvider, type ServerBuild } from "react-router";
import { withLeanApi } from "./api/handler.server";
import { clientIpContext, servicesContext } from "./context";
import type { Services } from "./services.server";
import { sql } from "drizzle-orm";
import { executeSql } from "./utils/db.server";
import { errorFields, log } from "./utils/log.server";
import { hasControlCharacter } from "./utils/control-characters";
import { env } from "./utils/env.server";
import { plainErrorPage, requestLanguage, type PlainErrorKind } from "./utils/plain-error-page.server";
import { isSameOriginRequest } from "./utils/same-origin";
import { withSecurityHeaders } from "./http-security.server";
import { pageTask, sendPageAnswer, type PageThreads } from "./page-threads.server";

/** Form posts are small: refuse large or unsized bodies before anything reads them. */
export const MAX_FORM_BODY_BYTES = 64 * 1024;
/** The settings form carries the company logo (≤ 200 KB, SPEC §12) in a multipart body. */
const MAX_LOGO_FORM_BODY_BYTES = 256 * 1024;
const bodyLimitFor = (path: string): number => (path === "/staff/settings" ? MAX_LOGO_FORM_BODY_BYTES : MAX_FORM_BODY_BYTES);

/**
 * True when a request path cannot be a page address: broken percent-encoding (`%ZZ`, invalid
 * UTF-8) or a control character once decoded (`%0A`, `%0D`, `%09`, `%00`, DEL, C1). Express and
 * React Router throw on these (URIError, invalid URL), so they never reach them.
 */
function isMalformedPath(url: string): boolean {
  const end = url.search(/[?#]/);
  const pathname = end < 0 ? url : url.slice(0, end);
  try {
    return hasControlCharacter(decodeURIComponent(pathname));
  } catch {
    return true;
  }
}

/**
 * The request address with U+0000 (`%00`) removed from its query: no one types it, and
 * PostgreSQL can neither store nor compare it in text (a search for it would fail instead of
 * finding nothing) — as form fields lose it in `readForm`.
 */
function withoutNulInQuery(url: string): string {
  const start = url.indexOf("?");
  return start < 0 || !/%00/i.test(url.slice(start)) ? url : url.slice(0, start) + url.slice(start).replace(/%00/gi, "");
}

/** Methods a page answers (forms only post); anything else is a 405 before React Router sees it. */
const PAGE_METHODS = new Set(["GET", "HEAD", "POST"]);

/**
 * True when a Host (or X-Forwarded-Host) value can name this server: a DNS name or IP literal
 * with an optional port up to 65535. Express and React Router build the request URL from it and
 * throw on anything else (`Host: [`, `Host: a b`, an empty Host, `:99999999`).
 */
function isValidHost(value: string | undefined): boolean {
  const match = value?.match(/^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/);
  return Boolean(match) && Number(match![1] ?? 0) <= 65535 && URL.canParse(`http://${value}/`);
}

/** Answers with Candor's translated error page (HTML), logged on one line without a stack. */
/**
 * Reads and discards what a refused request is still sending, up to `maxBytes` or `maxMs`
 * (whichever comes first), so its answer can be read: closing a connection with unread data makes
 * TCP reset it, and a browser uploading too large a file would see "connection reset" instead of
 * the 413 page. Never rejects.
 */
function drainRefusedBody(req: IncomingMessage, maxBytes = 4 * 1024 * 1024, maxMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    if (req.readableEnded) return resolve();
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      req.off("data", onData).off("end", done).off("error", done).off("close", done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) {
        req.pause();
        done();
      }
    };
    const timer = setTimeout(() => {
      req.pause();
      done();
    }, maxMs);
    req.on("data", onData).on("end", done).on("error", done).on("close", done);
    req.resume();
  });
}

async function sendPlainError(req: IncomingMessage, res: ServerResponse, status: number, kind: PlainErrorKind) {
  if (status === 413) await drainRefusedBody(req);
  const html = plainErrorPage(kind, await requestLanguage(req));
  log.warn({ event: "request.refused", status, kind, method: req.method, path: (req.url ?? "/").split("?")[0] });
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(html),
    "Cache-Control": "no-store",
    ...(status === 411 || status === 413 ? { Connection: "close" } : {}),
  });
  res.end(html);
}

/**
 * The whole server as one node:http listener: security headers → lean API → malformed URLs,
 * hosts and methods → body limits, cross-site posts → static files → React Router. `services`:
 * what the composition root built (handed to every loader and action through the router context);
 * `build`: the React Router server build; `clientDir`: its browser files (build/client);
 * `readiness`: flipped by the shutdown (see withHealthChecks); `production` (default: NODE_ENV=production) adds Strict-Transport-Security;
 * `pages`: the page threads that render the pages (none: React Router renders them on this thread).
 * The lean API gets the same `services`.
 */
export function createListener(
  services: Services,
  build: ServerBuild,
  options: { clientDir: string; production?: boolean; readiness?: Readiness; pages?: PageThreads },
): RequestListener {
  const app = express();
  app.disable("x-powered-by");
  // Behind a TLS-terminating proxy, set TRUST_PROXY so the request origin (and CSRF checks) use https.
  if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);
  // Answers of the page threads come compressed from there: this thread compresses static files only.
  const fromPageThreads = new WeakSet<ServerResponse>();
  app.use(compression({ filter: (req, res) => !fromPageThreads.has(res) && compression.filter(req, res) }));
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const length = req.headers["content-length"];
    if (length === undefined && req.headers["transfer-encoding"]) return void sendPlainError(req, res, 411, "badRequest");
    if (Number(length ?? 0) > bodyLimitFor(req.path)) return void sendPlainError(req, res, 413, "tooLarge");
    // Cross-site form posts: refused here with the translated page, before React Router's own
    // origin check (a bare "Bad Request") or anything else reads them.
    const sameOrigin = isSameOriginRequest({
      method: req.method,
      secFetchSite: req.get("Sec-Fetch-Site") ?? null,
      origin: req.get("Origin") ?? null,
      ownOrigin: `${req.protocol}://${req.get("host")}`,
    });
    if (!sameOrigin) return void sendPlainError(req, res, 403, "forbidden");
    next();
  });
  const client = options.clientDir;
  app.use("/assets", express.static(path.join(client, "assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(client, { maxAge: "1h", index: false }));
  const threads = options.pages;
  app.all(
    "/{*splat}",
    threads
      ? (req, res, next) => {
          fromPageThreads.add(res);
          void renderInPageThread(threads, req, res).catch(next);
        }
      : createRequestHandler({
          build,
          mode: "production",
          getLoadContext(req) {
            const context = new RouterContextProvider();
            context.set(servicesContext, services);
            context.set(clientIpContext, req.ip ?? "unknown");
            return context;
          },
        }),
  );
  // Whatever still throws in Express on client input answers Candor's page, not a stack trace.
  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = (error as { status?: number }).status;
    if (res.headersSent) return void res.destroy();
    if (typeof status === "number" && status >= 400 && status < 500) return void sendPlainError(req, res, status, status === 404 ? "notFound" : "badRequest");
    log.error({ event: "request.failed", method: req.method, path: req.path, ...errorFields(error, { withStack: true }) });
    void sendPlainError(req, res, 500, "server");
  });

  const trustProxy = Boolean(process.env.TRUST_PROXY);
  const pages: RequestListener = (req, res) => {
    if (isMalformedPath(req.url ?? "/")) return void sendPlainError(req, res, 400, "badAddress");
    req.url = withoutNulInQuery(req.url ?? "/");
    const forwarded = trustProxy ? req.headers["x-forwarded-host"] : undefined;
    const forwardedHosts = forwarded === undefined ? [] : String(forwarded).split(",").map((host) => host.trim());
    if (![req.headers.host, ...forwardedHosts].every(isValidHost)) return void sendPlainError(req, res, 400, "badRequest");
    if (!PAGE_METHODS.has(req.method ?? "")) {
      res.setHeader("Allow", [...PAGE_METHODS].join(", "));
      return void sendPlainError(req, res, 405, "badRequest");
    }
    app(req, res);
  };
  const readiness = options.readiness ?? { accepting: true };
  return withSecurityHeaders(withHealthChecks(withLeanApi(pages, services), services, readiness), {
    production: options.production ?? env().NODE_ENV === "production",
  });
}

/**
 * One page, rendered by a page thread and written here. A thread that fails or dies while
 * rendering (piscina replaces it) answers the translated 500 page, logged on one line. Rejects
 * only when the body cannot be read (the Express error handler answers).
 */
async function renderInPageThread(pages: PageThreads, req: express.Request, res: express.Response): Promise<void> {
  const task = await pageTask(req, bodyLimitFor(req.path));
  try {
    const answer = await pages.render(task);
    if (res.destroyed || res.writableEnded) return;
    sendPageAnswer(res, answer, task.method);
  } catch (error) {
    log.error({ event: "page_thread.request_failed", method: req.method, path: req.path, ...errorFields(error) });
    if (res.headersSent) return void res.destroy();
    await sendPlainError(req, res, 500, "server");
  }
}

/** Whether the process takes requests: false from the moment a shutdown begins. */
export interface Readiness {
  accepting: boolean;
}

/** How long /readyz waits for the database before answering 503. */
const READINESS_TIMEOUT_MS = 2_000;

/**
 * Health endpoints for the load balancer, answered before anything else (no session, no
 * security-sensitive data, never cached):
 * - `GET /healthz` → 200 `{"status":"ok"}` while the process runs (liveness);
 * - `GET /readyz` → 200 `{"status":"ready"}` when the database answers `select 1` within 2 s and
 *   no shutdown has begun, else 503 `{"status":"not ready","reason":"database"|"shutting down"}`
 *   (readiness: take the instance out of rotation, don't restart it).
 * From the moment a shutdown begins, every answer also carries `Connection: close`.
 */
function withHealthChecks(next: RequestListener, services: Services, readiness: Readiness): RequestListener {
  const answer = (res: ServerResponse, status: number, body: Record<string, string>) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-store" });
    res.end(text);
  };
  return (req, res) => {
    // Every request passes here, the agents' hot path included: a cheap test first.
    const url = req.url ?? "";
    // Once a shutdown began, every answer ends its connection: a balancer's kept-alive
    // connection is not reused for a request this process might no longer be there to answer.
    if (!readiness.accepting) res.setHeader("Connection", "close");
    if (!url.startsWith("/healthz") && !url.startsWith("/readyz")) return next(req, res);
    const path = url.split("?")[0];
    if (path !== "/healthz" && path !== "/readyz") return next(req, res);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return answer(res, 405, { status: "method not allowed" });
    }
    if (path === "/healthz") return answer(res, 200, { status: "ok" });
    if (!readiness.accepting) return answer(res, 503, { status: "not ready", reason: "shutting down" });
    const timeout = new Promise<"timeout">((resolve) => setTimeout(resolve, READINESS_TIMEOUT_MS, "timeout").unref());
    void Promise.race([executeSql(services.db, sql`select 1 as ok`), timeout])
      .then((result) => (result === "timeout" ? answer(res, 503, { status: "not ready", reason: "database" }) : answer(res, 200, { status: "ready" })))
      .catch((error: unknown) => {
        log.warn({ event: "readiness.database", ...errorFields(error) });
        answer(res, 503, { status: "not ready", reason: "database" });
      });
  };
}

/** How long a stopping instance keeps serving with /readyz at 503, so balancers take it out of rotation first. */
const SHUTDOWN_DRAIN_MS = 1_000;
/** How long a stopping instance waits for the requests in flight before it cuts their connections. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * The whole graceful stop of a serving process (SIGTERM), in the order a load balancer needs so
 * that no request fails (SPEC §13; tested by test/multi-instance, "rolling restart"):
 * 1. `readiness.accepting = false`: /readyz answers 503 and every answer carries
 *    `Connection: close` (withHealthChecks);
 * 2. for `drainMs` (default SHUTDOWN_DRAIN_MS) the listener keeps serving, while the balancer's
 *    health check takes the instance out of rotation (a balancer that checks less often must
 *    retry refused connections elsewhere: HAProxy `option redispatch`, nginx `proxy_next_upstream error`);
 * 3. the listener stops accepting; idle connections are closed as they become idle; the
 *    requests in flight are answered (at most `graceMs`, default SHUTDOWN_GRACE_MS, then their
 *    connections are cut);
 * 4. only then `shutDown`: the workers finish, the call counts are recorded, the database closes.
 * Resolves when all of it is done (the caller exits). Never rejects.
 */
export async function stopGracefully(
  server: Server,
  services: Services,
  stoppers: (() => Promise<void>)[],
  readiness: Readiness,
  options: { drainMs?: number; graceMs?: number } = {},
): Promise<void> {
  readiness.accepting = false;
  await new Promise((resolve) => setTimeout(resolve, options.drainMs ?? SHUTDOWN_DRAIN_MS));
  const closed = new Promise<"closed">((resolve) => server.close(() => resolve("closed")));
  const deadline = Date.now() + (options.graceMs ?? SHUTDOWN_GRACE_MS);
  // close() ends the connections idle now; a connection whose answer is still on its way becomes idle later.
  for (;;) {
    server.closeIdleConnections();
    const tick = new Promise<"tick">((resolve) => setTimeout(resolve, 50, "tick"));
    if ((await Promise.race([closed, tick])) === "closed") break;
    if (Date.now() > deadline) {
      log.warn({ event: "shutdown.grace_exceeded", graceMs: options.graceMs ?? SHUTDOWN_GRACE_MS });
      server.closeAllConnections();
      await closed;
      break;
    }
  }
  await shutDown(services, stoppers);
}

/**
 * Graceful shutdown, after the listener stopped accepting: the workers finish what they are
 * sending, the hot path's per-minute call counts go to the audit log, then the database closes
 * (SQLite: after an open transaction ends; PostgreSQL: the pool drains). Failures are logged; the
 * database is closed in any case.
 */
async function shutDown(services: Services, stoppers: (() => Promise<void>)[]): Promise<void> {
  await Promise.allSettled(stoppers.map((stop) => stop()));
  try {
    await services.apiUsage.flush();
  } catch (error) {
    log.error({ event: "shutdown.api_usage", ...errorFields(error) });
  }
  try {
    await services.database.close();
  } catch (error) {
    log.error({ event: "shutdown.database", ...errorFields(error) });
  }
}
