/**
 * Fuzzes every operation of the OpenAPI document through the lean API handler (the one
 * app/server.ts mounts), in-process, on a fresh database per operation: bodies shaped by the
 * operation's own schema with hostile values at every level, extra and missing fields, arbitrary
 * JSON, non-JSON, oversized bodies, wrong content types and lengths, bad percent-encoding in paths
 * and query strings, missing/unknown/under-scoped keys, other methods. Asserted: never a 5xx; a
 * 4xx stores nothing (the row count of every table is unchanged).
 */
import { Readable } from "node:stream";
import type { IncomingMessage, ServerResponse } from "node:http";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { handleApiRequest } from "../../app/api/handler.server";
import { openApiDocument } from "../../app/api/openapi";
import { createApiKey } from "../../app/domain/api-keys.server";
import { createServices, type Services } from "../../app/services.server";
import { freshTestDatabase } from "../support/database";
import { changedTables, fastWrites, fieldValue, fuzzParameters, muteConsole, pathSegment, queryString, RUNS, sqliteClientOf, statusTally, tableCounter, yieldToEventLoop } from "./support";

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  properties?: Record<string, JsonSchema>;
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

/** Values of the schema's shape, with hostile values at every level. */
function fromSchema(input: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  const junk = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fieldValue([]), fc.constantFrom(null, -1, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER + 2, "", [], {}));
  const variants = schema.anyOf ?? schema.oneOf;
  let shaped: fc.Arbitrary<unknown>;
  if (variants) shaped = fc.oneof(...variants.map((v) => fromSchema(v, depth + 1)));
  else if (schema.enum) shaped = fc.constantFrom(...schema.enum);
  else {
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case "object": {
        const props = Object.entries(schema.properties ?? {});
        shaped = fc
          .tuple(
            fc.tuple(...props.map(([name, s]) => fc.option(fromSchema(s, depth + 1), { nil: undefined, freq: 12 }).map((v) => [name, v] as const))),
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
        shaped = depth > 3 ? fc.constant([]) : fc.array(fromSchema(schema.items ?? {}, depth + 1), { maxLength: 3 });
        break;
      case "integer":
      case "number":
        shaped = fc.oneof(fc.integer({ min: -5, max: 400 }), fc.double(), fc.constantFrom(0, 1, 7, 30, 366, 2 ** 31));
        break;
      case "boolean":
        shaped = fc.boolean();
        break;
      case "string":
        shaped =
          schema.format === "date-time"
            ? fc.oneof(fc.date({ noInvalidDate: true, min: new Date(-1e14), max: new Date(1e14) }).map((d) => d.toISOString()), fc.constantFrom("2026-02-30T10:00:00Z", "2026-11-20T10:00:00", "yesterday"))
            : fc.oneof({ weight: 3, arbitrary: fc.constantFrom("demo-customer-1", "demo-customer-2", "chat-assistant", "network-troubleshooter", "troubleshooting", "T-1001", "crm", "en", "fr") }, { weight: 1, arbitrary: fieldValue([]) });
        break;
      default:
        shaped = fc.jsonValue({ maxDepth: 2 });
    }
  }
  return fc.oneof({ weight: 20, arbitrary: shaped }, { weight: 1, arbitrary: junk });
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
      const all = (await createApiKey(db, { name: "fuzz", scopes: ["links", "customers", "interactions", "decisions", "concerns"] })).key;
      const underScoped = (await createApiKey(db, { name: "fuzz-narrow", scopes: ["links"] })).key;
      const ref = client.prepare("select ref from concerns order by id limit 1").pluck().get() as string;
      const valid: Record<string, string[]> = { id: ["demo-customer-1", "demo-customer-2", "fuzz-new-1"], ref: [ref] };
      const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

      const bodyArb: fc.Arbitrary<ApiCase["body"]> = fc.record({
        text: fc.oneof(
          { weight: 8, arbitrary: op.body ? fromSchema(op.body).map((v) => JSON.stringify(v) ?? "null") : fc.constant(null) },
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
        }),
        fuzzParameters(200 + index),
      )
        .finally(async () => {
          tally.report();
          unmute();
          await services.database.close();
        });
    });
  });
});
