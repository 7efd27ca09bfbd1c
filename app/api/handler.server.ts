/**
 * The integration API (SPEC §5), served directly on node:http in front of Express/React Router.
 * This module routes /api/v1/* and answers what escapes an endpoint; the pieces:
 * - app/api/hot-path.server.ts: the agents' hot path (decisions, preferences);
 * - app/api/endpoints.server.ts: every other endpoint;
 * - app/api/admission.server.ts: key, scope, rate limit, bounded bodies, Zod;
 * - app/api/bodies.server.ts: answers in the schemas' shapes (app/api/schemas.ts);
 * - app/api/http.server.ts: JSON and problem+json answers.
 * What each endpoint decides and writes is in the domain (domain/api-requests.server.ts,
 * domain/decisions.server.ts, domain/customer-erasure.server.ts). It gets the composition root's
 * `Services` (withLeanApi) and never reaches for a global.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Services } from "../services.server";
import { HttpProblem } from "./admission.server";
import { deleteCustomer, getConcern, getConfirmation, listConcerns, postConfirmation, postInteraction, postLink, postTrainingUses, putCustomer } from "./endpoints.server";
import { getPreferences, postDecision } from "./hot-path.server";
import { sendProblem } from "./http.server";
import { getOpenRegister, openDataPreflight } from "./open-data.server";
import { openApiJson } from "./openapi";

export const API_PREFIX = "/api/v1";

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

const PREFERENCES_SUFFIX = "/preferences";
const CUSTOMERS = "/customers/";

/** Routes to the endpoint; not async itself, so the hot path's read costs no extra promise. */
function route(req: IncomingMessage, res: ServerResponse, services: Services, pathname: string, search: string): Promise<void> | void {
  // HEAD is answered wherever GET is, with the same status and headers (node:http drops the body).
  const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
  const rest = pathname.slice(API_PREFIX.length);
  if (rest === "/decisions") return method === "POST" ? postDecision(req, res, services) : methodNotAllowed(res, "POST");
  // The hot path's read first, without splitting the path: /customers/<id>/preferences.
  if (rest.startsWith(CUSTOMERS) && rest.endsWith(PREFERENCES_SUFFIX) && rest.indexOf("/", CUSTOMERS.length) === rest.length - PREFERENCES_SUFFIX.length) {
    const id = segment(rest.slice(CUSTOMERS.length, rest.length - PREFERENCES_SUFFIX.length));
    if (id === null) return sendProblem(res, "validation", "Malformed customer id.");
    return method === "GET" ? getPreferences(req, res, services, id) : methodNotAllowed(res, "GET, HEAD");
  }
  const parts = rest.split("/");
  // parts[0] is "" (leading slash)
  if (rest === "/openapi.json") {
    if (method !== "GET") return methodNotAllowed(res, "GET, HEAD");
    const text = openApiJson();
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "public, max-age=300" });
    return void res.end(text);
  }
  // Open data (SPEC §12): the one endpoint without a key, by its exact path only.
  if (rest === "/ai-systems") {
    if (req.method === "OPTIONS") return openDataPreflight(res);
    if (method !== "GET") return methodNotAllowed(res, "GET, HEAD, OPTIONS");
    return getOpenRegister(req, res, services, new URLSearchParams(search));
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

/** Answers what an endpoint threw: its HttpProblem, or 500 (logged); a half-sent answer is cut. */
function answerFailure(res: ServerResponse, error: unknown): void {
  if (res.headersSent) return void res.destroy();
  if (error instanceof HttpProblem) return sendProblem(res, error.code, error.detail, error.issues ? { issues: error.issues } : {});
  console.error("API error", error);
  sendProblem(res, "internal");
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
  let answered;
  try {
    answered = route(req, res, services, pathname, q < 0 ? "" : url.slice(q + 1));
  } catch (error) {
    answerFailure(res, error);
    return true;
  }
  answered?.catch((error: unknown) => answerFailure(res, error));
  return true;
}

/** Puts the lean API, on the composition root's `services`, in front of another handler (the Express app serving pages). */
export function withLeanApi(next: RequestListener, services: Services): RequestListener {
  return (req, res) => {
    if (!handleApiRequest(req, res, services)) next(req, res);
  };
}
