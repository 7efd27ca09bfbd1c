/**
 * One Zod schema per endpoint of the integration API (SPEC §5.1). The same schemas validate
 * requests, give the handlers their types and generate the OpenAPI document (openapi.ts).
 */
import { z } from "zod";
import {
  AI_ROLES,
  CHOICE_VALUES,
  type ChoiceKind,
  BREACH_REASONS,
  CHANNELS,
  CONCERN_KINDS,
  CONCERN_STATUSES,
  CONFIRMATION_MINUTES_DEFAULT,
  CONFIRMATION_MINUTES_MAX,
  CONFIRMATION_STATUSES,
  CONFIRMATION_SUMMARY_MAX,
  CURRENCY_PATTERN,
  DATASET_NAME_MAX,
  DECISION_REASONS,
  LIMIT_MAX_AMOUNT_HUNDREDTHS,
  LOCAL_TIME_PATTERN,
  TRAINING_REFUSALS,
} from "../domain/vocabulary";
import { LANGUAGES } from "../utils/languages";

/** Bodies larger than this are refused before they are read. */
export const MAX_API_BODY_BYTES = 64 * 1024;

/**
 * No whitespace at either end and no control characters: ids and short texts are taken as sent
 * (never trimmed), so what the document's `pattern` allows is exactly what the server stores.
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const NO_EDGE_SPACE_NO_CONTROL = /^[^\s\x00-\x1F\x7F-\x9F](?:[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F])?$/u;

/** Any text without U+0000 (NUL), which PostgreSQL can neither store nor compare in text. */
// eslint-disable-next-line no-control-regex -- refusing NUL is the point
export const NO_NUL = /^[^\x00]*$/u;

/**
 * `value`'s length in code points — or, when that cannot be outside [min, max] (a UTF-16 length
 * of n holds between n/2 and n code points), its UTF-16 length, counted without an allocation
 * (ids are checked on every call of the agents' hot path).
 */
function codePoints(value: string, min: number, max: number): number {
  if (value.length <= max && value.length >= 2 * min) return value.length;
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/**
 * A string checked exactly as its OpenAPI document states it: length in Unicode code points
 * (JSON Schema's minLength/maxLength, not UTF-16 units) and one `pattern` (an ECMA-262 regex,
 * matched with the `u` flag; default `NO_NUL`). The same numbers and regex produce the document
 * (openapi.ts) and the check, so the two cannot disagree.
 */
export function text(options: { min?: number; max: number; pattern?: RegExp }) {
  const { min = 0, max, pattern = NO_NUL } = options;
  return z
    .string()
    .superRefine((value, ctx) => {
      const length = codePoints(value, min, max);
      if (length < min) ctx.addIssue({ code: "too_small", origin: "string", minimum: min, inclusive: true, input: value, message: `At least ${min} character(s).` });
      if (length > max) ctx.addIssue({ code: "too_big", origin: "string", maximum: max, inclusive: true, input: value, message: `At most ${max} characters.` });
      if (pattern && length >= min && !pattern.test(value)) {
        ctx.addIssue({ code: "invalid_format", format: "regex", pattern: pattern.source, input: value, message: `Must match ${pattern.source}.` });
      }
    })
    .meta({ ...(min > 0 ? { minLength: min } : {}), maxLength: max, ...(pattern ? { pattern: pattern.source } : {}) });
}

const id = (max: number) => text({ min: 1, max, pattern: NO_EDGE_SPACE_NO_CONTROL });
const isoDate = z.iso.datetime({ offset: true }).meta({ description: "RFC 3339 date-time" });

export const CustomerId = id(200).meta({ description: "The company's own customer id (opaque to Candor)", example: "demo-customer-1" });
export const ConcernRef = z.string().regex(/^C-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/).meta({ example: "C-7K3F-9Q2M" });

// ── Problems (RFC 9457) ─────────────────────────────────────────────────────
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    issues: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "An RFC 9457 problem document (application/problem+json)" });

// ── POST /links ─────────────────────────────────────────────────────────────
export const LinkCreateRequest = z
  .object({
    customerId: CustomerId,
    locale: z.enum(LANGUAGES).optional(),
    interactionRef: id(100).optional(),
    expiresInDays: z.number().int().min(1).max(90).optional(),
  })
  .meta({ id: "LinkCreateRequest" });
export const LinkCreateResponse = z.object({ url: z.url(), expiresAt: isoDate }).meta({ id: "LinkCreateResponse" });

// ── PUT/DELETE /customers/:id ───────────────────────────────────────────────
/** An IANA time zone this server knows (its canonical names, as Intl lists them, and UTC). */
export const TimeZone = z.enum(["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")]).meta({ example: "Europe/Paris" });
export const CustomerPutRequest = z
  .object({
    email: text({ max: 320, pattern: z.regexes.email }).meta({ format: "email" }).nullable().optional(),
    locale: z.enum(LANGUAGES).optional(),
    timeZone: TimeZone.nullable().optional().meta({ description: "For quiet hours; null: the company's time zone" }),
  })
  .meta({ id: "CustomerPutRequest" });
export const CustomerResponse = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    locale: z.string(),
    timeZone: z.string().nullable(),
    preferenceVersion: z.number().int(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: "Customer" });
export const CustomerErasedResponse = z
  .object({ id: z.string(), erasedAt: isoDate, concerns: z.number().int(), interactions: z.number().int() })
  .meta({ id: "CustomerErased" });

// ── GET /customers/:id/preferences ──────────────────────────────────────────
export const PreferencesResponse = z
  .object({
    customerId: z.string(),
    preferenceVersion: z.number().int(),
    choices: z.array(
      z.object({
        key: z.string(),
        kind: z.enum(Object.keys(CHOICE_VALUES) as [ChoiceKind, ...ChoiceKind[]]),
        value: z.string(),
        isDefault: z.boolean(),
        noticeVersion: z.number().int(),
        needsReconfirmation: z.boolean(),
        method: z.string().nullable(),
        updatedAt: isoDate.nullable(),
        limits: z.lazy(() => Limits).nullable().optional().meta({ description: "Limits on an allowed action kind (SPEC §11.2); absent or null: none" }),
      }),
    ),
  })
  .meta({ id: "Preferences" });

// ── Amounts and limits ──────────────────────────────────────────────────────
/**
 * An amount in the currency's major unit with at most two decimals (20, 19.99). The domain keeps
 * hundredths (`toHundredths`), so comparisons are exact integers.
 */
export const Amount = z
  .number()
  .min(0)
  .max(LIMIT_MAX_AMOUNT_HUNDREDTHS / 100)
  .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, { message: "At most two decimals." })
  .meta({ multipleOf: 0.01, example: 20 });
/** Amount (major unit) → hundredths, exact for what `Amount` accepts. */
export const toHundredths = (amount: number) => Math.round(amount * 100);
export const fromHundredths = (hundredths: number) => hundredths / 100;
export const Currency = z.string().regex(CURRENCY_PATTERN).meta({ description: "ISO 4217 code", example: "EUR" });
const LocalTime = z.string().regex(LOCAL_TIME_PATTERN).meta({ description: "Local time HH:MM in the customer's time zone", example: "22:00" });

export const Limits = z
  .object({
    maxAmount: z.object({ amount: Amount, currency: Currency }).optional(),
    channels: z.array(z.enum(CHANNELS)).min(1).optional(),
    quietHours: z.object({ from: LocalTime, to: LocalTime, timeZone: z.string().meta({ description: "IANA time zone the hours are in", example: "Europe/Paris" }) }).optional(),
    allowedForDays: z.number().int().min(1).optional().meta({ description: "After this many days an allowed action falls back to ask" }),
    allowedUntil: isoDate.optional().meta({ description: "When allowedForDays ends for the current value" }),
  })
  .meta({ id: "Limits" });

// ── POST /decisions ─────────────────────────────────────────────────────────
export const DecisionContext = z
  .object({
    amount: Amount.optional().meta({ description: "The amount of the action, in `currency`" }),
    currency: Currency.optional(),
    channel: z.enum(CHANNELS).optional().meta({ description: "The channel the AI acts or makes contact through" }),
    at: isoDate.optional().meta({ description: "When the action would happen (default: now); quiet hours are checked at this time" }),
  })
  .refine((c) => c.amount === undefined || c.currency !== undefined, { message: "An amount needs its currency.", path: ["currency"] })
  .meta({ id: "DecisionContext" });
export const Identity = z
  .object({
    verified: z.boolean().meta({ description: "Whether the agent verified who it is talking to (or acting for)" }),
    method: id(100).optional().meta({ example: "one_time_code" }),
  })
  .meta({ id: "Identity" });
export const DecisionRequest = z
  .object({
    customerId: CustomerId,
    action: id(100).meta({ description: "An action kind (choice key), or ai_first_contact (an AI answering before a person)", example: "plan-changes" }),
    aiSystem: id(100).meta({ description: "The AI system's slug in the register", example: "offer-predictor" }),
    interactionRef: id(100).optional(),
    confirmationId: z.uuid().optional().meta({ description: "An approved confirmation (POST /confirmations) this action spends: allow once" }),
    context: DecisionContext.optional(),
    identity: Identity.optional().meta({ description: "Absent = not verified" }),
  })
  .meta({ id: "DecisionRequest" });
export const DecisionResponse = z
  .object({
    decision: z.enum(["allow", "ask", "deny"]),
    reason: z.enum(DECISION_REASONS).meta({ example: "preference_allow" }),
    decisionId: z.uuid(),
    preferenceVersion: z.number().int(),
    retryAfter: isoDate.optional().meta({ description: "With reason quiet_hours: when the quiet hours end" }),
  })
  .meta({ id: "Decision" });

// ── POST/GET /confirmations ─────────────────────────────────────────────────
const SummaryText = text({ min: 1, max: CONFIRMATION_SUMMARY_MAX, pattern: NO_EDGE_SPACE_NO_CONTROL });
export const ConfirmationSummary = z
  .record(z.string().regex(/^[a-z]{2}$/).meta({ description: "Language code" }), SummaryText)
  .refine((summary) => Object.keys(summary).length >= 1 && Object.keys(summary).length <= 30, { message: "One to 30 languages." })
  .meta({ description: "What the agent wants to do, in plain language, per language (shown as text, never HTML)", example: { en: "Move you to the Unlimited 20 plan for 20 EUR a month" } });
export const ConfirmationDetails = z
  .object({
    amount: Amount.optional(),
    currency: Currency.optional(),
    channel: z.enum(CHANNELS).optional(),
    effectiveAt: isoDate.optional(),
  })
  .refine((d) => d.amount === undefined || d.currency !== undefined, { message: "An amount needs its currency.", path: ["currency"] })
  .meta({ id: "ConfirmationDetails" });
export const ConfirmationCreateRequest = z
  .object({
    customerId: CustomerId,
    action: id(100).meta({ example: "plan-changes" }),
    aiSystem: id(100).meta({ example: "offer-predictor" }),
    interactionRef: id(100).optional(),
    summary: ConfirmationSummary,
    details: ConfirmationDetails.optional(),
    expiresInMinutes: z.number().int().min(1).max(CONFIRMATION_MINUTES_MAX).default(CONFIRMATION_MINUTES_DEFAULT),
  })
  .meta({ id: "ConfirmationCreateRequest" });
export const ConfirmationId = z.uuid();
export const ConfirmationResponse = z
  .object({
    confirmationId: z.uuid(),
    status: z.enum(CONFIRMATION_STATUSES),
    customerId: z.string(),
    action: z.string(),
    aiSystem: z.string(),
    interactionRef: z.string().nullable(),
    summary: z.record(z.string(), z.string()),
    details: z.object({ amount: Amount.optional(), currency: Currency.optional(), channel: z.enum(CHANNELS).optional(), effectiveAt: isoDate.optional() }),
    createdAt: isoDate,
    expiresAt: isoDate,
    answeredAt: isoDate.nullable().meta({ description: "When the customer answered (or the request expired unanswered)" }),
    answerMethod: z.enum(["portal", "embed", "system"]).nullable(),
    usedAt: isoDate.nullable().meta({ description: "When a decision spent the approval" }),
    usedByDecisionId: z.uuid().nullable(),
    url: z.url().meta({ description: "Where the customer answers (in the portal, after signing in)" }),
  })
  .meta({ id: "Confirmation" });

// ── POST /training-uses ─────────────────────────────────────────────────────
const InteractionKey = z.object({ source: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,49}$/), ref: id(100) });
export const TrainingUsesRequest = z
  .object({
    dataset: id(DATASET_NAME_MAX).meta({ example: "assistant-finetune-2026-11" }),
    usedAt: isoDate,
    interactions: z.array(InteractionKey).min(1).max(1000),
  })
  .meta({ id: "TrainingUsesRequest" });
export const TrainingUsesResponse = z
  .object({
    dataset: z.string(),
    usedAt: isoDate,
    accepted: z.array(z.object({ source: z.string(), ref: z.string(), created: z.boolean().meta({ description: "False when this dataset already held it" }) })),
    refused: z.array(z.object({ source: z.string(), ref: z.string(), reason: z.enum(TRAINING_REFUSALS) })),
  })
  .meta({ id: "TrainingUses" });

// ── POST /interactions ──────────────────────────────────────────────────────
export const InteractionRequest = z
  .object({
    customerId: CustomerId,
    source: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,49}$/).meta({ example: "crm" }),
    ref: id(100),
    channel: z.enum(CHANNELS),
    subject: id(300),
    occurredAt: isoDate,
    ai: z
      .array(
        z.object({
          aiSystem: id(100),
          role: z.enum(AI_ROLES),
          action: id(100).nullable().optional(),
          actionDetail: text({ max: 500 }).nullable().optional(),
          humanReviewed: z.boolean(),
          trainingEligible: z.boolean(),
          decisionId: z.uuid().nullable().optional().meta({ description: "For role acted: the decision (allow) that permitted this action (SPEC §11.5)" }),
        }),
      )
      .max(20)
      .default([]),
  })
  .meta({ id: "InteractionRequest" });
export const InteractionResponse = z
  .object({
    id: z.number().int(),
    source: z.string(),
    ref: z.string(),
    created: z.boolean(),
    breaches: z
      .array(z.object({ index: z.number().int().meta({ description: "Position in ai[]" }), reason: z.enum(BREACH_REASONS), concernRef: z.string().nullable() }))
      .meta({ description: "AI actions recorded without a valid permission (permission breaches)" }),
  })
  .meta({ id: "Interaction" });

// ── GET /concerns, GET /concerns/:ref ───────────────────────────────────────
/**
 * An integer query parameter, documented as `type: integer` with its bounds: only decimal digits
 * are read as a number (" 5", "1e1", "0x10", "5.0" are refused, as the document implies).
 */
function queryInteger(min: number, max: number) {
  return z.preprocess((v) => (typeof v === "string" && /^[0-9]+$/.test(v) ? Number(v) : v), z.number().int().min(min).max(max));
}

export const ConcernListQuery = z.object({
  status: z.enum(CONCERN_STATUSES).optional(),
  since: isoDate.optional().meta({ description: "Only concerns updated at or after this time" }),
  page: queryInteger(1, 100_000).default(1),
  pageSize: queryInteger(1, 100).default(25),
});
const ConcernSummaryShape = {
  ref: z.string(),
  kind: z.enum(CONCERN_KINDS),
  status: z.enum(CONCERN_STATUSES),
  priority: z.string(),
  customerId: z.string().nullable(),
  lang: z.string(),
  aiSystem: z.string().nullable(),
  interactionRef: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  slaDueAt: isoDate.nullable(),
  statutoryDueAt: isoDate.nullable(),
};
export const ConcernSummary = z.object(ConcernSummaryShape).meta({ id: "ConcernSummary" });
export const ConcernListResponse = z
  .object({ items: z.array(ConcernSummary), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() })
  .meta({ id: "ConcernList" });
export const ConcernDetail = z
  .object({
    ...ConcernSummaryShape,
    description: z.string(),
    desiredOutcome: z.string(),
    outcomeCode: z.string().nullable(),
    outcomeReason: z.string().nullable(),
    resolvedAt: isoDate.nullable(),
    closedAt: isoDate.nullable(),
    messages: z.array(z.object({ author: z.string(), body: z.string(), createdAt: isoDate })),
  })
  .meta({ id: "ConcernDetail" });

// ── Webhook payloads (OpenAPI `webhooks`) ──────────────────────────────────
/** The envelope of every webhook body; `data` holds flat ids and codes. */
function webhookPayload<E extends string, D extends z.ZodRawShape>(event: E, data: D, id: string) {
  return z
    .object({ id: z.string().meta({ description: "Unique per event (deduplicate on it; also in Candor-Webhook-Id)" }), event: z.literal(event), createdAt: isoDate, data: z.object(data) })
    .meta({ id });
}
export const WEBHOOK_PAYLOADS = {
  "concern.created": webhookPayload("concern.created", { ref: z.string(), status: z.string(), kind: z.enum(CONCERN_KINDS), customerId: z.string().nullable(), aiSystemId: z.number().int().nullable() }, "ConcernCreatedEvent"),
  "concern.updated": webhookPayload("concern.updated", { ref: z.string(), change: z.string(), status: z.string(), kind: z.string() }, "ConcernUpdatedEvent"),
  "preferences.changed": webhookPayload("preferences.changed", { customerId: z.string(), preferenceVersion: z.number().int(), changes: z.number().int(), method: z.string() }, "PreferencesChangedEvent"),
  "confirmation.created": webhookPayload(
    "confirmation.created",
    { confirmationId: z.uuid(), customerId: z.string(), action: z.string(), aiSystem: z.string(), expiresAt: isoDate, url: z.url() },
    "ConfirmationCreatedEvent",
  ),
  "confirmation.answered": webhookPayload(
    "confirmation.answered",
    { confirmationId: z.uuid(), customerId: z.string(), action: z.string(), aiSystem: z.string(), status: z.enum(["approved", "declined", "expired"]), answeredAt: isoDate },
    "ConfirmationAnsweredEvent",
  ),
  "breach.detected": webhookPayload(
    "breach.detected",
    {
      breachId: z.number().int(),
      customerId: z.string(),
      source: z.string(),
      ref: z.string(),
      action: z.string(),
      aiSystem: z.string(),
      decisionId: z.string().nullable(),
      reason: z.enum(BREACH_REASONS),
      concernRef: z.string().nullable(),
    },
    "BreachDetectedEvent",
  ),
} as const;

export type LinkCreateInput = z.infer<typeof LinkCreateRequest>;
export type CustomerPutInput = z.infer<typeof CustomerPutRequest>;
export type DecisionInput = z.infer<typeof DecisionRequest>;
export type ConfirmationCreateInput = z.infer<typeof ConfirmationCreateRequest>;
export type TrainingUsesInput = z.infer<typeof TrainingUsesRequest>;
export type LimitsInput = z.infer<typeof Limits>;
export type InteractionInput = z.infer<typeof InteractionRequest>;
export type ConcernListInput = z.infer<typeof ConcernListQuery>;

// ── The public register as open data (SPEC §12): GET /api/v1/ai-systems, no key ───────────────
export const OpenRegisterQuery = z.object({
  format: z.enum(["json", "csv"]).optional().meta({ description: "json (default) or csv: the same register as RFC 4180 CSV" }),
  lang: z.enum(LANGUAGES).optional().meta({ description: "The language of the texts (default en). A system not yet translated is given in English, marked fallback: true." }),
});
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).meta({ description: "A calendar date (UTC), YYYY-MM-DD" });
export const OpenRegisterEntry = z
  .object({
    slug: z.string(),
    name: z.string(),
    textLang: z.enum(LANGUAGES).meta({ description: "The language the texts are in" }),
    fallback: z.boolean().meta({ description: "True when the texts are not in the requested language (not yet translated)" }),
    status: z.enum(["active", "paused"]),
    provider: z.string(),
    riskClass: z.enum(["minimal", "limited", "high"]),
    autonomy: z.enum(["answers", "drafts", "decides", "acts"]),
    channels: z.array(z.enum(CHANNELS)),
    contactEmail: z.string(),
    lastReviewedOn: day,
    version: z.number().int().meta({ description: "The register entry's current version" }),
    actions: z.array(z.string()).meta({ description: "The action kinds it can take on a customer's account" }),
    texts: z.object({
      shortDescription: z.string(),
      riskReason: z.string(),
      purpose: z.string(),
      notFor: z.string(),
      howItWorks: z.string(),
      limitations: z.string(),
      dataOperating: z.string(),
      dataTraining: z.string(),
      legalBasis: z.string(),
      oversight: z.string(),
      risks: z.string(),
      impactAssessment: z.string(),
      retention: z.string(),
    }),
    dataSharing: z.object({
      recipients: z.array(
        z.object({
          name: z.string(),
          role: z.enum(["provider", "sub_processor"]),
          country: z.string().regex(/^[A-Z]{2}$/).meta({ description: "ISO 3166-1 alpha-2" }),
          safeguard: z.enum(["eu_eea", "adequacy", "sccs"]).meta({ description: "eu_eea: inside the EU/EEA, none needed; adequacy: GDPR Art. 45 decision; sccs: standard contractual clauses (Art. 46(2)(c))" }),
        }),
      ).meta({ description: "Who outside the company receives the data; empty for an in-house system" }),
      providerDataUse: z.enum(["no", "yes", "contractually_excluded"]).meta({ description: "May the provider use the data for its own purposes or to train its own models" }),
      providerUseClause: z.string().meta({ description: "The clause in plain words (empty when not written)" }),
    }),
    fairness: z.object({
      usesProtectedCharacteristics: z.boolean(),
      protectedCharacteristicsNote: z.string(),
      lastTest: z.object({ date: day, method: z.string(), result: z.string() }).nullable().meta({ description: "The last bias and accuracy test, or null when none is recorded" }),
    }),
    lastAudit: z.object({ date: day, result: z.string(), summary: z.string(), summaryLang: z.string() }).nullable(),
  })
  .meta({ id: "OpenRegisterEntry" });
export const OpenRegisterResponse = z
  .object({ lang: z.enum(LANGUAGES), count: z.number().int(), items: z.array(OpenRegisterEntry) })
  .meta({ id: "OpenRegister" });
