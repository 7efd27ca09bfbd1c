/**
 * Sending the durable outbox of notification emails (SPEC §4 Settings, §8), and what admins see
 * of it. Emails are written to `outbox_emails` by notifications.server.ts in the same transaction
 * as the change that causes them; this module delivers them over SMTP with retries.
 *
 * The polling, claiming, retrying and stopping are the generic worker's (delivery-worker.server.ts,
 * shared with webhooks); this module says how to claim and send an email. Delivery is at least
 * once, never at most once:
 * - Each row is CLAIMED by one statement before it is sent: the claim counts the attempt and moves
 *   `next_attempt_at` forward by a lease (LEASE_MS), so no other worker — in this process or
 *   another instance on the same database (SQLite file or PostgreSQL, `FOR UPDATE SKIP LOCKED`) —
 *   picks it up while it is being sent; `claimed_until` records the lease's end.
 * - After the SMTP server answers, one statement marks the row `sent`, or records the error and
 *   schedules the next attempt with exponential backoff (RETRY_DELAYS_MS); after MAX_ATTEMPTS the
 *   row becomes `failed` and waits for an admin's "retry now". Either way `claimed_until` is
 *   cleared; while it is in the future, "retry now" (from any instance) leaves the row alone.
 * - The edge: if the process dies after the SMTP server accepted the message and before the mark
 *   is committed, the row is still `pending` and is sent again once the lease runs out. The
 *   customer may then get the same email twice; it is never lost. Rows are never deleted.
 */
import nodemailer from "nodemailer";
import { and, asc, count, desc, eq, lte, sql } from "drizzle-orm";
import { outboxEmails } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { env } from "../utils/env.server";
import { emailTextToSend } from "./notifications.server";
import { appendAudit } from "./audit.server";
import { DeliveryWorker, forUpdate, isLeased, retryDelayAfter, skipLocked, type DeliveryQueue } from "./delivery-worker.server";
import { OUTBOX_STATUSES, type OutboxStatus } from "./vocabulary";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Waits after the 1st, 2nd, … failed attempt. One more attempt than delays: 6 in all. */
export const RETRY_DELAYS_MS = [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 12 * HOUR] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** How long a claimed row is hidden from other workers; far longer than one send may take. */
export const LEASE_MS = 10 * MINUTE;
/** A send that takes longer than this counts as failed (it is retried; see "at least once"). */
export const SEND_TIMEOUT_MS = 2 * MINUTE;
export const DEFAULT_BATCH_SIZE = 20;

export { OUTBOX_STATUSES, type OutboxStatus };

/** What the sender needs of a nodemailer transport (a test may pass its own). */
export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

export type OutboxEmail = typeof outboxEmails.$inferSelect;

/** The worker's name for this queue (log lines). */
const QUEUE = "Outbox";

/**
 * Claims the oldest due pending email, or nothing (async). One statement counts the attempt and
 * takes the lease (`next_attempt_at` and `claimed_until` = now + LEASE_MS), so a row is handed to one worker only (on PostgreSQL the due row is picked
 * `FOR UPDATE SKIP LOCKED`: instances never wait for each other's claims).
 */
export async function claimNextEmail(db: Db, now: number): Promise<OutboxEmail | undefined> {
  const due = db
    .select({ id: outboxEmails.id })
    .from(outboxEmails)
    .where(and(eq(outboxEmails.status, "pending"), lte(outboxEmails.nextAttemptAt, now)))
    .orderBy(asc(outboxEmails.id))
    .limit(1);
  const [claimed] = await db
    .update(outboxEmails)
    .set({ attempts: sql`${outboxEmails.attempts} + 1`, nextAttemptAt: now + LEASE_MS, claimedUntil: now + LEASE_MS })
    .where(and(eq(outboxEmails.id, skipLocked(db, due)), eq(outboxEmails.status, "pending")))
    .returning();
  return claimed;
}

const EMAIL_ADDRESS = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;

/**
 * A short, technical description of a failed send: the error code, the SMTP reply code and the
 * server's reply with every email address replaced (SMTP replies often echo the recipient).
 */
export function describeSendError(error: unknown): string {
  const e = (typeof error === "object" && error !== null ? error : {}) as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };
  const codes = [typeof e.code === "string" ? e.code : null, typeof e.responseCode === "number" ? String(e.responseCode) : null].filter(Boolean);
  const text = typeof e.response === "string" ? e.response : typeof e.message === "string" ? e.message : String(error);
  const line = `${codes.join(" ")}${codes.length ? ": " : ""}${text}`;
  return line.replace(EMAIL_ADDRESS, "<address>").replace(/\s+/g, " ").trim().slice(0, 300);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`No answer within ${ms} ms`), { code: "ETIMEDOUT" })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The row after a failed attempt: the next attempt after the backoff, or `failed` after the last; the lease ends. */
async function markFailed(db: Db, row: OutboxEmail, error: unknown, now: number): Promise<"retrying" | "failed"> {
  const delay = retryDelayAfter(RETRY_DELAYS_MS, row.attempts);
  await db
    .update(outboxEmails)
    .set({
      status: delay === null ? "failed" : "pending",
      nextAttemptAt: delay === null ? now : now + delay,
      lastError: describeSendError(error),
      claimedUntil: null,
    })
    .where(eq(outboxEmails.id, row.id));
  return delay === null ? "failed" : "retrying";
}

export interface SendSummary {
  sent: number;
  retrying: number;
  failed: number;
}

/** The email queue of the generic worker: claim, render the text, send over SMTP, mark. */
function emailQueue(transport: MailTransport, from: string): DeliveryQueue<OutboxEmail, keyof SendSummary> {
  return {
    name: QUEUE,
    outcomes: ["sent", "retrying", "failed"],
    claim: claimNextEmail,
    async deliver(db, row, now) {
      try {
        const text = await emailTextToSend(db, row, now);
        await withTimeout(transport.sendMail({ from, to: row.toAddress, subject: row.subject, text }), SEND_TIMEOUT_MS);
      } catch (error) {
        return markFailed(db, row, error, now);
      }
      // The SMTP server has the message: from here to the write is the at-least-once window.
      // Once sent, the stored copy keeps no working tracking token.
      await db
        .update(outboxEmails)
        .set({ status: "sent", sentAt: now, lastError: null, bodyText: redactLinks(row.bodyText), claimedUntil: null })
        .where(eq(outboxEmails.id, row.id));
      return "sent";
    },
  };
}

/**
 * Sends the due pending emails, oldest first, up to `batchSize`, one at a time: claim, send,
 * mark (async). Safe to run from several workers at once. `now` is the clock for due times and
 * backoff; an aborted `signal` stops before the next email (the one being sent is finished).
 */
export async function sendDueEmails(
  db: Db,
  transport: MailTransport,
  now: number = Date.now(),
  options: { from?: string; batchSize?: number; signal?: AbortSignal } = {},
): Promise<SendSummary> {
  const worker = new DeliveryWorker(emailQueue(transport, options.from ?? env().MAIL_FROM));
  return worker.runBatch(db, now, { batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE, signal: options.signal });
}

/** An SMTP transport from a URL (smtp:// or smtps://), with timeouts well inside the lease. */
export function createSmtpTransport(smtpUrl: string) {
  return nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
}

/**
 * Sends due emails every `intervalMs` (runs never overlap) until the returned function is
 * called; that function waits for the email being sent (if any) and stops. Errors are logged without
 * personal data and the worker keeps going.
 */
export function startOutboxWorker(
  db: Db,
  options: { smtpUrl: string; from: string; intervalMs?: number; batchSize?: number },
): () => Promise<void> {
  const transport = createSmtpTransport(options.smtpUrl);
  return new DeliveryWorker(emailQueue(transport, options.from)).start(db, {
    intervalMs: options.intervalMs ?? 15_000,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    onRun: (summary) => {
      if (summary.failed > 0) console.warn(`Outbox: ${summary.failed} email(s) failed for good; see /staff/outbox.`);
    },
    onError: (error) => console.error(`Outbox: sending stopped for this run: ${describeSendError(error)}`),
    onStop: () => transport.close(),
  });
}

// ——— What admins see and do (/staff/outbox) ———

export const OUTBOX_PAGE_SIZE = 25;

/** A page of emails, newest first, optionally of one status. */
export async function listOutbox(db: Db, filter: { status?: OutboxStatus | null; page?: number } = {}) {
  const where = filter.status ? eq(outboxEmails.status, filter.status) : undefined;
  const [counted] = await db.select({ n: count() }).from(outboxEmails).where(where).limit(1);
  const total = counted?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(filter.page ?? 1)), pageCount);
  const rows = await db
    .select({
      id: outboxEmails.id,
      toAddress: outboxEmails.toAddress,
      lang: outboxEmails.lang,
      template: outboxEmails.template,
      subject: outboxEmails.subject,
      status: outboxEmails.status,
      attempts: outboxEmails.attempts,
      nextAttemptAt: outboxEmails.nextAttemptAt,
      lastError: outboxEmails.lastError,
      createdAt: outboxEmails.createdAt,
      sentAt: outboxEmails.sentAt,
    })
    .from(outboxEmails)
    .where(where)
    .orderBy(desc(outboxEmails.id))
    .limit(OUTBOX_PAGE_SIZE)
    .offset((page - 1) * OUTBOX_PAGE_SIZE);
  return { rows, total, page, pageCount };
}

/** How many emails have each status (for the filter). */
export async function countOutbox(db: Db): Promise<Record<OutboxStatus, number>> {
  const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0 };
  for (const row of await db.select({ status: outboxEmails.status, n: count() }).from(outboxEmails).groupBy(outboxEmails.status)) {
    if ((OUTBOX_STATUSES as readonly string[]).includes(row.status)) counts[row.status as OutboxStatus] = row.n;
  }
  return counts;
}

export async function findOutboxEmail(db: Db, id: number): Promise<OutboxEmail | undefined> {
  const [row] = await db.select().from(outboxEmails).where(eq(outboxEmails.id, id)).limit(1);
  return row;
}

/**
 * The email's text for an admin's eyes: personal and tracking links are credentials (they sign the
 * customer in), so their tokens are cut to a recognisable prefix.
 */
export function redactLinks(text: string): string {
  return text.replace(/(\/l\/|\/concerns\/track\/)([A-Za-z0-9_-]{4})[A-Za-z0-9_-]{12,}/g, "$1$2…");
}

/**
 * True when a worker — of this process or of another instance on the same database — is sending
 * email `id` right now (async): its lease (`claimed_until`) is still running at `now`.
 */
export async function isBeingSent(db: Db, id: number, now: number = Date.now()): Promise<boolean> {
  const [row] = await db.select({ claimedUntil: outboxEmails.claimedUntil }).from(outboxEmails).where(eq(outboxEmails.id, id)).limit(1);
  return row !== undefined && isLeased(row.claimedUntil, now);
}

export type RetryResult = "retried" | "notFound" | "alreadySent" | "sending";

/**
 * "Retry now" for a failed or pending email: pending again, due at once, audited. The attempt
 * count is kept (it is the email's history), so a failed email gets one more attempt; if that
 * fails too it is failed again. An email being sent right now — its lease (`claimed_until`) is
 * running, whichever instance claimed it — is left alone ("sending"). The row is read `FOR UPDATE`
 * on PostgreSQL: a claim in progress is waited for (then seen), and a claim skips the row meanwhile.
 */
export async function retryEmail(db: Db, input: { id: number; staffId: number; now?: number }): Promise<RetryResult> {
  const now = input.now ?? Date.now();
  return db.transaction(async (tx) => {
    const [row] = await forUpdate(
      tx,
      tx
        .select({ status: outboxEmails.status, attempts: outboxEmails.attempts, claimedUntil: outboxEmails.claimedUntil })
        .from(outboxEmails)
        .where(eq(outboxEmails.id, input.id))
        .limit(1),
    );
    if (!row) return "notFound" as const;
    if (isLeased(row.claimedUntil, now)) return "sending" as const;
    if (row.status === "sent") return "alreadySent" as const;
    await tx.update(outboxEmails).set({ status: "pending", nextAttemptAt: now, claimedUntil: null }).where(eq(outboxEmails.id, input.id));
    await appendAudit(tx, {
      actor: { type: "staff", id: input.staffId },
      action: "outbox.retry_requested",
      target: { type: "outbox_email", id: input.id },
      details: { previousStatus: row.status, attempts: row.attempts },
      now,
    });
    return "retried" as const;
  });
}
