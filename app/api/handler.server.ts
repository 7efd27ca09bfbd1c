/**
 * The integration API (SPEC §5), served directly on node:http in front of Express/React Router.
 * The agents' hot path — POST /api/v1/decisions and GET /api/v1/customers/:id/preferences — does
 * only: key hash → in-memory cache, scope, (rate limit), bounded body read, Zod, one prepared
 * statement (+ the decision insert, in an IMMEDIATE transaction), JSON.stringify. Storage errors
 * there answer 503 "do not act" (fail closed).
 *
 * Audit: every successful call of the other endpoints appends an audit entry (actor api:<key id>,
 * action api.<endpoint>) in the same transaction as its change. Hot-path calls are not audited one
 * by one — a hash-chained audit write per check would serialise every check behind a second write;
 * each decision is itself an append-only record — and are instead counted per key and endpoint
 * and written as `api.usage` audit entries once a minute (and on `flushApiUsage()`).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type Database from "better-sqlite3";
import { and, asc, count, eq, gte, type SQL } from "drizzle-orm";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { z } from "zod";
import { aiSystems, concernMessages, concerns, customers as customersTable, interactions } from "../../db/schema";
import { resolveApiKey, touchApiKey, type ApiScope, type CachedKey } from "../domain/api-keys.server";
import { appendAudit } from "../domain/audit.server";
import { eraseCustomer } from "../domain/customer-erasure.server";
import { upsertCustomer } from "../domain/customers.server";
import { decisionCheck } from "../domain/decisions.server";
import { InteractionConflictError, recordInteraction } from "../domain/interactions.server";
import { mintLink, UnknownCustomerError } from "../domain/links.server";
import { getDb, type Connection, type SyncDb } from "../utils/db.server";
import { env } from "../utils/env.server";
import { isJson, readBody, sendJson, sendProblem, zodIssues, type ProblemIssue } from "./http.server";
import { openApiJson } from "./openapi";
import * as s from "./schemas";

export const API_PREFIX = "/api/v1";
/** Per key: generous for real integrations, a stop for runaway loops. */

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

// ── Hot-path statements (prepared once per connection) ─────────────────────
interface PreferenceRow {
  version: number;
  key: string | null;
  kind: "action" | "training" | "human_first";
  defaultValue: string;
  definitionNoticeVersion: number;
  value: string | null;
  preferenceNoticeVersion: number | null;
  method: string | null;
  updatedAt: number | null;
}
const PREFERENCES_SQL = `
SELECT c.preference_version AS version, d.key AS key, d.kind AS kind, d.default_value AS defaultValue,
       d.notice_version AS definitionNoticeVersion, p.value AS value, p.notice_version AS preferenceNoticeVersion,
       p.method AS method, p.updated_at AS updatedAt
FROM customers c
LEFT JOIN choice_definitions d ON 1 = 1
LEFT JOIN preferences p ON p.customer_id = c.id AND p.choice_key = d.key
WHERE c.id = ? AND c.erased_at IS NULL
ORDER BY d.position`;
const preferenceStatements = new WeakMap<Database.Database, Database.Statement<[string], PreferenceRow>>();

function readPreferences(client: Database.Database, customerId: string): z.infer<typeof s.PreferencesResponse> | undefined {
  let statement = preferenceStatements.get(client);
  if (!statement) {
    statement = client.prepare<[string], PreferenceRow>(PREFERENCES_SQL);
    preferenceStatements.set(client, statement);
  }
  const rows = statement.all(customerId);
  if (rows.length === 0) return undefined;
  return {
    customerId,
    preferenceVersion: rows[0]!.version,
    choices: rows
      .filter((r) => r.key !== null)
      .map((r) => ({
        key: r.key!,
        kind: r.kind,
        value: r.value ?? r.defaultValue,
        isDefault: r.value === null,
        noticeVersion: r.preferenceNoticeVersion ?? r.definitionNoticeVersion,
        needsReconfirmation: r.value !== null && (r.preferenceNoticeVersion ?? 0) < r.definitionNoticeVersion,
        method: r.method,
        updatedAt: isoOrNull(r.updatedAt),
      })),
  };
}

// ── Usage counters for the hot path (audited in aggregate) ───────────────────
const usage = new Map<string, { keyId: number; endpoint: string; calls: number; since: number }>();
let usageTimer: NodeJS.Timeout | undefined;

function countUsage(db: Connection, keyId: number, endpoint: string): void {
  const id = `${keyId}|${endpoint}`;
  const entry = usage.get(id);
  if (entry) entry.calls += 1;
  else usage.set(id, { keyId, endpoint, calls: 1, since: Date.now() });
  if (!usageTimer) {
    usageTimer = setInterval(() => {
      try {
        flushApiUsage(db);
      } catch {
        // Storage unavailable: keep counting, try again next minute.
      }
    }, 60_000);
    usageTimer.unref();
  }
}

/** Writes the counted hot-path calls as `api.usage` audit entries (one per key and endpoint). */
export function flushApiUsage(db: SyncDb = getDb()): number {
  if (usage.size === 0) return 0;
  const entries = [...usage.values()];
  db.transaction(
    (tx) => {
      for (const e of entries) {
        appendAudit(tx, { actor: { type: "api", id: e.keyId }, action: `api.${e.endpoint}`, details: { calls: e.calls, since: e.since } });
      }
    },
    { behavior: "immediate" },
  );
  usage.clear();
  return entries.length;
}

// ── Authentication, scopes, limits ───────────────────────────────────────────
const limiter = new RateLimiterMemory({ keyPrefix: "api", points: env().API_RATE_LIMIT_PER_MINUTE, duration: 60 });

function authenticate(req: IncomingMessage, res: ServerResponse, db: Connection, scope: ApiScope): CachedKey | undefined {
  const header = req.headers.authorization;
  const presented = header && header.length > 7 && header.slice(0, 7).toLowerCase() === "bearer " ? header.slice(7).trim() : "";
  const key = presented ? resolveApiKey(db, presented) : undefined;
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

/** Null when within the limit, else the seconds to wait. */
async function overLimit(keyId: number): Promise<number | null> {
  if (env().RATE_LIMITS === "off") return null;
  try {
    await limiter.consume(String(keyId));
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}

async function admit(req: IncomingMessage, res: ServerResponse, db: Connection, scope: ApiScope): Promise<CachedKey | undefined> {
  const key = authenticate(req, res, db, scope);
  if (!key) return undefined;
  const wait = await overLimit(key.id);
  if (wait !== null) {
    sendProblem(res, "rate_limited", `Try again in ${wait} s.`, { headers: { "retry-after": String(wait) } });
    return undefined;
  }
  try {
    touchApiKey(db, key.id);
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
  return validate(res, schema, data);
}

function validate<T extends z.ZodType>(res: ServerResponse, schema: T, data: unknown): z.infer<T> | undefined {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    sendProblem(res, "validation", "See issues.", { issues: zodIssues(parsed.error) });
    return undefined;
  }
  return parsed.data;
}

function audited<T>(db: Connection, key: CachedKey, action: string, target: { type: string; id: string | number } | null, change: (tx: SyncDb) => T): T {
  return db.transaction(
    (tx) => {
      const result = change(tx);
      appendAudit(tx, { actor: { type: "api", id: key.id }, action: `api.${action}`, target });
      return result;
    },
    { behavior: "immediate" },
  );
}

// ── Endpoints ────────────────────────────────────────────────────────────────
async function postDecision(req: IncomingMessage, res: ServerResponse, db: Connection) {
  const key = await admit(req, res, db, "decisions");
  if (!key) return;
  const input = await jsonBody(req, res, s.DecisionRequest);
  if (!input) return;
  let row;
  try {
    row = decisionCheck(db.$client)({ customerId: input.customerId, actionKey: input.action, aiSystemSlug: input.aiSystem, interactionRef: input.interactionRef ?? null });
  } catch {
    return sendProblem(res, "storage_unavailable", "The decision could not be made or recorded. Do not act.");
  }
  countUsage(db, key.id, "decisions.create");
  sendJson(res, 200, { decision: row.decision, reason: row.reason, decisionId: row.id, preferenceVersion: row.preferenceVersion });
}

async function getPreferences(req: IncomingMessage, res: ServerResponse, db: Connection, rawId: string) {
  const key = await admit(req, res, db, "decisions");
  if (!key) return;
  const customerId = validate(res, s.CustomerId, rawId);
  if (customerId === undefined) return;
  let body;
  try {
    body = readPreferences(db.$client, customerId);
  } catch {
    return sendProblem(res, "storage_unavailable", "The preferences could not be read. Do not act.");
  }
  if (!body) return sendProblem(res, "not_found", "Unknown customer.");
  countUsage(db, key.id, "preferences.get");
  sendJson(res, 200, body);
}

async function postLink(req: IncomingMessage, res: ServerResponse, db: Connection) {
  const key = await admit(req, res, db, "links");
  if (!key) return;
  const input = await jsonBody(req, res, s.LinkCreateRequest);
  if (!input) return;
  try {
    const link = audited(db, key, "links.create", { type: "customer", id: input.customerId }, (tx) =>
      mintLink(tx, {
        customerId: input.customerId,
        lang: input.locale ?? null,
        interactionRef: input.interactionRef ?? null,
        days: input.expiresInDays ?? null,
        createdBy: "api",
        baseUrl: env().PUBLIC_URL,
      }),
    );
    sendJson(res, 201, { url: link.url, expiresAt: iso(link.expiresAt) });
  } catch (error) {
    if (error instanceof UnknownCustomerError) throw new HttpProblem("not_found", "Unknown customer.");
    throw error;
  }
}

async function putCustomer(req: IncomingMessage, res: ServerResponse, db: Connection, rawId: string) {
  const key = await admit(req, res, db, "customers");
  if (!key) return;
  const id = validate(res, s.CustomerId, rawId);
  if (id === undefined) return;
  const input = await jsonBody(req, res, s.CustomerPutRequest);
  if (!input) return;
  const { customer, created } = audited(db, key, "customers.put", { type: "customer", id }, (tx) => {
    const existing = tx.select({ erasedAt: customersTable.erasedAt }).from(customersTable).where(eq(customersTable.id, id)).get();
    if (existing?.erasedAt) throw new HttpProblem("conflict", "This customer was erased; the id cannot be reused.");
    return { customer: upsertCustomer(tx, { id, email: input.email, locale: input.locale }), created: !existing };
  });
  sendJson(res, created ? 201 : 200, {
    id: customer.id,
    email: customer.email,
    locale: customer.locale,
    preferenceVersion: customer.preferenceVersion,
    createdAt: iso(customer.createdAt),
    updatedAt: iso(customer.updatedAt),
  });
}

async function deleteCustomer(req: IncomingMessage, res: ServerResponse, db: Connection, rawId: string) {
  const key = await admit(req, res, db, "customers");
  if (!key) return;
  const id = validate(res, s.CustomerId, rawId);
  if (id === undefined) return;
  const now = Date.now();
  const result = eraseCustomer(db, { customerId: id, actor: { type: "api", id: key.id }, now });
  if (result.status !== "erased") return sendProblem(res, "not_found", "Unknown or already erased customer.");
  sendJson(res, 200, { id, erasedAt: iso(now), concerns: result.concerns, interactions: result.interactions });
}

async function postInteraction(req: IncomingMessage, res: ServerResponse, db: Connection) {
  const key = await admit(req, res, db, "interactions");
  if (!key) return;
  const input = await jsonBody(req, res, s.InteractionRequest);
  if (!input) return;
  // A replay with the same content answers the stored record; a changed one is a 409 naming the
  // fields that differ (recordInteraction), so data is never silently dropped.
  const result = audited(db, key, "interactions.create", { type: "interaction", id: `${input.source}:${input.ref}` }, (tx) => {
    const customer = tx.select({ erasedAt: customersTable.erasedAt }).from(customersTable).where(eq(customersTable.id, input.customerId)).get();
    if (!customer || customer.erasedAt) throw new HttpProblem("not_found", "Unknown customer.");
    const slugs = [...new Set(input.ai.map((a) => a.aiSystem))];
    const systems = new Map(slugs.map((slug) => [slug, tx.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.slug, slug)).get()?.id]));
    const unknown = slugs.filter((slug) => systems.get(slug) === undefined);
    if (unknown.length > 0) throw new HttpProblem("validation", `Unknown AI system: ${unknown.join(", ")}.`);
    try {
      return recordInteraction(tx, {
        customerId: input.customerId,
        source: input.source,
        ref: input.ref,
        channel: input.channel,
        subject: input.subject,
        occurredAt: Date.parse(input.occurredAt),
        ai: input.ai.map((a) => ({
          systemId: systems.get(a.aiSystem)!,
          role: a.role,
          actionKey: a.action ?? null,
          actionDetail: a.actionDetail ?? null,
          humanReviewed: a.humanReviewed,
          trainingEligible: a.trainingEligible,
        })),
      });
    } catch (error) {
      if (!(error instanceof InteractionConflictError)) throw error;
      const issues = error.fields.map((field) => ({ path: field, code: "conflict", message: `Differs from the recorded interaction's ${field}.` }));
      throw new HttpProblem("conflict", `This source and ref were recorded with a different ${error.fields.join(", ")}; nothing was changed.`, issues);
    }
  });
  sendJson(res, result.created ? 201 : 200, { id: result.id, source: input.source, ref: input.ref, created: result.created });
}

function concernSummary(c: typeof concerns.$inferSelect & { aiSystem: string | null; interactionRef: string | null }) {
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

function concernQuery(db: SyncDb) {
  return db
    .select({ concern: concerns, aiSystem: aiSystems.slug, interactionRef: interactions.ref })
    .from(concerns)
    .leftJoin(aiSystems, eq(aiSystems.id, concerns.systemId))
    .leftJoin(interactions, eq(interactions.id, concerns.interactionId));
}

async function listConcerns(req: IncomingMessage, res: ServerResponse, db: Connection, search: URLSearchParams) {
  const key = await admit(req, res, db, "concerns");
  if (!key) return;
  const query = validate(res, s.ConcernListQuery, Object.fromEntries(search));
  if (!query) return;
  const filters: SQL[] = [];
  if (query.status) filters.push(eq(concerns.status, query.status));
  if (query.since) filters.push(gte(concerns.updatedAt, Date.parse(query.since)));
  const where = filters.length > 0 ? and(...filters) : undefined;
  const page = audited(db, key, "concerns.list", null, (tx) => {
    const total = tx.select({ n: count() }).from(concerns).where(where).get()?.n ?? 0;
    const rows = concernQuery(tx)
      .where(where)
      .orderBy(asc(concerns.updatedAt), asc(concerns.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .all();
    return { total, rows };
  });
  sendJson(res, 200, {
    items: page.rows.map((r) => concernSummary({ ...r.concern, aiSystem: r.aiSystem, interactionRef: r.interactionRef })),
    page: query.page,
    pageSize: query.pageSize,
    total: page.total,
  });
}

async function getConcern(req: IncomingMessage, res: ServerResponse, db: Connection, rawRef: string) {
  const key = await admit(req, res, db, "concerns");
  if (!key) return;
  const ref = validate(res, s.ConcernRef, rawRef);
  if (ref === undefined) return;
  const found = audited(db, key, "concerns.get", { type: "concern", id: ref }, (tx) => {
    const row = concernQuery(tx).where(eq(concerns.ref, ref)).get();
    if (!row) throw new HttpProblem("not_found", "Unknown concern.");
    const messages = tx
      .select()
      .from(concernMessages)
      .where(and(eq(concernMessages.concernId, row.concern.id), eq(concernMessages.visibility, "public")))
      .orderBy(asc(concernMessages.createdAt), asc(concernMessages.id))
      .all();
    return { row, messages };
  });
  const c = found.row.concern;
  sendJson(res, 200, {
    ...concernSummary({ ...c, aiSystem: found.row.aiSystem, interactionRef: found.row.interactionRef }),
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

async function route(req: IncomingMessage, res: ServerResponse, pathname: string, search: string): Promise<void> {
  // HEAD is answered wherever GET is, with the same status and headers (node:http drops the body).
  const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
  const rest = pathname.slice(API_PREFIX.length);
  if (rest === "/decisions") return method === "POST" ? postDecision(req, res, getDb()) : methodNotAllowed(res, "POST");
  const parts = rest.split("/");
  // parts[0] is "" (leading slash)
  if (parts[1] === "customers" && parts.length === 4 && parts[3] === "preferences") {
    const id = segment(parts[2]!);
    if (id === null) return sendProblem(res, "validation", "Malformed customer id.");
    return method === "GET" ? getPreferences(req, res, getDb(), id) : methodNotAllowed(res, "GET, HEAD");
  }
  if (rest === "/openapi.json") {
    if (method !== "GET") return methodNotAllowed(res, "GET, HEAD");
    const text = openApiJson();
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "public, max-age=300" });
    return void res.end(text);
  }
  if (rest === "/links") return method === "POST" ? postLink(req, res, getDb()) : methodNotAllowed(res, "POST");
  if (rest === "/interactions") return method === "POST" ? postInteraction(req, res, getDb()) : methodNotAllowed(res, "POST");
  if (rest === "/concerns") return method === "GET" ? listConcerns(req, res, getDb(), new URLSearchParams(search)) : methodNotAllowed(res, "GET, HEAD");
  if (parts[1] === "concerns" && parts.length === 3) {
    const ref = segment(parts[2]!);
    if (ref === null) return sendProblem(res, "validation", "Malformed reference.");
    return method === "GET" ? getConcern(req, res, getDb(), ref) : methodNotAllowed(res, "GET, HEAD");
  }
  if (parts[1] === "customers" && parts.length === 3) {
    const id = segment(parts[2]!);
    if (id === null) return sendProblem(res, "validation", "Malformed customer id.");
    if (method === "PUT") return putCustomer(req, res, getDb(), id);
    if (method === "DELETE") return deleteCustomer(req, res, getDb(), id);
    return methodNotAllowed(res, "PUT, DELETE");
  }
  sendProblem(res, "not_found", "No such API endpoint.");
}

/** Answers /api/v1/* itself (returns true) or leaves the request to the next handler (false). */
export function handleApiRequest(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const pathname = q < 0 ? url : url.slice(0, q);
  if (pathname !== API_PREFIX && !pathname.startsWith(API_PREFIX + "/")) return false;
  route(req, res, pathname, q < 0 ? "" : url.slice(q + 1)).catch((error: unknown) => {
    if (res.headersSent) return void res.destroy();
    if (error instanceof HttpProblem) return sendProblem(res, error.code, error.detail, error.issues ? { issues: error.issues } : {});
    console.error("API error", error);
    sendProblem(res, "internal");
  });
  return true;
}

/** Puts the lean API in front of another handler (the Express app serving pages). */
export function withLeanApi(next: RequestListener): RequestListener {
  return (req, res) => {
    if (!handleApiRequest(req, res)) next(req, res);
  };
}
