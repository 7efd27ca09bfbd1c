/**
 * Decision checks (SPEC §5.2, §11.1–§11.3): the check an AI agent makes before a proactive action,
 * and what it reads first (the customer's current choices). The rules are written once
 * (`applyRules` in decision-rules.ts, pure; `preferenceSnapshot`); the queries once (`factsQuery`, `insertQuery`,
 * `preferencesQuery`, as drizzle SQL). They run three ways, with the same answers:
 * - `decide(db)`: the domain's async handle (or a transaction), on either engine;
 * - the agents' hot path (decision-hot-path.server.ts: `decisionCheck`, `preferencesRead`): the same SQL
 *   compiled once into prepared statements per engine — better-sqlite3 statements on the embedded
 *   engine, named node-postgres statements on PostgreSQL.
 * Every check is one facts statement and one insert.
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { decisions, interactionAi, interactions } from "../../db/schema";
import { executeSql, isUniqueViolation, type Db } from "../utils/db.server";
import { companyTimeZone } from "./settings.server";
import { limitsProblem } from "./permission-limits";
import {
  HUMAN_FIRST_KEY,
  IDENTITY_KEY,
  type ChoiceKind,
  type PermissionLimits,
} from "./vocabulary";
import { applyRules, DAY_MS, type DecideInput, type Facts } from "./decision-rules";

export type { DecideInput } from "./decision-rules";

export type Decision = typeof decisions.$inferSelect;


export type FactsParams = Record<"customerId" | "actionKey" | "aiSystemSlug" | "interactionRef" | "confirmationId", unknown>;

/** A constant key as an SQL literal (constants only: the hot path's statements take placeholders for inputs). */
const keyLiteral = (key: string) => {
  if (!/^[a-z_-]+$/.test(key)) throw new Error(`Not a literal key: ${key}`);
  return sql.raw(`'${key}'`);
};

/**
 * The facts of one check. Valid on both engines: quoted aliases (PostgreSQL folds unquoted ones
 * to lower case), an aliased derived table, a typed NULL test of the optional interaction ref.
 * Every join is by primary or unique key; "spent" reads the partial unique index
 * `decisions_confirmation_use` (same literal predicate).
 */
export function factsQuery(p: FactsParams): SQL {
  return sql`
SELECT
  c.id IS NOT NULL AS "hasCustomer",
  c.preference_version AS "preferenceVersion",
  c.time_zone AS "timeZone",
  d.key IS NOT NULL AS "hasDefinition",
  d.default_value AS "defaultValue",
  d.notice_version AS "definitionNoticeVersion",
  s.id IS NOT NULL AS "hasSystem",
  s.status AS "systemStatus",
  (SELECT 1 FROM ai_system_actions a WHERE a.system_id = s.id AND a.choice_key = d.key) AS "registered",
  p.value AS "value",
  p.notice_version AS "preferenceNoticeVersion",
  p.updated_at AS "preferenceUpdatedAt",
  p.limits AS "limits",
  hp.value AS "humanFirstValue",
  hd.default_value AS "humanFirstDefault",
  ip.value AS "identityValue",
  id.default_value AS "identityDefault",
  CASE WHEN CAST(${p.interactionRef} AS TEXT) IS NULL OR c.id IS NULL THEN NULL ELSE
    (SELECT i.id FROM interactions i WHERE i.customer_id = c.id AND i.ref = ${p.interactionRef} LIMIT 1) END AS "interactionId",
  cf.id AS "confirmationId",
  cf.customer_id AS "confirmationCustomerId",
  cf.action_key AS "confirmationActionKey",
  cf.ai_system_slug AS "confirmationAiSystemSlug",
  cf.amount_hundredths AS "confirmationAmountHundredths",
  cf.currency AS "confirmationCurrency",
  cf.channel AS "confirmationChannel",
  cf.expires_at AS "confirmationExpiresAt",
  ca.answer AS "confirmationAnswer",
  (SELECT 1 FROM decisions u WHERE u.confirmation_id = cf.id AND u.reason = 'confirmed_by_customer') AS "confirmationSpent"
FROM (SELECT 1) AS one
LEFT JOIN customers c ON c.id = ${p.customerId} AND c.erased_at IS NULL
LEFT JOIN choice_definitions d ON d.key = ${p.actionKey} AND d.kind = 'action'
LEFT JOIN ai_systems s ON s.slug = ${p.aiSystemSlug}
LEFT JOIN preferences p ON p.customer_id = c.id AND p.choice_key = d.key
LEFT JOIN choice_definitions hd ON hd.key = ${keyLiteral(HUMAN_FIRST_KEY)}
LEFT JOIN preferences hp ON hp.customer_id = c.id AND hp.choice_key = hd.key
LEFT JOIN choice_definitions id ON id.key = ${keyLiteral(IDENTITY_KEY)}
LEFT JOIN preferences ip ON ip.customer_id = c.id AND ip.choice_key = id.key
LEFT JOIN confirmations cf ON cf.id = ${p.confirmationId}
LEFT JOIN confirmation_answers ca ON ca.confirmation_id = cf.id`;
}

/** The decision record (append-only). */
export function insertQuery(p: Record<keyof Decision, unknown>): SQL {
  return sql`INSERT INTO decisions
  (id, customer_id, action_key, ai_system_slug, interaction_id, decision, reason, preference_version, confirmation_id, context, retry_after, created_at)
  VALUES (${p.id}, ${p.customerId}, ${p.actionKey}, ${p.aiSystemSlug}, ${p.interactionId}, ${p.decision}, ${p.reason}, ${p.preferenceVersion}, ${p.confirmationId}, ${p.context}, ${p.retryAfter}, ${p.createdAt})`;
}

const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const textOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

/**
 * Stored limits (PermissionLimits JSON text) as the rules read them, or null when none is set.
 * Throws on anything malformed (`limitsProblem`): unlike a page, which may show unreadable limits
 * as none, a check must not read them as "no limit" — the hot path then answers 503 "do not act".
 */
export function limitsInForce(text: string): PermissionLimits | null {
  const raw: unknown = JSON.parse(text);
  const problem = limitsProblem(raw);
  if (problem !== null) throw new Error(`Malformed limits: ${problem}`);
  const limits = raw as PermissionLimits | null;
  return limits && (limits.maxAmount || limits.channels || limits.quietHours || limits.allowedForDays !== undefined) ? limits : null;
}

/** A facts row as either engine returns it (0/1 or booleans; int8 as number or text). */
export function factsOf(row: Record<string, unknown>): Facts {
  const limits = textOrNull(row.limits);
  return {
    hasCustomer: Boolean(row.hasCustomer),
    preferenceVersion: numberOrNull(row.preferenceVersion),
    timeZone: textOrNull(row.timeZone),
    hasDefinition: Boolean(row.hasDefinition),
    defaultValue: textOrNull(row.defaultValue),
    definitionNoticeVersion: numberOrNull(row.definitionNoticeVersion),
    hasSystem: Boolean(row.hasSystem),
    systemStatus: textOrNull(row.systemStatus),
    registered: Boolean(row.registered),
    value: textOrNull(row.value),
    preferenceNoticeVersion: numberOrNull(row.preferenceNoticeVersion),
    preferenceUpdatedAt: numberOrNull(row.preferenceUpdatedAt),
    limits: limits === null ? null : limitsInForce(limits),
    humanFirstValue: textOrNull(row.humanFirstValue),
    humanFirstDefault: textOrNull(row.humanFirstDefault),
    identityValue: textOrNull(row.identityValue),
    identityDefault: textOrNull(row.identityDefault),
    interactionId: numberOrNull(row.interactionId),
    confirmation:
      row.confirmationId === null || row.confirmationId === undefined
        ? null
        : {
            customerId: String(row.confirmationCustomerId),
            actionKey: String(row.confirmationActionKey),
            aiSystemSlug: String(row.confirmationAiSystemSlug),
            amountHundredths: numberOrNull(row.confirmationAmountHundredths),
            currency: textOrNull(row.confirmationCurrency),
            channel: textOrNull(row.confirmationChannel),
            expiresAt: Number(row.confirmationExpiresAt),
            answer: textOrNull(row.confirmationAnswer),
            spent: Boolean(row.confirmationSpent),
          },
  };
}


/** The record of one check: the rules applied to its facts. */
export function decisionRecord(input: DecideInput, facts: Facts): Decision {
  const now = input.now ?? Date.now();
  const { decision, reason, retryAfter } = applyRules(facts, input, now);
  return {
    id: randomUUID(),
    customerId: input.customerId,
    actionKey: input.actionKey,
    aiSystemSlug: input.aiSystemSlug,
    interactionId: facts.interactionId,
    decision,
    reason,
    preferenceVersion: facts.preferenceVersion ?? 0,
    confirmationId: input.confirmationId ?? null,
    context: input.context ? JSON.stringify(input.context) : null,
    retryAfter,
    createdAt: now,
  };
}

/**
 * A concurrent check spent the approval first (PostgreSQL: both read it unused; the unique index
 * `decisions_confirmation_use` refused the second insert): this one is a deny confirmation_used.
 */
export const alreadyUsed = (record: Decision): Decision => ({ ...record, decision: "deny", reason: "confirmation_used", retryAfter: null });
export const spendsConfirmation = (record: Decision) => record.reason === "confirmed_by_customer";

export const factsParams = (input: DecideInput): FactsParams => ({
  customerId: input.customerId,
  actionKey: input.actionKey,
  aiSystemSlug: input.aiSystemSlug,
  interactionRef: input.interactionRef ?? null,
  confirmationId: input.confirmationId ?? null,
});

/**
 * The check an AI agent makes before a proactive action (the rules: `applyRules`), async, on
 * either engine; `db` may be a transaction. Every answer is recorded (append-only), in the same
 * transaction as the facts it was made from; an approval is spent by at most one decision (the
 * loser of a race is recorded as deny confirmation_used). The API's hot path runs the same SQL and
 * rules as prepared statements (`decisionCheck`).
 */
export async function decide(db: Db, input: DecideInput): Promise<Decision> {
  return db.transaction(async (tx) => {
    const [row] = await executeSql(tx, factsQuery(factsParams(input)));
    const record = decisionRecord(input, factsOf(row!));
    if (!spendsConfirmation(record)) {
      await tx.insert(decisions).values(record);
      return record;
    }
    try {
      // A savepoint: on PostgreSQL a failed insert would otherwise abort the whole transaction.
      await tx.transaction(async (savepoint) => {
        await savepoint.insert(decisions).values(record);
      });
      return record;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const used = alreadyUsed(record);
      await tx.insert(decisions).values(used);
      return used;
    }
  });
}

/**
 * The decision checks made for these interactions (async), for the customer's timeline: those made
 * with the interaction's ref, and those an AI action of the interaction names as its permission
 * (an agent checks before the interaction is recorded, SPEC §11.5) — only when the decision is the
 * same customer's, so a breach naming another customer's decision never shows that decision.
 * `forInteractionId`: the interaction it is shown on (a check appears once per interaction it belongs to).
 */
export async function decisionsForInteractions(db: Db, interactionIds: number[]): Promise<(Decision & { forInteractionId: number })[]> {
  if (interactionIds.length === 0) return [];
  const direct = await db.select().from(decisions).where(inArray(decisions.interactionId, interactionIds));
  const named = await db
    .select({ decision: decisions, interactionId: interactionAi.interactionId })
    .from(interactionAi)
    .innerJoin(interactions, eq(interactions.id, interactionAi.interactionId))
    .innerJoin(decisions, and(eq(decisions.id, interactionAi.decisionId), eq(decisions.customerId, interactions.customerId)))
    .where(inArray(interactionAi.interactionId, interactionIds));
  // A check made during one conversation may permit an action recorded as another interaction: it shows on both.
  const found = new Map(direct.map((d) => [`${d.id}|${d.interactionId}`, { ...d, forInteractionId: d.interactionId! }]));
  for (const { decision, interactionId } of named) {
    const key = `${decision.id}|${interactionId}`;
    if (!found.has(key)) found.set(key, { ...decision, forInteractionId: interactionId });
  }
  return Array.from(found, ([, decision]) => decision);
}

// ── What an agent reads before deciding: the customer's current choices ──────────────────────

/**
 * The limits of a choice as the agents' API reports them (SPEC §11.2): as stored (amounts in
 * hundredths), with the time zone the quiet hours are in and, for `allowedForDays`, the instant
 * (ms) the value stops being "allowed".
 */
export interface ChoiceLimits extends Omit<PermissionLimits, "quietHours"> {
  quietHours?: { from: string; to: string; timeZone: string };
  allowedUntil?: number;
}

/** One choice of a customer as the agents' API reports it; `updatedAt` in epoch ms. */
export interface PreferenceSnapshotChoice {
  key: string;
  kind: ChoiceKind;
  value: string;
  isDefault: boolean;
  noticeVersion: number;
  /** Given under an older notice, or an "allow" whose `allowedForDays` ran out. */
  needsReconfirmation: boolean;
  method: string | null;
  updatedAt: number | null;
  limits: ChoiceLimits | null;
}

export interface PreferenceSnapshot {
  customerId: string;
  preferenceVersion: number;
  choices: PreferenceSnapshotChoice[];
}

/** Every choice (in position order) with the customer's value, or no row for an unknown or erased customer. */
export function preferencesQuery(p: { customerId: unknown }): SQL {
  return sql`
SELECT c.preference_version AS "version", c.time_zone AS "timeZone", d.key AS "key", d.kind AS "kind", d.default_value AS "defaultValue",
       d.notice_version AS "definitionNoticeVersion", p.value AS "value", p.notice_version AS "preferenceNoticeVersion",
       p.method AS "method", p.updated_at AS "updatedAt", p.limits AS "limits"
FROM customers c
LEFT JOIN choice_definitions d ON 1 = 1
LEFT JOIN preferences p ON p.customer_id = c.id AND p.choice_key = d.key
WHERE c.id = ${p.customerId} AND c.erased_at IS NULL
ORDER BY d.position`;
}

/** Stored limits as reported: the quiet hours' zone (`timeZone`), `allowedUntil` from when the value was given. */
function choiceLimits(limits: PermissionLimits, timeZone: string, updatedAt: number | null): ChoiceLimits {
  const { quietHours, ...rest } = limits;
  return {
    ...rest,
    ...(quietHours ? { quietHours: { from: quietHours.from, to: quietHours.to, timeZone } } : {}),
    ...(limits.allowedForDays !== undefined ? { allowedUntil: (updatedAt ?? 0) + limits.allowedForDays * DAY_MS } : {}),
  };
}

/**
 * The customer's choices from the rows of `preferencesQuery` at `now` (ms): the value in force
 * (their own or the default), its limits, and whether the own value needs reconfirmation (given
 * under an older notice, or an "allow" past its `allowedForDays`). Undefined for an unknown or
 * erased customer.
 */
export function preferenceSnapshot(customerId: string, rows: Record<string, unknown>[], now: number): PreferenceSnapshot | undefined {
  if (rows.length === 0) return undefined;
  const first = rows[0]!;
  const timeZone = textOrNull(first.timeZone);
  // One loop, no intermediate arrays: this runs on every preferences read of the agents' hot path.
  const choices: PreferenceSnapshotChoice[] = [];
  for (const r of rows) {
    if (r.key === null) continue;
    const value = textOrNull(r.value);
    const definitionNoticeVersion = Number(r.definitionNoticeVersion);
    const preferenceNoticeVersion = numberOrNull(r.preferenceNoticeVersion);
    const updatedAt = numberOrNull(r.updatedAt);
    const stored = r.limits === null || r.limits === undefined ? null : limitsInForce(String(r.limits));
    const limits = stored ? choiceLimits(stored, timeZone ?? companyTimeZone(), updatedAt) : null;
    const expired = value === "allow" && limits?.allowedUntil !== undefined && now >= limits.allowedUntil;
    choices.push({
      key: String(r.key),
      kind: r.kind as ChoiceKind,
      value: value ?? String(r.defaultValue),
      isDefault: value === null,
      noticeVersion: preferenceNoticeVersion ?? definitionNoticeVersion,
      needsReconfirmation: value !== null && ((preferenceNoticeVersion ?? 0) < definitionNoticeVersion || expired),
      method: textOrNull(r.method),
      updatedAt,
      limits,
    });
  }
  return { customerId, preferenceVersion: Number(first.version), choices };
}
