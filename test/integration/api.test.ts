/* eslint-disable @typescript-eslint/no-explicit-any -- the test inspects JSON bodies of arbitrary shape */
/**
 * The integration API through real HTTP: the server composed exactly as app/server.ts does it
 * (lean node:http API in front of the Express/React Router app), on an ephemeral 127.0.0.1 port,
 * on a per-file copy of the seeded database (on the suite's engine).
 */
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withLeanApi } from "../../app/api/handler.server";
import { MAX_API_BODY_BYTES } from "../../app/api/schemas";
import { CACHE_TTL_MS, createApiKey, revokeApiKey } from "../../app/domain/api-keys.server";
import { verifyAudit } from "../../app/domain/audit.server";
import { exportCustomerData } from "../../app/domain/data-export.server";
import { fileConcern } from "../../app/domain/concerns/index.server";
import { mintLink } from "../../app/domain/links.server";
import { savePreferences } from "../../app/domain/preferences.server";
import { createServices } from "../../app/services.server";
import type { Db } from "../../app/utils/db.server";
import { auditLog } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import { rawGet, rawRun } from "../support/raw-sql";
import { startServer, type RunningServer } from "../support/server";
import { hasClass } from "../support/html";

// The test works on the same database as the server (another connection, as the CLI would).
let db: Db;
/** That database, for raw SQL (test/support/raw-sql.ts). */
let database: RunningServer["database"];
let server: RunningServer;
let base: string;
let all: string; // a key with every scope
let decisionsOnly: string;

beforeAll(async () => {
  server = await startServer({
    async prepare(database) {
      all = (await createApiKey(database, { name: "all", scopes: ["links", "customers", "interactions", "decisions", "concerns"] })).key;
      decisionsOnly = (await createApiKey(database, { name: "agent", scopes: ["decisions"] })).key;
    },
  });
  ({ db, base, database } = server);
}, 60_000);
afterAll(() => server?.stop());

async function api(method: string, pathname: string, options: { key?: string | null; body?: unknown; raw?: string; type?: string } = {}) {
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? all : options.key;
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = options.type ?? "application/json";
  const response = await fetch(base + pathname, { method, headers, body });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type") ?? "", headers: response.headers, json: text ? (JSON.parse(text) as Record<string, any>) : null };
}

/** A check whose agent verified who it talks to (SPEC §11.3): these tests are about the other rules. */
const decisionBody = (customerId: string, action = "plan-changes", aiSystem = "offer-predictor", interactionRef?: string) => ({ customerId, action, aiSystem, ...(interactionRef ? { interactionRef } : {}), identity: { verified: true } });

function expectProblem(result: Awaited<ReturnType<typeof api>>, status: number) {
  expect(result.status).toBe(status);
  expect(result.type).toContain("application/problem+json");
  expect(result.json).toMatchObject({ type: expect.stringMatching(/^urn:candor:problem:/), title: expect.any(String), status });
}

describe("authentication and scopes", () => {
  it("401 without a key, with an unknown key or a revoked one; 403 without the scope", async () => {
    expectProblem(await api("POST", "/api/v1/decisions", { key: null, body: decisionBody("demo-customer-1") }), 401);
    expectProblem(await api("POST", "/api/v1/decisions", { key: "cnd_" + "x".repeat(43), body: decisionBody("demo-customer-1") }), 401);
    const { key, prefix } = await createApiKey(db, { name: "temp", scopes: ["decisions"] });
    await new Promise((r) => setTimeout(r, 300)); // a key made in another process is picked up on a miss after 250 ms
    expect((await api("POST", "/api/v1/decisions", { key, body: decisionBody("demo-customer-1") })).status).toBe(200);
    await revokeApiKey(db, { prefix }); // in this process, as the CLI would: the server's cache notices within 2 s
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 5000) {
      status = (await api("POST", "/api/v1/decisions", { key, body: decisionBody("demo-customer-1") })).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(CACHE_TTL_MS + 1000);
    expectProblem(await api("POST", "/api/v1/links", { key: decisionsOnly, body: { customerId: "demo-customer-1" } }), 403);
    expectProblem(await api("GET", "/api/v1/concerns", { key: decisionsOnly }), 403);
    expectProblem(await api("PUT", "/api/v1/customers/x-1", { key: decisionsOnly, body: {} }), 403);
    expect((await api("GET", "/api/v1/customers/demo-customer-1/preferences", { key: decisionsOnly })).status).toBe(200);
  });

  it("404 and 405 as problems; the OpenAPI document needs no key", async () => {
    expectProblem(await api("GET", "/api/v1/nothing-here"), 404);
    expectProblem(await api("GET", "/api/v1/decisions"), 405);
    expect((await api("GET", "/api/v1/openapi.json", { key: null })).status).toBe(200);
  });
});

describe("validation and body limits", () => {
  it("400 with the Zod issues; 415 when not JSON; 400 on malformed JSON; 413 before parsing", async () => {
    const bad = await api("POST", "/api/v1/decisions", { body: { customerId: "", action: 5 } });
    expectProblem(bad, 400);
    expect(bad.json!.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(["customerId", "action", "aiSystem"]));
    expectProblem(await api("POST", "/api/v1/decisions", { raw: "customerId=x", type: "application/x-www-form-urlencoded" }), 415);
    expectProblem(await api("POST", "/api/v1/decisions", { raw: "{not json" }), 400);
    const decisionsBefore = await rawGet(database, "select count(*) n from decisions");
    expectProblem(await api("POST", "/api/v1/decisions", { raw: JSON.stringify({ ...decisionBody("demo-customer-1"), pad: "x".repeat(MAX_API_BODY_BYTES) }) }), 413);
    // Chunked (no Content-Length): refused once it passes the limit.
    const big = new TextEncoder().encode(JSON.stringify({ pad: "y".repeat(MAX_API_BODY_BYTES * 2) }));
    const stream = new ReadableStream({ start(c) { c.enqueue(big); c.close(); } });
    const chunked = await fetch(`${base}/api/v1/decisions`, { method: "POST", headers: { authorization: `Bearer ${all}`, "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await rawGet(database, "select count(*) n from decisions")).toEqual(decisionsBefore);
    expectProblem(await api("PUT", "/api/v1/customers/x-2", { body: { email: "not-an-email" } }), 400);
    expectProblem(await api("GET", "/api/v1/concerns?status=bogus"), 400);
    expectProblem(await api("GET", "/api/v1/concerns/not-a-ref"), 400);
  });
});

describe("decisions and preferences (the hot path)", () => {
  it("answers with the rules of decide(), fails closed for unknown customers and actions, and records every answer", async () => {
    // Without limits (the demo's quiet hours would make the answer depend on the clock).
    await savePreferences(db, { customerId: "demo-customer-1", values: { troubleshooting: "allow" }, limits: { troubleshooting: null }, lang: "en", method: "api" });
    const ok = await api("POST", "/api/v1/decisions", { body: decisionBody("demo-customer-1", "troubleshooting", "network-troubleshooter") });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ decision: "allow", reason: "preference_allow", decisionId: expect.any(String), preferenceVersion: expect.any(Number) });
    expect(await rawGet(database, "select decision, reason from decisions where id = ?", ok.json!.decisionId)).toEqual({ decision: "allow", reason: "preference_allow" });
    expect((await api("POST", "/api/v1/decisions", { body: decisionBody("nobody") })).json).toMatchObject({ decision: "deny", reason: "unknown_customer" });
    expect((await api("POST", "/api/v1/decisions", { body: decisionBody("demo-customer-1", "launch-rocket") })).json).toMatchObject({ decision: "deny", reason: "unknown_action" });
    expect((await api("POST", "/api/v1/decisions", { body: decisionBody("demo-customer-1", "orders", "rogue-bot") })).json).toMatchObject({ decision: "deny", reason: "unknown_ai_system" });
  });

  it("returns the current choices with their version; unknown customer → 404", async () => {
    const { preferenceVersion } = await savePreferences(db, { customerId: "demo-customer-2", values: { orders: "never" }, lang: "fr", method: "api" });
    const result = await api("GET", "/api/v1/customers/demo-customer-2/preferences");
    expect(result.status).toBe(200);
    expect(result.json!.preferenceVersion).toBe(preferenceVersion);
    expect(result.json!.choices).toEqual(expect.arrayContaining([expect.objectContaining({ key: "orders", value: "never", isDefault: false, method: "api" })]));
    expectProblem(await api("GET", "/api/v1/customers/nobody/preferences"), 404);
  });

  it("fails closed: a storage error is a 503 'do not act', for decisions and preferences", async () => {
    // Every insert into decisions fails, as on a full disk.
    if (database.engine === "sqlite") {
      await rawRun(database, "CREATE TRIGGER api_test_fail BEFORE INSERT ON decisions BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    } else {
      await rawRun(database, "CREATE FUNCTION api_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$");
      await rawRun(database, "CREATE TRIGGER api_test_fail BEFORE INSERT ON decisions FOR EACH ROW EXECUTE FUNCTION api_test_fail()");
    }
    const failed = await api("POST", "/api/v1/decisions", { body: decisionBody("demo-customer-1") });
    if (database.engine === "sqlite") await rawRun(database, "DROP TRIGGER api_test_fail");
    else {
      await rawRun(database, "DROP TRIGGER api_test_fail ON decisions");
      await rawRun(database, "DROP FUNCTION api_test_fail()");
    }
    expectProblem(failed, 503);
    expect(failed.json!.title).toContain("do not act");
    expect(failed.json).not.toHaveProperty("decision");
    await rawRun(database, "ALTER TABLE preferences RENAME TO preferences_away");
    const unreadable = await api("GET", "/api/v1/customers/demo-customer-1/preferences");
    await rawRun(database, "ALTER TABLE preferences_away RENAME TO preferences");
    expectProblem(unreadable, 503);
    expect((await api("POST", "/api/v1/decisions", { body: decisionBody("demo-customer-1") })).status).toBe(200);
  });

  it("a decision made after a preference change was acknowledged sees it (1,000 flip-then-check trials)", async () => {
    const customerId = "demo-customer-1";
    let wrong = 0;
    for (let i = 0; i < 1000; i++) {
      const value = i % 2 === 0 ? "allow" : "never";
      const { preferenceVersion } = await savePreferences(db, { customerId, values: { "plan-changes": value }, lang: "en", method: "api" });
      const { json } = await api("POST", "/api/v1/decisions", { key: decisionsOnly, body: decisionBody(customerId) });
      if (json!.decision !== (value === "allow" ? "allow" : "deny") || json!.preferenceVersion !== preferenceVersion) wrong++;
    }
    expect(wrong).toBe(0);
  }, 180_000);

});

describe("customers, interactions, links, concerns", () => {
  it("PUT creates (201) then updates (200), audited without personal data", async () => {
    const created = await api("PUT", "/api/v1/customers/crm-42", { body: { email: "jo@example.com", locale: "de" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: "crm-42", email: "jo@example.com", locale: "de", preferenceVersion: 0 });
    const updated = await api("PUT", "/api/v1/customers/crm-42", { body: { locale: "fr" } });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ email: "jo@example.com", locale: "fr" });
    const entries = (await db.select().from(auditLog)).filter((e) => e.action === "api.customers.put");
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ actorType: "api", targetId: "crm-42" });
    expect(JSON.stringify(entries)).not.toContain("jo@example.com");
  });

  it("POST /interactions is idempotent on (source, ref): a replay gets the same result with 200", async () => {
    const body = {
      customerId: "crm-42",
      source: "crm",
      ref: "T-1",
      channel: "chat",
      subject: "Router keeps rebooting",
      occurredAt: new Date().toISOString(),
      ai: [{ aiSystem: "chat-assistant", role: "answered", humanReviewed: false, trainingEligible: false }],
    };
    const first = await api("POST", "/api/v1/interactions", { body });
    expect(first.status).toBe(201);
    const replay = await api("POST", "/api/v1/interactions", { body });
    expect(replay.status).toBe(200);
    expect(replay.json).toEqual({ ...first.json, created: false });
    expect(first.json!.created).toBe(true);
    expect(await rawGet(database, "select count(*) n from interactions where source = 'crm' and ref = 'T-1'")).toEqual({ n: 1 });
    expectProblem(await api("POST", "/api/v1/interactions", { body: { ...body, customerId: "demo-customer-1" } }), 409);
    expectProblem(await api("POST", "/api/v1/interactions", { body: { ...body, ref: "T-2", ai: [{ ...body.ai[0], aiSystem: "nope" }] } }), 400);
    expectProblem(await api("POST", "/api/v1/interactions", { body: { ...body, ref: "T-3", customerId: "nobody" } }), 404);
  });

  it("mints personal links; unknown customer → 404", async () => {
    const link = await api("POST", "/api/v1/links", { body: { customerId: "crm-42", locale: "de", expiresInDays: 2 } });
    expect(link.status).toBe(201);
    expect(link.json!.url).toMatch(/\/l\/[A-Za-z0-9_-]{43}$/);
    expectProblem(await api("POST", "/api/v1/links", { body: { customerId: "nobody" } }), 404);
    expectProblem(await api("POST", "/api/v1/links", { body: { customerId: "crm-42", expiresInDays: 365 } }), 400);
  });

  it("lists concerns (paginated, filters) and reads one", async () => {
    const { ref } = await fileConcern(db, {
      customerId: "crm-42", contactEmail: null, contactMethod: "portal", lang: "en", kind: "other",
      interactionId: null, systemId: null, description: "The bot changed my plan without asking.", desiredOutcome: "Undo it",
    });
    const page = await api("GET", "/api/v1/concerns?status=new&pageSize=2");
    expect(page.status).toBe(200);
    expect(page.json!.items.length).toBeLessThanOrEqual(2);
    expect(page.json!.total).toBeGreaterThanOrEqual(1);
    expect(page.json!.items.every((c: { status: string }) => c.status === "new")).toBe(true);
    const since = await api("GET", `/api/v1/concerns?since=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`);
    expect(since.json!.items.map((c: { ref: string }) => c.ref)).toContain(ref);
    const one = await api("GET", `/api/v1/concerns/${ref}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ ref, customerId: "crm-42", status: "new", description: "The bot changed my plan without asking." });
    expectProblem(await api("GET", "/api/v1/concerns/C-0000-0000"), 404);
  });
});

describe("decisions on the customer's timeline", () => {
  it("a decision checked for an interaction appears on /en/me/interactions", async () => {
    const ref = "TL-1";
    const recorded = await api("POST", "/api/v1/interactions", {
      body: { customerId: "demo-customer-2", source: "crm", ref, channel: "phone", subject: "Upgrade", occurredAt: new Date().toISOString(), ai: [] },
    });
    expect(recorded.status).toBe(201);
    const cookie = await signIn("demo-customer-2");
    const timeline = async () => (await fetch(`${base}/en/me/interactions`, { headers: { cookie } })).text();
    const before = await timeline();
    expect(before).toContain(ref);
    const count = (html: string) => (html.match(/pill--decision-/g) ?? []).length;
    const decision = await api("POST", "/api/v1/decisions", { body: decisionBody("demo-customer-2", "orders", "network-troubleshooter", ref) });
    expect(decision.json!.decision).toBe("deny"); // orders = never, set above
    const after = await timeline();
    expect(count(after)).toBe(count(before) + 1);
    expect(hasClass(after, "pill--decision-deny")).toBe(true);
  });
});

async function signIn(customerId: string): Promise<string> {
  const { token } = await mintLink(db, { customerId, lang: "en", createdBy: "cli", baseUrl: base });
  const response = await fetch(`${base}/l/${token}`, { method: "POST", redirect: "manual", headers: { origin: base, "content-type": "application/x-www-form-urlencoded" }, body: "" });
  expect(response.status).toBe(303);
  return response.headers.get("set-cookie")!.split(";")[0]!;
}

describe("erasure (DELETE /customers/:id)", () => {
  it("removes personal data, keeps a tombstone, ends the portal session; the audit chain still verifies", async () => {
    await api("PUT", "/api/v1/customers/crm-77", { body: { email: "gone@example.com", locale: "en" } });
    await api("POST", "/api/v1/interactions", {
      body: { customerId: "crm-77", source: "crm", ref: "E-1", channel: "email", subject: "My address is 1 Main St", occurredAt: new Date().toISOString(), ai: [] },
    });
    const cookie = await signIn("crm-77");
    expect((await fetch(`${base}/en/me/data/export.json`, { headers: { cookie } })).status).toBe(200);
    const erased = await api("DELETE", "/api/v1/customers/crm-77");
    expect(erased.status).toBe(200);
    expect(erased.json).toMatchObject({ id: "crm-77", interactions: 1 });
    const tombstone = (await rawGet<{ email: string | null; erased_at: number | null }>(database, "select email, erased_at from customers where id = 'crm-77'"))!;
    expect(tombstone.email).toBeNull();
    expect(tombstone.erased_at).toEqual(expect.any(Number));
    expect(await exportCustomerData(db, "crm-77", "en")).toBeUndefined();
    const portal = await fetch(`${base}/en/me/data/export.json`, { headers: { cookie }, redirect: "manual" });
    expect(portal.status).not.toBe(200);
    expect(await portal.text()).not.toContain("gone@example.com");
    expect(await rawGet(database, "select count(*) n from interactions where customer_id = 'crm-77'")).toEqual({ n: 0 });
    const entry = (await db.select().from(auditLog)).find((e) => e.action === "customer.erased" && e.targetId === "crm-77")!;
    expect(entry.actorType).toBe("api");
    expect(JSON.stringify(await db.select().from(auditLog))).not.toContain("gone@example.com");
    expect((await verifyAudit(db)).ok).toBe(true);
    // The id is gone for good: agents are denied, the customer cannot be recreated, a second DELETE is a 404.
    expect((await api("POST", "/api/v1/decisions", { body: decisionBody("crm-77") })).json).toMatchObject({ decision: "deny", reason: "unknown_customer" });
    expectProblem(await api("GET", "/api/v1/customers/crm-77/preferences"), 404);
    expectProblem(await api("PUT", "/api/v1/customers/crm-77", { body: { email: "back@example.com" } }), 409);
    expectProblem(await api("DELETE", "/api/v1/customers/crm-77"), 404);
  });
});

describe("the OpenAPI document", () => {
  it("covers every endpoint, and every response has a schema", async () => {
    const { json: doc } = await api("GET", "/api/v1/openapi.json", { key: null });
    expect(doc!.openapi).toBe("3.1.0");
    const expected: [string, string][] = [
      ["/api/v1/links", "post"],
      ["/api/v1/customers/{id}", "put"],
      ["/api/v1/customers/{id}", "delete"],
      ["/api/v1/customers/{id}/preferences", "get"],
      ["/api/v1/decisions", "post"],
      ["/api/v1/interactions", "post"],
      ["/api/v1/concerns", "get"],
      ["/api/v1/concerns/{ref}", "get"],
      ["/api/v1/confirmations", "post"],
      ["/api/v1/confirmations/{id}", "get"],
      ["/api/v1/training-uses", "post"],
      ["/api/v1/ai-systems", "get"],
    ];
    const paths = doc!.paths as Record<string, Record<string, any>>;
    const actual = Object.entries(paths).flatMap(([p, methods]) => Object.keys(methods).map((m) => [p, m]));
    expect(actual.sort()).toEqual([...expected].sort());
    const resolve = (schema: any) => (schema?.$ref ? doc!.components.schemas[schema.$ref.split("/").pop()] : schema);
    for (const [p, m] of expected) {
      const operation = paths[p]![m]!;
      expect(operation.security, `${m} ${p}`).toBeDefined();
      for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
        const [type, media] = Object.entries(response.content ?? {})[0] ?? [];
        expect(media, `${m} ${p} ${status}`).toBeDefined();
        expect(resolve((media as any).schema), `${m} ${p} ${status}`).toBeDefined();
        expect(type).toBe(Number(status) >= 400 ? "application/problem+json" : "application/json");
      }
      if (m === "post" || m === "put") expect(resolve(operation.requestBody.content["application/json"].schema)).toBeDefined();
    }
    expect(paths["/api/v1/decisions"]!.post.responses["503"]).toBeDefined();
    expect(doc!.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });
});

describe("usage audit of the hot path (lean handler in this process)", () => {
  it("counts hot-path calls per key and writes them as api.usage audit entries without the key", async () => {
    const services = await createServices({ database: await freshTestDatabase(), migrate: false });
    const local = services.db;
    const { key, id } = await createApiKey(local, { name: "local", scopes: ["decisions"] });
    const lean: Server = createServer(withLeanApi((_req, res) => res.writeHead(404).end(), services));
    await new Promise<void>((resolve) => lean.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(lean.address() as AddressInfo).port}`;
    try {
      for (let i = 0; i < 3; i++) {
        const r = await fetch(`${url}/api/v1/decisions`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(decisionBody("demo-customer-1")) });
        expect(r.status).toBe(200);
      }
      expect((await fetch(`${url}/api/v1/customers/demo-customer-1/preferences`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
      expect((await fetch(`${url}/en`)).status).toBe(404); // everything else goes to the next handler
      expect(await services.apiUsage.flush()).toBe(2);
      expect(await services.apiUsage.flush()).toBe(0);
      const entries = (await local.select().from(auditLog)).filter((e) => e.actorType === "api" && e.actorId === String(id));
      expect(entries.map((e) => [e.action, JSON.parse(e.details).calls])).toEqual([["api.decisions.create", 3], ["api.preferences.get", 1]]);
      expect(JSON.stringify(entries)).not.toContain(key.slice(4));
      expect((await verifyAudit(local)).ok).toBe(true);
    } finally {
      await new Promise((resolve) => lean.close(resolve));
      await services.database.close();
    }
  });
});
