/**
 * The integration API's answers and inputs as the domain takes and gives them, converted: instants
 * ms ⇄ ISO 8601, amounts hundredths ⇄ major units, in the shapes of app/api/schemas.ts (key order
 * as the schemas list them). Pure functions, no I/O.
 */
import type { z } from "zod";
import type { ApiConcern } from "../domain/api-requests.server";
import type { Confirmation } from "../domain/confirmations.server";
import type { PreferenceSnapshot } from "../domain/decisions.server";
import type { DecisionContext } from "../domain/vocabulary";
import * as s from "./schemas";

/** An instant (ms since epoch, UTC) as ISO 8601. */
export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** The request's context and identity as the domain takes them (amounts in hundredths, times in ms), or undefined when neither was sent. */
export function decisionContext(input: s.DecisionInput): DecisionContext | undefined {
  const { context, identity } = input;
  if (!context && !identity) return undefined;
  return {
    ...(context?.amount !== undefined ? { amountHundredths: s.toHundredths(context.amount) } : {}),
    ...(context?.currency !== undefined ? { currency: context.currency } : {}),
    ...(context?.channel !== undefined ? { channel: context.channel } : {}),
    ...(context?.at !== undefined ? { at: Date.parse(context.at) } : {}),
    ...(identity ? { identity: { verified: identity.verified, ...(identity.method !== undefined ? { method: identity.method } : {}) } } : {}),
  };
}

type PreferencesResponse = z.infer<typeof s.PreferencesResponse>;

/** Stored limits as the API states them (the Limits schema): major units, ISO `allowedUntil`. */
function apiLimits(limits: NonNullable<PreferenceSnapshot["choices"][number]["limits"]>): NonNullable<PreferencesResponse["choices"][number]["limits"]> {
  return {
    ...(limits.maxAmount ? { maxAmount: { amount: s.fromHundredths(limits.maxAmount.hundredths), currency: limits.maxAmount.currency } } : {}),
    ...(limits.channels ? { channels: limits.channels } : {}),
    ...(limits.quietHours ? { quietHours: limits.quietHours } : {}),
    ...(limits.allowedForDays !== undefined ? { allowedForDays: limits.allowedForDays } : {}),
    ...(limits.allowedUntil !== undefined ? { allowedUntil: iso(limits.allowedUntil) } : {}),
  };
}

/**
 * The snapshot as GET /api/v1/customers/:id/preferences states it (the PreferencesResponse
 * schema). One pass with literal objects (the hot path: no spreads per choice).
 */
export function preferencesBody(snapshot: PreferenceSnapshot): PreferencesResponse {
  const choices: PreferencesResponse["choices"] = new Array(snapshot.choices.length);
  for (let i = 0; i < choices.length; i++) {
    const choice = snapshot.choices[i]!;
    choices[i] = {
      key: choice.key,
      kind: choice.kind,
      value: choice.value,
      isDefault: choice.isDefault,
      noticeVersion: choice.noticeVersion,
      needsReconfirmation: choice.needsReconfirmation,
      method: choice.method,
      updatedAt: choice.updatedAt === null ? null : iso(choice.updatedAt),
      limits: choice.limits === null ? null : apiLimits(choice.limits),
    };
  }
  return { customerId: snapshot.customerId, preferenceVersion: snapshot.preferenceVersion, choices };
}

/** A confirmation request as the API states it (ConfirmationResponse, SPEC §11.1); `url`: the customer's page for it. */
export function confirmationBody(c: Confirmation, url: string): z.infer<typeof s.ConfirmationResponse> {
  return {
    confirmationId: c.id,
    status: c.status,
    customerId: c.customerId,
    action: c.actionKey,
    aiSystem: c.aiSystemSlug,
    interactionRef: c.interactionRef,
    summary: c.summary,
    details: {
      ...(c.amountHundredths !== null ? { amount: s.fromHundredths(c.amountHundredths) } : {}),
      ...(c.currency !== null ? { currency: c.currency } : {}),
      ...(c.channel !== null ? { channel: c.channel as z.infer<typeof s.ConfirmationDetails>["channel"] } : {}),
      ...(c.effectiveAt !== null ? { effectiveAt: iso(c.effectiveAt) } : {}),
    },
    createdAt: iso(c.createdAt),
    expiresAt: iso(c.expiresAt),
    answeredAt: c.answer ? iso(c.answer.createdAt) : null,
    answerMethod: c.answer?.method ?? null,
    usedAt: isoOrNull(c.usedAt),
    usedByDecisionId: c.usedByDecisionId,
    url,
  };
}

/** A concern as GET /api/v1/concerns lists it (the summary; GET /concerns/:ref adds its text and messages). */
export function concernSummary(c: ApiConcern) {
  return {
    ref: c.ref,
    kind: c.kind,
    status: c.status,
    priority: c.priority,
    customerId: c.customerId,
    lang: c.lang,
    aiSystem: c.aiSystem,
    interactionRef: c.interactionRef,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    slaDueAt: isoOrNull(c.slaDueAt),
    statutoryDueAt: isoOrNull(c.statutoryDueAt),
  };
}
