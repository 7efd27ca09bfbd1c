/**
 * The agents' hot path (SPEC §5.2, §10): POST /api/v1/decisions and GET
 * /api/v1/customers/:id/preferences. Each does only: key (cache) and scope, rate limit, the input
 * (bounded body, Zod), one prepared statement of the engine (+ the decision's insert, group commit
 * on SQLite: `services.decide`, `services.readPreferences`), JSON. Storage errors answer 503 "do
 * not act" (fail closed). Calls are counted per key and endpoint (`services.apiUsage`) and
 * audited in aggregate.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PreferenceSnapshot } from "../domain/decisions.server";
import type { Services } from "../services.server";
import { admit, jsonBody, validate } from "./admission.server";
import { decisionContext, iso, preferencesBody } from "./bodies.server";
import { sendJson, sendProblem } from "./http.server";
import * as s from "./schemas";

/** POST /api/v1/decisions: the decision check (SPEC §5.2, §11), answered only once recorded. */
export async function postDecision(req: IncomingMessage, res: ServerResponse, services: Services): Promise<void> {
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

/**
 * Customer ids the CustomerId schema accepted lately (it returns them as given): the agents ask
 * about the same customers again and again, and the schema's check costs more than the lookup.
 * Emptied when full.
 */
const acceptedCustomerIds = new Set<string>();
const ACCEPTED_CUSTOMER_IDS_MAX = 10_000;

/** `rawId` checked by the CustomerId schema (through the memo), or undefined once a 400 is answered. */
function customerIdOf(res: ServerResponse, rawId: string): string | undefined {
  if (acceptedCustomerIds.has(rawId)) return rawId;
  const id = validate(res, s.CustomerId, rawId);
  if (id !== undefined) {
    if (acceptedCustomerIds.size >= ACCEPTED_CUSTOMER_IDS_MAX) acceptedCustomerIds.clear();
    acceptedCustomerIds.add(id);
  }
  return id;
}

/**
 * GET /api/v1/customers/:id/preferences (`rawId`: the decoded path segment): the customer's
 * choices in force. After admission, synchronous on SQLite (the read is one prepared statement):
 * one promise per call.
 */
export function getPreferences(req: IncomingMessage, res: ServerResponse, services: Services, rawId: string): Promise<void> {
  return admit(req, res, services, "decisions").then((key) => {
    if (!key) return;
    const customerId = customerIdOf(res, rawId);
    if (customerId === undefined) return;
    let snapshot;
    try {
      snapshot = services.readPreferences(customerId);
    } catch {
      return storageUnavailable(res);
    }
    if (snapshot instanceof Promise) return snapshot.then((read) => answerPreferences(res, services, key.id, read), () => storageUnavailable(res));
    answerPreferences(res, services, key.id, snapshot);
  });
}

function answerPreferences(res: ServerResponse, services: Services, keyId: number, snapshot: PreferenceSnapshot | undefined): void {
  if (!snapshot) return sendProblem(res, "not_found", "Unknown customer.");
  services.apiUsage.count(keyId, "preferences.get");
  sendJson(res, 200, preferencesBody(snapshot));
}

const storageUnavailable = (res: ServerResponse) => sendProblem(res, "storage_unavailable", "The preferences could not be read. Do not act.");
