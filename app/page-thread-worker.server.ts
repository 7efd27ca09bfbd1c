/**
 * A page thread's side of app/page-threads.server.ts: its own `Services` (its own database
 * connection, built by the same composition function, without migrating: the main thread did),
 * React Router's fetch handler, and the answer read whole, compressed here, and moved back; and
 * the delivery worker's periodic work (workerTick), which the main thread hands to a page thread.
 */
import os from "node:os";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import { BroadcastChannel, threadId, workerData } from "node:worker_threads";
import { move, transferableSymbol, valueSymbol } from "piscina";
import { createRequestHandler, RouterContextProvider, type ServerBuild } from "react-router";
import { clientIpContext, servicesContext } from "./context";
import { createApiKeyCache } from "./domain/api-keys.server";
import { expireConfirmations } from "./domain/confirmations.server";
import { refreshMonitoringFigures } from "./domain/monitoring.server";
import { refreshPublicStatistics } from "./domain/public-statistics.server";
import { refreshReportFigures } from "./domain/report-figures.server";
import { purgeTick } from "./domain/retention.server";
import { queueStaffNotifications } from "./domain/staff-notifications.server";
import { channelNames, type CompanyDuties, type MainReply, type PageAnswer, type PageTask, type PageThreadData, type ThreadMessage, type WorkerTickAnswer, type WorkerTickTask } from "./page-threads.server";
import { createServices, type Services } from "./services.server";
import { databaseUrl, openDatabase, type AnyDatabase, type Db } from "./utils/db.server";
import { openPostgresDatabase } from "./utils/db-postgres.server";
import { errorFields, log } from "./utils/log.server";
import type { RateLimits } from "./utils/rate-limit.server";

/** True in a thread started by startPageThreads (not in the main thread, nor in a test runner's worker). */
export function isPageThread(): boolean {
  return (workerData as Partial<PageThreadData> | null)?.candorPageThread === true;
}

/**
 * A thread's PostgreSQL pool: as many connections as pages it renders at once (the pool's
 * concurrentTasksPerWorker), so pages can never take the hot path's connections.
 */
const THREAD_PG_CONNECTIONS = 4;
/**
 * The niceness of a page thread (Linux: 0 is the main thread's, 19 the lowest). The main thread
 * answers the agents' decisions; at 10 the scheduler gives it about nine tenths of a contended
 * core, so pages and the worker's tick can use every core without delaying a decision (SPEC §10).
 */
export const PAGE_THREAD_NICENESS = 10;
/** Answers smaller than this are sent as they are (as the compression middleware does: 1 KB). */
const COMPRESS_THRESHOLD_BYTES = 1024;

/** Calls to the main thread (the process's rate limits and API key cache), answered over the pool's channels. */
function mainThreadBridge(pool: string) {
  const names = channelNames(pool);
  const requests = new BroadcastChannel(names.requests);
  const replies = new BroadcastChannel(names.replies(threadId));
  const control = new BroadcastChannel(names.control);
  const pending = new Map<number, { resolve: (value: number | null) => void; reject: (error: Error) => void }>();
  let next = 0;
  replies.onmessage = (event) => {
    const message = (event as unknown as { data: MainReply }).data;
    const call = pending.get(message.id);
    if (!call) return;
    pending.delete(message.id);
    if (message.error !== undefined) call.reject(new Error(message.error));
    else call.resolve(message.value ?? null);
  };
  type Call = ThreadMessage extends infer M ? (M extends { id: number } ? Omit<M, "id" | "thread"> : never) : never;
  const call = (message: Call) =>
    new Promise<number | null>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      requests.postMessage({ ...message, id, thread: threadId });
    });
  return {
    rateLimits: {
      consume: (name, key) => call({ kind: "consume", name, key }),
      reset: async (name, key) => void (await call({ kind: "reset", name, key })),
      refund: async (name, key) => void (await call({ kind: "refund", name, key })),
    } satisfies RateLimits,
    invalidateApiKeys: async () => void (await call({ kind: "invalidateApiKeys" })),
    tell: (message: Extract<ThreadMessage, { kind: "ready" | "failed" | "closed" }>) => requests.postMessage(message),
    onClose(close: () => Promise<void>) {
      control.onmessage = (event) => {
        if ((event as unknown as { data: { kind: string } }).data.kind !== "close") return;
        void close().finally(() => requests.postMessage({ kind: "closed", thread: threadId } satisfies ThreadMessage));
      };
    },
  };
}

/** The thread's own database: SQLite's file (WAL: several connections), or a small PostgreSQL pool. */
function openThreadDatabase(): AnyDatabase {
  const url = databaseUrl();
  return /^postgres(ql)?:\/\//.test(url) ? openPostgresDatabase(url, { max: THREAD_PG_CONNECTIONS }) : openDatabase(url);
}

async function threadServices(bridge: ReturnType<typeof mainThreadBridge>): Promise<Services> {
  const database = openThreadDatabase();
  return createServices({
    database,
    migrate: false,
    // SQLite's limits live in the main thread's memory; PostgreSQL's table is shared anyway.
    rateLimits: database.engine === "sqlite" ? bridge.rateLimits : undefined,
    apiKeys: createApiKeyCache({ onInvalidate: bridge.invalidateApiKeys }),
  });
}

/** The compression the request accepts, br before gzip (as the compression middleware chooses); null for none. */
function acceptedEncoding(acceptEncoding: string | undefined): "br" | "gzip" | null {
  const accepted = new Set(
    (acceptEncoding ?? "")
      .split(",")
      .map((part) => part.trim().split(";"))
      .filter(([, ...params]) => !params.some((param) => /^\s*q=0(\.0*)?\s*$/.test(param)))
      .map(([name]) => name!.trim().toLowerCase()),
  );
  return accepted.has("br") ? "br" : accepted.has("gzip") ? "gzip" : null;
}

const compressible = (type: string | null) => type !== null && /^(text\/|application\/(json|javascript|xml|[\w.+-]+\+(json|xml))|image\/svg\+xml)/i.test(type);

/**
 * The answer of `response` to `task`, read whole (pages are not streamed: no route returns
 * deferred data, and the document is sent once React has rendered its shell), compressed when the
 * request accepts it (br, else gzip), the type is text and it is at least 1 KB — as the
 * compression middleware does for static files. Set-Cookie values stay apart.
 */
export async function pageAnswer(task: PageTask, response: Response): Promise<PageAnswer> {
  const headers = response.headers;
  let body = task.method === "HEAD" || !response.body ? null : new Uint8Array(await response.arrayBuffer());
  if (task.method === "HEAD") await response.body?.cancel();
  const type = headers.get("Content-Type");
  if (compressible(type)) {
    const vary = headers.get("Vary");
    if (!vary?.split(",").some((name) => name.trim().toLowerCase() === "accept-encoding" || name.trim() === "*")) {
      headers.set("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
    }
    const encoding = acceptedEncoding(task.headers.find(([name]) => name === "accept-encoding")?.[1]);
    const transform = !/\bno-transform\b/i.test(headers.get("Cache-Control") ?? "") && !headers.has("Content-Encoding");
    if (body && encoding && transform && body.byteLength >= COMPRESS_THRESHOLD_BYTES) {
      const compressed = encoding === "br" ? brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } }) : gzipSync(body);
      body = new Uint8Array(compressed); // a buffer of its own, to be moved
      headers.set("Content-Encoding", encoding);
    }
  }
  headers.delete("Content-Length");
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...headers].filter(([name]) => name !== "set-cookie"),
    setCookies: headers.getSetCookie(),
    body,
  };
}

/**
 * The periodic work of the webhook delivery worker's tick, before it delivers (app/server.ts):
 * closes the confirmation requests nobody answered in time (SPEC §11.1: their
 * confirmation.answered webhooks are queued in the same transactions) and folds the changes queued
 * since the last run into the pre-aggregated report figures (app/domain/report-figures.server.ts).
 * `now`: ms since epoch UTC. Returns the thread it ran on (`threadId`: 0 is the main thread),
 * how many requests it closed, the refresh's result and how long it took (ms). Both steps are
 * idempotent and safe on several instances at once; errors are thrown as they are.
 */
export async function workerTick(db: Db, now: number): Promise<WorkerTickAnswer> {
  const started = performance.now();
  const expired = await expireConfirmations(db, now);
  const figures = await refreshReportFigures(db);
  const duties = await runCompanyDuties(db, now);
  return { thread: threadId, expired, figures, duties, ms: performance.now() - started };
}

/**
 * The company's periodic duties (SPEC §12), each one bounded batch per tick and idempotent across
 * instances: weekly monitoring figures and their threshold alerts, the public statistics' figures,
 * staff notification emails, and
 * the daily retention purge (at most once per company-zone day). One failing duty does not stop
 * the others; their errors are thrown together afterwards. Returns rows handled per duty.
 */
async function runCompanyDuties(db: Db, now: number): Promise<CompanyDuties> {
  const duties: CompanyDuties = { monitoring: 0, publicStatistics: 0, staffNotifications: 0, purge: 0 };
  const errors: unknown[] = [];
  const steps: [keyof CompanyDuties, (db: Db, now: number) => Promise<number>][] = [
    ["monitoring", refreshMonitoringFigures],
    ["publicStatistics", refreshPublicStatistics],
    ["staffNotifications", queueStaffNotifications],
    ["purge", purgeTick],
  ];
  for (const [name, step] of steps) {
    try {
      duties[name] = await step(db, now);
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, "A periodic duty failed");
  return duties;
}

/**
 * Lowers this thread's scheduling priority to PAGE_THREAD_NICENESS. Linux only: there
 * setpriority(2) with pid 0 applies to the calling thread; elsewhere it would lower the whole
 * process, hot path included, so other systems keep one priority. A refusal is logged, not thrown.
 */
function lowerThreadPriority(): void {
  if (process.platform !== "linux") return;
  try {
    os.setPriority(0, Math.max(os.getPriority(0), PAGE_THREAD_NICENESS));
  } catch (error) {
    log.warn({ event: "page_thread.priority", ...errorFields(error) });
  }
}

/** A page thread's two task functions: pages, and the delivery worker's tick (workerTick). */
export interface PageThread {
  render(task: PageTask): Promise<unknown>;
  tick(task: WorkerTickTask): Promise<WorkerTickAnswer>;
}

/**
 * The page thread's task functions for `build` (app/server.ts exports them as `renderPage` and
 * `runWorkerTick`): opens the thread's services at once (and tells the main thread when ready, or
 * why not), then answers each PageTask as React Router does, with the answer's body moved to the
 * main thread, and runs each WorkerTickTask on the thread's own database connection. Closes the
 * thread's database when the main thread says so (its stop).
 */
export function pageThread(build: ServerBuild): PageThread {
  lowerThreadPriority();
  const { pool } = workerData as PageThreadData;
  const bridge = mainThreadBridge(pool);
  const services = threadServices(bridge);
  services.then(
    () => bridge.tell({ kind: "ready", thread: threadId }),
    (error: unknown) => {
      log.error({ event: "page_thread.start_failed", ...errorFields(error) });
      bridge.tell({ kind: "failed", thread: threadId, message: error instanceof Error ? error.message : String(error) });
    },
  );
  bridge.onClose(async () => {
    const { database } = await services;
    await database.close().catch((error: unknown) => log.error({ event: "page_thread.database_close", ...errorFields(error) }));
  });
  const handle = createRequestHandler(build, "production");
  return {
    async render(task) {
      const context = new RouterContextProvider();
      context.set(servicesContext, await services);
      context.set(clientIpContext, task.clientIp);
      const withBody = task.body !== null && task.method !== "GET" && task.method !== "HEAD";
      const request = new Request(task.url, { method: task.method, headers: task.headers, ...(withBody ? { body: task.body as Uint8Array<ArrayBuffer> } : {}) });
      const answer = await pageAnswer(task, await handle(request, context));
      if (!answer.body) return answer;
      // Moved, not copied: the main thread gets the buffer itself (the reports page at 1M customers
      // is 16 KB with br, but nothing bounds a page's size).
      const moved = answer.body.buffer as ArrayBuffer;
      return move({ [transferableSymbol]: moved, [valueSymbol]: answer });
    },
    async tick(task) {
      return workerTick((await services).db, task.now);
    },
  };
}
