/**
 * "Ask me first" asks someone (SPEC §11.1): an AI agent's confirmation request, the customer's
 * answer (append-only, one per request) and the single use of an approval by a decision check.
 *
 * - A request is created by the agent (POST /api/v1/confirmations), with its audit entry, the
 *   email to the customer's address on record and the `confirmation.created` webhook, in one
 *   transaction.
 * - The customer answers once (portal or embed); a request nobody answered is closed as `expired`
 *   by the sweep (`expireConfirmations`, run by the webhook worker's tick) — a decline: fail closed.
 *   Either way a `confirmation.answered` webhook goes out with the answer.
 * - `confirmationStatus` is the one derivation of a request's state; "used" is read from the
 *   decision that spent the approval (decisions.reason = confirmed_by_customer, unique per
 *   confirmation: the database makes an approval single-use; the rules are in decisions.server.ts).
 */
import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, exists, gt, inArray, lte, not, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import {
  aiSystemActions,
  aiSystems,
  choiceDefinitions,
  confirmationAnswers,
  confirmations,
  customers,
  decisions,
  interactions,
  preferences,
} from "../../db/schema";
import type { Db } from "../utils/db.server";
import { preparedQuery } from "../utils/prepared.server";
import { appendAudit } from "./audit.server";
import { forUpdate, skipLocked } from "./delivery-worker.server";
import { queueConfirmationEmail } from "./notifications.server";
import type { ConfirmationStatus } from "./vocabulary";
import { enqueueWebhookEvent } from "./webhooks.server";

/** A customer with this many requests waiting for an answer gets no new one (`too_many_pending`). */
export const CONFIRMATION_PENDING_MAX = 20;
/** Requests the expiry sweep closes per transaction. */
const EXPIRY_BATCH = 100;

export interface ConfirmationAnswer {
  answer: "approved" | "declined" | "expired";
  method: "portal" | "embed" | "system";
  lang: string;
  /** ms */
  createdAt: number;
}

/** A confirmation request with its derived status. Times in epoch ms (UTC). */
export interface Confirmation {
  id: string;
  customerId: string;
  actionKey: string;
  aiSystemSlug: string;
  interactionId: number | null;
  interactionRef: string | null;
  /** lang → text, in the order the agent gave them. */
  summary: Record<string, string>;
  amountHundredths: number | null;
  currency: string | null;
  channel: string | null;
  effectiveAt: number | null;
  expiresAt: number;
  createdAt: number;
  status: ConfirmationStatus;
  answer: ConfirmationAnswer | null;
  /** When a decision spent the approval, and which. */
  usedAt: number | null;
  usedByDecisionId: string | null;
}

export type CreateConfirmationResult =
  | { status: "created"; confirmation: Confirmation; url: string }
  | { status: "unknown_customer" }
  | { status: "unknown_action" }
  | { status: "unknown_ai_system" }
  | { status: "unknown_interaction" }
  /** The customer's value for the action (own, else the default) is "never": do not ask (reason preference_never | default_never). */
  | { status: "not_askable"; reason: string }
  | { status: "too_many_pending" };

export interface CreateConfirmationInput {
  keyId: number;
  customerId: string;
  actionKey: string;
  aiSystemSlug: string;
  interactionRef: string | null;
  summary: Record<string, string>;
  amountHundredths: number | null;
  currency: string | null;
  channel: string | null;
  effectiveAt: number | null;
  expiresInMinutes: number;
  /** PUBLIC_URL, for the portal URL and the email's personal link. */
  baseUrl: string;
  now?: number;
}

/**
 * A request's state at `now` (SPEC §11.1), the one derivation used everywhere: an answer row
 * decides (approved, declined, expired — an approval a decision spent is `used`); without one the
 * request is `expired` from `expiresAt` on, else `pending`. An approval stays `approved` after
 * `expiresAt`, but the decision rules no longer honour it then (confirmation_expired).
 */
export function confirmationStatus(
  request: { expiresAt: number },
  answer: ConfirmationAnswer["answer"] | null,
  usedAt: number | null,
  now: number,
): ConfirmationStatus {
  if (answer === "approved") return usedAt !== null ? "used" : "approved";
  if (answer) return answer;
  return now >= request.expiresAt ? "expired" : "pending";
}

/** The request with its answer, its interaction's ref and the decision that spent it (at most one). */
function confirmationQuery(db: Db) {
  return db
    .select({
      c: confirmations,
      answer: confirmationAnswers.answer,
      answerMethod: confirmationAnswers.method,
      answerLang: confirmationAnswers.lang,
      answeredAt: confirmationAnswers.createdAt,
      interactionRef: interactions.ref,
      usedByDecisionId: decisions.id,
      usedAt: decisions.createdAt,
    })
    .from(confirmations)
    .leftJoin(confirmationAnswers, eq(confirmationAnswers.confirmationId, confirmations.id))
    .leftJoin(interactions, eq(interactions.id, confirmations.interactionId))
    .leftJoin(decisions, and(eq(decisions.confirmationId, confirmations.id), eq(decisions.reason, "confirmed_by_customer")));
}

type ConfirmationRow = Awaited<ReturnType<typeof confirmationQuery>>[number];

function parseSummary(text: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
    }
  } catch {
    // A damaged summary shows as none rather than failing the page.
  }
  return {};
}

function toConfirmation(row: ConfirmationRow, now: number): Confirmation {
  const { c } = row;
  const answer: ConfirmationAnswer | null =
    row.answer === null
      ? null
      : {
          answer: row.answer as ConfirmationAnswer["answer"],
          method: row.answerMethod as ConfirmationAnswer["method"],
          lang: row.answerLang ?? "",
          createdAt: Number(row.answeredAt),
        };
  const usedAt = row.usedAt === null ? null : Number(row.usedAt);
  return {
    id: c.id,
    customerId: c.customerId,
    actionKey: c.actionKey,
    aiSystemSlug: c.aiSystemSlug,
    interactionId: c.interactionId,
    interactionRef: row.interactionRef,
    summary: parseSummary(c.summary),
    amountHundredths: c.amountHundredths === null ? null : Number(c.amountHundredths),
    currency: c.currency,
    channel: c.channel,
    effectiveAt: c.effectiveAt === null ? null : Number(c.effectiveAt),
    expiresAt: Number(c.expiresAt),
    createdAt: Number(c.createdAt),
    status: confirmationStatus({ expiresAt: Number(c.expiresAt) }, answer?.answer ?? null, usedAt, now),
    answer,
    usedAt,
    usedByDecisionId: row.usedByDecisionId,
  };
}

async function selectOne(db: Db, where: SQL | undefined, now: number): Promise<Confirmation | undefined> {
  const [row] = await confirmationQuery(db).where(where).limit(1);
  return row ? toConfirmation(row, now) : undefined;
}

/** "Not answered and not expired at `now`". */
function pendingAt(db: Db, now: number | SQLWrapper): SQL {
  return and(
    gt(confirmations.expiresAt, now),
    not(exists(db.select({ one: confirmationAnswers.id }).from(confirmationAnswers).where(eq(confirmationAnswers.confirmationId, confirmations.id)))),
  )!;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * POST /api/v1/confirmations (SPEC §11.1): an agent asks the customer before acting. Checks, in
 * order: the customer exists and is not erased (`unknown_customer`); the action is a choice of kind
 * action (`unknown_action`); the AI system is active and registered for it (`unknown_ai_system`);
 * `interactionRef`, if given, is one of the customer's interactions (`unknown_interaction`); the
 * customer's value for the action (own, else the default) is not "never" — a customer who said
 * never is not pestered (`not_askable`, reason preference_never | default_never); fewer than
 * CONFIRMATION_PENDING_MAX requests are pending (`too_many_pending`; the customer row is locked on
 * PostgreSQL so concurrent requests count each other).
 *
 * Then, in ONE transaction: the request (id: a UUID; `summary` stored as JSON text in the given
 * key order; amount in hundredths; `expiresAt` = now + `expiresInMinutes` minutes, ms), the audit
 * entry (actor api:<keyId>, action api.confirmations.create), the email to the customer's address
 * on record (none without one; its personal link is minted when sent — SPEC §11.3) and the
 * `confirmation.created` webhook. `url` = `confirmationUrl(baseUrl, customer locale, id)`.
 */
export async function createConfirmation(db: Db, input: CreateConfirmationInput): Promise<CreateConfirmationResult> {
  const now = input.now ?? Date.now();
  return db.transaction(async (tx): Promise<CreateConfirmationResult> => {
    const [customer] = await forUpdate(tx, tx.select().from(customers).where(eq(customers.id, input.customerId)).limit(1));
    if (!customer || customer.erasedAt) return { status: "unknown_customer" };
    const [definition] = await tx.select().from(choiceDefinitions).where(eq(choiceDefinitions.key, input.actionKey)).limit(1);
    if (!definition || definition.kind !== "action") return { status: "unknown_action" };
    const [system] = await tx.select({ id: aiSystems.id, status: aiSystems.status }).from(aiSystems).where(eq(aiSystems.slug, input.aiSystemSlug)).limit(1);
    if (!system || system.status !== "active") return { status: "unknown_ai_system" };
    const [registered] = await tx
      .select({ key: aiSystemActions.choiceKey })
      .from(aiSystemActions)
      .where(and(eq(aiSystemActions.systemId, system.id), eq(aiSystemActions.choiceKey, input.actionKey)))
      .limit(1);
    if (!registered) return { status: "unknown_ai_system" };
    let interactionId: number | null = null;
    if (input.interactionRef !== null) {
      const [interaction] = await tx
        .select({ id: interactions.id })
        .from(interactions)
        .where(and(eq(interactions.customerId, customer.id), eq(interactions.ref, input.interactionRef)))
        .orderBy(desc(interactions.occurredAt))
        .limit(1);
      if (!interaction) return { status: "unknown_interaction" };
      interactionId = interaction.id;
    }
    const [own] = await tx
      .select({ value: preferences.value })
      .from(preferences)
      .where(and(eq(preferences.customerId, customer.id), eq(preferences.choiceKey, input.actionKey)))
      .limit(1);
    if ((own?.value ?? definition.defaultValue) === "never") return { status: "not_askable", reason: own ? "preference_never" : "default_never" };
    const [pending] = await tx
      .select({ n: count() })
      .from(confirmations)
      .where(and(eq(confirmations.customerId, customer.id), pendingAt(tx, now)));
    if (Number(pending?.n ?? 0) >= CONFIRMATION_PENDING_MAX) return { status: "too_many_pending" };

    const id = randomUUID();
    const expiresAt = now + input.expiresInMinutes * 60_000;
    await tx.insert(confirmations).values({
      id,
      customerId: customer.id,
      actionKey: input.actionKey,
      aiSystemSlug: input.aiSystemSlug,
      interactionId,
      summary: JSON.stringify(input.summary),
      amountHundredths: input.amountHundredths,
      currency: input.currency,
      channel: input.channel,
      effectiveAt: input.effectiveAt,
      expiresAt,
      apiKeyId: input.keyId,
      createdAt: now,
    });
    await appendAudit(tx, {
      actor: { type: "api", id: input.keyId },
      action: "api.confirmations.create",
      target: { type: "confirmation", id },
      details: { action: input.actionKey, aiSystem: input.aiSystemSlug },
      now,
    });
    const confirmation: Confirmation = {
      id,
      customerId: customer.id,
      actionKey: input.actionKey,
      aiSystemSlug: input.aiSystemSlug,
      interactionId,
      interactionRef: interactionId === null ? null : input.interactionRef,
      summary: input.summary,
      amountHundredths: input.amountHundredths,
      currency: input.currency,
      channel: input.channel,
      effectiveAt: input.effectiveAt,
      expiresAt,
      createdAt: now,
      status: "pending",
      answer: null,
      usedAt: null,
      usedByDecisionId: null,
    };
    await queueConfirmationEmail(tx, { confirmation, systemId: system.id, customer, now });
    const url = confirmationUrl(input.baseUrl, customer.locale, id);
    await enqueueWebhookEvent(
      tx,
      "confirmation.created",
      { confirmationId: id, customerId: customer.id, action: input.actionKey, aiSystem: input.aiSystemSlug, expiresAt: iso(expiresAt), url },
      now,
    );
    return { status: "created", confirmation, url };
  });
}

/** GET /api/v1/confirmations/:id — any customer's request (the API key's company owns them all). */
export async function findConfirmation(db: Db, id: string, now: number = Date.now()): Promise<Confirmation | undefined> {
  return selectOne(db, eq(confirmations.id, id), now);
}

/** The portal URL where the customer answers: `${baseUrl}/${lang}/me/confirmations/${id}`. */
export function confirmationUrl(baseUrl: string, lang: string, id: string): string {
  return `${baseUrl}/${lang}/me/confirmations/${id}`;
}

// The overview asks on every signed-in view: prepared.
const pendingOfCustomer = preparedQuery("confirmations_pending", (db) =>
  confirmationQuery(db)
    .where(and(eq(confirmations.customerId, sql.placeholder("customerId")), pendingAt(db, sql.placeholder("now"))))
    .orderBy(desc(confirmations.createdAt), desc(confirmations.id)),
);

/** The customer's requests still waiting for their answer (not answered, not expired), newest first (prepared). */
export async function pendingConfirmations(db: Db, customerId: string, now: number = Date.now()): Promise<Confirmation[]> {
  const rows = await pendingOfCustomer(db, { customerId, now });
  return rows.map((row) => toConfirmation(row, now));
}

/** One of the customer's own requests (any status); undefined when unknown or another customer's. */
export async function findCustomerConfirmation(db: Db, customerId: string, id: string, now: number = Date.now()): Promise<Confirmation | undefined> {
  return selectOne(db, and(eq(confirmations.id, id), eq(confirmations.customerId, customerId)), now);
}

export type AnswerConfirmationResult =
  | { status: "answered"; confirmation: Confirmation }
  /** Answered before (the first answer stands), or expired, or spent: nothing written. */
  | { status: "closed"; confirmation: Confirmation }
  | { status: "not_found" };

/**
 * The customer's answer (SPEC §11.1): an append-only record (who, when, method, language), the
 * `confirmation.answered` webhook, in one transaction. Only the request's own customer may answer,
 * once, before it expires.
 *
 * Another customer's or an unknown id → `not_found` (nothing leaks). Not pending at `now`
 * (answered, expired, used) → `closed` with the request as it stands. The unique answer per
 * request decides a race (two tabs, the expiry sweep): the insert that loses changes nothing and
 * answers `closed`.
 */
export async function answerConfirmation(
  db: Db,
  input: { customerId: string; id: string; answer: "approved" | "declined"; method: "portal" | "embed"; lang: string; now?: number },
): Promise<AnswerConfirmationResult> {
  const now = input.now ?? Date.now();
  return db.transaction(async (tx): Promise<AnswerConfirmationResult> => {
    const current = await findCustomerConfirmation(tx, input.customerId, input.id, now);
    if (!current) return { status: "not_found" };
    if (current.status !== "pending") return { status: "closed", confirmation: current };
    const inserted = await tx
      .insert(confirmationAnswers)
      .values({ confirmationId: current.id, customerId: input.customerId, answer: input.answer, method: input.method, lang: input.lang, createdAt: now })
      .onConflictDoNothing({ target: confirmationAnswers.confirmationId })
      .returning({ id: confirmationAnswers.id });
    const after = (await findCustomerConfirmation(tx, input.customerId, input.id, now))!;
    if (inserted.length === 0) return { status: "closed", confirmation: after };
    await enqueueWebhookEvent(tx, "confirmation.answered", answeredData(current, input.answer, now), now);
    return { status: "answered", confirmation: after };
  });
}

function answeredData(c: Pick<Confirmation, "id" | "customerId" | "actionKey" | "aiSystemSlug">, status: ConfirmationAnswer["answer"], answeredAt: number) {
  return { confirmationId: c.id, customerId: c.customerId, action: c.actionKey, aiSystem: c.aiSystemSlug, status, answeredAt: iso(answeredAt) };
}

/**
 * The expiry sweep (SPEC §11.1: "a request nobody answered expires as declined", fail closed):
 * every request without an answer whose `expiresAt` ≤ `now` (ms) gets an `expired` answer
 * (method "system", the customer's language, at its `expiresAt`: when it expired) and a
 * `confirmation.answered` webhook (status expired), each batch in one transaction. Idempotent and
 * safe with several instances: on PostgreSQL the requests are picked FOR UPDATE SKIP LOCKED, and
 * the unique answer per request makes a second insert (a sweep elsewhere, the customer answering
 * at the last moment) a no-op without a webhook. Resolves to the number of requests closed.
 */
export async function expireConfirmations(db: Db, now: number = Date.now()): Promise<number> {
  const unanswered = (q: Db) =>
    and(lte(confirmations.expiresAt, now), not(exists(q.select({ one: confirmationAnswers.id }).from(confirmationAnswers).where(eq(confirmationAnswers.confirmationId, confirmations.id)))));
  // Runs on every worker tick: a plain read first, so an idle tick opens no write transaction.
  const [anyDue] = await db.select({ id: confirmations.id }).from(confirmations).where(unanswered(db)).limit(1);
  if (!anyDue) return 0;
  let closed = 0;
  for (;;) {
    const { picked, expired } = await db.transaction(async (tx) => {
      const due = await skipLocked(
        tx,
        tx
          .select({ id: confirmations.id, customerId: confirmations.customerId, actionKey: confirmations.actionKey, aiSystemSlug: confirmations.aiSystemSlug, expiresAt: confirmations.expiresAt, lang: customers.locale })
          .from(confirmations)
          .innerJoin(customers, eq(customers.id, confirmations.customerId))
          .where(unanswered(tx))
          .orderBy(asc(confirmations.expiresAt), asc(confirmations.id))
          .limit(EXPIRY_BATCH),
        confirmations,
      );
      let count = 0;
      for (const c of due) {
        const expiresAt = Number(c.expiresAt);
        const inserted = await tx
          .insert(confirmationAnswers)
          .values({ confirmationId: c.id, customerId: c.customerId, answer: "expired", method: "system", lang: c.lang, createdAt: expiresAt })
          .onConflictDoNothing({ target: confirmationAnswers.confirmationId })
          .returning({ id: confirmationAnswers.id });
        if (inserted.length === 0) continue;
        await enqueueWebhookEvent(tx, "confirmation.answered", answeredData(c, "expired", expiresAt), now);
        count++;
      }
      return { picked: due.length, expired: count };
    });
    closed += expired;
    if (picked < EXPIRY_BATCH) return closed;
  }
}

/** The requests made about these interactions (for the customer's timeline), oldest first. */
export async function confirmationsForInteractions(db: Db, interactionIds: number[], now: number = Date.now()): Promise<Confirmation[]> {
  if (interactionIds.length === 0) return [];
  const rows = await confirmationQuery(db)
    .where(inArray(confirmations.interactionId, interactionIds))
    .orderBy(asc(confirmations.createdAt), asc(confirmations.id));
  return rows.map((row) => toConfirmation(row, now));
}
