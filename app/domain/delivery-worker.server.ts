/**
 * The one worker behind both durable outboxes — notification emails (outbox.server.ts) and
 * webhook deliveries (webhooks.server.ts). A queue says how to claim its next due row and how to
 * deliver one; the worker does the rest, the same way for both:
 *
 * - claim → deliver → record, one row at a time, up to a batch size; an aborted signal stops
 *   before the next row (the one being delivered is finished);
 * - a claim is ONE statement: `UPDATE … SET attempts = attempts + 1, next_attempt_at = now + lease,
 *   claimed_until = now + lease WHERE id = (SELECT the oldest due row) RETURNING *`. On SQLite a
 *   write statement holds the database's write lock from its read to its write; on PostgreSQL the
 *   inner select is `FOR UPDATE SKIP LOCKED` (`skipLocked`), so instances never wait for, nor take,
 *   a row another one is claiming. Keep it `id = (…)`: a scalar subquery runs once, while
 *   PostgreSQL may run an `id IN (…)` subquery again for every row it scans — each run skipping
 *   the rows already claimed — and claim the whole table in one statement.
 *   The lease (`next_attempt_at` moved forward) hides the row from every worker while it is being
 *   delivered; if the process dies before recording, the row is due again when the lease ends
 *   (at least once, never lost);
 * - the lease is also written down as `claimed_until`, and recording the attempt (delivered,
 *   retry later, failed) clears it. So the database itself says which rows are being delivered
 *   right now — by any worker of any instance (`isLeased`): an admin's "retry now" leaves such a
 *   row alone, and no process keeps a registry of its workers;
 * - retries with exponential backoff (`retryDelayAfter`), giving up after the last delay;
 * - a timer every `intervalMs` (runs never overlap); stopping waits for the row in flight.
 */
import { forEngine, type Db } from "../utils/db.server";

/**
 * The wait after the `attempts`-th failed attempt on a schedule of `delays` (one more attempt than
 * delays), or null when that attempt was the last one.
 */
export function retryDelayAfter(delays: readonly number[], attempts: number): number | null {
  if (attempts >= delays.length + 1) return null;
  return delays[Math.max(1, attempts) - 1] ?? null;
}

/**
 * True while a row's delivery lease runs: a worker (of this or another instance) claimed it
 * until `claimedUntil` and has not recorded the attempt yet. A lease that ran out belongs to a
 * worker that died (or overran it): the row is free again.
 */
export function isLeased(claimedUntil: number | null, now: number): boolean {
  return claimedUntil !== null && claimedUntil > now;
}

/**
 * The per-engine piece of a claim: on PostgreSQL the select that picks the rows to claim locks
 * them and skips rows another transaction has locked (`FOR UPDATE [OF table] SKIP LOCKED`); SQLite
 * has no row locks (a write statement holds the whole database) and gets the select unchanged.
 * `of`: the claimed table, when the select joins others (their rows are not locked).
 */
export function skipLocked<Q>(db: Db, select: Q, of?: unknown): Q {
  return forEngine(db, {
    sqlite: () => select,
    postgres: () =>
      // `Db` is typed with SQLite's builders; on PostgreSQL the builder is drizzle's pg one, which has `.for`.
      (select as unknown as { for(strength: "update", config: { skipLocked: true; of?: unknown }): Q }).for(
        "update",
        of === undefined ? { skipLocked: true } : { skipLocked: true, of },
      ),
  });
}

/**
 * The per-engine piece of a read-then-write in a transaction (an admin's "retry now"): on
 * PostgreSQL the selected row is locked (`FOR UPDATE`) until the transaction ends, so a concurrent
 * retry waits and a claim skips the row; SQLite's transactions are serial already. `of`: the
 * table whose row to lock, when the select joins others.
 */
export function forUpdate<Q>(db: Db, select: Q, of?: unknown): Q {
  return forEngine(db, {
    sqlite: () => select,
    postgres: () => (select as unknown as { for(strength: "update", config: { of?: unknown }): Q }).for("update", of === undefined ? {} : { of }),
  });
}

/** One queue of the worker: how to claim a due row and how to deliver (and record) it. */
export interface DeliveryQueue<Row extends { id: number }, Outcome extends string> {
  /** For log lines ("Outbox", "Webhooks"). */
  name: string;
  /** Every outcome `deliver` may return (the summary counts each, from 0). */
  outcomes: readonly Outcome[];
  /** Claims the next due row (one statement taking the lease, see above), or nothing when none is due at `now`. */
  claim(db: Db, now: number): Promise<Row | undefined>;
  /** Delivers a claimed row and records the result (delivered, retry later, or failed for good), clearing `claimed_until`. */
  deliver(db: Db, row: Row, now: number): Promise<Outcome>;
}

type Summary<Outcome extends string> = Record<Outcome, number>;

export class DeliveryWorker<Row extends { id: number }, Outcome extends string> {
  constructor(readonly queue: DeliveryQueue<Row, Outcome>) {}

  /**
   * Delivers the due rows, oldest first, up to `batchSize`, one at a time: claim, deliver,
   * record. Safe to run from several workers and instances at once. `now` is the clock for due
   * times, leases and backoff: a number holds for the whole batch (tests), a function is read
   * again for each row (the timer: a row's lease then starts when it is claimed, not when a long
   * batch began). An aborted `signal` stops before the next row.
   */
  async runBatch(db: Db, now: number | (() => number), options: { batchSize: number; signal?: AbortSignal }): Promise<Summary<Outcome>> {
    const summary = Object.fromEntries(this.queue.outcomes.map((o) => [o, 0])) as Summary<Outcome>;
    for (let i = 0; i < options.batchSize; i++) {
      if (options.signal?.aborted) break;
      const at = typeof now === "function" ? now() : now;
      const row = await this.queue.claim(db, at);
      if (!row) break;
      summary[await this.queue.deliver(db, row, at)]++;
    }
    return summary;
  }

  /**
   * Runs a batch every `intervalMs` (runs never overlap) until the returned function is called;
   * that function waits for the row being delivered (if any), then `onStop`. `onRun` sees each
   * run's summary; a run that throws is reported to `onError` and the worker keeps going.
   * `beforeRun` (periodic work that feeds this queue, e.g. closing expired confirmation requests,
   * which queues their webhooks) runs at the start of each run on the same tick; its failure is
   * reported to `onError` and the batch still runs.
   */
  start(
    db: Db,
    options: {
      intervalMs: number;
      batchSize: number;
      onRun?: (summary: Summary<Outcome>) => void;
      onError: (error: unknown) => void;
      beforeRun?: (db: Db, now: number) => Promise<unknown>;
      onStop?: () => void;
    },
  ): () => Promise<void> {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> = Promise.resolve();
    const abort = new AbortController();
    const tick = () => {
      const before = options.beforeRun ? options.beforeRun(db, Date.now()).catch((error: unknown) => options.onError(error)) : Promise.resolve();
      running = before
        .then(() => this.runBatch(db, () => Date.now(), { batchSize: options.batchSize, signal: abort.signal }))
        .then((summary) => options.onRun?.(summary))
        .catch((error: unknown) => options.onError(error))
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, options.intervalMs);
        });
    };
    timer = setTimeout(tick, 0);
    return async () => {
      stopped = true;
      abort.abort();
      clearTimeout(timer);
      await running;
      options.onStop?.();
    };
  }
}
