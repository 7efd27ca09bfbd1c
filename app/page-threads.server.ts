/**
 * Pages render in a pool of worker threads (piscina), so that no page — a report over a million
 * customers, a queue search — holds the event loop the agents' hot path answers on (SPEC §13;
 * issue 10: a decision is never delayed by a staff or customer request).
 *
 * The main thread (app/http.server.ts) keeps the listener, the security headers, the health
 * checks, the lean integration API, the request guards and static files. For a page it reads the
 * (size-checked) form body and sends a `PageTask`; a page thread (app/page-thread-worker.server.ts)
 * answers it with React Router and its own `Services` (its own database connection), compresses
 * the answer there, and sends back a `PageAnswer` whose body buffer is moved, not copied.
 * The delivery worker's periodic work (expiring confirmation requests, refreshing the report
 * figures: 0.3–0.7 s at 1M customers after 100 concern changes) runs there too
 * (`tick`), so it never holds the hot path's event loop either.
 *
 * What must stay one per process is the main thread's, reached over BroadcastChannels:
 * - the rate limits on SQLite (in memory; PostgreSQL's are in the database, used directly);
 * - the API key cache the lean API reads: a page thread's `invalidate` resolves only once the
 *   main thread's cache dropped its copy, so a key revoked on the staff page is refused at once.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { BroadcastChannel } from "node:worker_threads";
import { randomUUID } from "node:crypto";
import { Piscina } from "piscina";
import type { RefreshResult } from "./domain/report-figures.server";
import type { Services } from "./services.server";
import type { RateLimitName } from "./utils/rate-limit.server";
import { errorFields, log } from "./utils/log.server";

/** What the main thread sends a page thread: one request, as React Router's Express adapter would build it. */
export interface PageTask {
  method: string;
  /** Absolute, as @react-router/express builds it (TRUST_PROXY: X-Forwarded-Proto and -Host). */
  url: string;
  headers: [string, string][];
  /** The form body (≤ MAX_FORM_BODY_BYTES), moved to the thread; null for GET and HEAD. */
  body: Uint8Array | null;
  clientIp: string;
}

/** A page thread's answer, written by the main thread as it is (compressed there when it should be). */
export interface PageAnswer {
  status: number;
  statusText: string;
  /** Every header but Set-Cookie, each once (a Headers object joined repeated ones). */
  headers: [string, string][];
  /** Each Set-Cookie value on its own. */
  setCookies: string[];
  /** null for HEAD and bodiless answers. */
  body: Uint8Array | null;
}

/** The delivery worker's tick, handed to a page thread: `now` in ms since epoch UTC. */
export interface WorkerTickTask {
  now: number;
}

/** Rows handled by each periodic duty of a tick: monitoring and public figures, staff emails, retention purge. */
export interface CompanyDuties {
  monitoring: number;
  publicStatistics: number;
  staffNotifications: number;
  purge: number;
}

/** What a tick did (app/page-thread-worker.server.ts workerTick). */
export interface WorkerTickAnswer {
  /** The thread it ran on (node:worker_threads `threadId`; 0: the main thread, when there are no page threads). */
  thread: number;
  /** Confirmation requests closed as expired. */
  expired: number;
  figures: RefreshResult;
  /** Rows each of the company's periodic duties handled (SPEC §12). */
  duties: CompanyDuties;
  /** How long it took, in ms (the thread's clock). */
  ms: number;
}

/** Given to every page thread (node:worker_threads `workerData`): marks it and names its channels. */
export interface PageThreadData {
  candorPageThread: true;
  /** Unique per pool: channel names never meet another pool's (tests may start several). */
  pool: string;
}

/** Messages from page threads to the main thread. */
export type ThreadMessage =
  | { kind: "consume"; id: number; thread: number; name: RateLimitName; key: string }
  | { kind: "reset"; id: number; thread: number; name: RateLimitName; key: string }
  | { kind: "refund"; id: number; thread: number; name: RateLimitName; key: string }
  | { kind: "invalidateApiKeys"; id: number; thread: number }
  | { kind: "ready"; thread: number }
  | { kind: "failed"; thread: number; message: string }
  | { kind: "closed"; thread: number };

/** The main thread's answer to a call (`id`) of a page thread. */
export interface MainReply {
  id: number;
  value?: number | null;
  error?: string;
}

/** The channels of one pool: requests (threads → main), control (main → threads), replies (main → one thread). */
export const channelNames = (pool: string) => ({
  requests: `candor.pages.${pool}.requests`,
  control: `candor.pages.${pool}.control`,
  replies: (thread: number) => `candor.pages.${pool}.replies.${thread}`,
});

/** The bundle's export a page thread runs for a WorkerTickTask (app/server.ts); pages run its `renderPage`. */
export const WORKER_TICK_EXPORT = "runWorkerTick";

/** How long the start waits for every page thread to have opened its database. */
const STARTUP_TIMEOUT_MS = 30_000;
/** How long a stop waits for the page threads to close their databases. */
const CLOSE_TIMEOUT_MS = 5_000;

export interface PageThreads {
  /** Number of threads. */
  readonly threads: number;
  /**
   * Resolves once every thread has opened its database (pages asked for before wait for it);
   * rejects when one cannot, or not within STARTUP_TIMEOUT_MS.
   */
  readonly ready: Promise<void>;
  /** Renders one page in a thread; rejects when the thread failed or died (the caller answers 500). */
  render(task: PageTask): Promise<PageAnswer>;
  /**
   * Runs the delivery worker's periodic work in a thread (queued with the pages, first come first
   * served); rejects with its error, or when the thread died.
   */
  tick(task: WorkerTickTask): Promise<WorkerTickAnswer>;
  /**
   * After the requests in flight are answered: every thread closes its database, then the pool
   * ends its threads and the channels close. Never rejects.
   */
  stop(): Promise<void>;
}

/**
 * Starts `threads` page threads running `filename` (the server bundle, whose `renderPage` export
 * answers a PageTask; tests may give a module wrapping it) for `services` (the main thread's: its
 * rate limits and API key cache serve the threads). Returns at once; each thread loads the bundle
 * and opens its database meanwhile (`ready`: the server awaits it before it opens its port).
 */
export function startPageThreads(services: Services, options: { filename: string; threads: number }): PageThreads {
  const pool = randomUUID();
  const names = channelNames(pool);
  const requests = new BroadcastChannel(names.requests);
  const control = new BroadcastChannel(names.control);
  const replyChannels = new Map<number, BroadcastChannel>();
  const reply = (thread: number, message: MainReply) => {
    let channel = replyChannels.get(thread);
    if (!channel) replyChannels.set(thread, (channel = new BroadcastChannel(names.replies(thread))));
    channel.postMessage(message);
  };
  const readyThreads = new Set<number>();
  const closed = new Set<number>();
  let onStatus = () => undefined as void;
  let failure: string | undefined;

  requests.onmessage = (event) => {
    const message = (event as unknown as { data: ThreadMessage }).data;
    switch (message.kind) {
      case "ready":
        readyThreads.add(message.thread);
        return onStatus();
      case "failed":
        failure = message.message;
        return onStatus();
      case "closed":
        closed.add(message.thread);
        return onStatus();
      case "consume":
      case "reset":
      case "refund":
      case "invalidateApiKeys": {
        const work =
          message.kind === "consume"
            ? services.rateLimits.consume(message.name, message.key)
            : message.kind === "reset"
              ? services.rateLimits.reset(message.name, message.key).then(() => null)
              : message.kind === "refund"
                ? services.rateLimits.refund(message.name, message.key).then(() => null)
                : services.apiKeys.invalidate().then(() => null);
        void work.then(
          (value) => reply(message.thread, { id: message.id, value }),
          (error: unknown) => reply(message.thread, { id: message.id, error: error instanceof Error ? error.message : String(error) }),
        );
        return;
      }
    }
  };

  const piscina = new Piscina<PageTask | WorkerTickTask, PageAnswer | WorkerTickAnswer>({
    filename: options.filename,
    name: "renderPage",
    minThreads: options.threads,
    maxThreads: options.threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    // PostgreSQL loaders wait on the network: a thread takes a few pages at once. SQLite's are
    // synchronous: one at a time per thread.
    concurrentTasksPerWorker: services.database.engine === "postgres" ? 4 : 1,
    // Threads keep their event loop turning between tasks (channel messages, pool timers), rather
    // than blocking in Atomics.wait.
    atomics: "disabled",
    workerData: { candorPageThread: true, pool } satisfies PageThreadData,
  });
  // A thread that dies between tasks: piscina replaces it; nothing to answer. While starting: the start fails.
  piscina.on("error", (error: unknown) => {
    log.error({ event: "page_thread.failed", ...errorFields(error) });
    if (readyThreads.size < options.threads) {
      failure ??= error instanceof Error ? error.message : String(error);
      onStatus();
    }
  });

  const until = (done: () => boolean, timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      onStatus = () => {
        if (!done()) return;
        clearTimeout(timer);
        resolve(true);
      };
      onStatus();
    });
  const ready = until(() => readyThreads.size >= options.threads || failure !== undefined, STARTUP_TIMEOUT_MS).then(async (started) => {
    if (started && failure === undefined) return;
    await piscina.destroy();
    requests.close();
    control.close();
    throw new Error(`Page threads could not start: ${failure ?? "timed out"}`);
  });

  return {
    threads: options.threads,
    ready,
    render: (task) => piscina.run(task, { transferList: task.body ? [task.body.buffer as ArrayBuffer] : [] }) as Promise<PageAnswer>,
    tick: (task) => piscina.run(task, { name: WORKER_TICK_EXPORT }) as Promise<WorkerTickAnswer>,
    async stop() {
      const threadIds = new Set(piscina.threads.map((worker) => worker.threadId));
      // A thread that replaced a dead one may still be loading the bundle: it hears the close only
      // once it listens, which it does before it says it is ready.
      await until(() => [...threadIds].every((id) => readyThreads.has(id)), CLOSE_TIMEOUT_MS);
      closed.clear();
      control.postMessage({ kind: "close" });
      if (!(await until(() => [...threadIds].every((id) => closed.has(id)), CLOSE_TIMEOUT_MS))) {
        log.warn({ event: "page_thread.close_timeout", threads: threadIds.size, closed: closed.size });
      }
      log.info({ event: "page_threads.stopped", threads: threadIds.size, closed: [...threadIds].filter((id) => closed.has(id)).length });
      await piscina.close().catch((error: unknown) => log.error({ event: "page_thread.close", ...errorFields(error) }));
      requests.close();
      control.close();
      for (const [, channel] of replyChannels) channel.close();
    },
  };
}

/**
 * The task for `req` (already through the guards): its absolute URL as @react-router/express
 * builds it (`protocol` and `hostname` honour TRUST_PROXY, as Express's own), its headers, its
 * body (read whole: the guards allowed at most MAX_FORM_BODY_BYTES) and the client's address.
 */
export async function pageTask(
  req: IncomingMessage & { protocol: string; hostname: string; originalUrl: string; ip?: string; get(name: string): string | undefined; app?: { enabled(setting: string): boolean } },
  maxBodyBytes: number,
): Promise<PageTask> {
  const [, forwardedPort] = req.app?.enabled("trust proxy") ? (req.get("X-Forwarded-Host")?.split(":") ?? []) : [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const port = [forwardedPort, hostPort].map((value) => Number.parseInt(value ?? "", 10)).find(Number.isSafeInteger) ?? "";
  const hostname = req.hostname.split(/[\\/?#@]/)[0] || "localhost";
  const url = new URL(`${req.protocol}://${hostname}${port ? `:${port}` : ""}${req.originalUrl}`).href;
  const headers: [string, string][] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.push([name, one]);
  }
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? null : await readBody(req, maxBodyBytes);
  return { method, url, headers, body, clientIp: req.ip ?? "unknown" };
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > maxBytes) throw Object.assign(new Error("Form body too large"), { status: 413 });
    chunks.push(chunk);
  }
  // A buffer of its own (never a slice of Node's shared pool): it is moved to the thread.
  const body = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

/**
 * Writes a page thread's answer on `res` as it came (status, headers, each Set-Cookie value on
 * its own, the body buffer the thread moved here): one head, one write. HEAD gets the head only.
 */
export function sendPageAnswer(res: ServerResponse, answer: PageAnswer, method: string): void {
  // An object, not a flat list: the security wrapper (app/http-security.server.ts) can then still
  // overrule the page's Cache-Control on /l/ addresses.
  const headers: Record<string, string | string[]> = Object.fromEntries(answer.headers);
  if (answer.setCookies.length > 0) headers["set-cookie"] = answer.setCookies;
  const body = method === "HEAD" ? null : answer.body;
  if (body) headers["content-length"] = String(body.byteLength);
  if (answer.statusText) res.writeHead(answer.status, answer.statusText, headers);
  else res.writeHead(answer.status, headers);
  res.end(body ?? undefined);
}
