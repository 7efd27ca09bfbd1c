/**
 * The integration API's endpoints besides the hot path (SPEC §5.1; app/api/hot-path.server.ts has
 * the agents' two): links, customers (create/update, erase), interactions, confirmation requests
 * (§11.1), training uses (§11.4) and concerns. Each admits the call (key, scope, limit), validates
 * its input with its schema, calls the domain and answers JSON; a domain refusal is thrown as an
 * HttpProblem for the router to answer. Every successful change is audited by the domain with it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { findApiConcern, listApiConcerns, mintApiLink, putApiCustomer, recordApiInteraction } from "../domain/api-requests.server";
import { confirmationUrl, createConfirmation, findConfirmation } from "../domain/confirmations.server";
import { findCustomer } from "../domain/customers.server";
import { eraseCustomer } from "../domain/customer-erasure.server";
import { UnknownCustomerError } from "../domain/links.server";
import { recordTrainingUses } from "../domain/training-uses.server";
import type { Services } from "../services.server";
import { env } from "../utils/env.server";
import { DEFAULT_LANG } from "../utils/languages";
import { admit, HttpProblem, jsonBody, validate } from "./admission.server";
import { concernSummary, confirmationBody, iso, isoOrNull } from "./bodies.server";
import { sendJson, sendProblem } from "./http.server";
import * as s from "./schemas";

/** POST /api/v1/links: a signed link to the customer's pages (SPEC §5.1), 201 with its URL and expiry. */
export async function postLink(req: IncomingMessage, res: ServerResponse, services: Services) {
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

/** PUT /api/v1/customers/:id: creates (201) or updates (200) a customer; 409 for an erased id. */
export async function putCustomer(req: IncomingMessage, res: ServerResponse, services: Services, rawId: string) {
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

/** DELETE /api/v1/customers/:id: erases the customer (GDPR Art. 17), 404 when unknown or already erased. */
export async function deleteCustomer(req: IncomingMessage, res: ServerResponse, services: Services, rawId: string) {
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

/** POST /api/v1/interactions: records an interaction and its AI involvement (idempotent per source and ref; 409 on a differing repeat). */
export async function postInteraction(req: IncomingMessage, res: ServerResponse, services: Services) {
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
/** POST /api/v1/confirmations: asks the customer to approve one action (SPEC §11.1), 201 with the request. */
export async function postConfirmation(req: IncomingMessage, res: ServerResponse, services: Services) {
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

/** GET /api/v1/confirmations/:id: a confirmation request and its answer (SPEC §11.1). */
export async function getConfirmation(req: IncomingMessage, res: ServerResponse, services: Services, rawId: string) {
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
/** POST /api/v1/training-uses: records which interactions a dataset used; refuses those not allowed (SPEC §11.4). */
export async function postTrainingUses(req: IncomingMessage, res: ServerResponse, services: Services) {
  const key = await admit(req, res, services, "training");
  if (!key) return;
  const input = await jsonBody(req, res, s.TrainingUsesRequest);
  if (!input) return;
  const result = await recordTrainingUses(services.db, key.id, { dataset: input.dataset, usedAt: Date.parse(input.usedAt), interactions: input.interactions });
  sendJson(res, 200, { dataset: input.dataset, usedAt: input.usedAt, accepted: result.accepted, refused: result.refused });
}

// ── Concerns ─────────────────────────────────────────────────────────────────
/** GET /api/v1/concerns: a page of concerns (status, since), with the total. */
export async function listConcerns(req: IncomingMessage, res: ServerResponse, services: Services, search: URLSearchParams) {
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

/** GET /api/v1/concerns/:ref: one concern with its messages. */
export async function getConcern(req: IncomingMessage, res: ServerResponse, services: Services, rawRef: string) {
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
