/**
 * What every call of the integration API (SPEC §5) passes before its endpoint acts: the key
 * (Authorization: Bearer, scope), the rate limit, and the input — a bounded JSON body or a path
 * segment, validated by the endpoint's Zod schema (app/api/schemas.ts). Each check answers the
 * problem itself (RFC 9457, app/api/http.server.ts) and returns undefined when it fails.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import type { ApiScope, CachedKey } from "../domain/api-keys.server";
import type { Services } from "../services.server";
import { isJson, readBody, sendProblem, zodIssues, type ProblemCode, type ProblemIssue } from "./http.server";
import { MAX_API_BODY_BYTES } from "./schemas";

/** A problem an endpoint throws; the router answers it (status and title from PROBLEMS). */
export class HttpProblem extends Error {
  constructor(
    readonly code: Extract<ProblemCode, "not_found" | "conflict" | "validation">,
    readonly detail: string,
    readonly issues?: ProblemIssue[],
  ) {
    super(detail);
  }
}

/** The secret of `Authorization: Bearer <key>` (scheme case-insensitive), or "" when none was sent. */
function bearer(req: IncomingMessage): string {
  const header = req.headers.authorization;
  return header && header.length > 7 && header.slice(0, 7).toLowerCase() === "bearer " ? header.slice(7).trim() : "";
}

/**
 * Admits a call (SPEC §5.1, §9): a known, unrevoked key (401), with `scope` (403), within the
 * per-key rate limit (429 with Retry-After, whole seconds); records the key's last use (at most
 * once a minute; never fails the call). Resolves to the key, or to undefined once the problem is
 * answered. The key is found through the process's cache (`services.apiKeys`, see
 * `resolveApiKey`): on the hot path a SHA-256 and a Map lookup, without a promise (`lookup`); the
 * table is read only when the cache's copy is too old to answer.
 */
export function admit(req: IncomingMessage, res: ServerResponse, services: Services, scope: ApiScope): Promise<CachedKey | undefined> {
  const presented = bearer(req);
  const known = presented ? services.apiKeys.lookup(presented) : undefined;
  if (known === null) return services.apiKeys.resolve(services.db, presented).then((key) => admitKey(res, services, scope, key));
  return admitKey(res, services, scope, known);
}

function admitKey(res: ServerResponse, services: Services, scope: ApiScope, key: CachedKey | undefined): Promise<CachedKey | undefined> {
  if (!key) {
    sendProblem(res, "unauthorized", "Send Authorization: Bearer <API key>.", { headers: { "www-authenticate": 'Bearer realm="candor"' } });
    return NOTHING;
  }
  if (!key.scopes.has(scope)) {
    sendProblem(res, "forbidden", `This endpoint needs the "${scope}" scope.`);
    return NOTHING;
  }
  return services.rateLimits.consume("api", key.rateLimitKey).then((wait) => {
    if (wait !== null) {
      sendProblem(res, "rate_limited", `Try again in ${wait} s.`, { headers: { "retry-after": String(wait) } });
      return undefined;
    }
    // last_used_at is informational: written at most once a minute, and never fails the call.
    const touched = services.apiKeys.touch(services.db, key.id);
    return touched === undefined ? key : touched.then(() => key, () => key);
  });
}

const NOTHING = Promise.resolve(undefined);

/** Reads and validates a JSON body (415, 411/413, malformed, NUL, `schema`); answers the problem itself and returns undefined on failure. */
export async function jsonBody<T extends z.ZodType>(req: IncomingMessage, res: ServerResponse, schema: T): Promise<z.infer<T> | undefined> {
  if (!isJson(req)) {
    sendProblem(res, "unsupported_media_type", "Send Content-Type: application/json.");
    return undefined;
  }
  const body = await readBody(req);
  if (!body.ok) {
    sendProblem(res, body.problem, `Bodies are limited to ${MAX_API_BODY_BYTES} bytes.`, { headers: { connection: "close" } });
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

/** `data` parsed by `schema`, or undefined once a 400 with the issues is answered. */
export function validate<T extends z.ZodType>(res: ServerResponse, schema: T, data: unknown): z.infer<T> | undefined {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    sendProblem(res, "validation", "See issues.", { issues: zodIssues(parsed.error) });
    return undefined;
  }
  return parsed.data;
}
