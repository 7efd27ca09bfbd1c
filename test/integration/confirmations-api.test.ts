/* eslint-disable @typescript-eslint/no-explicit-any -- the test inspects JSON bodies of arbitrary shape */
/**
 * "Ask me first" over real HTTP (SPEC §11.1, §5.1): POST /api/v1/confirmations and GET
 * /api/v1/confirmations/:id on the shipped server, with the email (to the address on record only,
 * its personal link opening the request) and the webhooks the request queues; the customer's answer
 * and the expiry sweep as the GET then reports them.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfirmationResponse, WEBHOOK_PAYLOADS } from "../../app/api/schemas";
import { createApiKey } from "../../app/domain/api-keys.server";
import { answerConfirmation, expireConfirmations } from "../../app/domain/confirmations.server";
import { emailTextToSend } from "../../app/domain/notifications.server";
import { savePreferences } from "../../app/domain/preferences.server";
import { createWebhookEndpoint } from "../../app/domain/webhooks.server";
import type { Db } from "../../app/utils/db.server";
import { auditLog, outboxEmails, webhookDeliveries } from "../../db/schema";
import { customerFor } from "../support/confirmation-factories";
import { startServer, type RunningServer } from "../support/server";

let db: Db;
let server: RunningServer;
let base: string;
let agent: string; // scope decisions
let linksOnly: string;

beforeAll(async () => {
  server = await startServer({
    async prepare(database) {
      agent = (await createApiKey(database, { name: "agent", scopes: ["decisions"] })).key;
      linksOnly = (await createApiKey(database, { name: "links", scopes: ["links"] })).key;
      await createWebhookEndpoint(database, { url: "https://hooks.example.com/candor", events: ["confirmation.created", "confirmation.answered"], staffId: 1 });
    },
  });
  ({ db, base } = server);
}, 60_000);
afterAll(() => server?.stop());

async function api(method: string, pathname: string, options: { key?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? agent}` };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(base + pathname, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type") ?? "", json: text ? (JSON.parse(text) as Record<string, any>) : null };
}

const request = (customerId: string, overrides: Record<string, unknown> = {}) => ({
  customerId,
  action: "plan-changes",
  aiSystem: "offer-predictor",
  summary: { en: "Move you to the Unlimited 20 plan for 20.50 EUR a month", fr: "Passer au forfait Illimité 20 pour 20,50 EUR par mois" },
  details: { amount: 20.5, currency: "EUR", channel: "email" },
  expiresInMinutes: 30,
  ...overrides,
});

async function deliveries(event: string, confirmationId: string) {
  const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.event, event));
  return rows.map((r) => JSON.parse(r.payload) as { data: Record<string, unknown> }).filter((p) => p.data.confirmationId === confirmationId);
}

describe("POST /api/v1/confirmations", () => {
  it("201: the pending request, the email to the address on record, the confirmation.created webhook, the audit entry", async () => {
    const customer = await customerFor(db, { locale: "fr" });
    const before = Date.now();
    const created = await api("POST", "/api/v1/confirmations", { body: request(customer.id) });
    expect(created.status).toBe(201);
    expect(ConfirmationResponse.safeParse(created.json).success).toBe(true);
    const id = created.json!.confirmationId as string;
    expect(created.json).toMatchObject({
      status: "pending",
      customerId: customer.id,
      action: "plan-changes",
      aiSystem: "offer-predictor",
      interactionRef: null,
      summary: request(customer.id).summary,
      details: { amount: 20.5, currency: "EUR", channel: "email" },
      answeredAt: null,
      answerMethod: null,
      usedAt: null,
      usedByDecisionId: null,
      url: `${base}/fr/me/confirmations/${id}`,
    });
    const expiresAt = Date.parse(created.json!.expiresAt);
    expect(expiresAt - Date.parse(created.json!.createdAt)).toBe(30 * 60_000);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * 60_000);

    const emails = await db.select().from(outboxEmails).where(eq(outboxEmails.template, "confirmation_request"));
    const mine = emails.filter((e) => e.bodyText.includes(id));
    expect(mine.map((e) => [e.toAddress, e.lang])).toEqual([[customer.email, "fr"]]);
    expect(mine[0]!.bodyText).toContain("Passer au forfait Illimité 20");
    // The link in the email opens this request once the customer continues (SPEC §3.1: GET shows Continue, POST signs in).
    const text = await emailTextToSend(db, mine[0]!);
    const link = text.match(/https?:\/\/[^\s]+\/l\/([A-Za-z0-9_-]{43})/)!;
    const opened = await fetch(`${base}/l/${link[1]}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "", redirect: "manual" });
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe(`/fr/me/confirmations/${id}`);
    expect(opened.headers.get("set-cookie")).toMatch(/^candor_session=/);

    const [event] = await deliveries("confirmation.created", id);
    expect(event!.data).toEqual({ confirmationId: id, customerId: customer.id, action: "plan-changes", aiSystem: "offer-predictor", expiresAt: created.json!.expiresAt, url: created.json!.url });
    expect(WEBHOOK_PAYLOADS["confirmation.created"].safeParse(event).success).toBe(true);

    const audit = await db.select().from(auditLog).where(and(eq(auditLog.action, "api.confirmations.create"), eq(auditLog.targetId, id)));
    expect(audit).toHaveLength(1);
  });

  it("sends no email when the customer has no address on record", async () => {
    const customer = await customerFor(db, { email: null });
    const before = (await db.select({ id: outboxEmails.id }).from(outboxEmails)).length;
    const created = await api("POST", "/api/v1/confirmations", { body: request(customer.id) });
    expect(created.status).toBe(201);
    expect(await db.select({ id: outboxEmails.id }).from(outboxEmails)).toHaveLength(before);
    expect(await deliveries("confirmation.created", created.json!.confirmationId)).toHaveLength(1);
  });

  it("404 for an unknown customer, 400 for an unknown action or system and invalid input, 409 when the customer said never, 403 without the scope", async () => {
    const customer = await customerFor(db);
    expect((await api("POST", "/api/v1/confirmations", { body: request("nobody-here") })).status).toBe(404);
    const unknownAction = await api("POST", "/api/v1/confirmations", { body: request(customer.id, { action: "no-such-action" }) });
    expect(unknownAction.status).toBe(400);
    expect(unknownAction.type).toContain("application/problem+json");
    expect((await api("POST", "/api/v1/confirmations", { body: request(customer.id, { aiSystem: "no-such-system" }) })).status).toBe(400);
    expect((await api("POST", "/api/v1/confirmations", { body: request(customer.id, { action: "troubleshooting" }) })).status).toBe(400);
    expect((await api("POST", "/api/v1/confirmations", { body: request(customer.id, { interactionRef: "not-theirs" }) })).status).toBe(400);
    expect((await api("POST", "/api/v1/confirmations", { body: request(customer.id, { expiresInMinutes: 10081 }) })).status).toBe(400);
    expect((await api("POST", "/api/v1/confirmations", { body: request(customer.id, { summary: { en: "x".repeat(501) } }) })).status).toBe(400);
    expect((await api("POST", "/api/v1/confirmations", { body: request(customer.id, { summary: {} }) })).status).toBe(400);
    expect((await api("POST", "/api/v1/confirmations", { body: request(customer.id, { details: { amount: 20 } }) })).status).toBe(400);
    await savePreferences(db, { customerId: customer.id, values: { "plan-changes": "never" }, method: "portal", lang: "en" });
    const never = await api("POST", "/api/v1/confirmations", { body: request(customer.id) });
    expect(never.status).toBe(409);
    expect(never.json!.detail).toContain("preference_never");
    expect((await api("POST", "/api/v1/confirmations", { key: linksOnly, body: request(customer.id) })).status).toBe(403);
  });
});

describe("GET /api/v1/confirmations/:id", () => {
  it("shows the customer's answer, and 404 / 400 for unknown and malformed ids", async () => {
    const customer = await customerFor(db);
    const id = (await api("POST", "/api/v1/confirmations", { body: request(customer.id) })).json!.confirmationId as string;
    expect((await api("GET", `/api/v1/confirmations/${id}`)).json).toMatchObject({ status: "pending", answeredAt: null });
    await answerConfirmation(db, { customerId: customer.id, id, answer: "approved", method: "portal", lang: "en" });
    const got = await api("GET", `/api/v1/confirmations/${id}`);
    expect(got.status).toBe(200);
    expect(ConfirmationResponse.safeParse(got.json).success).toBe(true);
    expect(got.json).toMatchObject({ confirmationId: id, status: "approved", answerMethod: "portal", answeredAt: expect.any(String), usedAt: null });
    const [answered] = await deliveries("confirmation.answered", id);
    expect(answered!.data).toMatchObject({ status: "approved", customerId: customer.id });
    expect((await api("GET", `/api/v1/confirmations/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await api("GET", "/api/v1/confirmations/not-a-uuid")).status).toBe(400);
  });

  it("a request nobody answered turns expired (method system) after the sweep, which queues confirmation.answered", async () => {
    const customer = await customerFor(db);
    const created = await api("POST", "/api/v1/confirmations", { body: request(customer.id, { expiresInMinutes: 1 }) });
    const id = created.json!.confirmationId as string;
    const expiresAt = Date.parse(created.json!.expiresAt);
    // Before its expiry the sweep leaves it alone.
    await expireConfirmations(db, expiresAt - 1);
    expect((await api("GET", `/api/v1/confirmations/${id}`)).json).toMatchObject({ status: "pending" });
    expect(await expireConfirmations(db, expiresAt + 1000)).toBeGreaterThanOrEqual(1);
    expect((await api("GET", `/api/v1/confirmations/${id}`)).json).toMatchObject({ status: "expired", answerMethod: "system", answeredAt: created.json!.expiresAt });
    const events = await deliveries("confirmation.answered", id);
    expect(events.map((e) => e.data)).toEqual([
      { confirmationId: id, customerId: customer.id, action: "plan-changes", aiSystem: "offer-predictor", status: "expired", answeredAt: created.json!.expiresAt },
    ]);
    expect(WEBHOOK_PAYLOADS["confirmation.answered"].safeParse({ id: "evt_x", event: "confirmation.answered", createdAt: new Date().toISOString(), data: events[0]!.data }).success).toBe(true);
  });
});
