/**
 * The build's server entry (vite.config.ts: the SSR build's input), as in React Router's
 * node-postgres template: bundled with the React Router build into build/server/index.js, so the
 * server, the routes and the domain are one module graph. `npm run serve` runs
 * `node build/server/index.js`: the composition root builds the services, the listener
 * (app/http.server.ts) serves the API, health checks and static files on the main thread, the page
 * threads render the pages (app/page-threads.server.ts: each runs this same bundle, whose
 * `renderPage` answers them), the workers deliver emails and webhooks, and SIGTERM stops it all
 * gracefully.
 *
 * Tests and the benchmark import this bundle for `createApp` and `build` (with services they
 * built), and test/bench/shipped-server.ts for `serve`.
 */
import { createServer, type RequestListener, type Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread } from "node:worker_threads";
import * as build from "virtual:react-router/server-build";
import { createListener, stopGracefully, type Readiness } from "./http.server";
import { isPageThread, pageThread, workerTick } from "./page-thread-worker.server";
import { startPageThreads, type PageTask, type PageThreads, type WorkerTickAnswer, type WorkerTickTask } from "./page-threads.server";
import { createServices, type Services } from "./services.server";
import { env } from "./utils/env.server";
import { log } from "./utils/log.server";

export { build };
export { clientIpContext, servicesContext } from "./context";
export { createServices };

/** The bundled build's browser files: build/client beside build/server. */
const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../client");

/**
 * The whole server as one node:http listener for `services` (see app/http.server.ts
 * createListener). `readiness`: flipped to not accepting when a shutdown begins; `production`
 * (default: NODE_ENV=production) adds Strict-Transport-Security; `pages`: the page threads that
 * render the pages (none: this thread renders them, as the tests' in-process app does).
 */
export function createApp(services: Services, options: { production?: boolean; readiness?: Readiness; pages?: PageThreads } = {}): RequestListener {
  return createListener(services, build, { clientDir: CLIENT_DIR, ...options });
}

const thread = isPageThread() ? pageThread(build) : undefined;

/** A page thread's task (app/page-threads.server.ts: piscina calls this export of the bundle by name). */
export function renderPage(task: PageTask): Promise<unknown> {
  if (!thread) throw new Error("renderPage runs in a page thread only");
  return thread.render(task);
}

/** A page thread's other task: the delivery worker's periodic work (WORKER_TICK_EXPORT, app/page-threads.server.ts). */
export function runWorkerTick(task: WorkerTickTask): Promise<WorkerTickAnswer> {
  if (!thread) throw new Error("runWorkerTick runs in a page thread only");
  return thread.tick(task);
}

/**
 * Serves `services` (built and migrated by the caller) on PORT/HOST, as `npm run serve` does and
 * test/bench/shipped-server.ts too: the page threads (PAGE_THREADS, or `pageThreads`; `pageWorker`:
 * the module they run, default this bundle) start first, then the listener — "Candor is listening"
 * is printed once it accepts — then the workers that deliver emails and webhooks; SIGTERM/SIGINT
 * stop it all gracefully and exit. Resolves once listening; rejects when the page threads cannot
 * start (half a server — an API without pages — must not run).
 */
export async function serve(services: Services, options: { pageThreads?: number; pageWorker?: string } = {}): Promise<Server> {
  const { PORT, HOST, PUBLIC_URL, SMTP_URL, MAIL_FROM, PAGE_THREADS } = env();
  const threads = options.pageThreads ?? PAGE_THREADS;
  const pages = threads > 0 ? startPageThreads(services, { filename: options.pageWorker ?? fileURLToPath(import.meta.url), threads }) : undefined;
  // Every thread has loaded the bundle and opened the database before the port opens.
  await pages?.ready;
  // The page threads write through their own connections: the main thread must never sleep in
  // SQLite waiting for their lock, since its event loop answers the agents' hot path.
  if (pages && services.database.engine === "sqlite") services.database.yieldWhenBusy();
  const readiness: Readiness = { accepting: true };
  const server = createServer(createApp(services, { readiness, pages }));
  await new Promise<void>((resolve) => server.listen(PORT, HOST, resolve));
  // Plain text first: scripts and the quick start wait for this line.
  console.log(`Candor is listening on ${PUBLIC_URL} (port ${PORT})`);
  log.info({ event: "server.listening", port: PORT, engine: services.database.engine, pageThreads: threads });
  // Notification emails: sent from the durable outbox only when SMTP is configured; without it
  // they stay in the outbox (readable at /staff/outbox).
  // Webhooks: always delivered from their durable outbox (every 5 s), to the endpoints admins
  // configured at /staff/webhooks. The same tick first closes the confirmation requests nobody
  // answered in time (SPEC §11.1), whose confirmation.answered events it then delivers, and folds
  // recent changes into the report figures. That work grows with the database and the changes
  // (at 1M customers: 1–2 ms idle, 0.3–0.7 s after 100 concern changes, ~19 s for a first
  // rebuild; SQLite's driver is synchronous), so a page thread does it, on its own connection.
  // The delivery itself — one indexed read when nothing is due, else an HTTP call per row — stays
  // on this thread's worker: one worker per outbox, and no second copy of its leases.
  const { startWebhookWorker } = await import("./domain/webhooks.server");
  const beforeRun = async (db: Services["db"], now: number) => {
    const tick = pages ? await pages.tick({ now }) : await workerTick(db, now);
    const { monitoring, publicStatistics, staffNotifications, purge } = tick.duties;
    if (tick.expired > 0 || tick.figures.rebuilt || tick.figures.days > 0 || tick.figures.choiceChanges > 0 || monitoring + publicStatistics + staffNotifications + purge > 0) {
      const { rebuilt, days, choiceChanges } = tick.figures;
      log.info({ event: "worker.tick", thread: tick.thread, expired: tick.expired, rebuilt, days, choiceChanges, monitoring, publicStatistics, staffNotifications, purge, ms: Math.round(tick.ms) });
    }
  };
  const stopWebhooks = startWebhookWorker(services.db, { intervalMs: 5_000, beforeRun });
  // The webhook worker first (a tick in a page thread finishes), then the threads close their databases.
  const stoppers: (() => Promise<void>)[] = [pages ? () => stopWebhooks().then(() => pages.stop()) : stopWebhooks];
  if (SMTP_URL) {
    const { startOutboxWorker } = await import("./domain/outbox.server");
    stoppers.push(startOutboxWorker(services.db, { smtpUrl: SMTP_URL, from: MAIL_FROM }));
    log.info({ event: "worker.started", worker: "outbox" });
  }
  // On SIGTERM (or SIGINT): /readyz answers 503 at once and every answer closes its connection;
  // after a short drain (the balancer takes the instance out of rotation) the listener stops
  // accepting and finishes the requests in flight (those waiting for a page thread included); then
  // each worker finishes what it is sending, the page threads close their databases and end, the
  // hot path's last call counts are recorded, the database closes, and the process exits
  // (stopGracefully, app/http.server.ts).
  // A signal often arrives twice: sent to the process group and relayed by a parent (npm, tsx, a
  // supervisor). A second one must not end the process mid-stop with the default action, so the
  // handlers stay and repeats are only logged; the stop is bounded by its own deadlines.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return void log.info({ event: "server.stop_in_progress", signal });
    stopping = true;
    log.info({ event: "server.stopping", signal });
    void stopGracefully(server, services, stoppers, readiness).finally(() => {
      log.info({ event: "server.stopped" });
      process.exit(0);
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  return server;
}

// `node build/server/index.js` (a page thread runs this bundle too, with the same argv: not there).
if (isMainThread && import.meta.url === `file://${process.argv[1]}`) {
  const { PUBLIC_URL, NODE_ENV } = env();
  if (NODE_ENV === "production" && !process.env.TRUST_PROXY && !process.argv.includes("--demo")) {
    log.warn({ event: "config.trust_proxy_unset", note: "behind a proxy, every visitor would share one rate-limit bucket" });
  }
  // The composition root: the database (DATABASE_URL), migrated (once, before any page thread
  // opens it); handed to pages, API and workers.
  const services = await createServices();
  await serve(services);
  if (process.argv.includes("--demo")) {
    const { printDemoLinks } = await import("../db/demo-links");
    await printDemoLinks(services.db, PUBLIC_URL);
  }
}
