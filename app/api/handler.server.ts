/**
 * The integration API (SPEC §5), served directly on node:http in front of Express/React Router.
 * Transport only: routing, authentication (key, scope, rate limit), bounded body reads, Zod,
 * status codes and JSON; what each endpoint decides and writes is in the domain
 * (domain/api-requests.server.ts, domain/decisions.server.ts, domain/customer-erasure.server.ts).
 * It gets the composition root's `Services` (withLeanApi) and never reaches for a global.
 *
 * The agents' hot path — POST /api/v1/decisions and GET /api/v1/customers/:id/preferences — does
 * only: key hash → in-memory cache, scope, (rate limit), bounded body read, Zod, one prepared
 * statement (+ the decision insert) of the database's engine, JSON.stringify. Storage errors there
 * answer 503 "do not act" (fail closed). Its calls are counted per key and endpoint and audited in
 * aggregate (`services.apiUsage`); every other successful call is audited with its change.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { z } from "zod";
import { findApiConcern, listApiConcerns, mintApiLink, putApiCustomer, recordApiInteraction, type ApiConcern } from "../domain/api-requests.server";
import { resolveApiKey, touchApiKey, type ApiScope, type CachedKey } from "../domain/api-keys.server";
import { confirmationUrl, createConfirmation, findConfirmation, type Confirmation } from "../domain/confirmations.server";
import { findCustomer } from "../domain/customers.server";
import { eraseCustomer } from "../domain/customer-erasure.server";
import { recordTrainingUses } from "../domain/training-uses.server";
import type { PreferenceSnapshot } from "../domain/decisions.server";
import type { DecisionContext } from "../domain/vocabulary";
import { DEFAULT_LANG } from "../utils/languages";
import { UnknownCustomerError } from "../domain/links.server";
import type { Services } from "../services.server";
import { env } from "../utils/env.server";
import { isJson, readBody, sendJson, sendProblem, zodIssues, type ProblemIssue } from "./http.server";
import { openApiJson } from "./openapi";
import * as s from "./schemas";

export const API_PREFIX = "/api/v1";

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

class HttpProblem extends Error {
  constructor(
    readonly code: "not_found" | "conflict" | "validation",
    readonly detail: string,
    readonly issues?: ProblemIssue[],
  ) {
    super(detail);
  }
}

// ── Authentication, scopes, limits ───────────────────────────────────────────

async function authenticate(req: IncomingMessage, res: ServerResponse, services: Services, scope: ApiScope): Promise<CachedKey | undefined> {
  const header = req.headers.authorization;
  const presented = header && header.length > 7 && header.slice(0, 7).toLowerCase() === "bearer " ? header.slice(7).trim() : "";
  const key = presented ? await resolveApiKey(services.db, services.apiKeys, presented) : undefined;
  if (!key) {
    sendProblem(res, "unauthorized", "Send Authorization: Bearer <API key>.", { headers: { "www-authenticate": 'Bearer realm="candor"' } });
    return undefined;
  }
  if (!key.scopes.has(scope)) {
    sendProblem(res, "forbidden", `This endpoint needs the "${scope}" scope.`);
    return undefined;
  }
  return key;
}

async function admit(req: IncomingMessage, res: ServerResponse, services: Services, scope: ApiScope): Promise<CachedKey | undefined> {
  const { db } = services;
  const key = await authenticate(req, res, services, scope);
  if (!key) return undefined;
  const wait = await services.rateLimits.consume("api", String(key.id));
  if (wait !== null) {
    sendProblem(res, "rate_limited", `Try again in ${wait} s.`, { headers: { "retry-after": String(wait) } });
    return undefined;
  }
  try {
    await touchApiKey(db, services.apiKeys, key.id);
  } catch {
    // last_used_at is informational; never fail a call for it.
  }
  return key;
}

/** Reads and validates a JSON body; answers the problem itself and returns undefined on failure. */
async function jsonBody<T extends z.ZodType>(req: IncomingMessage, res: ServerResponse, schema: T): Promise<z.infer<T> | undefined> {
  if (!isJson(req)) {
    sendProblem(res, "unsupported_media_type", "Send Content-Type: application/json.");
    return undefined;
  }
  const body = await readBody(req);
  if (!body.ok) {
    sendProblem(res, body.problem, `Bodies are limited to ${s.MAX_API_BODY_BYTES} bytes.`, { headers: { connection: "close" } });
    return undefined;
  }
  let data: unknown;
  try {
    data = JSON.parse(body.text);
  } catch {
    sendProblem(res, "malformed", "The body is not valid JSON.");
    return undefined;
  }
  const nul = nulPath(data);
  if (nul !== null) {
    sendProblem(res, "validation", "Text may not contain U+0000 (NUL).", { issues: [{ path: nul, code: "invalid_format", message: "Must not contain U+0000 (NUL)." }] });
    return undefined;
  }
  return validate(res, schema, data);
}

/**
 * Where a parsed JSON value holds U+0000 (in a string or a key), as an issue path ("ai.0.action"),
 * or null: PostgreSQL can neither store nor compare it in text, and no client means to send it.
 */
function nulPath(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path.join(".") : null;
  if (value === null || typeof value !== "object") return null;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes("\u0000")) return [...path, key].join(".");
    const found = nulPath(item, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}

function validate<T extends z.ZodType>(res: ServerResponse, schema: T, data: unknown): z.infer<T> | undefined {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    sendProblem(res, "validation", "See issues.", { issues: zodIssues(parsed.error) });
    return undefined;
  }
  return parsed.data;
}

// ── Endpoints ────────────────────────────────────────────────────────────────
async function postDecision(req: IncomingMessage, res: ServerResponse, services: Services) {
  const key = await admit(req, res, services, "decisions");
  if (!key) return;
  const input = await jsonBody(req, res, s.DecisionRequest);
  if (!input) return;
  let row;
  try {
    row = await services.decide({
      customerId: input.customerId,
      actionKey: input.action,
      aiSystemSlug: input.aiSystem,
      interactionRef: input.interactionRef ?? null,
      confirmationId: input.confirmationId ?? null,
      context: decisionContext(input),
    });
  } catch {
    return sendProblem(res, "storage_unavailable", "The decision could not be made or recorded. Do not act.");
  }
  services.apiUsage.count(key.id, "decisions.create");
  sendJson(res, 200, {
    decision: row.decision,
    reason: row.reason,
    decisionId: row.id,
    preferenceVersion: row.preferenceVersion,
    ...(row.retryAfter !== null ? { retryAfter: iso(row.retryAfter) } : {}),
  });
}

/** The request's context and identity as the domain takes them (amounts in hundredths, times in ms), or undefined when neither was sent. */
function decisionContext(input: s.DecisionInput): DecisionContext | undefined {
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

async function getPreferences(req: IncomingMessage, res: ServerResponse, services: Services, rawId: string) {
  const key = await admit(req, res, services, "decisions");
  if (!key) return;
  const customerId = validate(res, s.CustomerId, rawId);
  if (customerId === undefined) return;
  let snapshot;
  try {
    snapshot = await services.readPreferences(customerId);
  } catch {
    return sendProblem(res, "storage_unavailable", "The preferences could not be read. Do not act.");
  }
  if (!snapshot) return sendProblem(res, "not_found", "Unknown customer.");
  services.apiUsage.count(key.id, "preferences.get");
  sendJson(res, 200, preferencesBody(snapshot));
}

/**
 * The snapshot as the API states it: amounts in major units and instants as ISO (the Limits
 * schema). One pass with literal objects (the hot path: no spreads per choice); key order as the
 * schema lists it.
 */
function preferencesBody(snapshot: PreferenceSnapshot): z.infer<typeof s.PreferencesResponse> {
  const choices: z.infer<typeof s.PreferencesResponse>["choices"] = new Array(snapshot.choices.length);
  for (let i = 0; i < choices.length; i++) {
    const choice = snapshot.choices[i]!;
    const { limits } = choice;
    choices[i] = {
      key: choice.key,
      kind: choice.kind,
      value: choice.value,
      isDefault: choice.isDefault,
      noticeVersion: choice.noticeVersion,
      needsReconfirmation: choice.needsReconfirmation,
      method: choice.method,
      updatedAt: isoOrNull(choice.updatedAt),
      limits: limits && {
        ...(limits.maxAmount ? { maxAmount: { amount: s.fromHundredths(limits.maxAmount.hundredths), currency: limits.maxAmount.currency } } : {}),
        ...(limits.channels ? { channels: limits.channels } : {}),
        ...(limits.quietHours ? { quietHours: limits.quietHours } : {}),
        ...(limits.allowedForDays !== undefined ? { allowedForDays: limits.allowedForDays } : {}),
        ...(limits.allowedUntil !== undefined ? { allowedUntil: iso(limits.allowedUntil) } : {}),
      },
    };
  }
  return { customerId: snapshot.customerId, preferenceVersion: snapshot.preferenceVersion, choices };
}

async function postLink(req: IncomingMessage, res: ServerResponse, services: Services) {
  const { db } = services;
  const key = await admit(req, res, services, "links");
  if (!key) return;
  const input = await jsonBody(req, res, s.LinkCreateRequest);
  if (!input) return;
  try {
    const link = await mintApiLink(db, key.id, {
      customerId: input.customerId,
      lang: input.locale ?? null,
      interactionRef: input.interactionRef ?? null,
      days: input.expiresInDays ?? null,
      baseUrl: env().PUBLIC_URL,
    });
    sendJson(res, 201, { url: link.url, expiresAt: iso(link.expiresAt) });
  } catch (error) {
    if (error instanceof UnknownCustomerError) throw new HttpProblem("not_found", "Unknown customer.");
    throw error;
  }
}

async function putCustomer(req: IncomingMessage, res: ServerResponse, services: Services, rawId: string) {
  const { db } = services;
  const key = await admit(req, res, services, "customers");
  if (!key) return;
  const id = validate(res, s.CustomerId, rawId);
  if (id === undefined) return;
  const input = await jsonBody(req, res, s.CustomerPutRequest);
  if (!input) return;
  const result = await putApiCustomer(db, key.id, { id, email: input.email, locale: input.locale, timeZone: input.timeZone });
  if (result.status === "erased") throw new HttpProblem("conflict", "This customer was erased; the id cannot be reused.");
  const { customer } = result;
  sendJson(res, result.status === "created" ? 201 : 200, {
    id: customer.id,
    email: customer.email,
    locale: customer.locale,
    timeZone: customer.timeZone,
    preferenceVersion: customer.preferenceVersion,
    createdAt: iso(customer.createdAt),
    updatedAt: iso(customer.updatedAt),
  });
}

async function deleteCustomer(req: IncomingMessage, res: ServerResponse, services: Services, rawId: string) {
  const { db } = services;
  const key = await admit(req, res, services, "customers");
  if (!key) return;
  const id = validate(res, s.CustomerId, rawId);
  if (id === undefined) return;
  const now = Date.now();
  const result = await eraseCustomer(db, { customerId: id, actor: { type: "api", id: key.id }, now });
  if (result.status !== "erased") return sendProblem(res, "not_found", "Unknown or already erased customer.");
  sendJson(res, 200, { id, erasedAt: iso(now), concerns: result.concerns, interactions: result.interactions });
}

async function postInteraction(req: IncomingMessage, res: ServerResponse, services: Services) {
  const { db } = services;
  const key = await admit(req, res, services, "interactions");
  if (!key) return;
  const input = await jsonBody(req, res, s.InteractionRequest);
  if (!input) return;
  const result = await recordApiInteraction(db, key.id, {
    customerId: input.customerId,
    source: input.source,
    ref: input.ref,
    channel: input.channel,
    subject: input.subject,
    occurredAt: Date.parse(input.occurredAt),
    ai: input.ai.map((a) => ({
      aiSystem: a.aiSystem,
      role: a.role,
      actionKey: a.action ?? null,
      actionDetail: a.actionDetail ?? null,
      humanReviewed: a.humanReviewed,
      trainingEligible: a.trainingEligible,
      decisionId: a.decisionId ?? null,
    })),
  });
  switch (result.status) {
    case "unknown_customer":
      throw new HttpProblem("not_found", "Unknown customer.");
    case "unknown_ai_systems":
      throw new HttpProblem("validation", `Unknown AI system: ${result.slugs.join(", ")}.`);
    case "conflict": {
      const issues = result.fields.map((field) => ({ path: field, code: "conflict", message: `Differs from the recorded interaction's ${field}.` }));
      throw new HttpProblem("conflict", `This source and ref were recorded with a different ${result.fields.join(", ")}; nothing was changed.`, issues);
    }
    case "recorded":
      sendJson(res, result.created ? 201 : 200, { id: result.id, source: input.source, ref: input.ref, created: result.created, breaches: result.breaches });
  }
}

// ── Confirmations (SPEC §11.1) ───────────────────────────────────────────────
function confirmationBody(c: Confirmation, url: string): z.infer<typeof s.ConfirmationResponse> {
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

async function postConfirmation(req: IncomingMessage, res: ServerResponse, services: Services) {
  const key = await admit(req, res, services, "decisions");
  if (!key) return;
  const input = await jsonBody(req, res, s.ConfirmationCreateRequest);
  if (!input) return;
  const result = await createConfirmation(services.db, {
    keyId: key.id,
    customerId: input.customerId,
    actionKey: input.action,
    aiSystemSlug: input.aiSystem,
    interactionRef: input.interactionRef ?? null,
    summary: input.summary,
    amountHundredths: input.details?.amount !== undefined ? s.toHundredths(input.details.amount) : null,
    currency: input.details?.currency ?? null,
    channel: input.details?.channel ?? null,
    effectiveAt: input.details?.effectiveAt !== undefined ? Date.parse(input.details.effectiveAt) : null,
    expiresInMinutes: input.expiresInMinutes,
    baseUrl: env().PUBLIC_URL,
  });
  switch (result.status) {
    case "unknown_customer":
      throw new HttpProblem("not_found", "Unknown customer.");
    case "unknown_interaction":
      throw new HttpProblem("validation", "Unknown interaction for this customer.", [{ path: "interactionRef", code: "unknown", message: "No such interaction for this customer." }]);
    case "unknown_action":
      throw new HttpProblem("validation", "Unknown action.", [{ path: "action", code: "unknown", message: "No such action kind." }]);
    case "unknown_ai_system":
      throw new HttpProblem("validation", "Unknown or retired AI system, or not registered for this action.", [{ path: "aiSystem", code: "unknown", message: "No such active AI system for this action." }]);
    case "not_askable":
      throw new HttpProblem("conflict", `Do not ask: the customer's choices do not allow this action (${result.reason}).`);
    case "too_many_pending":
      throw new HttpProblem("conflict", "This customer already has too many requests waiting for an answer.");
    case "created":
      sendJson(res, 201, confirmationBody(result.confirmation, result.url));
  }
}

async function getConfirmation(req: IncomingMessage, res: ServerResponse, services: Services, rawId: string) {
  const key = await admit(req, res, services, "decisions");
  if (!key) return;
  const id = validate(res, s.ConfirmationId, rawId);
  if (id === undefined) return;
  const confirmation = await findConfirmation(services.db, id);
  if (!confirmation) throw new HttpProblem("not_found", "Unknown confirmation.");
  services.apiUsage.count(key.id, "confirmations.get");
  const customer = await findCustomer(services.db, confirmation.customerId);
  sendJson(res, 200, confirmationBody(confirmation, confirmationUrl(env().PUBLIC_URL, customer?.locale ?? DEFAULT_LANG, confirmation.id)));
}

// ── Training uses (SPEC §11.4) ───────────────────────────────────────────────
async function postTrainingUses(req: IncomingMessage, res: ServerResponse, services: Services) {
  const key = await admit(req, res, services, "training");
  if (!key) return;
  const input = await jsonBody(req, res, s.TrainingUsesRequest);
  if (!input) return;
  const result = await recordTrainingUses(services.db, key.id, { dataset: input.dataset, usedAt: Date.parse(input.usedAt), interactions: input.interactions });
  sendJson(res, 200, { dataset: input.dataset, usedAt: input.usedAt, accepted: result.accepted, refused: result.refused });
}

function concernSummary(c: ApiConcern) {
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

async function listConcerns(req: IncomingMessage, res: ServerResponse, services: Services, search: URLSearchParams) {
  const { db } = services;
  const key = await admit(req, res, services, "concerns");
  if (!key) return;
  const query = validate(res, s.ConcernListQuery, Object.fromEntries(search));
  if (!query) return;
  const page = await listApiConcerns(db, key.id, {
    status: query.status,
    since: query.since ? Date.parse(query.since) : undefined,
    page: query.page,
    pageSize: query.pageSize,
  });
  sendJson(res, 200, { items: page.items.map(concernSummary), page: query.page, pageSize: query.pageSize, total: page.total });
}

async function getConcern(req: IncomingMessage, res: ServerResponse, services: Services, rawRef: string) {
  const { db } = services;
  const key = await admit(req, res, services, "concerns");
  if (!key) return;
  const ref = validate(res, s.ConcernRef, rawRef);
  if (ref === undefined) return;
  const found = await findApiConcern(db, key.id, ref);
  if (!found) throw new HttpProblem("not_found", "Unknown concern.");
  const c = found.concern;
  sendJson(res, 200, {
    ...concernSummary(c),
    description: c.description,
    desiredOutcome: c.desiredOutcome,
    outcomeCode: c.outcomeCode,
    outcomeReason: c.outcomeReason,
    resolvedAt: isoOrNull(c.resolvedAt),
    closedAt: isoOrNull(c.closedAt),
    messages: found.messages.map((m) => ({ author: m.author, body: m.body, createdAt: iso(m.createdAt) })),
  });
}

// ── Router ───────────────────────────────────────────────────────────────────
function methodNotAllowed(res: ServerResponse, allow: string) {
  sendProblem(res, "method_not_allowed", `Allowed: ${allow}.`, { headers: { allow } });
}

function segment(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

async function route(req: IncomingMessage, res: ServerResponse, services: Services, pathname: string, search: string): Promise<void> {
  // HEAD is answered wherever GET is, with the same status and headers (node:http drops the body).
  const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
  const rest = pathname.slice(API_PREFIX.length);
  if (rest === "/decisions") return method === "POST" ? postDecision(req, res, services) : methodNotAllowed(res, "POST");
  const parts = rest.split("/");
  // parts[0] is "" (leading slash)
  if (parts[1] === "customers" && parts.length === 4 && parts[3] === "preferences") {
    const id = segment(parts[2]!);
    if (id === null) return sendProblem(res, "validation", "Malformed customer id.");
    return method === "GET" ? getPreferences(req, res, services, id) : methodNotAllowed(res, "GET, HEAD");
  }
  if (rest === "/openapi.json") {
    if (method !== "GET") return methodNotAllowed(res, "GET, HEAD");
    const text = openApiJson();
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "public, max-age=300" });
    return void res.end(text);
  }
  if (rest === "/links") return method === "POST" ? postLink(req, res, services) : methodNotAllowed(res, "POST");
  if (rest === "/interactions") return method === "POST" ? postInteraction(req, res, services) : methodNotAllowed(res, "POST");
  if (rest === "/confirmations") return method === "POST" ? postConfirmation(req, res, services) : methodNotAllowed(res, "POST");
  if (parts[1] === "confirmations" && parts.length === 3) {
    const id = segment(parts[2]!);
    if (id === null) return sendProblem(res, "validation", "Malformed confirmation id.");
    return method === "GET" ? getConfirmation(req, res, services, id) : methodNotAllowed(res, "GET, HEAD");
  }
  if (rest === "/training-uses") return method === "POST" ? postTrainingUses(req, res, services) : methodNotAllowed(res, "POST");
  if (rest === "/concerns") return method === "GET" ? listConcerns(req, res, services, new URLSearchParams(search)) : methodNotAllowed(res, "GET, HEAD");
  if (parts[1] === "concerns" && parts.length === 3) {
    const ref = segment(parts[2]!);
    if (ref === null) return sendProblem(res, "validation", "Malformed reference.");
    return method === "GET" ? getConcern(req, res, services, ref) : methodNotAllowed(res, "GET, HEAD");
  }
  if (parts[1] === "customers" && parts.length === 3) {
    const id = segment(parts[2]!);
    if (id === null) return sendProblem(res, "validation", "Malformed customer id.");
    if (method === "PUT") return putCustomer(req, res, services, id);
    if (method === "DELETE") return deleteCustomer(req, res, services, id);
    return methodNotAllowed(res, "PUT, DELETE");
  }
  sendProblem(res, "not_found", "No such API endpoint.");
}

/**
 * Answers /api/v1/* itself (returns true) or leaves the request to the next handler (false).
 * `services`: what the composition root built (app/services.server.ts).
 */
export function handleApiRequest(req: IncomingMessage, res: ServerResponse, services: Services): boolean {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const pathname = q < 0 ? url : url.slice(0, q);
  if (pathname !== API_PREFIX && !pathname.startsWith(API_PREFIX + "/")) return false;
  route(req, res, services, pathname, q < 0 ? "" : url.slice(q + 1)).catch((error: unknown) => {
    if (res.headersSent) return void res.destroy();
    if (error instanceof HttpProblem) return sendProblem(res, error.code, error.detail, error.issues ? { issues: error.issues } : {});
    console.error("API error", error);
    sendProblem(res, "internal");
  });
  return true;
}

/** Puts the lean API, on the composition root's `services`, in front of another handler (the Express app serving pages). */
export function withLeanApi(next: RequestListener, services: Services): RequestListener {
  return (req, res) => {
    if (!handleApiRequest(req, res, services)) next(req, res);
  };
}
