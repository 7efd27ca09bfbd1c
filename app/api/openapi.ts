/** The OpenAPI 3.1 document of the integration API, generated from the endpoint schemas. */
import { OpenApiGeneratorV31, OpenAPIRegistry, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { API_SCOPES } from "../domain/api-keys.server";
import * as s from "./schemas";

type Method = RouteConfig["method"];
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: s.Problem } } });
const json = (description: string, schema: z.ZodType) => ({ description, content: { "application/json": { schema } } });
const body = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema } } });

/** Every operation: method, path, scope, request and responses. The router uses the same list. */
function operations(registry: OpenAPIRegistry) {
  const common = {
    "401": problem("No API key, or an unknown or revoked one"),
    "403": problem("The key lacks the scope this endpoint needs"),
    "429": problem("Too many calls for this key"),
  };
  const writes = { "400": problem("Invalid input (issues lists each problem)"), "413": problem("Body larger than 64 KB"), "415": problem("Body is not JSON") };
  const customerParam = z.object({ id: s.CustomerId });
  const add = (method: Method, path: string, scope: string, config: Omit<RouteConfig, "method" | "path">) =>
    registry.registerPath({ method, path, security: [{ bearer: [scope] }], tags: [scope], ...config });

  add("post", "/api/v1/links", "links", {
    summary: "Mint a personal link for a customer",
    request: { body: body(s.LinkCreateRequest) },
    responses: { "201": json("The link (shown once)", s.LinkCreateResponse), "404": problem("Unknown customer"), ...writes, ...common },
  });
  add("put", "/api/v1/customers/{id}", "customers", {
    summary: "Create or update a customer",
    request: { params: customerParam, body: body(s.CustomerPutRequest) },
    responses: {
      "200": json("Updated", s.CustomerResponse),
      "201": json("Created", s.CustomerResponse),
      "409": problem("The customer was erased; the id cannot be reused"),
      ...writes,
      ...common,
    },
  });
  add("delete", "/api/v1/customers/{id}", "customers", {
    summary: "Erase a customer (GDPR Art. 17): personal data removed, a tombstone kept",
    request: { params: customerParam },
    responses: { "200": json("Erased", s.CustomerErasedResponse), "404": problem("Unknown or already erased customer"), "400": problem("Invalid id"), ...common },
  });
  add("get", "/api/v1/customers/{id}/preferences", "decisions", {
    summary: "The customer's current choices with their version",
    request: { params: customerParam },
    responses: {
      "200": json("Current choices", s.PreferencesResponse),
      "400": problem("Invalid id"),
      "404": problem("Unknown customer"),
      "503": problem("Storage unavailable: do not act"),
      ...common,
    },
  });
  add("post", "/api/v1/decisions", "decisions", {
    summary: "May this AI system take this action for this customer? (recorded)",
    description:
      "Fails closed: an unknown customer, action or AI system is a deny with a reason; a storage error is a 503 — do not act. " +
      "Limits the customer set (maximum amount, channels, expiry) turn an allow into an ask naming the limit; quiet hours deny with retryAfter; " +
      "an unverified identity is denied when the customer asked for verification; ai_first_contact is denied when the customer asked for a human first. " +
      "An approved confirmation (confirmationId) allows once (confirmed_by_customer); a used, declined, expired, pending or mismatched one denies.",
    request: { body: body(s.DecisionRequest) },
    responses: { "200": json("The decision", s.DecisionResponse), "503": problem("Storage unavailable: do not act"), ...writes, ...common },
  });
  add("post", "/api/v1/interactions", "interactions", {
    summary: "Record an interaction and its AI involvement (idempotent on source + ref)",
    request: { body: body(s.InteractionRequest) },
    responses: {
      "200": json("Already recorded with the same content (replay): the stored record", s.InteractionResponse),
      "201": json("Recorded", s.InteractionResponse),
      "404": problem("Unknown customer"),
      "409": problem("This source + ref was recorded with different content (issues names each differing field); nothing was changed"),
      ...writes,
      ...common,
    },
  });
  add("post", "/api/v1/confirmations", "decisions", {
    summary: "Ask the customer first: a confirmation request (SPEC §11.1)",
    description:
      "The customer is told at once (an email with a link to the request, if they have an address on record, and the confirmation.created webhook) and answers in the portal. " +
      "Learn the answer from GET /confirmations/{id} or the confirmation.answered webhook, then present the id as confirmationId in POST /decisions (single use). " +
      "A request nobody answers expires as declined.",
    request: { body: body(s.ConfirmationCreateRequest) },
    responses: {
      "201": json("The pending request", s.ConfirmationResponse),
      "404": problem("Unknown customer"),
      "409": problem("Do not ask: the customer's choices forbid this action, or too many requests are waiting"),
      ...writes,
      ...common,
    },
  });
  add("get", "/api/v1/confirmations/{id}", "decisions", {
    summary: "A confirmation request and its answer",
    request: { params: z.object({ id: s.ConfirmationId }) },
    responses: { "200": json("The request", s.ConfirmationResponse), "400": problem("Invalid id"), "404": problem("Unknown confirmation"), ...common },
  });
  add("post", "/api/v1/training-uses", "training", {
    summary: "Record that interactions went into a training or evaluation dataset (SPEC §11.4)",
    description: "Each interaction is accepted or refused with a reason: not eligible at its time, or its customer has opted out since (an opt-out stops all future use). Idempotent per interaction and dataset.",
    request: { body: body(s.TrainingUsesRequest) },
    responses: { "200": json("Accepted and refused interactions", s.TrainingUsesResponse), ...writes, ...common },
  });
  // Open data (SPEC §12): no key (security: []), readable from any origin.
  const openData = {
    "400": problem("Unknown language or format"),
    "429": problem("Too many calls from this address (Retry-After)"),
  };
  const openHeaders = {
    "Access-Control-Allow-Origin": { description: "*", schema: { type: "string" as const } },
    ETag: { description: "Send it back as If-None-Match: 304 while the register is unchanged", schema: { type: "string" as const } },
    "Cache-Control": { description: "public, max-age=300", schema: { type: "string" as const } },
  };
  registry.registerPath({
    method: "get",
    path: "/api/v1/ai-systems",
    security: [],
    tags: ["open data"],
    summary: "The public AI register as open data (no API key)",
    description:
      "Every AI system that is not retired, with all its public texts in one language, who receives the data, the provider's own use, protected characteristics and the last bias and accuracy test. " +
      "With format=csv the same register as RFC 4180 CSV (text/csv, UTF-8 with a byte order mark), one row per system with the JSON fields flattened: " +
      "slug, name, textLang, fallback, status, provider, riskClass, autonomy, channels, contactEmail, lastReviewedOn, version, actions, the texts, " +
      "recipients (\"name (role, country, safeguard)\" joined with \"; \"), providerDataUse, providerUseClause, usesProtectedCharacteristics, protectedCharacteristicsNote, " +
      "lastBiasTestOn, biasTestMethod, biasTestResult, lastAuditOn, lastAuditResult, lastAuditSummary; a cell starting with = + - @ or a tab is prefixed with ' (no spreadsheet formulas). " +
      "Any origin may read it (CORS *); answers carry an ETag (If-None-Match → 304) and may be cached five minutes.",
    request: { query: s.OpenRegisterQuery },
    responses: {
      "200": {
        description: "The register (JSON, or CSV with format=csv)",
        headers: openHeaders,
        content: { "application/json": { schema: s.OpenRegisterResponse }, "text/csv": { schema: z.string() } },
      },
      ...openData,
    },
  });
  add("get", "/api/v1/concerns", "concerns", {
    summary: "Concerns, most recently updated last (paginated)",
    request: { query: s.ConcernListQuery },
    responses: { "200": json("A page of concerns", s.ConcernListResponse), "400": problem("Invalid filter"), ...common },
  });
  add("get", "/api/v1/concerns/{ref}", "concerns", {
    summary: "One concern with its public conversation",
    request: { params: z.object({ ref: s.ConcernRef }) },
    responses: { "200": json("The concern", s.ConcernDetail), "400": problem("Invalid reference"), "404": problem("Unknown concern"), ...common },
  });
}

/** Every webhook event (OpenAPI 3.1 `webhooks`): the POST Candor sends, signed as the description says. */
function webhooks(registry: OpenAPIRegistry) {
  const descriptions: Record<keyof typeof s.WEBHOOK_PAYLOADS, string> = {
    "concern.created": "A concern was filed (by a customer, a visitor or for a permission breach).",
    "concern.updated": "A concern changed (status, assignment, reply, outcome).",
    "preferences.changed": "A customer changed their choices.",
    "confirmation.created": "An agent asked the customer first: show the request in your own channel too (its url opens it in the portal).",
    "confirmation.answered": "The customer approved or declined a request, or it expired unanswered (a decline).",
    "breach.detected": "An AI action was recorded without a valid permission (SPEC §11.5); a staff case was opened.",
  };
  for (const [event, payload] of Object.entries(s.WEBHOOK_PAYLOADS) as [keyof typeof s.WEBHOOK_PAYLOADS, z.ZodType][]) {
    registry.registerWebhook({
      method: "post",
      path: event,
      summary: descriptions[event],
      description:
        "Headers: Candor-Webhook-Id (deduplicate on it), Candor-Webhook-Timestamp (unix seconds), Candor-Webhook-Signature: v1=<hex HMAC-SHA256(secret, \"<timestamp>.<body>\")>. " +
        "Answer 2xx within 10 s; anything else is retried with backoff (6 attempts).",
      request: { body: body(payload) },
      responses: { "200": { description: "Received" } },
    });
  }
}

let cached: string | undefined;

export function openApiDocument(): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: `An API key (cnd_…). Scopes: ${API_SCOPES.join(", ")}.`,
  });
  operations(registry);
  webhooks(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: { title: "Candor integration API", version: "1.0.0", description: "SPEC §5: links, customers, decisions, confirmations, interactions, training uses, concerns; webhooks; the public AI register as open data (no key). Errors are RFC 9457 problem documents." },
    servers: [{ url: "/" }],
  }) as unknown as Record<string, unknown>;
}

/** The document as JSON text, built once. */
export function openApiJson(): string {
  cached ??= JSON.stringify(openApiDocument());
  return cached;
}
