/**
 * Sending the durable outbox of notification emails (SPEC §4 Settings, §8), and what admins see
 * of it. Emails are written to `outbox_emails` by notifications.server.ts in the same transaction
 * as the change that causes them; this module delivers them over SMTP with retries.
 *
 * Delivery is at least once, never at most once:
 * - Each row is CLAIMED in its own IMMEDIATE transaction before it is sent: the claim counts the
 *   attempt and moves `next_attempt_at` forward by a lease (LEASE_MS), so no other worker — in
 *   this process or another one on the same SQLite file — picks it up while it is being sent.
 * - After the SMTP server answers, a second IMMEDIATE transaction marks the row `sent`, or records
 *   the error and schedules the next attempt with exponential backoff (RETRY_DELAYS_MS); after
 *   MAX_ATTEMPTS the row becomes `failed` and waits for an admin's "retry now".
 * - The edge: if the process dies after the SMTP server accepted the message and before the mark
 *   is committed, the row is still `pending` and is sent again once the lease runs out. The
 *   customer may then get the same email twice; it is never lost. Rows are never deleted.
 */
import nodemailer from "nodemailer";
import { and, asc, count, desc, eq, lte } from "drizzle-orm";
import { outboxEmails } from "../../db/schema";
import type { SyncDb } from "../utils/db.server";
import { env } from "../utils/env.server";
import { emailTextToSend } from "./notifications.server";
import { appendAudit } from "./audit.server";

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

export const OUTBOX_STATUSES = ["pending", "sent", "failed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** What the sender needs of a nodemailer transport (a test may pass its own). */
export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

export type OutboxEmail = typeof outboxEmails.$inferSelect;

/** Ids being sent right now in this process (shared by the worker and the pages via globalThis). */
function inFlight(): Set<number> {
  const g = globalThis as unknown as { __candorOutboxInFlight?: Set<number> };
  g.__candorOutboxInFlight ??= new Set();
  return g.__candorOutboxInFlight;
}

/**
 * Claims the oldest due pending email, or nothing. One IMMEDIATE transaction: the read and the
 * claim cannot interleave with another worker's, so a row is handed to one worker only.
 */
export function claimNextEmail(db: SyncDb, now: number): OutboxEmail | undefined {
  return db.transaction(
    (tx) => {
      const row = tx
        .select()
        .from(outboxEmails)
        .where(and(eq(outboxEmails.status, "pending"), lte(outboxEmails.nextAttemptAt, now)))
        .orderBy(asc(outboxEmails.id))
        .limit(1)
        .get();
      if (!row) return undefined;
      const claimed = { ...row, attempts: row.attempts + 1, nextAttemptAt: now + LEASE_MS };
      tx.update(outboxEmails)
        .set({ attempts: claimed.attempts, nextAttemptAt: claimed.nextAttemptAt })
        .where(and(eq(outboxEmails.id, row.id), eq(outboxEmails.status, "pending")))
        .run();
      return claimed;
    },
    { behavior: "immediate" },
  );
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

/** The row after a failed attempt: the next attempt after the backoff, or `failed` after the last. */
function markFailed(db: SyncDb, row: OutboxEmail, error: unknown, now: number): "retry" | "failed" {
  const giveUp = row.attempts >= MAX_ATTEMPTS;
  const delay = RETRY_DELAYS_MS[Math.min(row.attempts, RETRY_DELAYS_MS.length) - 1] ?? RETRY_DELAYS_MS[0];
  db.transaction(
    (tx) => {
      tx.update(outboxEmails)
        .set({ status: giveUp ? "failed" : "pending", nextAttemptAt: giveUp ? now : now + delay, lastError: describeSendError(error) })
        .where(eq(outboxEmails.id, row.id))
        .run();
    },
    { behavior: "immediate" },
  );
  return giveUp ? "failed" : "retry";
}

export interface SendSummary {
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * Sends the due pending emails, oldest first, up to `batchSize`, one at a time: claim, send,
 * mark. Safe to run from several workers at once. `now` is the clock for due times and backoff;
 * an aborted `signal` stops before the next email (the one being sent is finished).
 */
export async function sendDueEmails(
  db: SyncDb,
  transport: MailTransport,
  now: number = Date.now(),
  options: { from?: string; batchSize?: number; signal?: AbortSignal } = {},
): Promise<SendSummary> {
  const from = options.from ?? env().MAIL_FROM;
  const summary: SendSummary = { sent: 0, retrying: 0, failed: 0 };
  for (let i = 0; i < (options.batchSize ?? DEFAULT_BATCH_SIZE); i++) {
    if (options.signal?.aborted) break;
    const row = claimNextEmail(db, now);
    if (!row) break;
    inFlight().add(row.id);
    try {
      let failure: { error: unknown } | null = null;
      try {
        const text = emailTextToSend(db, row, now);
        await withTimeout(transport.sendMail({ from, to: row.toAddress, subject: row.subject, text }), SEND_TIMEOUT_MS);
      } catch (error) {
        failure = { error };
      }
      if (failure) {
        summary[markFailed(db, row, failure.error, now) === "failed" ? "failed" : "retrying"]++;
        continue;
      }
      // The SMTP server has the message: from here to the commit is the at-least-once window.
      db.transaction(
        (tx) => {
          // Once sent, the stored copy keeps no working tracking token.
          tx.update(outboxEmails)
            .set({ status: "sent", sentAt: now, lastError: null, bodyText: redactLinks(row.bodyText) })
            .where(eq(outboxEmails.id, row.id))
            .run();
        },
        { behavior: "immediate" },
      );
      summary.sent++;
    } finally {
      inFlight().delete(row.id);
    }
  }
  return summary;
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
  db: SyncDb,
  options: { smtpUrl: string; from: string; intervalMs?: number; batchSize?: number },
): () => Promise<void> {
  const transport = createSmtpTransport(options.smtpUrl);
  const intervalMs = options.intervalMs ?? 15_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const abort = new AbortController();

  const tick = () => {
    running = sendDueEmails(db, transport, Date.now(), { from: options.from, batchSize: options.batchSize, signal: abort.signal })
      .then((summary) => {
        if (summary.failed > 0) console.warn(`Outbox: ${summary.failed} email(s) failed for good; see /staff/outbox.`);
      })
      .catch((error: unknown) => {
        console.error(`Outbox: sending stopped for this run: ${describeSendError(error)}`);
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);

  return async () => {
    stopped = true;
    abort.abort();
    clearTimeout(timer);
    await running;
    transport.close();
  };
}

// ——— What admins see and do (/staff/outbox) ———

export const OUTBOX_PAGE_SIZE = 25;

/** A page of emails, newest first, optionally of one status. */
export function listOutbox(db: SyncDb, filter: { status?: OutboxStatus | null; page?: number } = {}) {
  const where = filter.status ? eq(outboxEmails.status, filter.status) : undefined;
  const total = db.select({ n: count() }).from(outboxEmails).where(where).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(filter.page ?? 1)), pageCount);
  const rows = db
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
    .offset((page - 1) * OUTBOX_PAGE_SIZE)
    .all();
  return { rows, total, page, pageCount };
}

/** How many emails have each status (for the filter). */
export function countOutbox(db: SyncDb): Record<OutboxStatus, number> {
  const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0 };
  for (const row of db.select({ status: outboxEmails.status, n: count() }).from(outboxEmails).groupBy(outboxEmails.status).all()) {
    if ((OUTBOX_STATUSES as readonly string[]).includes(row.status)) counts[row.status as OutboxStatus] = row.n;
  }
  return counts;
}

export function findOutboxEmail(db: SyncDb, id: number): OutboxEmail | undefined {
  return db.select().from(outboxEmails).where(eq(outboxEmails.id, id)).get();
}

/**
 * The email's text for an admin's eyes: personal and tracking links are credentials (they sign the
 * customer in), so their tokens are cut to a recognisable prefix.
 */
export function redactLinks(text: string): string {
  return text.replace(/(\/l\/|\/concerns\/track\/)([A-Za-z0-9_-]{4})[A-Za-z0-9_-]{12,}/g, "$1$2…");
}

export function isBeingSent(id: number): boolean {
  return inFlight().has(id);
}

export type RetryResult = "retried" | "notFound" | "alreadySent" | "sending";

/**
 * "Retry now" for a failed or pending email: pending again, due at once, audited. The attempt
 * count is kept (it is the email's history), so a failed email gets one more attempt; if that
 * fails too it is failed again. An email being sent right now is left alone.
 */
export function retryEmail(db: SyncDb, input: { id: number; staffId: number; now?: number }): RetryResult {
  const now = input.now ?? Date.now();
  if (isBeingSent(input.id)) return "sending";
  return db.transaction(
    (tx) => {
      const row = tx.select({ status: outboxEmails.status, attempts: outboxEmails.attempts }).from(outboxEmails).where(eq(outboxEmails.id, input.id)).get();
      if (!row) return "notFound" as const;
      if (row.status === "sent") return "alreadySent" as const;
      tx.update(outboxEmails).set({ status: "pending", nextAttemptAt: now }).where(eq(outboxEmails.id, input.id)).run();
      appendAudit(tx, {
        actor: { type: "staff", id: input.staffId },
        action: "outbox.retry_requested",
        target: { type: "outbox_email", id: input.id },
        details: { previousStatus: row.status, attempts: row.attempts },
        now,
      });
      return "retried" as const;
    },
    { behavior: "immediate" },
  );
}
