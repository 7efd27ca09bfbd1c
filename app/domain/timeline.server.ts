/**
 * The customer's timeline tells the truth (SPEC §3.2 "My interactions", §11.1, §11.4, §11.5): one
 * page of the customer's interactions, each with every decision check made for it (and the limit
 * that decided it), the confirmation requests it led to and their answers, the AI involvement with
 * a permission breach where an action had no valid permission, and the datasets it went into.
 */
import { and, desc, eq, inArray, lte } from "drizzle-orm";
import { consentEvents } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { breachesForInteractions, type BreachView } from "./breaches.server";
import { confirmationsForInteractions, type Confirmation } from "./confirmations.server";
import { listInteractions } from "./interactions.server";
import { trainingUsesForInteractions } from "./training-uses.server";
import type { AiRole, DecisionContext, DecisionReason, PermissionLimits } from "./vocabulary";

/** A decision check as the customer sees it. Times in ms; amounts in hundredths. */
export interface TimelineCheck {
  id: string;
  actionKey: string;
  aiSystemSlug: string;
  decision: "allow" | "ask" | "deny";
  reason: DecisionReason;
  createdAt: number;
  /** For quiet hours: when the AI could try again. */
  retryAfter: number | null;
  /** What the agent said it would do (decision context), when it said so. */
  amountHundredths: number | null;
  currency: string | null;
  channel: string | null;
  /** The customer's limits for this action kind when the check was made (from their consent events), or null. */
  limits: PermissionLimits | null;
}

/** One AI involvement of an interaction, with its permission breach if the action had no valid permission. */
export interface TimelineAi {
  id: number;
  systemSlug: string;
  systemName: string;
  role: AiRole;
  actionKey: string | null;
  actionDetail: string | null;
  humanReviewed: boolean;
  /** Eligible for training at the interaction's time (SPEC §11.4), never rewritten. */
  trainingEligible: boolean;
  breach: BreachView | null;
}

export interface TimelineItem {
  id: number;
  ref: string;
  channel: string;
  subject: string;
  occurredAt: number;
  ai: TimelineAi[];
  /** Oldest first. */
  checks: TimelineCheck[];
  /** Oldest first. */
  confirmations: Confirmation[];
  /** Oldest first; `usedAt` in ms. */
  trainingUses: { dataset: string; usedAt: number }[];
}

/** Reasons a check gives because of one of the customer's limits (SPEC §11.2): the timeline names the limit. */
const LIMIT_REASONS: ReadonlySet<string> = new Set(["amount_over_limit", "currency_mismatch", "channel_not_allowed", "permission_expired"]);

function parseJson<T>(text: string | null): T | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/**
 * The limits in force for each check whose reason names a limit: the latest consent event of the
 * customer for that action kind made at or before the check (limits are part of the consent event,
 * so a later change does not rewrite what decided an earlier check).
 */
async function limitsAtChecks(db: Db, customerId: string, checks: { id: string; actionKey: string; reason: string; createdAt: number }[]) {
  const needed = checks.filter((c) => LIMIT_REASONS.has(c.reason));
  const found = new Map<string, PermissionLimits | null>();
  if (needed.length === 0) return found;
  const events = await db
    .select({ choiceKey: consentEvents.choiceKey, limits: consentEvents.limits, createdAt: consentEvents.createdAt })
    .from(consentEvents)
    .where(
      and(
        eq(consentEvents.customerId, customerId),
        inArray(consentEvents.choiceKey, [...new Set(needed.map((c) => c.actionKey))]),
        lte(consentEvents.createdAt, Math.max(...needed.map((c) => c.createdAt))),
      ),
    )
    .orderBy(desc(consentEvents.createdAt), desc(consentEvents.id));
  for (const check of needed) {
    const event = events.find((e) => e.choiceKey === check.actionKey && e.createdAt <= check.createdAt);
    found.set(check.id, parseJson<PermissionLimits>(event?.limits ?? null));
  }
  return found;
}

/**
 * One page (20 interactions, newest first) of the customer's timeline in `lang` (AI system names),
 * with `page`/`pageCount` as `listInteractions` gives them. Async; reads only the customer's own
 * rows (every lookup is by the ids of the customer's interactions on the page). Times in ms since
 * epoch (UTC); the caller formats them in the customer's language and time zone.
 */
export async function customerTimeline(db: Db, customerId: string, lang: string, page = 1, now = Date.now()) {
  const listed = await listInteractions(db, customerId, lang, page);
  const ids = listed.items.map((i) => i.id);
  const [confirmations, breaches, trainingUses] = await Promise.all([
    ids.length === 0 ? [] : confirmationsForInteractions(db, ids, now),
    ids.length === 0 ? [] : breachesForInteractions(db, ids),
    ids.length === 0 ? [] : trainingUsesForInteractions(db, ids),
  ]);
  const limits = await limitsAtChecks(db, customerId, listed.items.flatMap((item) => item.decisions));
  const items: TimelineItem[] = listed.items.map((item) => ({
    id: item.id,
    ref: item.ref,
    channel: item.channel,
    subject: item.subject,
    occurredAt: item.occurredAt,
    ai: item.ai.map((a) => ({
      id: a.id,
      systemSlug: a.systemSlug,
      systemName: a.systemName,
      role: a.role,
      actionKey: a.actionKey,
      actionDetail: a.actionDetail,
      humanReviewed: a.humanReviewed,
      trainingEligible: a.trainingEligible,
      breach: breaches.find((b) => b.interactionAiId === a.id) ?? null,
    })),
    checks: item.decisions
      .map((listedCheck) => {
        const context = parseJson<DecisionContext>(listedCheck.context);
        return {
          id: listedCheck.id,
          actionKey: listedCheck.actionKey,
          aiSystemSlug: listedCheck.aiSystemSlug,
          decision: listedCheck.decision as TimelineCheck["decision"],
          reason: listedCheck.reason as DecisionReason,
          createdAt: listedCheck.createdAt,
          retryAfter: listedCheck.retryAfter,
          amountHundredths: typeof context?.amountHundredths === "number" ? context.amountHundredths : null,
          currency: context?.currency ?? null,
          channel: context?.channel ?? null,
          limits: limits.get(listedCheck.id) ?? null,
        };
      })
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id)),
    confirmations: confirmations.filter((c) => c.interactionId === item.id).sort((a, b) => a.createdAt - b.createdAt),
    trainingUses: trainingUses
      .filter((u) => u.interactionId === item.id)
      .map((u) => ({ dataset: u.dataset, usedAt: u.usedAt }))
      .sort((a, b) => a.usedAt - b.usedAt || a.dataset.localeCompare(b.dataset)),
  }));
  return { items, total: listed.total, page: listed.page, pageCount: listed.pageCount };
}
