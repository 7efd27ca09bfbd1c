/**
 * One Zod schema per endpoint of the integration API (SPEC §5.1). The same schemas validate
 * requests, give the handlers their types and generate the OpenAPI document (openapi.ts).
 */
import { z } from "zod";
import { AI_ROLES, CHANNELS, CONCERN_KINDS, CONCERN_STATUSES } from "../domain/vocabulary";
import { LANGUAGES } from "../utils/languages";

/** Bodies larger than this are refused before they are read. */
export const MAX_API_BODY_BYTES = 64 * 1024;

const id = (max: number) => z.string().trim().min(1).max(max);
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
export const CustomerPutRequest = z
  .object({ email: z.email().max(320).nullable().optional(), locale: z.enum(LANGUAGES).optional() })
  .meta({ id: "CustomerPutRequest" });
export const CustomerResponse = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    locale: z.string(),
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
        kind: z.enum(["action", "training", "human_first"]),
        value: z.string(),
        isDefault: z.boolean(),
        noticeVersion: z.number().int(),
        needsReconfirmation: z.boolean(),
        method: z.string().nullable(),
        updatedAt: isoDate.nullable(),
      }),
    ),
  })
  .meta({ id: "Preferences" });

// ── POST /decisions ─────────────────────────────────────────────────────────
export const DecisionRequest = z
  .object({
    customerId: CustomerId,
    action: id(100).meta({ description: "An action kind (choice key)", example: "plan-changes" }),
    aiSystem: id(100).meta({ description: "The AI system's slug in the register", example: "offer-predictor" }),
    interactionRef: id(100).optional(),
  })
  .meta({ id: "DecisionRequest" });
export const DecisionResponse = z
  .object({
    decision: z.enum(["allow", "ask", "deny"]),
    reason: z.string().meta({ example: "preference_allow" }),
    decisionId: z.uuid(),
    preferenceVersion: z.number().int(),
  })
  .meta({ id: "Decision" });

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
          actionDetail: z.string().max(500).nullable().optional(),
          humanReviewed: z.boolean(),
          trainingEligible: z.boolean(),
        }),
      )
      .max(20)
      .default([]),
  })
  .meta({ id: "InteractionRequest" });
export const InteractionResponse = z
  .object({ id: z.number().int(), source: z.string(), ref: z.string(), created: z.boolean() })
  .meta({ id: "Interaction" });

// ── GET /concerns, GET /concerns/:ref ───────────────────────────────────────
export const ConcernListQuery = z.object({
  status: z.enum(CONCERN_STATUSES).optional(),
  since: isoDate.optional().meta({ description: "Only concerns updated at or after this time" }),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
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

export type LinkCreateInput = z.infer<typeof LinkCreateRequest>;
export type CustomerPutInput = z.infer<typeof CustomerPutRequest>;
export type DecisionInput = z.infer<typeof DecisionRequest>;
export type InteractionInput = z.infer<typeof InteractionRequest>;
export type ConcernListInput = z.infer<typeof ConcernListQuery>;
