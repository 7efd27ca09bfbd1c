/* eslint-disable @typescript-eslint/no-explicit-any -- the test walks an OpenAPI document of arbitrary shape */
/**
 * The integration API keeps the promises of its own OpenAPI document, through the real server
 * (app/server.ts createApp, spawned as `npm start` runs it): every string field of every
 * operation at its boundaries, HEAD wherever GET, and re-posts of an interaction.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../app/domain/api-keys.server";
import { rawAll, rawGet, rawValue } from "../support/raw-sql";
import { startServer, type RunningServer } from "../support/server";

/** The server's database, for raw SQL (another connection, as the CLI would). */
let database: RunningServer["database"];
let server: RunningServer;
let base: string;
let key: string;

beforeAll(async () => {
  server = await startServer({
    async prepare(database) {
      key = (await createApiKey(database, { name: "all", scopes: ["links", "customers", "interactions", "decisions", "concerns", "training"] })).key;
    },
  });
  ({ base, database } = server);
}, 60_000);
afterAll(() => server?.stop());

async function api(method: string, pathname: string, body?: unknown) {
  const response = await fetch(base + pathname, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? (JSON.parse(text) as any) : null };
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

describe("U+0000 in a JSON body (PostgreSQL cannot store or compare it in text)", () => {
  it("is a 400 naming the problem wherever it stands, and nothing is stored", async () => {
    const ref = unique("NUL");
    const bodies: [string, unknown][] = [
      ["/api/v1/interactions", { customerId: "demo-customer-1", source: "crm", ref, channel: "chat", subject: "Plan", occurredAt: "2026-03-01T10:00:00Z", ai: [{ aiSystem: "offer-predictor", role: "predicted", actionDetail: "a\u0000b", humanReviewed: false, trainingEligible: false }] }],
      ["/api/v1/decisions", { customerId: "demo-customer-1\u0000", action: "orders", aiSystem: "network-troubleshooter" }],
      ["/api/v1/confirmations", { customerId: "demo-customer-1", action: "orders", aiSystem: "network-troubleshooter", summary: { en: "x", "e\u0000": "y" } }],
    ];
    for (const [path, body] of bodies) {
      const response = await api("POST", path, body);
      expect(response.status, path).toBe(400);
      expect(response.json.detail).toContain("U+0000");
    }
    expect(await rawValue(database, "select count(*) from interactions where ref = ?", ref)).toBe(0);
  });
});

describe("POST /interactions re-posts (idempotent on source + ref)", () => {
  const body = () => ({
    customerId: "demo-customer-1",
    source: "crm",
    ref: unique("R"),
    channel: "chat",
    subject: "Plan change",
    occurredAt: "2026-03-01T10:00:00Z",
    ai: [{ aiSystem: "offer-predictor", role: "predicted", action: "plan-changes", humanReviewed: false, trainingEligible: false }],
  });
  const stored = (ref: string) => rawGet(database, "select customer_id, channel, subject, occurred_at from interactions where source = 'crm' and ref = ?", ref);
  const storedAi = (ref: string) =>
    rawAll(database, "select a.role, a.action_key, a.human_reviewed from interaction_ai a join interactions i on i.id = a.interaction_id where i.ref = ?", ref);

  it("the same content answers the stored record; a changed one is a 409 naming what differs, nothing changed", async () => {
    const first = body();
    const created = await api("POST", "/api/v1/interactions", first);
    expect(created.status).toBe(201);
    const before = { row: await stored(first.ref), ai: await storedAi(first.ref) };

    // Same content (the same instant written differently is the same content).
    for (const same of [first, { ...first, occurredAt: "2026-03-01T11:00:00+01:00" }]) {
      const replay = await api("POST", "/api/v1/interactions", same);
      expect(replay.status).toBe(200);
      expect(replay.json).toEqual({ id: created.json.id, source: "crm", ref: first.ref, created: false, breaches: [] });
    }

    const changes: [Record<string, unknown>, string[]][] = [
      [{ subject: "Plan change (corrected)" }, ["subject"]],
      [{ channel: "email" }, ["channel"]],
      [{ occurredAt: "2026-03-01T10:00:01Z" }, ["occurredAt"]],
      [{ customerId: "demo-customer-2" }, ["customerId"]],
      [{ ai: [{ ...first.ai[0], humanReviewed: true }] }, ["ai"]],
      [{ ai: [] }, ["ai"]],
      [{ ai: [first.ai[0], first.ai[0]] }, ["ai"]],
      [{ subject: "Other", channel: "phone" }, ["channel", "subject"]],
    ];
    for (const [change, fields] of changes) {
      const result = await api("POST", "/api/v1/interactions", { ...first, ...change });
      expect(result.status, JSON.stringify(change)).toBe(409);
      expect(result.headers.get("content-type")).toContain("application/problem+json");
      expect(result.json.issues.map((i: { path: string }) => i.path)).toEqual(fields);
    }
    expect({ row: await stored(first.ref), ai: await storedAi(first.ref) }).toEqual(before);
  });

  it("a re-post compares the agent's training flag with the one it reported, not with the eligibility fixed at the time", async () => {
    // A fresh customer on the protective default (no training): the stored eligibility is false
    // although the agent reported true; the identical re-post is still the same content.
    const customerId = unique("c");
    expect((await api("PUT", `/api/v1/customers/${customerId}`, { email: `${customerId}@example.com` })).status).toBe(201);
    const first = { ...body(), customerId, ai: [{ ...body().ai[0], trainingEligible: true }] };
    expect((await api("POST", "/api/v1/interactions", first)).status).toBe(201);
    const row = await rawGet(database, "select a.training_eligible, a.training_reported from interaction_ai a join interactions i on i.id = a.interaction_id where i.ref = ?", first.ref);
    expect(row).toEqual(database.engine === "sqlite" ? { training_eligible: 0, training_reported: 1 } : { training_eligible: false, training_reported: true });
    expect((await api("POST", "/api/v1/interactions", first)).status).toBe(200);
    const flipped = await api("POST", "/api/v1/interactions", { ...first, ai: [{ ...first.ai[0], trainingEligible: false }] });
    expect(flipped.status).toBe(409);
  });
});

// ── The OpenAPI document against the server, field by field ───────────────────────────────
interface StringField {
  operation: string;
  method: string;
  path: string;
  where: "path" | "body";
  /** Path in the body (["ai", 0, "action"]) or the path parameter's name. */
  pointer: (string | number)[];
  schema: { minLength?: number; maxLength?: number; pattern?: string };
}

function resolve(doc: any, schema: any): any {
  return schema?.$ref ? resolve(doc, doc.components.schemas[schema.$ref.split("/").pop()]) : schema;
}

function isConstrainedString(schema: any): boolean {
  const types = [schema?.type].flat();
  return types.includes("string") && (schema.minLength !== undefined || schema.maxLength !== undefined || schema.pattern !== undefined);
}

function stringFields(doc: any): StringField[] {
  const fields: StringField[] = [];
  for (const [p, operations] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(operations)) {
      const operation = `${method.toUpperCase()} ${p}`;
      for (const param of op.parameters ?? []) {
        if (param.in === "path" && isConstrainedString(param.schema)) fields.push({ operation, method, path: p, where: "path", pointer: [param.name], schema: param.schema });
      }
      const walk = (schema: any, pointer: (string | number)[]) => {
        schema = resolve(doc, schema);
        if (isConstrainedString(schema)) fields.push({ operation, method, path: p, where: "body", pointer, schema });
        for (const [name, property] of Object.entries<any>(schema?.properties ?? {})) walk(property, [...pointer, name]);
        if (schema?.type === "array" && schema.items) walk(schema.items, [...pointer, 0]);
      };
      const body = op.requestBody?.content?.["application/json"]?.schema;
      if (body) walk(body, []);
    }
  }
  return fields;
}

/** What the document says about a value: JSON Schema counts code points; patterns are ECMA-262. */
function documentAccepts(schema: StringField["schema"], value: string): boolean {
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) return false;
  if (schema.maxLength !== undefined && length > schema.maxLength) return false;
  return schema.pattern === undefined || new RegExp(schema.pattern, "u").test(value);
}

function boundaryValues(schema: StringField["schema"]): string[] {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 12;
  const values = new Set<string>(["", " ", "  ", "\t", " a", "a ", " a ", "a b", "a\tb", "a\nb", "a\u0000b", "\u00a0a", "a\u2028", "é", "😀", "C-7K3F-9Q2M", "crm", "demo-customer-1"]);
  for (const n of [min - 1, min, max, max + 1]) {
    if (n < 0) continue;
    values.add("a".repeat(n));
    values.add("😀".repeat(n)); // 2 UTF-16 units, 1 code point each
    if (n >= 2) values.add(` ${"a".repeat(n - 2)} `); // padded, over-long once trimmed
    if (n >= 1) values.add(`${"a".repeat(n)} `); // an accepted length, padded
  }
  return [...values];
}

/** A valid request for each operation, with `value` placed at the field under test. */
function request(field: StringField, value: string): { method: string; url: string; body?: unknown } {
  const ref = unique("T");
  const bodies: Record<string, any> = {
    "POST /api/v1/links": { customerId: "demo-customer-1", interactionRef: "NL-1" },
    "PUT /api/v1/customers/{id}": { locale: "en" },
    "POST /api/v1/decisions": {
      customerId: "demo-customer-1",
      action: "plan-changes",
      aiSystem: "offer-predictor",
      interactionRef: "NL-1",
      context: { amount: 20, currency: "EUR", channel: "email", at: "2026-03-01T10:00:00Z" },
      identity: { verified: true, method: "one_time_code" },
    },
    "POST /api/v1/confirmations": {
      customerId: "demo-customer-1",
      action: "plan-changes",
      aiSystem: "offer-predictor",
      interactionRef: "NL-1",
      summary: { en: "Move you to another plan" },
      details: { amount: 20, currency: "EUR", channel: "email", effectiveAt: "2026-03-01T10:00:00Z" },
      expiresInMinutes: 60,
    },
    "POST /api/v1/training-uses": { dataset: "contract-dataset", usedAt: "2026-03-01T10:00:00Z", interactions: [{ source: "crm", ref: "NL-1" }] },
    "POST /api/v1/interactions": {
      customerId: "demo-customer-1",
      source: "crm",
      ref,
      channel: "chat",
      subject: "Subject",
      occurredAt: "2026-03-01T10:00:00Z",
      ai: [{ aiSystem: "offer-predictor", role: "predicted", action: "plan-changes", actionDetail: "detail", humanReviewed: false, trainingEligible: false }],
    },
  };
  const params: Record<string, string> = { id: unique("contract-customer"), ref: "C-0000-0000" };
  let body = bodies[field.operation] ? structuredClone(bodies[field.operation]) : undefined;
  if (field.where === "path") params[field.pointer[0] as string] = value;
  else {
    let target = body;
    for (const step of field.pointer.slice(0, -1)) target = target[step];
    target[field.pointer.at(-1)!] = value;
  }
  if (field.method === "get" || field.method === "delete") body = undefined;
  const url = field.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!));
  return { method: field.method.toUpperCase(), url, body };
}

describe("the OpenAPI document is what the server does", () => {
  it("every constrained string field of every operation, at its boundaries", async () => {
    const doc = (await api("GET", "/api/v1/openapi.json")).json;
    const fields = stringFields(doc);
    // The walk must find the fields the issue names, or it proves nothing.
    expect(fields.map((f) => `${f.operation} ${f.pointer.join(".")}`)).toEqual(
      expect.arrayContaining(["PUT /api/v1/customers/{id} id", "POST /api/v1/decisions customerId", "POST /api/v1/interactions ai.0.action", "POST /api/v1/links interactionRef"]),
    );
    const disagreements: string[] = [];
    for (const field of fields) {
      for (const value of boundaryValues(field.schema)) {
        const { method, url, body } = request(field, value);
        const result = await api(method, url, body);
        expect(result.status, `${field.operation} → ${result.status} ${result.text}`).toBeLessThan(500);
        const name = field.where === "path" ? "" : field.pointer.join(".");
        const refusedField = result.status === 400 && (result.json?.issues ?? []).some((issue: { path: string }) => issue.path === name);
        const accepted = documentAccepts(field.schema, value);
        if (accepted === refusedField) {
          disagreements.push(`${field.operation} ${field.pointer.join(".")}=${JSON.stringify(value)}: document ${accepted ? "accepts" : "refuses"}, server answered ${result.status} ${result.text.slice(0, 200)}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  }, 120_000);

  it("every integer query parameter, at its bounds and in other spellings", async () => {
    const doc = (await api("GET", "/api/v1/openapi.json")).json;
    const checked: string[] = [];
    for (const [p, operations] of Object.entries<any>(doc.paths)) {
      for (const param of operations.get?.parameters ?? []) {
        if (param.in !== "query" || param.schema.type !== "integer") continue;
        const { minimum, maximum } = param.schema;
        for (const value of [minimum - 1, minimum, maximum, maximum + 1].map(String).concat([" 5", "5 ", "1e1", "0x10", "5.0", "", "+5", "-0", "007"])) {
          const accepted = /^-?[0-9]+$/.test(value) && Number(value) >= minimum && Number(value) <= maximum;
          const result = await api("GET", `${p}?${new URLSearchParams({ [param.name]: value })}`);
          const refused = result.status === 400 && result.json.issues.some((issue: { path: string }) => issue.path === param.name);
          expect(refused, `${p}?${param.name}=${JSON.stringify(value)} → ${result.status}`).toBe(!accepted);
        }
        checked.push(param.name);
      }
    }
    expect(checked).toEqual(["page", "pageSize"]);
  });

  it("a customer id of spaces, or padded, is refused by both; the stored id is the one sent", async () => {
    expect((await api("PUT", `/api/v1/customers/${encodeURIComponent("  ")}`, {})).status).toBe(400);
    expect((await api("PUT", `/api/v1/customers/${encodeURIComponent(` ${"a".repeat(199)} `)}`, {})).status).toBe(400);
    expect((await api("PUT", `/api/v1/customers/${encodeURIComponent(` ${"a".repeat(10)}`)}`, {})).status).toBe(400);
    const id = `${"😀".repeat(199)}x`;
    const created = await api("PUT", `/api/v1/customers/${encodeURIComponent(id)}`, {});
    expect(created.status).toBe(201);
    expect(created.json.id).toBe(id);
  });

  it("HEAD works wherever GET does: same status and headers, no body", async () => {
    const doc = (await api("GET", "/api/v1/openapi.json")).json;
    const ref = (await rawValue<string>(database, "select ref from concerns limit 1"))!;
    const examples: Record<string, string> = { id: "demo-customer-1", ref };
    const urls = ["/api/v1/openapi.json", "/api/v1/concerns/C-0000-0000", "/api/v1/customers/nobody/preferences", "/api/v1/concerns?pageSize=0"];
    for (const [p, operations] of Object.entries<any>(doc.paths)) {
      if (operations.get) urls.push(p.replace(/\{(\w+)\}/g, (_, name: string) => examples[name]!));
    }
    for (const url of urls) {
      const get = await api("GET", url);
      const head = await api("HEAD", url);
      expect(head.status, url).toBe(get.status);
      expect(head.text, url).toBe("");
      for (const name of ["content-type", "content-length", "cache-control", "content-security-policy", "x-content-type-options"]) {
        expect(head.headers.get(name), `${url} ${name}`).toBe(get.headers.get(name));
      }
    }
    expect(urls.length).toBeGreaterThanOrEqual(7);
  });
});
