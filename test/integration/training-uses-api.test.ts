/* eslint-disable @typescript-eslint/no-explicit-any -- the test inspects JSON bodies of arbitrary shape */
/**
 * POST /api/v1/training-uses through real HTTP (the shipped server, spawned; SPEC §11.4, §5.1):
 * the `training` scope, refused input, and a mixed batch answered item by item — checked against
 * what the database holds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../app/domain/api-keys.server";
import { savePreferences } from "../../app/domain/preferences.server";
import { rawAll, rawValue } from "../support/raw-sql";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let base: string;
let training: string; // scope "training" only
let others: string; // every scope but "training"

const JAN = Date.parse("2026-01-01T00:00:00Z");

beforeAll(async () => {
  server = await startServer({
    async prepare(db) {
      training = (await createApiKey(db, { name: "trainer", scopes: ["training"] })).key;
      others = (await createApiKey(db, { name: "everything else", scopes: ["links", "customers", "interactions", "decisions", "concerns"] })).key;
    },
  });
  ({ base } = server);
  baseline = await ledgerSize();
  const { db } = server;
  for (const [id, value] of [["t-yes", "yes"], ["t-later-no", "yes"], ["t-no", "no"]] as const) {
    const put = await api("PUT", `/api/v1/customers/${id}`, { key: others, body: { locale: "en" } });
    expect(put.status).toBe(201);
    await savePreferences(db, { customerId: id, values: { training: value }, lang: "en", method: "portal", now: JAN });
  }
  for (const [customerId, ref, flag] of [
    ["t-yes", "Y-1", true],
    ["t-yes", "Y-2", true],
    ["t-yes", "Y-unflagged", false],
    ["t-later-no", "L-1", true],
    ["t-no", "N-1", true],
  ] as const) {
    const posted = await api("POST", "/api/v1/interactions", {
      key: others,
      body: { customerId, source: "crm", ref, channel: "chat", subject: `Chat ${ref}`, occurredAt: "2026-03-01T10:00:00Z", ai: [{ aiSystem: "chat-assistant", role: "answered", humanReviewed: false, trainingEligible: flag }] },
    });
    expect(posted.status).toBe(201);
  }
  // Opted out after the interaction: eligible then, refused now.
  await savePreferences(db, { customerId: "t-later-no", values: { training: "no" }, lang: "en", method: "portal", now: Date.parse("2026-04-01T00:00:00Z") });
}, 60_000);
afterAll(() => server?.stop());

async function api(method: string, pathname: string, options: { key?: string | null; body?: unknown; raw?: string; type?: string } = {}) {
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? training : options.key;
  if (key) headers.authorization = `Bearer ${key}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers["content-type"] = options.type ?? "application/json";
  const response = await fetch(base + pathname, { method, headers, body });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type") ?? "", json: text ? (JSON.parse(text) as Record<string, any>) : null };
}

const uses = (body: unknown, key?: string | null) => api("POST", "/api/v1/training-uses", { key, body });
/** Rows of the ledger (the demo seed has its own: counted apart from this file's by `baseline`). */
const ledgerSize = async () => Number(await rawValue(server.database, "select count(*) from training_uses")) - baseline;
let baseline = 0;
const valid = { dataset: "assistant-finetune-2026-11", usedAt: "2026-11-20T08:00:00Z", interactions: [{ source: "crm", ref: "Y-1" }] };

describe("POST /api/v1/training-uses: the training scope", () => {
  it("401 without a key; 403 for a key with every other scope; nothing recorded", async () => {
    expect((await uses(valid, null)).status).toBe(401);
    const forbidden = await uses(valid, others);
    expect(forbidden.status).toBe(403);
    expect(forbidden.type).toContain("application/problem+json");
    expect(forbidden.json!.detail).toContain('"training"');
    expect(await ledgerSize()).toBe(0);
  });

  it("a key with only the training scope cannot call other endpoints", async () => {
    expect((await api("POST", "/api/v1/decisions", { body: { customerId: "t-yes", action: "plan-changes", aiSystem: "offer-predictor" } })).status).toBe(403);
    expect((await api("POST", "/api/v1/interactions", { body: {} })).status).toBe(403);
  });
});

describe("POST /api/v1/training-uses: refused input (400/405/413/415), nothing recorded", () => {
  const cases: [string, unknown][] = [
    ["no dataset", { usedAt: valid.usedAt, interactions: valid.interactions }],
    ["empty dataset", { ...valid, dataset: "" }],
    ["dataset with edge space", { ...valid, dataset: " x" }],
    ["dataset with a control character", { ...valid, dataset: "a\u0007b" }],
    ["dataset too long", { ...valid, dataset: "d".repeat(201) }],
    ["usedAt not a date-time", { ...valid, usedAt: "2026-11-20" }],
    ["usedAt without offset", { ...valid, usedAt: "2026-11-20T08:00:00" }],
    ["no interactions", { ...valid, interactions: [] }],
    ["1,001 interactions", { ...valid, interactions: Array.from({ length: 1001 }, (_, n) => ({ source: "crm", ref: `R${n}` })) }],
    ["a source outside the pattern", { ...valid, interactions: [{ source: "CRM", ref: "Y-1" }] }],
    ["a ref missing", { ...valid, interactions: [{ source: "crm" }] }],
    ["interactions not an array", { ...valid, interactions: { source: "crm", ref: "Y-1" } }],
    ["an array body", [valid]],
  ];
  for (const [name, body] of cases) {
    it(`400 for ${name}`, async () => {
      const result = await uses(body);
      expect(result.status).toBe(400);
      expect(result.json).toMatchObject({ status: 400, type: expect.stringMatching(/^urn:candor:problem:/) });
      expect(await ledgerSize()).toBe(0);
    });
  }

  it("400 for malformed JSON, 415 for another media type, 413 for an oversized body, 405 for GET", async () => {
    expect((await api("POST", "/api/v1/training-uses", { raw: '{"dataset":' })).status).toBe(400);
    expect((await api("POST", "/api/v1/training-uses", { raw: JSON.stringify(valid), type: "text/plain" })).status).toBe(415);
    expect((await api("POST", "/api/v1/training-uses", { raw: JSON.stringify({ ...valid, padding: "x".repeat(70_000) }) })).status).toBe(413);
    const get = await api("GET", "/api/v1/training-uses");
    expect(get.status).toBe(405);
    expect(await ledgerSize()).toBe(0);
  });
});

describe("POST /api/v1/training-uses: a mixed batch", () => {
  it("answers each item: accepted (created), or refused with its reason; the ledger holds exactly the accepted", async () => {
    const body = {
      dataset: "assistant-finetune-2026-11",
      usedAt: "2026-11-20T08:00:00Z",
      interactions: [
        { source: "crm", ref: "Y-1" },
        { source: "crm", ref: "unknown" },
        { source: "crm", ref: "Y-unflagged" },
        { source: "crm", ref: "L-1" },
        { source: "crm", ref: "N-1" },
        { source: "crm", ref: "Y-2" },
      ],
    };
    const first = await uses(body);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      dataset: "assistant-finetune-2026-11",
      usedAt: "2026-11-20T08:00:00Z",
      accepted: [
        { source: "crm", ref: "Y-1", created: true },
        { source: "crm", ref: "Y-2", created: true },
      ],
      refused: [
        { source: "crm", ref: "unknown", reason: "unknown_interaction" },
        { source: "crm", ref: "Y-unflagged", reason: "not_eligible_at_the_time" },
        { source: "crm", ref: "L-1", reason: "opted_out_since" },
        // Said no before the interaction: not eligible at the time (the first reason that applies).
        { source: "crm", ref: "N-1", reason: "not_eligible_at_the_time" },
      ],
    });
    const rows = await rawAll<{ ref: string; dataset: string; used_at: number | string }>(
      server.database,
      "select i.ref, t.dataset, t.used_at from training_uses t join interactions i on i.id = t.interaction_id where i.customer_id like 't-%' order by i.ref",
    );
    expect(rows.map((r) => ({ ...r, used_at: Number(r.used_at) }))).toEqual([
      { ref: "Y-1", dataset: "assistant-finetune-2026-11", used_at: Date.parse("2026-11-20T08:00:00Z") },
      { ref: "Y-2", dataset: "assistant-finetune-2026-11", used_at: Date.parse("2026-11-20T08:00:00Z") },
    ]);
    const audit = await rawAll<{ actor_type: string; target_id: string; details: string }>(server.database, "select actor_type, target_id, details from audit_log where action = 'api.training-uses.create' and target_id = 'assistant-finetune-2026-11'");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_type: "api", target_id: "assistant-finetune-2026-11" });
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ items: 6, accepted: 2, created: 2, refused: 4 });

    // Sent again: the same answer with created false, and no second row.
    const again = await uses(body);
    expect(again.status).toBe(200);
    expect(again.json!.accepted).toEqual([
      { source: "crm", ref: "Y-1", created: false },
      { source: "crm", ref: "Y-2", created: false },
    ]);
    expect(again.json!.refused).toEqual(first.json!.refused);
    expect(await ledgerSize()).toBe(2);
  });
});
