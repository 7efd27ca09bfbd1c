/**
 * Fuzzes every operation of the OpenAPI document through the lean API handler (the one
 * app/server.ts mounts), in-process, on a fresh database per operation: bodies shaped by the
 * operation's own schema with hostile values at every level, extra and missing fields, arbitrary
 * JSON, non-JSON, oversized bodies, wrong content types and lengths, bad percent-encoding in paths
 * and query strings, missing/unknown/under-scoped keys, other methods. Asserted: never a 5xx; a
 * 4xx stores nothing (the row count of every table is unchanged).
 *
 * Each database also holds the state the permission endpoints (SPEC §11) act on — confirmations
 * pending, approved and declined, allow decisions, interactions eligible for training or not — and
 * string fields draw from the values that exist there (per field name: customerId, action,
 * confirmationId, decisionId, source, ref…), and some bodies are built whole from that state (a
 * decision presenting a matching approval, an action naming its decision, a training batch of
 * known interactions), so cases get past validation into the rules. With enough cases, the
 * decision check is asserted to have answered allow, ask and deny, including the identity rule
 * and a spent approval.
 */
import { Readable } from "node:stream";
import type { IncomingMessage, ServerResponse } from "node:http";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { handleApiRequest } from "../../app/api/handler.server";
import { openApiDocument } from "../../app/api/openapi";
import { createApiKey } from "../../app/domain/api-keys.server";
import { answerConfirmation, createConfirmation } from "../../app/domain/confirmations.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { recordInteraction } from "../../app/domain/interactions.server";
import { savePreferences } from "../../app/domain/preferences.server";
import { API_SCOPES } from "../../app/domain/vocabulary";
import { createServices, type Services } from "../../app/services.server";
import { aiSystems } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import { changedTables, fastWrites, fieldValue, fuzzParameters, muteConsole, pathSegment, queryString, RUNS, sqliteClientOf, statusTally, tableCounter, yieldToEventLoop } from "./support";

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
}

interface Operation {
  method: string;
  path: string;
  body?: JsonSchema;
  query: string[];
}

const document = openApiDocument() as {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> }; parameters?: { name: string; in: string }[] }>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

function resolve(schema: JsonSchema): JsonSchema {
  if (schema.$ref) return resolve(document.components!.schemas![schema.$ref.split("/").pop()!]!);
  return schema;
}

const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    body: op.requestBody?.content["application/json"]?.schema,
    query: (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
  })),
);

/** Strings that exist in the fuzzed database (or almost do), per field name; `*`: any other field. */
type Known = Record<string, string[]>;

/** Strings for fields the state does not name: what the demo seed holds, and near misses. */
const GENERAL = ["demo-customer-1", "demo-customer-2", "chat-assistant", "network-troubleshooter", "troubleshooting", "T-1001", "crm", "en", "fr"];

/**
 * Values of the schema's shape, with hostile values at every level. `field`: the property the
 * value is for (its known values are preferred).
 */
function fromSchema(input: JsonSchema, known: Known, depth = 0, field?: string): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  const junk = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fieldValue([]), fc.constantFrom(null, -1, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER + 2, "", [], {}));
  const variants = schema.anyOf ?? schema.oneOf;
  const candidates = (field !== undefined ? known[field] : undefined) ?? GENERAL;
  let shaped: fc.Arbitrary<unknown>;
  if (variants) shaped = fc.oneof(...variants.map((v) => fromSchema(v, known, depth + 1, field)));
  else if (schema.enum) shaped = fc.constantFrom(...schema.enum);
  else {
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case "object": {
        const props = Object.entries(schema.properties ?? {});
        const additional = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
        if (props.length === 0 && additional) {
          // A map (e.g. a summary per language): known keys, odd keys, values of its schema.
          shaped = fc.dictionary(fc.oneof(fc.constantFrom("en", "fr", "de", "ar", "xx", "EN"), fc.string({ maxLength: 4 })), fromSchema(additional, known, depth + 1), { maxKeys: 3 });
          break;
        }
        shaped = fc
          .tuple(
            fc.tuple(...props.map(([name, s]) => fc.option(fromSchema(s, known, depth + 1, name), { nil: undefined, freq: 12 }).map((v) => [name, v] as const))),
            fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("__proto__", "constructor")), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
          )
          .map(([known, extra]) => {
            const value: Record<string, unknown> = JSON.parse(JSON.stringify(extra));
            for (const [name, v] of known) if (v !== undefined) value[name] = v;
            return value;
          });
        break;
      }
      case "array":
        shaped = depth > 3 ? fc.constant([]) : fc.array(fromSchema(schema.items ?? {}, known, depth + 1, field), { maxLength: 3 });
        break;
      case "integer":
      case "number":
        shaped = fc.oneof(fc.integer({ min: -5, max: 400 }), fc.double(), fc.constantFrom(0, 1, 7, 30, 366, 2 ** 31), fc.integer({ min: 0, max: 100_000 }).map((n) => n / 100), fc.constantFrom(0.001, 19.999, 1e12));
        break;
      case "boolean":
        shaped = fc.boolean();
        break;
      case "string":
        if (schema.format === "date-time") {
          shaped = fc.oneof(fc.date({ noInvalidDate: true, min: new Date(-1e14), max: new Date(1e14) }).map((d) => d.toISOString()), fc.constantFrom("2026-02-30T10:00:00Z", "2026-11-20T10:00:00", "yesterday"));
        } else if (schema.format === "uuid") {
          const ids = field !== undefined ? known[field] : undefined;
          shaped = fc.oneof(
            { weight: 4, arbitrary: ids && ids.length > 0 ? fc.constantFrom(...ids) : fc.uuid() },
            { weight: 1, arbitrary: fc.uuid() },
            { weight: 1, arbitrary: fc.constantFrom("00000000-0000-0000-0000-000000000000", "not-a-uuid", "") },
          );
        } else {
          shaped = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...candidates) }, { weight: 1, arbitrary: fieldValue([]) });
        }
        break;
      default:
        shaped = fc.jsonValue({ maxDepth: 2 });
    }
  }
  return fc.oneof({ weight: 20, arbitrary: shaped }, { weight: 1, arbitrary: junk });
}

/** What each fuzzed database holds for the permission endpoints (SPEC §11), made through the domain. */
interface PermissionState {
  known: Known;
  /** Approved confirmations with their details as the API states them (a matching decision spends one). */
  approved: { confirmationId: string; customerId: string; action: string; aiSystem: string; context: Record<string, unknown> }[];
  /** Allow decisions an acted AI involvement may name. */
  allowed: { decisionId: string; customerId: string; action: string; aiSystem: string }[];
  /** (source, ref) of interactions: eligible and still opted in, opted out since, never eligible. */
  interactions: { source: string; ref: string }[];
}

const DAY = 24 * 60 * 60 * 1000;

async function permissionState(services: Services, keyId: number): Promise<PermissionState> {
  const { db } = services;
  const now = Date.now();
  const [system] = await db.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.slug, "chat-assistant")).limit(1);
  await upsertCustomer(db, { id: "fuzz-a", locale: "en" });
  await upsertCustomer(db, { id: "fuzz-b", locale: "fr" });
  await savePreferences(db, { customerId: "fuzz-a", values: { "plan-changes": "ask", troubleshooting: "allow", orders: "ask", training: "yes" }, lang: "en", method: "portal", now: now - 10 * DAY });
  await savePreferences(db, { customerId: "fuzz-b", values: { training: "yes" }, lang: "fr", method: "portal", now: now - 10 * DAY });
  const interactions: PermissionState["interactions"] = [];
  for (const [customerId, ref, flag] of [["fuzz-a", "F-1", true], ["fuzz-a", "F-2", true], ["fuzz-a", "F-3", false], ["fuzz-b", "F-4", true]] as const) {
    await recordInteraction(db, { customerId, source: "crm", ref, channel: "chat", subject: ref, occurredAt: now - 5 * DAY, ai: [{ systemId: system!.id, role: "answered", humanReviewed: false, trainingEligible: flag }] });
    interactions.push({ source: "crm", ref });
  }
  await savePreferences(db, { customerId: "fuzz-b", values: { training: "no" }, lang: "fr", method: "portal", now: now - DAY });

  const asks = [
    { customerId: "fuzz-a", action: "plan-changes", aiSystem: "offer-predictor", details: { amount: 20, currency: "EUR" } },
    { customerId: "fuzz-a", action: "plan-changes", aiSystem: "offer-predictor", details: {} },
    { customerId: "fuzz-a", action: "orders", aiSystem: "network-troubleshooter", details: { channel: "sms" } },
    { customerId: "fuzz-a", action: "plan-changes", aiSystem: "offer-predictor", details: { amount: 9.99, currency: "EUR", channel: "email" } },
  ];
  const approved: PermissionState["approved"] = [];
  const confirmationIds: string[] = [];
  for (const [index, ask] of [...asks, ...asks].entries()) {
    const created = await createConfirmation(db, {
      keyId,
      customerId: ask.customerId,
      actionKey: ask.action,
      aiSystemSlug: ask.aiSystem,
      interactionRef: null,
      summary: { en: `Fuzz request ${index}` },
      amountHundredths: "amount" in ask.details ? Math.round(ask.details.amount! * 100) : null,
      currency: "currency" in ask.details ? ask.details.currency! : null,
      channel: "channel" in ask.details ? ask.details.channel! : null,
      effectiveAt: null,
      expiresInMinutes: 1440,
      baseUrl: "http://localhost",
    });
    if (created.status !== "created") throw new Error(`fuzz state: confirmation ${index} not created (${created.status})`);
    const id = created.confirmation.id;
    confirmationIds.push(id);
    // The first copy of each is approved, the second declined or left pending.
    if (index < asks.length) {
      await answerConfirmation(db, { customerId: ask.customerId, id, answer: "approved", method: "portal", lang: "en" });
      approved.push({ confirmationId: id, customerId: ask.customerId, action: ask.action, aiSystem: ask.aiSystem, context: ask.details });
    } else if (index % 2 === 0) {
      await answerConfirmation(db, { customerId: ask.customerId, id, answer: "declined", method: "embed", lang: "en" });
    }
  }

  const allowed: PermissionState["allowed"] = [];
  const decisionIds: string[] = [];
  for (const [customerId, action, aiSystem, verified] of [["fuzz-a", "troubleshooting", "network-troubleshooter", true], ["fuzz-a", "troubleshooting", "network-troubleshooter", true], ["fuzz-a", "troubleshooting", "network-troubleshooter", false], ["fuzz-a", "plan-changes", "offer-predictor", true]] as const) {
    const decision = await services.decide({ customerId, actionKey: action, aiSystemSlug: aiSystem, interactionRef: null, confirmationId: null, context: { identity: { verified } } });
    decisionIds.push(decision.id);
    if (decision.decision === "allow") allowed.push({ decisionId: decision.id, customerId, action, aiSystem });
  }
  if (allowed.length === 0) throw new Error("fuzz state: no allow decision");

  const known: Known = {
    customerId: ["demo-customer-1", "demo-customer-2", "fuzz-a", "fuzz-b", "fuzz-new-1"],
    action: ["plan-changes", "troubleshooting", "orders", "billing-arrangements", "ai_first_contact", "disclose_account_information", "no-such-action"],
    aiSystem: ["offer-predictor", "network-troubleshooter", "chat-assistant", "no-such-system"],
    interactionRef: ["F-1", "F-2", "T-1001", "none"],
    ref: ["F-1", "F-2", "F-3", "F-4", "T-1001", "none"],
    source: ["crm", "contact-center", "other"],
    dataset: ["assistant-finetune-2026-11", "eval-set"],
    currency: ["EUR", "USD", "eur"],
    method: ["one_time_code", "password"],
    confirmationId: confirmationIds,
    decisionId: decisionIds,
  };
  return { known, approved, allowed, interactions };
}

/**
 * Whole bodies built from the state, per operation, so the rules past validation run: a decision
 * presenting an approval with its exact details (once allowed, then spent), an action naming the
 * decision that allowed it (or another one), a training batch of known and unknown interactions.
 */
function scenarios(op: Operation, state: PermissionState): fc.Arbitrary<unknown> | undefined {
  const key = `${op.method} ${op.path}`;
  const customer = fc.constantFrom("fuzz-a", "fuzz-a", "fuzz-b", "demo-customer-1", "erased-or-unknown");
  const pair = fc.constantFrom<[string, string]>(
    ["plan-changes", "offer-predictor"],
    ["billing-arrangements", "offer-predictor"],
    ["troubleshooting", "network-troubleshooter"],
    ["orders", "network-troubleshooter"],
    ["disclose_account_information", "chat-assistant"],
    ["ai_first_contact", "chat-assistant"],
    ["plan-changes", "network-troubleshooter"],
  );
  const details = fc.record(
    { amount: fc.constantFrom(0, 9.99, 20, 20.01, 1e6), currency: fc.constantFrom("EUR", "USD"), channel: fc.constantFrom("chat", "email", "sms"), at: fc.date({ min: new Date("2026-01-01"), max: new Date("2027-01-01"), noInvalidDate: true }).map((d) => d.toISOString()) },
    { requiredKeys: [] },
  ).map((d) => (d.amount !== undefined && d.currency === undefined ? { ...d, currency: "EUR" } : d));
  if (key === "POST /api/v1/decisions") {
    const presenting = fc.record({
      approval: fc.constantFrom(...state.approved),
      verified: fc.boolean(),
      tweak: fc.constantFrom("none", "none", "none", "amount", "customer", "action"),
    }).map(({ approval, verified, tweak }) => ({
      customerId: tweak === "customer" ? "fuzz-b" : approval.customerId,
      action: tweak === "action" ? "orders" : approval.action,
      aiSystem: approval.aiSystem,
      confirmationId: approval.confirmationId,
      context: tweak === "amount" ? { ...approval.context, amount: 20.01, currency: "EUR" } : approval.context,
      identity: { verified, method: "one_time_code" },
    }));
    const plain = fc.record({ customerId: customer, pair, context: fc.option(details, { nil: undefined }), verified: fc.constantFrom(true, true, true, false) }).map(({ customerId, pair: [action, aiSystem], context, verified }) => ({
      customerId,
      action,
      aiSystem,
      ...(context ? { context } : {}),
      identity: { verified },
    }));
    return fc.oneof(presenting, plain);
  }
  if (key === "POST /api/v1/confirmations") {
    return fc.record({ customerId: customer, pair, details: fc.option(details.map(({ at, ...d }) => ({ ...d, ...(at ? { effectiveAt: at } : {}) })), { nil: undefined }), minutes: fc.constantFrom(1, 60, 1440, 10080) }).map(({ customerId, pair: [action, aiSystem], details, minutes }) => ({
      customerId,
      action,
      aiSystem,
      summary: { en: "Move you to a cheaper plan", fr: "Vous passer à un forfait moins cher" },
      ...(details ? { details } : {}),
      expiresInMinutes: minutes,
    }));
  }
  if (key === "POST /api/v1/interactions") {
    return fc.record({
      allowed: fc.constantFrom(...state.allowed),
      decisionId: fc.oneof(fc.constant(null), fc.constantFrom(...state.known.decisionId!), fc.uuid()),
      same: fc.boolean(),
      ref: fc.integer({ min: 1, max: 2000 }),
    }).map(({ allowed, decisionId, same, ref }) => ({
      customerId: allowed.customerId,
      source: "agent",
      ref: `A-${ref}`,
      channel: "chat",
      subject: "Router restarted",
      occurredAt: new Date().toISOString(),
      ai: [{ aiSystem: allowed.aiSystem, role: "acted", action: allowed.action, humanReviewed: false, trainingEligible: false, decisionId: same ? allowed.decisionId : decisionId }],
    }));
  }
  if (key === "POST /api/v1/training-uses") {
    const item = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...state.interactions) }, { weight: 1, arbitrary: fc.record({ source: fc.constantFrom("crm", "other"), ref: fc.constantFrom("F-9", "T-1001") }) });
    return fc.record({ dataset: fc.constantFrom("assistant-finetune-2026-11", "eval-set"), usedAt: fc.constant("2026-11-20T08:00:00Z"), interactions: fc.array(item, { minLength: 1, maxLength: 6 }) });
  }
  return undefined;
}

interface ApiCase {
  params: Record<string, string>;
  query: string;
  body: { text: string | null; type: string | null; length: "right" | "missing-chunked" | "lying" };
  auth: "all" | "none" | "unknown" | "under-scoped" | "malformed";
  method: string;
}

/** One request through the lean handler (on `services`), with an in-memory request and response. */
function call(services: Services, method: string, url: string, headers: Record<string, string>, body: Buffer | null): Promise<{ status: number; body: string }> {
  const req = Readable.from(body ? [body] : []) as unknown as IncomingMessage;
  Object.assign(req, { method, url, headers });
  return new Promise((resolve) => {
    let status = 0;
    const res: { headersSent: boolean; writeHead(code: number): unknown; end(text?: string): void; destroy(): void } = {
      headersSent: false,
      writeHead(code: number) {
        status = code;
        res.headersSent = true;
        return res;
      },
      end(text?: string) {
        resolve({ status, body: text ?? "" });
      },
      destroy() {
        resolve({ status: status || 0, body: "(destroyed)" });
      },
    };
    if (!handleApiRequest(req, res as unknown as ServerResponse, services)) resolve({ status: -1, body: "not an API path" });
  });
}

describe("the integration API under fuzzing", () => {
  it("covers every operation of the OpenAPI document", () => {
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(["POST /api/v1/decisions", "GET /api/v1/customers/{id}/preferences", "PUT /api/v1/customers/{id}", "DELETE /api/v1/customers/{id}", "POST /api/v1/interactions", "GET /api/v1/concerns"]),
    );
  });

  operations.forEach((op, index) => {
    it(`${op.method} ${op.path}: ${RUNS} cases, never a 5xx, nothing stored on a 4xx`, async () => {
      const unmute = muteConsole();
      const services = await createServices({ database: await freshTestDatabase(), migrate: false });
      // Raw SQL (row counts, pragmas) on the same connection.
      const client = sqliteClientOf(services.database);
      fastWrites(client);
      const counts = tableCounter(client);
      const { db } = services;
      const allKey = await createApiKey(db, { name: "fuzz", scopes: [...API_SCOPES] });
      const all = allKey.key;
      const underScoped = (await createApiKey(db, { name: "fuzz-narrow", scopes: ["links"] })).key;
      const ref = client.prepare("select ref from concerns order by id limit 1").pluck().get() as string;
      const state = await permissionState(services, allKey.id);
      const valid: Record<string, string[]> = op.path.startsWith("/api/v1/confirmations/")
        ? { id: state.known.confirmationId! }
        : { id: ["demo-customer-1", "demo-customer-2", "fuzz-a", "fuzz-new-1"], ref: [ref] };
      const scenario = scenarios(op, state);
      const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

      const bodyArb: fc.Arbitrary<ApiCase["body"]> = fc.record({
        text: fc.oneof(
          { weight: 8, arbitrary: op.body ? fromSchema(op.body, state.known).map((v) => JSON.stringify(v) ?? "null") : fc.constant(null) },
          { weight: scenario ? 4 : 0, arbitrary: (scenario ?? fc.constant(null)).map((v) => JSON.stringify(v)) },
          { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
          { weight: 1, arbitrary: fieldValue(["{", '{"a":', "[1,", '{"customerId":"demo-customer-1"', "\ufeff{}", "null", "tru"]) },
          { weight: 1, arbitrary: fc.constant(null) },
        ),
        type: fc.oneof(
          { weight: 12, arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8", "application/merge-patch+json") },
          { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "APPLICATION/JSON;;", null) },
        ),
        length: fc.constantFrom("right", "right", "right", "right", "right", "right", "missing-chunked", "lying"),
      });
      const caseArb: fc.Arbitrary<ApiCase> = fc.record({
        params: fc.record(Object.fromEntries(params.map((p) => [p, pathSegment(valid[p] ?? [])]))) as fc.Arbitrary<Record<string, string>>,
        query: op.query.length > 0 ? fc.oneof(queryString(op.query), fc.record(Object.fromEntries(op.query.map((q) => [q, fc.option(fieldValue(["new", "in_progress", "resolved", "1", "2", "25", "100", "2026-01-01T00:00:00Z"]))]))).map((r) => new URLSearchParams(Object.entries(r).filter(([, v]) => v !== null) as [string, string][]).toString())) : queryString([]),
        body: bodyArb,
        auth: fc.constantFrom("all", "all", "all", "all", "all", "all", "all", "none", "unknown", "under-scoped", "malformed"),
        method: fc.oneof({ weight: 9, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS") }),
      });

      const tally = statusTally(`${op.method} ${op.path}`);
      const reasons = new Map<string, number>();
      await fc
        .assert(
        fc.asyncProperty(caseArb, async (c) => {
          await yieldToEventLoop();
          let url = op.path;
          for (const p of params) url = url.replace(`{${p}}`, c.params[p]!);
          if (c.query) url += `?${c.query}`;
          const headers: Record<string, string> = {};
          if (c.auth === "all") headers.authorization = `Bearer ${all}`;
          if (c.auth === "under-scoped") headers.authorization = `Bearer ${underScoped}`;
          if (c.auth === "unknown") headers.authorization = "Bearer cnd_0000000000000000000000000000000000000000";
          if (c.auth === "malformed") headers.authorization = "Basic %%%";
          const body = c.body.text === null ? null : Buffer.from(c.body.text);
          if (c.body.type) headers["content-type"] = c.body.type;
          if (body && c.body.length === "right") headers["content-length"] = String(body.length);
          if (body && c.body.length === "missing-chunked") headers["transfer-encoding"] = "chunked";
          if (body && c.body.length === "lying") headers["content-length"] = String(body.length * 1000 + 70_000);
          const before = counts();
          const response = await call(services, c.method, url, headers, body);
          tally.add(response.status);
          expect(response.status, `${c.method} ${url} → ${response.status}: ${response.body.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
          expect(response.status, `${c.method} ${url} → ${response.status}: ${response.body.slice(0, 300)}`).toBeLessThan(500);
          if (response.status >= 400) expect(changedTables(before, counts()), `${c.method} ${url} → ${response.status} stored rows`).toEqual([]);
          if (response.status === 200 && c.method === "POST" && op.path === "/api/v1/decisions") {
            const { decision, reason } = JSON.parse(response.body) as { decision: string; reason: string };
            reasons.set(`${decision}:${reason}`, (reasons.get(`${decision}:${reason}`) ?? 0) + 1);
          }
        }),
        fuzzParameters(200 + index),
      )
        .finally(async () => {
          tally.report();
          if (process.env.FUZZ_STATS === "1" && reasons.size > 0) process.stderr.write(`fuzz decisions: ${[...reasons].map(([r, n]) => `${r}×${n}`).join(" ")}\n`);
          unmute();
          await services.database.close();
        });
      if (op.method === "POST" && op.path === "/api/v1/decisions" && RUNS >= 2000) {
        // The fuzz keeps reaching the rules, not only validation: every kind of answer, the identity
        // rule (SPEC §11.3), an approval allowing once (SPEC §11.1) and then refused as spent.
        const seen = [...reasons.keys()];
        for (const expected of ["allow:confirmed_by_customer", "deny:identity_not_verified", "deny:confirmation_used", "deny:unknown_customer"]) expect(seen).toContain(expected);
        for (const answer of ["allow:", "ask:", "deny:"]) expect(seen.some((r) => r.startsWith(answer)), answer).toBe(true);
      }
    });
  });
});
