/**
 * The "My interactions" page's server side, shared by the portal and the embed: the timeline in
 * the customer's language and time zone (formatted here, SPEC §8), and "contest this action"
 * (SPEC §11.5).
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect } from "react-router";
import { z } from "zod";
import { contestBreach } from "~/domain/breaches.server";
import { findCustomerConcern } from "~/domain/concerns/index.server";
import type { Confirmation } from "~/domain/confirmations.server";
import type { Customer } from "~/domain/customers.server";
import { getPreferences, listChoices } from "~/domain/preferences.server";
import { customerTimeline } from "~/domain/timeline.server";
import { AI_FIRST_CONTACT, TRAINING_KEY } from "~/domain/vocabulary";
import type { Db } from "~/utils/db.server";
import { dateFor, formatMoney } from "~/utils/format.server";
import { readForm } from "~/utils/forms.server";
import { normaliseConcernRef } from "~/utils/tokens.server";

/** A time and its display text in the customer's language and time zone, ready for <time>. */
export interface ShownTime {
  iso: string;
  text: string;
}

/**
 * A request's state as its story is told: an approval the AI let run out unused is
 * "approvedExpired" (nothing was done), and an expired request keeps the customer's own answer.
 */
function shownStatus(c: Confirmation, now: number) {
  const answer = c.answer && c.answer.answer !== "expired" ? c.answer.answer : null;
  if ((c.status === "approved" && now >= c.expiresAt) || (c.status === "expired" && answer === "approved")) return "approvedExpired" as const;
  if (c.status === "expired" && answer === "declined") return "declined" as const;
  return c.status;
}

export const QuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  focus: z.string().max(200).optional().catch(undefined),
  contested: z.string().max(40).optional().catch(undefined),
  already: z.literal("1").optional().catch(undefined),
});

/** One form: "contest this action" for one breach of the customer's timeline. */
export const ContestSchema = z.object({
  intent: z.literal("contest"),
  breach: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  /** The interaction's ref: the page to come back to. */
  focus: z.string().max(200).optional(),
});

/**
 * The page's data: the timeline page (`customerTimeline`) with every time formatted in the
 * customer's language and time zone, money in the page's language, labels resolved; and the
 * flash of a contest just filed (only for the customer's own concern).
 */
export async function timelinePageData(
  db: Db,
  customer: Customer,
  lang: string,
  query: z.infer<typeof QuerySchema>,
  options: { gpc: boolean; page: number },
) {
  const now = Date.now();
  const time = (ms: number, style?: "date" | "dateTime") => dateFor(ms, lang, style, customer.timeZone);
  const timeline = await customerTimeline(db, customer.id, lang, options.page, now);
  const actionLabels = Object.fromEntries((await listChoices(db, lang)).map((c) => [c.key, c.label]));
  const actionLabel = (key: string | null) => (key ? (actionLabels[key] ?? key) : null);
  // Eligibility is stored as it was at each interaction's time (SPEC §11.4); today's choice only
  // tells whether an eligible one may still be used from now on.
  const trainingAllowedNow =
    (await getPreferences(db, customer.id, { gpc: options.gpc })).find((p) => p.key === TRAINING_KEY)?.value === "yes";
  const contestedRef = query.contested ? normaliseConcernRef(query.contested) : null;
  const contested = contestedRef && (await findCustomerConcern(db, customer.id, contestedRef)) ? contestedRef : null;

  const items = timeline.items.map((item) => {
    const checks = item.checks.map((c) => ({
      kind: "check" as const,
      key: `check-${c.id}`,
      ms: c.createdAt,
      at: time(c.createdAt),
      decision: c.decision,
      reason: c.reason,
      /** Null for the pseudo-action "AI answers before a person" (SPEC §11.3), which is no choice of its own. */
      actionLabel: c.actionKey === AI_FIRST_CONTACT ? null : actionLabel(c.actionKey)!,
      amount: c.amountHundredths !== null && c.currency ? formatMoney(c.amountHundredths, c.currency, lang) : null,
      limitAmount: c.limits?.maxAmount ? formatMoney(c.limits.maxAmount.hundredths, c.limits.maxAmount.currency, lang) : null,
      channel: c.channel,
      allowedChannels: c.limits?.channels ?? null,
      allowedForDays: c.limits?.allowedForDays ?? null,
      retryAfter: c.retryAfter !== null ? time(c.retryAfter) : null,
    }));
    const confirmations = item.confirmations.map((c) => {
      const summaryLang = c.summary[lang] !== undefined ? lang : (Object.keys(c.summary)[0] ?? lang);
      return {
        kind: "confirmation" as const,
        key: `confirmation-${c.id}`,
        ms: c.createdAt,
        id: c.id,
        status: shownStatus(c, now),
        actionLabel: actionLabel(c.actionKey)!,
        summary: c.summary[summaryLang] ?? "",
        summaryLang,
        amount: c.amountHundredths !== null && c.currency ? formatMoney(c.amountHundredths, c.currency, lang) : null,
        askedAt: time(c.createdAt),
        answeredAt: c.answer && c.answer.answer !== "expired" ? time(c.answer.createdAt) : null,
        expiresAt: time(c.expiresAt),
        usedAt: c.usedAt !== null ? time(c.usedAt) : null,
      };
    });
    const ai = item.ai.map((a, index) => ({
      kind: "ai" as const,
      key: `ai-${a.id}-${index}`,
      ms: item.occurredAt,
      systemSlug: a.systemSlug,
      systemName: a.systemName,
      role: a.role,
      actionLabel: actionLabel(a.actionKey),
      actionDetail: a.actionDetail,
      humanReviewed: a.humanReviewed,
      trainingEligible: a.trainingEligible,
      trainingStoppedSince: a.trainingEligible && !trainingAllowedNow,
      breach: a.breach
        ? { id: a.breach.id, reason: a.breach.reason, detectedAt: time(a.breach.detectedAt), contestRef: a.breach.contestConcernRef }
        : null,
    }));
    const training = item.trainingUses.map((u, index) => ({
      kind: "training" as const,
      key: `training-${index}`,
      ms: u.usedAt,
      dataset: u.dataset,
      usedOn: time(u.usedAt, "date"),
    }));
    // In time order; at the same moment, what came first in the exchange first.
    const events = [...checks, ...confirmations, ...ai, ...training]
      .map((event, order) => ({ event, order }))
      .sort((a, b) => a.event.ms - b.event.ms || a.order - b.order)
      .map(({ event }) => {
        const { ms: _ms, ...shown } = event;
        return shown;
      });
    return {
      id: item.id,
      ref: item.ref,
      channel: item.channel,
      subject: item.subject,
      occurredAt: time(item.occurredAt),
      hasAi: item.ai.length > 0,
      usedForTrainingButStopped: item.trainingUses.length > 0 && !trainingAllowedNow,
      events,
    };
  });
  return {
    items,
    page: timeline.page,
    pageCount: timeline.pageCount,
    contested: contested ? { ref: contested, already: query.already === "1" } : null,
  };
}

/**
 * "Contest this action" (SPEC §11.5): files the customer's concern about a breach of their own
 * timeline (once; a second POST finds the first) and comes back to the timeline with the concern's
 * reference. A breach that is unknown or another customer's is a 404, like any page not theirs.
 */
export async function handleContest(request: Request, db: Db, customer: Customer, lang: string): Promise<Response> {
  const submission = parseWithZod(await readForm(request), { schema: ContestSchema });
  if (submission.status !== "success") throw data(null, { status: 400 });
  const result = await contestBreach(db, { customerId: customer.id, breachId: submission.value.breach, lang });
  if (result.status === "not_found") throw data(null, { status: 404 });
  const back = new URLSearchParams({ contested: result.ref });
  if (result.status === "already_contested") back.set("already", "1");
  if (submission.value.focus) back.set("focus", submission.value.focus);
  return redirect(`/${lang}/me/interactions?${back.toString()}#contested`, 303);
}
