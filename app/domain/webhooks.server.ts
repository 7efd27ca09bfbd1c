/**
 * Webhooks (SPEC §5.1): admins register endpoints that receive `concern.created`,
 * `concern.updated` and `preferences.changed`, signed with HMAC-SHA256 and delivered from a
 * durable outbox with retries.
 *
 * - `enqueueWebhookEvent(tx, …)` is called INSIDE the transaction of the change that causes the
 *   event: one `webhook_deliveries` row per enabled endpoint subscribed to it. The change and its
 *   deliveries commit together, or not at all. Payloads hold ids and codes only.
 * - `deliverDueWebhooks` runs on the generic worker shared with the email outbox
 *   (delivery-worker.server.ts): each row is CLAIMED by one statement (attempt counted, hidden
 *   from other workers and instances for LEASE_MS, lease end in `claimed_until`; `FOR UPDATE SKIP
 *   LOCKED` on PostgreSQL), POSTed, then marked delivered, or scheduled again with backoff
 *   (RETRY_DELAYS_MS), or failed after MAX_ATTEMPTS (`claimed_until` cleared). At least once: a crash between the receiver's 2xx and the mark sends the same
 *   event again after the lease — receivers deduplicate by `Candor-Webhook-Id`.
 * - Every attempt is recorded: on the row (attempts, last status code, last error) and as an
 *   audit entry `webhook.delivery_attempted` (codes only) — the delivery log.
 *
 * Signature: `Candor-Webhook-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`
 * with `Candor-Webhook-Timestamp` in unix seconds; receivers check it with
 * `verifyWebhookSignature` (or the same three lines in their language) and refuse old timestamps.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { webhookDeliveries, webhookEndpoints } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { appendAudit } from "./audit.server";
import { DeliveryWorker, forUpdate, isLeased, retryDelayAfter as retryDelayOn, skipLocked, type DeliveryQueue } from "./delivery-worker.server";

import { WEBHOOK_EVENTS, WEBHOOK_URL_MAX, type WebhookEvent } from "./vocabulary";

export { WEBHOOK_EVENTS, WEBHOOK_URL_MAX, type WebhookEvent };

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Waits after the 1st, 2nd, … failed attempt. One more attempt than delays: 6 in all. */
export const RETRY_DELAYS_MS = [30 * SECOND, 2 * MINUTE, 10 * MINUTE, 1 * HOUR, 6 * HOUR] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** A receiver that does not answer within this counts as failed (and the attempt is retried). */
export const DELIVERY_TIMEOUT_MS = 10 * SECOND;
/** How long a claimed row is hidden from other workers; far longer than one attempt may take. */
export const LEASE_MS = 2 * MINUTE;
export const DEFAULT_BATCH_SIZE = 20;
/** Default tolerance for the signed timestamp on the receiving side. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
/** What a payload's `data` may hold: flat ids and codes. */
export type WebhookData = Record<string, string | number | boolean | null>;

export class WebhookInputError extends Error {
  constructor(public readonly code: "url" | "events") {
    super(code);
    this.name = "WebhookInputError";
  }
}

export function isWebhookEvent(value: unknown): value is WebhookEvent {
  return typeof value === "string" && (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/** An absolute http(s) URL without credentials, or null. */
export function normalizeWebhookUrl(value: string): string | null {
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > WEBHOOK_URL_MAX) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username || url.password || !url.hostname) return null;
  return url.toString();
}

// ——— Signatures ———

/** `v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the endpoint's secret. */
export function signWebhook(secret: string, timestamp: number | string, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * For receivers: true when `header` (one or more `v1=…` separated by spaces or commas) holds a
 * valid signature of `body` at `timestamp` (unix seconds, as sent in Candor-Webhook-Timestamp)
 * and the timestamp is within `toleranceSeconds` of `nowMs`. Constant-time comparison.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number | null | undefined,
  body: string,
  header: string | null | undefined,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
  nowMs: number = Date.now(),
): boolean {
  if (!secret || timestamp === null || timestamp === undefined || !header) return false;
  const ts = String(timestamp).trim();
  if (!/^\d{1,12}$/.test(ts)) return false;
  if (Math.abs(Math.floor(nowMs / 1000) - Number(ts)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body).slice(3), "hex");
  for (const part of header.split(/[\s,]+/)) {
    const match = /^v1=([0-9a-f]{64})$/i.exec(part);
    if (!match) continue;
    const given = Buffer.from(match[1]!, "hex");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  return false;
}

// ——— Endpoints (admins) ———

function newSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/**
 * Registers an endpoint. The signing secret is generated here and returned this once (the page
 * shows it once; it is stored because signing needs it, but never shown again). Audited.
 */
export async function createWebhookEndpoint(
  db: Db,
  input: { url: string; events: readonly string[]; staffId: number; now?: number },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const now = input.now ?? Date.now();
  const url = normalizeWebhookUrl(input.url);
  if (!url) throw new WebhookInputError("url");
  const events = WEBHOOK_EVENTS.filter((e) => input.events.includes(e));
  if (events.length === 0 || input.events.some((e) => !isWebhookEvent(e))) throw new WebhookInputError("events");
  const secret = newSecret();
  return db.transaction(async (tx) => {
    const [endpoint] = await tx.insert(webhookEndpoints).values({ url, secret, events, createdAt: now }).returning();
    if (!endpoint) throw new Error("The endpoint was not stored");
    await appendAudit(tx, {
      actor: { type: "staff", id: input.staffId },
      action: "webhook.endpoint_created",
      target: { type: "webhook_endpoint", id: endpoint.id },
      details: { events: events.join(","), scheme: new URL(url).protocol.replace(":", "") },
      now,
    });
    return { endpoint, secret };
  });
}

export type DisableResult = "disabled" | "notFound" | "alreadyDisabled";

/**
 * Disables an endpoint: it receives nothing more; its pending deliveries become failed (they can
 * no longer be delivered). Audited.
 */
export async function disableWebhookEndpoint(db: Db, input: { id: number; staffId: number; now?: number }): Promise<DisableResult> {
  const now = input.now ?? Date.now();
  return db.transaction(async (tx) => {
    const [endpoint] = await forUpdate(tx, tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, input.id)).limit(1));
    if (!endpoint) return "notFound" as const;
    if (endpoint.disabledAt !== null) return "alreadyDisabled" as const;
    await tx.update(webhookEndpoints).set({ disabledAt: now }).where(eq(webhookEndpoints.id, input.id));
    const cancelled = await tx
      .update(webhookDeliveries)
      .set({ status: "failed", lastError: "Endpoint disabled", nextAttemptAt: now })
      .where(and(eq(webhookDeliveries.endpointId, input.id), eq(webhookDeliveries.status, "pending")))
      .returning({ id: webhookDeliveries.id });
    await appendAudit(tx, {
      actor: { type: "staff", id: input.staffId },
      action: "webhook.endpoint_disabled",
      target: { type: "webhook_endpoint", id: input.id },
      details: { cancelledDeliveries: cancelled.length },
      now,
    });
    return "disabled" as const;
  });
}

/** Every endpoint, newest first, without its secret. */
export async function listWebhookEndpoints(db: Db) {
  return db
    .select({
      id: webhookEndpoints.id,
      url: webhookEndpoints.url,
      events: webhookEndpoints.events,
      createdAt: webhookEndpoints.createdAt,
      disabledAt: webhookEndpoints.disabledAt,
    })
    .from(webhookEndpoints)
    .orderBy(desc(webhookEndpoints.id));
}

// ——— Enqueueing (inside the caller's transaction) ———

/**
 * Queues `event` for every enabled endpoint subscribed to it, in the caller's transaction (pass
 * the `tx`). `data` holds ids and codes only. Returns the number of deliveries queued.
 */
export async function enqueueWebhookEvent(tx: Db, event: WebhookEvent, data: WebhookData, now: number = Date.now()): Promise<number> {
  const endpoints = (
    await tx.select({ id: webhookEndpoints.id, events: webhookEndpoints.events }).from(webhookEndpoints).where(isNull(webhookEndpoints.disabledAt))
  ).filter((e) => Array.isArray(e.events) && e.events.includes(event));
  if (endpoints.length === 0) return 0;
  const payload = JSON.stringify({ id: `evt_${randomUUID()}`, event, createdAt: new Date(now).toISOString(), data });
  await tx
    .insert(webhookDeliveries)
    .values(endpoints.map((e) => ({ endpointId: e.id, event, payload, status: "pending", attempts: 0, nextAttemptAt: now, createdAt: now })));
  return endpoints.length;
}

// ——— Delivery ———

type Claimed = WebhookDelivery & { url: string; secret: string };

/** The worker's name for this queue (log lines). */
const QUEUE = "Webhooks";

/**
 * Claims the oldest due pending delivery of an enabled endpoint, or nothing (async). One
 * statement counts the attempt and takes the lease (`next_attempt_at` and `claimed_until` = now +
 * LEASE_MS), so a row is handed to one worker only (on
 * PostgreSQL the due row is picked `FOR UPDATE OF webhook_deliveries SKIP LOCKED`); then the
 * endpoint's URL and secret are read.
 */
export async function claimNextDelivery(db: Db, now: number): Promise<Claimed | undefined> {
  const due = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now), isNull(webhookEndpoints.disabledAt)))
    .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id))
    .limit(1);
  const [claimed] = await db
    .update(webhookDeliveries)
    .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, nextAttemptAt: now + LEASE_MS, claimedUntil: now + LEASE_MS })
    .where(and(eq(webhookDeliveries.id, skipLocked(db, due, webhookDeliveries)), eq(webhookDeliveries.status, "pending")))
    .returning();
  if (!claimed) return undefined;
  const [endpoint] = await db
    .select({ url: webhookEndpoints.url, secret: webhookEndpoints.secret })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, claimed.endpointId))
    .limit(1);
  // Endpoints are disabled, never deleted (a deleted one takes its deliveries with it).
  if (!endpoint) return undefined;
  return { ...claimed, url: endpoint.url, secret: endpoint.secret };
}

/** The wait after the `attempts`-th failed attempt, or null when it was the last one. */
export function retryDelayAfter(attempts: number): number | null {
  return retryDelayOn(RETRY_DELAYS_MS, attempts);
}

/** A short technical description of a failed request (no body of the receiver's answer). */
export function describeDeliveryError(error: unknown): { code: string; text: string } {
  const e = (typeof error === "object" && error !== null ? error : {}) as { name?: unknown; message?: unknown; cause?: unknown };
  if (e.name === "TimeoutError" || e.name === "AbortError") return { code: "timeout", text: `No answer within ${DELIVERY_TIMEOUT_MS / 1000} s` };
  const cause = (typeof e.cause === "object" && e.cause !== null ? e.cause : {}) as { code?: unknown; message?: unknown };
  const code = typeof cause.code === "string" ? cause.code : "network";
  const text = typeof cause.message === "string" ? cause.message : typeof e.message === "string" ? e.message : String(error);
  return { code: code.slice(0, 40), text: `${code}: ${text}`.replace(/\s+/g, " ").trim().slice(0, 300) };
}

export type AttemptOutcome = "delivered" | "retry" | "failed";

/** Records one attempt's result on the row (ending the lease) and in the audit log (the delivery log). */
async function recordAttempt(
  db: Db,
  row: Claimed,
  now: number,
  result: { ok: true; statusCode: number } | { ok: false; statusCode: number | null; errorCode: string; errorText: string },
): Promise<AttemptOutcome> {
  const delay = result.ok ? null : retryDelayAfter(row.attempts);
  const outcome: AttemptOutcome = result.ok ? "delivered" : delay === null ? "failed" : "retry";
  await db.transaction(async (tx) => {
    await tx
      .update(webhookDeliveries)
      .set(
        result.ok
          ? { status: "delivered", deliveredAt: now, lastStatusCode: result.statusCode, lastError: null, claimedUntil: null }
          : {
              status: outcome === "failed" ? "failed" : "pending",
              nextAttemptAt: delay === null ? now : now + delay,
              lastStatusCode: result.statusCode,
              lastError: result.errorText,
              claimedUntil: null,
            },
      )
      .where(eq(webhookDeliveries.id, row.id));
    await appendAudit(tx, {
      actor: { type: "system" },
      action: "webhook.delivery_attempted",
      target: { type: "webhook_delivery", id: row.id },
      details: {
        endpointId: row.endpointId,
        event: row.event,
        attempt: row.attempts,
        statusCode: result.statusCode,
        error: result.ok ? null : result.errorCode,
        outcome,
      },
      now,
    });
  });
  return outcome;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** The headers of one attempt (exported for tests and documentation). */
export function webhookHeaders(row: Pick<WebhookDelivery, "payload">, secret: string, now: number): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  const id = (JSON.parse(row.payload) as { id: string }).id;
  return {
    "Content-Type": "application/json",
    "User-Agent": "Candor-Webhooks/1",
    "Candor-Webhook-Id": id,
    "Candor-Webhook-Timestamp": String(timestamp),
    "Candor-Webhook-Signature": signWebhook(secret, timestamp, row.payload),
  };
}

export interface DeliverySummary {
  delivered: number;
  retrying: number;
  failed: number;
}

/** POSTs one claimed delivery and records the attempt. */
async function deliverOne(db: Db, row: Claimed, now: number, fetchImpl: FetchLike, timeoutMs: number): Promise<AttemptOutcome> {
  try {
    const response = await fetchImpl(row.url, {
      method: "POST",
      headers: webhookHeaders(row, row.secret, now),
      body: row.payload,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    return response.status >= 200 && response.status < 300
      ? await recordAttempt(db, row, now, { ok: true, statusCode: response.status })
      : await recordAttempt(db, row, now, { ok: false, statusCode: response.status, errorCode: `http_${response.status}`, errorText: `HTTP ${response.status}` });
  } catch (error) {
    const { code, text } = describeDeliveryError(error);
    return recordAttempt(db, row, now, { ok: false, statusCode: null, errorCode: code, errorText: text });
  }
}

/** The webhook queue of the generic worker: claim, POST, record. */
function webhookQueue(fetchImpl: FetchLike, timeoutMs: number): DeliveryQueue<Claimed, keyof DeliverySummary> {
  return {
    name: QUEUE,
    outcomes: ["delivered", "retrying", "failed"],
    claim: claimNextDelivery,
    async deliver(db, row, now) {
      const outcome = await deliverOne(db, row, now, fetchImpl, timeoutMs);
      return outcome === "retry" ? "retrying" : outcome;
    },
  };
}

/**
 * Delivers the due pending events, oldest first, up to `batchSize`, one at a time: claim, POST,
 * record (async). Safe to run from several workers at once. `now` is the clock for due times,
 * backoff and the signed timestamp. An aborted `signal` stops before the next delivery.
 */
export async function deliverDueWebhooks(
  db: Db,
  now: number = Date.now(),
  fetchImpl: FetchLike = fetch,
  options: { batchSize?: number; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<DeliverySummary> {
  const worker = new DeliveryWorker(webhookQueue(fetchImpl, options.timeoutMs ?? DELIVERY_TIMEOUT_MS));
  return worker.runBatch(db, now, { batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE, signal: options.signal });
}

/**
 * Delivers due events every `intervalMs` (runs never overlap) until the returned function is
 * called; that function waits for the delivery in progress (if any) and stops. `beforeRun`: work
 * that queues events, done on the same tick before delivering (see DeliveryWorker.start).
 */
export function startWebhookWorker(
  db: Db,
  options: { intervalMs?: number; batchSize?: number; beforeRun?: (db: Db, now: number) => Promise<unknown> } = {},
): () => Promise<void> {
  return new DeliveryWorker(webhookQueue((url, init) => fetch(url, init), DELIVERY_TIMEOUT_MS)).start(db, {
    intervalMs: options.intervalMs ?? 5_000,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    beforeRun: options.beforeRun,
    onRun: (summary) => {
      if (summary.failed > 0) console.warn(`Webhooks: ${summary.failed} delivery(ies) failed for good; see /staff/webhooks.`);
    },
    onError: (error) => console.error(`Webhooks: delivery stopped for this run: ${describeDeliveryError(error).text}`),
  });
}

// ——— The delivery log (admins) ———

export const DELIVERY_LIST_LIMIT = 50;

/** The most recent deliveries, newest first, with their endpoint's URL. */
export async function listWebhookDeliveries(db: Db, limit = DELIVERY_LIST_LIMIT) {
  return db
    .select({
      id: webhookDeliveries.id,
      endpointId: webhookDeliveries.endpointId,
      url: webhookEndpoints.url,
      event: webhookDeliveries.event,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastError: webhookDeliveries.lastError,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit);
}

export type RetryResult = "retried" | "notFound" | "notFailed" | "endpointDisabled" | "sending";

/**
 * "Retry now" for a failed delivery: pending again, due at once, audited. The attempt count is
 * kept (it is the delivery's history), so it gets one more attempt; if that fails it is failed
 * again. A delivery being attempted right now — its lease (`claimed_until`) is running, whichever
 * instance claimed it — is left alone ("sending"); the row is read `FOR UPDATE` on PostgreSQL.
 */
export async function retryWebhookDelivery(db: Db, input: { id: number; staffId: number; now?: number }): Promise<RetryResult> {
  const now = input.now ?? Date.now();
  return db.transaction(async (tx) => {
    const [row] = await forUpdate(
      tx,
      tx
        .select({
          status: webhookDeliveries.status,
          attempts: webhookDeliveries.attempts,
          endpointId: webhookDeliveries.endpointId,
          claimedUntil: webhookDeliveries.claimedUntil,
          disabledAt: webhookEndpoints.disabledAt,
        })
        .from(webhookDeliveries)
        .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
        .where(eq(webhookDeliveries.id, input.id))
        .limit(1),
      webhookDeliveries,
    );
    if (!row) return "notFound" as const;
    if (isLeased(row.claimedUntil, now)) return "sending" as const;
    if (row.status !== "failed") return "notFailed" as const;
    if (row.disabledAt !== null) return "endpointDisabled" as const;
    await tx.update(webhookDeliveries).set({ status: "pending", nextAttemptAt: now, claimedUntil: null }).where(eq(webhookDeliveries.id, input.id));
    await appendAudit(tx, {
      actor: { type: "staff", id: input.staffId },
      action: "webhook.retry_requested",
      target: { type: "webhook_delivery", id: input.id },
      details: { endpointId: row.endpointId, attempts: row.attempts },
      now,
    });
    return "retried" as const;
  });
}

/** Deliveries by id (tests and the page). */
export async function findWebhookDeliveries(db: Db, ids: readonly number[]): Promise<WebhookDelivery[]> {
  if (ids.length === 0) return [];
  return db.select().from(webhookDeliveries).where(inArray(webhookDeliveries.id, [...ids]));
}
