/**
 * The rules of a decision check (SPEC §5.2, §11.1–§11.3), pure: the facts one check reads, the
 * quiet-hours arithmetic, and `applyRules`, which turns facts and the agent's request into an
 * answer. No database and no clock (`now` is an argument): decisions.server.ts reads the facts (one statement per check, on
 * either engine) and records the answer; test/unit/decision-rules.test.ts drives these directly.
 */
import { tzOffset } from "@date-fns/tz";
import { companyTimeZone } from "./settings.server";
import { AI_FIRST_CONTACT, type DecisionContext, type DecisionReason, type PermissionLimits } from "./vocabulary";

export type DecisionValue = "allow" | "ask" | "deny";

export interface DecideInput {
  customerId: string;
  /** A choice key of kind action, or `ai_first_contact`. */
  actionKey: string;
  aiSystemSlug: string;
  interactionRef?: string | null;
  /** An approved confirmation the agent presents (SPEC §11.1). */
  confirmationId?: string | null;
  /** What the agent says about the action and who it is talking to (SPEC §11.2, §11.3); amounts in hundredths, `at` in ms. */
  context?: DecisionContext;
  /** The time of the check (ms since epoch UTC); default: the clock. */
  now?: number;
}

const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** A presented confirmation as stored (SPEC §11.1); amounts in hundredths, times in ms. */
export interface ConfirmationFacts {
  customerId: string;
  actionKey: string;
  aiSystemSlug: string;
  amountHundredths: number | null;
  currency: string | null;
  channel: string | null;
  expiresAt: number;
  /** approved | declined | expired, or null while nobody answered. */
  answer: string | null;
  /** A decision already spent this approval (reason confirmed_by_customer). */
  spent: boolean;
}

/** Everything the rules need, read by ONE statement (one consistent snapshot). */
export interface Facts {
  hasCustomer: boolean;
  preferenceVersion: number | null;
  /** The customer's IANA time zone, or null: the company's (`companyTimeZone()`). */
  timeZone: string | null;
  hasDefinition: boolean;
  defaultValue: string | null;
  definitionNoticeVersion: number | null;
  hasSystem: boolean;
  systemStatus: string | null;
  registered: boolean;
  /** The customer's own value for the action kind, or null (then the default applies). */
  value: string | null;
  preferenceNoticeVersion: number | null;
  /** When the own value (and its limits) was given, ms. */
  preferenceUpdatedAt: number | null;
  /** The limits given with the own value, or null. */
  limits: PermissionLimits | null;
  humanFirstValue: string | null;
  humanFirstDefault: string | null;
  identityValue: string | null;
  identityDefault: string | null;
  interactionId: number | null;
  /** The presented confirmation (by id, whoever it belongs to), or null when none was presented or it does not exist. */
  confirmation: ConfirmationFacts | null;
}

// ── Quiet hours (SPEC §11.2) ─────────────────────────────────────────────────────────────────

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const mod = (a: number, b: number) => ((a % b) + b) % b;

/** `minute` (of the local day) inside [from, to); `from` > `to` spans midnight; `from` = `to` is no window. */
function inWindow(minute: number, from: number, to: number): boolean {
  return from < to ? minute >= from && minute < to : from > to && (minute >= from || minute < to);
}

/** The zone's UTC offset at `t`, in ms. Throws for a zone this runtime does not know. */
function offsetMs(timeZone: string, t: number): number {
  const minutes = tzOffset(timeZone, new Date(t));
  if (!Number.isFinite(minutes)) throw new Error(`Unknown time zone: ${timeZone}`);
  return minutes * MINUTE_MS;
}

/** The first instant in (from, to] whose offset is not `offset` (the offset is `offset` at `from`, not at `to`). */
function offsetChange(timeZone: string, from: number, to: number, offset: number): number {
  let [lo, hi] = [from, to];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(timeZone, mid) === offset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Quiet hours (SPEC §11.2): `window` is local "HH:MM" `from`–`to` in `timeZone` (IANA), `from` >
 * `to` spanning midnight. Returns null when `at` (ms) is outside the window, else the instant (ms)
 * the quiet hours end — the first moment after `at` whose local time is outside the window. Exact
 * across daylight-saving changes: a window 01:30–03:30 on a spring-forward night still ends at
 * 03:30 local; an end that falls in the skipped hour ends when the clocks jump; after a fall-back
 * the repeated hour is counted as it is lived.
 */
export function quietHoursEnd(window: { from: string; to: string }, at: number, timeZone: string): number | null {
  const [from, to] = [minutesOf(window.from), minutesOf(window.to)];
  let t = at;
  // Each pass ends at `to` unless the offset changes first; a day holds at most one change.
  for (let pass = 0; pass < 4; pass++) {
    const offset = offsetMs(timeZone, t);
    const wall = t + offset;
    if (!inWindow(Math.floor(mod(wall, DAY_MS) / MINUTE_MS), from, to)) return pass === 0 ? null : t;
    let endWall = wall - mod(wall, DAY_MS) + to * MINUTE_MS;
    if (endWall <= wall) endWall += DAY_MS;
    const end = endWall - offset;
    if (offsetMs(timeZone, end) === offset) return end;
    t = offsetChange(timeZone, t, end, offset);
  }
  return t;
}

// ── The rules ────────────────────────────────────────────────────────────────────────────────

/** What the rules answer; `retryAfter` (ms) only with reason quiet_hours. */
export interface Verdict {
  decision: DecisionValue;
  reason: DecisionReason;
  retryAfter: number | null;
}

export type RuleInput = Pick<DecideInput, "customerId" | "actionKey" | "aiSystemSlug" | "confirmationId" | "context">;

const verdict = (decision: DecisionValue, reason: DecisionReason): Verdict => ({ decision, reason, retryAfter: null });

/** Rule 7 (SPEC §11.1): a presented confirmation allows once, if it is the customer's approval of exactly this action. */
function confirmationVerdict(c: ConfirmationFacts | null, input: RuleInput, now: number): Verdict {
  const context = input.context ?? {};
  if (!c || c.customerId !== input.customerId) return verdict("deny", "confirmation_unknown");
  if (
    c.actionKey !== input.actionKey ||
    c.aiSystemSlug !== input.aiSystemSlug ||
    c.amountHundredths !== (context.amountHundredths ?? null) ||
    c.currency !== (context.currency ?? null) ||
    c.channel !== (context.channel ?? null)
  ) {
    return verdict("deny", "confirmation_mismatch");
  }
  if (c.answer === "declined") return verdict("deny", "confirmation_declined");
  if (c.spent) return verdict("deny", "confirmation_used");
  if (c.answer === "expired" || now >= c.expiresAt) return verdict("deny", "confirmation_expired");
  if (c.answer !== "approved") return verdict("deny", "confirmation_pending");
  return verdict("allow", "confirmed_by_customer");
}

/**
 * The rules of a decision (SPEC §5.2, §11.1–§11.3), pure; first match wins. `now` is the time of
 * the check (ms); the action's time is `context.at ?? now`.
 * 1. unknown or erased customer → deny unknown_customer;
 * 2. `ai_first_contact`: AI system unknown or not active → deny unknown_ai_system; human first
 *    (own value, else default) "yes" → deny human_first; else allow no_human_first;
 * 3. unknown action → deny unknown_action; system unknown or not active → unknown_ai_system; not
 *    registered for the action → action_not_registered;
 * 4. value (own, else default, else "never"; anything unknown counts as "never") "never" → deny
 *    preference_never / default_never — no confirmation overrides it;
 * 5. identity choice (own, else default, else "yes") not "no" and `identity.verified` not true →
 *    deny identity_not_verified (SPEC §11.3);
 * 6. the action's time inside the quiet hours of this action kind (customer's time zone, else the
 *    company's) → deny quiet_hours, `retryAfter` = when they end;
 * 7. a presented confirmation → `confirmationVerdict` (allow confirmed_by_customer once, else
 *    deny confirmation_*; its expiry is checked at `now`, when it is spent);
 * 8. "ask" → ask preference_ask / default_ask;
 * 9. "allow": given under an older notice → ask needs_reconfirmation; `allowedForDays` passed
 *    since it was given (at `now` or at the action's time, whichever is later) → ask
 *    permission_expired; `maxAmount` set: no amount → amount_missing, other or no currency →
 *    currency_mismatch, over the cap → amount_over_limit; `channels` set and the channel missing
 *    or not listed → channel_not_allowed; else allow preference_allow / default_allow.
 * Invariant: no `allow` without an own or default "allow" passing rule 9, an approved unused
 * matching unexpired confirmation (rule 7), or `ai_first_contact` without human first.
 */
export function applyRules(f: Facts, input: RuleInput, now: number): Verdict {
  if (!f.hasCustomer) return verdict("deny", "unknown_customer");
  const systemActive = f.hasSystem && f.systemStatus === "active";
  if (input.actionKey === AI_FIRST_CONTACT) {
    if (!systemActive) return verdict("deny", "unknown_ai_system");
    return (f.humanFirstValue ?? f.humanFirstDefault) === "yes" ? verdict("deny", "human_first") : verdict("allow", "no_human_first");
  }
  if (!f.hasDefinition) return verdict("deny", "unknown_action");
  if (!systemActive) return verdict("deny", "unknown_ai_system");
  if (!f.registered) return verdict("deny", "action_not_registered");

  const own = f.value !== null;
  const value = f.value ?? f.defaultValue;
  if (value !== "allow" && value !== "ask") return verdict("deny", own ? "preference_never" : "default_never");

  const context = input.context ?? {};
  if ((f.identityValue ?? f.identityDefault) !== "no" && context.identity?.verified !== true) return verdict("deny", "identity_not_verified");

  const at = context.at ?? now;
  const limits = own ? f.limits : null;
  if (limits?.quietHours) {
    const end = quietHoursEnd(limits.quietHours, at, f.timeZone ?? companyTimeZone());
    if (end !== null) return { decision: "deny", reason: "quiet_hours", retryAfter: end };
  }

  if (input.confirmationId !== undefined && input.confirmationId !== null) return confirmationVerdict(f.confirmation, input, now);

  if (value === "ask") return verdict("ask", own ? "preference_ask" : "default_ask");
  if (own && (f.preferenceNoticeVersion ?? 0) < (f.definitionNoticeVersion ?? 0)) return verdict("ask", "needs_reconfirmation");
  if (limits) {
    if (limits.allowedForDays !== undefined && Math.max(now, at) >= (f.preferenceUpdatedAt ?? 0) + limits.allowedForDays * DAY_MS) {
      return verdict("ask", "permission_expired");
    }
    if (limits.maxAmount) {
      if (context.amountHundredths === undefined) return verdict("ask", "amount_missing");
      if (context.currency !== limits.maxAmount.currency) return verdict("ask", "currency_mismatch");
      if (context.amountHundredths > limits.maxAmount.hundredths) return verdict("ask", "amount_over_limit");
    }
    if (limits.channels && (context.channel === undefined || !(limits.channels as readonly string[]).includes(context.channel))) {
      return verdict("ask", "channel_not_allowed");
    }
  }
  return verdict("allow", own ? "preference_allow" : "default_allow");
}
