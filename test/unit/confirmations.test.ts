/**
 * "Ask me first" asks someone (SPEC §11.1): requests, the one status derivation, the customer's
 * answer (first wins, own customer only, before expiry), the expiry sweep, the email and its
 * personal link, and erasure.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WEBHOOK_PAYLOADS } from "../../app/api/schemas";
import {
  answerConfirmation,
  CONFIRMATION_PENDING_MAX,
  confirmationStatus,
  confirmationsForInteractions,
  createConfirmation,
  expireConfirmations,
  findConfirmation,
  findCustomerConfirmation,
  pendingConfirmations,
} from "../../app/domain/confirmations.server";
import { eraseCustomer } from "../../app/domain/customer-erasure.server";
import { DeliveryWorker } from "../../app/domain/delivery-worker.server";
import { inspectLink, redeemLink } from "../../app/domain/links.server";
import { emailTextToSend } from "../../app/domain/notifications.server";
import { savePreferences } from "../../app/domain/preferences.server";
import { createWebhookEndpoint } from "../../app/domain/webhooks.server";
import { executeSql, type AnyDatabase, type Db } from "../../app/utils/db.server";
import {
  aiSystems,
  auditLog,
  choiceDefinitions,
  confirmationAnswers,
  confirmations,
  customers,
  decisions,
  interactions,
  outboxEmails,
  permissionBreaches,
  trainingUses,
  webhookDeliveries,
} from "../../db/schema";
import { confirmationFor, confirmationInput, customerFor, interactionFor } from "../support/confirmation-factories";
import { freshTestDatabase } from "../support/database";

let database: AnyDatabase;
let db: Db;
beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
  await createWebhookEndpoint(db, { url: "https://hooks.example.com/candor", events: ["confirmation.created", "confirmation.answered"], staffId: 1 });
});
afterEach(async () => {
  await database.close();
});

const MINUTE = 60_000;

/** The queued webhook events of one kind, parsed. */
async function events(event: string) {
  const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.event, event)).orderBy(webhookDeliveries.id);
  return rows.map((r) => JSON.parse(r.payload) as { event: string; data: Record<string, unknown> });
}

/** Marks the approval spent, as W1's decision check does (reason confirmed_by_customer). */
async function spend(confirmation: { id: string; customerId: string }, at: number) {
  const id = crypto.randomUUID();
  await db.insert(decisions).values({
    id,
    customerId: confirmation.customerId,
    actionKey: "plan-changes",
    aiSystemSlug: "offer-predictor",
    interactionId: null,
    decision: "allow",
    reason: "confirmed_by_customer",
    preferenceVersion: 0,
    confirmationId: confirmation.id,
    createdAt: at,
  });
  return id;
}

describe("confirmationStatus: one derivation of a request's state", () => {
  const request = { expiresAt: 1_000 };
  it.each([
    [null, null, 999, "pending"],
    [null, null, 1_000, "expired"],
    ["approved", null, 500, "approved"],
    ["approved", null, 5_000, "approved"],
    ["approved", 800, 900, "used"],
    ["declined", null, 500, "declined"],
    ["expired", null, 2_000, "expired"],
  ] as const)("answer %s, used %s, at %s → %s", (answer, usedAt, now, status) => {
    expect(confirmationStatus(request, answer, usedAt, now)).toBe(status);
  });
});

describe("createConfirmation", () => {
  it("stores the request, its audit entry, the email to the address on record and the confirmation.created webhook, together", async () => {
    const customer = await customerFor(db, { locale: "fr", timeZone: "Europe/Paris" });
    const now = Date.UTC(2026, 10, 30, 13, 0);
    const result = await createConfirmation(db, confirmationInput(customer.id, { summary: { de: "Tarifwechsel", en: "Plan change" }, keyId: 7, now }));
    expect(result.status).toBe("created");
    if (result.status !== "created") return;
    const { confirmation, url } = result;
    expect(confirmation).toMatchObject({ status: "pending", customerId: customer.id, expiresAt: now + 60 * MINUTE, amountHundredths: 2000, currency: "EUR", answer: null });
    expect(url).toBe(`http://candor.test/fr/me/confirmations/${confirmation.id}`);
    const [row] = await db.select().from(confirmations).where(eq(confirmations.id, confirmation.id));
    // The summary keeps the agent's order: the first given is the fallback.
    expect(row!.summary).toBe('{"de":"Tarifwechsel","en":"Plan change"}');
    expect(row!.apiKeyId).toBe(7);
    expect(await findConfirmation(db, confirmation.id, now)).toMatchObject({ summary: { de: "Tarifwechsel", en: "Plan change" }, status: "pending" });

    const audit = (await db.select().from(auditLog).orderBy(auditLog.id)).at(-1)!;
    expect(audit).toMatchObject({ action: "api.confirmations.create", actorType: "api", actorId: "7", targetType: "confirmation", targetId: confirmation.id });

    const [email] = await db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, customer.email!));
    expect(email).toMatchObject({ template: "confirmation_request", lang: "fr", status: "pending" });
    // French, the register's name in French, the first given summary with a note, the "why", the deadline in Paris time.
    expect(email!.subject).toContain("Assistant");
    expect(email!.bodyText).toContain("Tarifwechsel");
    expect(email!.bodyText).toContain("allemand");
    expect(email!.bodyText).toContain("Me demander d’abord");
    expect(email!.bodyText).toMatch(/lundi 30 novembre 2026 (à )?15:00/);
    expect(email!.bodyText).toMatch(/20,00\s€/);
    // No credential is stored: the link is minted when the email is sent.
    expect(email!.bodyText).not.toMatch(/\/l\/[A-Za-z0-9_-]{20,}/);

    const [created] = await events("confirmation.created");
    expect(created!.data).toEqual({
      confirmationId: confirmation.id,
      customerId: customer.id,
      action: "plan-changes",
      aiSystem: "offer-predictor",
      expiresAt: new Date(now + 60 * MINUTE).toISOString(),
      url,
    });
    const schema = WEBHOOK_PAYLOADS["confirmation.created"];
    expect(Object.keys(created!.data).sort()).toEqual(Object.keys(schema.shape.data.shape).sort());
    expect(schema.safeParse(created).success).toBe(true);
  });

  it("sends no email to a customer without an address on record, and the webhook still goes out", async () => {
    const customer = await customerFor(db, { email: null });
    const before = await db.select({ id: outboxEmails.id }).from(outboxEmails);
    await confirmationFor(db, customer.id);
    expect(await db.select({ id: outboxEmails.id }).from(outboxEmails)).toEqual(before);
    expect(await events("confirmation.created")).toHaveLength(1);
  });

  it("refuses unknown or erased customers, unknown actions and systems, others' interactions; writes nothing then", async () => {
    const customer = await customerFor(db);
    const other = await customerFor(db);
    await interactionFor(db, other.id, "other-ref");
    const erased = await customerFor(db);
    await eraseCustomer(db, { customerId: erased.id, actor: { type: "system" } });
    const [system] = await db.select().from(aiSystems).where(eq(aiSystems.slug, "offer-predictor"));
    const cases: [Partial<Parameters<typeof confirmationInput>[1]>, string, string?][] = [
      [{ customerId: "nobody" }, "unknown_customer"],
      [{ customerId: erased.id }, "unknown_customer"],
      [{ actionKey: "no-such-action" }, "unknown_action"],
      [{ actionKey: "ai_first_contact" }, "unknown_action"],
      [{ actionKey: "training" }, "unknown_action"],
      [{ aiSystemSlug: "no-such-system" }, "unknown_ai_system"],
      [{ actionKey: "troubleshooting" }, "unknown_ai_system"],
      [{ interactionRef: "other-ref" }, "unknown_interaction"],
    ];
    const before = await db.select({ id: confirmations.id }).from(confirmations);
    for (const [overrides, status] of cases) {
      expect((await createConfirmation(db, { ...confirmationInput(customer.id), ...overrides })).status, JSON.stringify(overrides)).toBe(status);
    }
    await db.update(aiSystems).set({ status: "paused" }).where(eq(aiSystems.id, system!.id));
    expect((await createConfirmation(db, confirmationInput(customer.id))).status).toBe("unknown_ai_system");
    expect(await db.select({ id: confirmations.id }).from(confirmations)).toEqual(before);
    expect(await events("confirmation.created")).toHaveLength(0);
  });

  it("never asks a customer who said never (own value or default), and asks under 'allow' too", async () => {
    const customer = await customerFor(db);
    await savePreferences(db, { customerId: customer.id, values: { "plan-changes": "never" }, method: "portal", lang: "en" });
    expect(await createConfirmation(db, confirmationInput(customer.id))).toEqual({ status: "not_askable", reason: "preference_never" });
    await db.update(choiceDefinitions).set({ defaultValue: "never" }).where(eq(choiceDefinitions.key, "billing-arrangements"));
    expect(await createConfirmation(db, confirmationInput(customer.id, { actionKey: "billing-arrangements" }))).toEqual({ status: "not_askable", reason: "default_never" });
    await savePreferences(db, { customerId: customer.id, values: { "plan-changes": "allow" }, method: "portal", lang: "en" });
    expect((await createConfirmation(db, confirmationInput(customer.id))).status).toBe("created");
  });

  it(`refuses a new request while ${CONFIRMATION_PENDING_MAX} are pending; answered or expired ones do not count`, async () => {
    const customer = await customerFor(db, { email: null });
    const now = Date.now();
    const first = await confirmationFor(db, customer.id, { now, expiresInMinutes: 1 });
    for (let i = 1; i < CONFIRMATION_PENDING_MAX; i++) await confirmationFor(db, customer.id, { now });
    expect((await createConfirmation(db, confirmationInput(customer.id, { now }))).status).toBe("too_many_pending");
    // Once the first has expired, there is room for one more.
    expect((await createConfirmation(db, confirmationInput(customer.id, { now: now + MINUTE }))).status).toBe("created");
    expect((await createConfirmation(db, confirmationInput(customer.id, { now: now + MINUTE }))).status).toBe("too_many_pending");
    const [pending] = await pendingConfirmations(db, customer.id, now + MINUTE);
    await answerConfirmation(db, { customerId: customer.id, id: pending!.id, answer: "declined", method: "portal", lang: "en", now: now + MINUTE });
    expect((await createConfirmation(db, confirmationInput(customer.id, { now: now + MINUTE }))).status).toBe("created");
    expect(first.id).not.toBe(pending!.id);
  });

  it("links the request to the customer's interaction by its ref", async () => {
    const customer = await customerFor(db);
    const interactionId = await interactionFor(db, customer.id, "ref-42");
    const created = await confirmationFor(db, customer.id, { interactionRef: "ref-42" });
    expect(created).toMatchObject({ interactionId, interactionRef: "ref-42" });
    expect(await findConfirmation(db, created.id)).toMatchObject({ interactionId, interactionRef: "ref-42" });
  });
});

describe("answerConfirmation", () => {
  it("records the own customer's first answer with the webhook; another customer gets not_found; a second answer is closed", async () => {
    const customer = await customerFor(db);
    const stranger = await customerFor(db);
    const now = Date.now();
    const request = await confirmationFor(db, customer.id, { now });
    expect(await answerConfirmation(db, { customerId: stranger.id, id: request.id, answer: "approved", method: "portal", lang: "en", now })).toEqual({ status: "not_found" });
    expect(await findCustomerConfirmation(db, stranger.id, request.id, now)).toBeUndefined();
    const answered = await answerConfirmation(db, { customerId: customer.id, id: request.id, answer: "approved", method: "embed", lang: "de", now: now + 1000 });
    expect(answered).toMatchObject({ status: "answered", confirmation: { status: "approved", answer: { answer: "approved", method: "embed", lang: "de", createdAt: now + 1000 } } });
    const again = await answerConfirmation(db, { customerId: customer.id, id: request.id, answer: "declined", method: "portal", lang: "en", now: now + 2000 });
    expect(again).toMatchObject({ status: "closed", confirmation: { status: "approved" } });
    expect(await db.select().from(confirmationAnswers).where(eq(confirmationAnswers.confirmationId, request.id))).toMatchObject([{ answer: "approved", customerId: customer.id }]);
    const answeredEvents = await events("confirmation.answered");
    expect(answeredEvents.map((e) => e.data)).toEqual([
      { confirmationId: request.id, customerId: customer.id, action: "plan-changes", aiSystem: "offer-predictor", status: "approved", answeredAt: new Date(now + 1000).toISOString() },
    ]);
    expect(WEBHOOK_PAYLOADS["confirmation.answered"].safeParse(answeredEvents[0]).success).toBe(true);
  });

  it("is closed after expiry, and an approval a decision spent reads as used", async () => {
    const customer = await customerFor(db);
    const now = Date.now();
    const late = await confirmationFor(db, customer.id, { now, expiresInMinutes: 5 });
    expect(await answerConfirmation(db, { customerId: customer.id, id: late.id, answer: "approved", method: "portal", lang: "en", now: now + 5 * MINUTE })).toMatchObject({
      status: "closed",
      confirmation: { status: "expired", answer: null },
    });
    expect(await db.select().from(confirmationAnswers).where(eq(confirmationAnswers.confirmationId, late.id))).toHaveLength(0);

    const spent = await confirmationFor(db, customer.id, { now });
    await answerConfirmation(db, { customerId: customer.id, id: spent.id, answer: "approved", method: "portal", lang: "en", now });
    const decisionId = await spend(spent, now + 1000);
    expect(await findConfirmation(db, spent.id, now + 2000)).toMatchObject({ status: "used", usedAt: now + 1000, usedByDecisionId: decisionId });
    expect(await answerConfirmation(db, { customerId: customer.id, id: spent.id, answer: "declined", method: "portal", lang: "en", now })).toMatchObject({ status: "closed", confirmation: { status: "used" } });
  });

  it("two answers at once: exactly one is recorded, the other is closed", async () => {
    const customer = await customerFor(db);
    const request = await confirmationFor(db, customer.id);
    const results = await Promise.all(
      (["approved", "declined", "approved"] as const).map((answer) => answerConfirmation(db, { customerId: customer.id, id: request.id, answer, method: "portal", lang: "en" })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["answered", "closed", "closed"]);
    expect(await db.select().from(confirmationAnswers).where(eq(confirmationAnswers.confirmationId, request.id))).toHaveLength(1);
    expect((await events("confirmation.answered")).filter((e) => e.data.confirmationId === request.id)).toHaveLength(1);
  });

  it("declines", async () => {
    const customer = await customerFor(db);
    const request = await confirmationFor(db, customer.id);
    expect(await answerConfirmation(db, { customerId: customer.id, id: request.id, answer: "declined", method: "portal", lang: "en" })).toMatchObject({ status: "answered", confirmation: { status: "declined" } });
  });
});

describe("expireConfirmations (the sweep)", () => {
  it("closes unanswered requests past their expiry as expired, once, with one webhook each", async () => {
    const customer = await customerFor(db, { locale: "de" });
    const now = Date.now();
    await expireConfirmations(db, now + 10 * MINUTE); // whatever the seed left open
    const due = await confirmationFor(db, customer.id, { now, expiresInMinutes: 1 });
    const answered = await confirmationFor(db, customer.id, { now, expiresInMinutes: 1 });
    await answerConfirmation(db, { customerId: customer.id, id: answered.id, answer: "declined", method: "portal", lang: "de", now });
    const later = await confirmationFor(db, customer.id, { now, expiresInMinutes: 10 });
    expect(await expireConfirmations(db, now + MINUTE - 1)).toBe(0);
    expect(await expireConfirmations(db, now + 2 * MINUTE)).toBe(1);
    expect(await expireConfirmations(db, now + 2 * MINUTE)).toBe(0);
    await Promise.all([expireConfirmations(db, now + 3 * MINUTE), expireConfirmations(db, now + 3 * MINUTE)]);
    expect(await findConfirmation(db, due.id, now + 2 * MINUTE)).toMatchObject({ status: "expired", answer: { answer: "expired", method: "system", lang: "de", createdAt: now + MINUTE } });
    expect(await findConfirmation(db, answered.id, now + 2 * MINUTE)).toMatchObject({ status: "declined" });
    expect(await findConfirmation(db, later.id, now + 2 * MINUTE)).toMatchObject({ status: "pending" });
    const expiredEvents = (await events("confirmation.answered")).filter((e) => e.data.status === "expired" && e.data.customerId === customer.id);
    expect(expiredEvents.map((e) => e.data)).toEqual([
      { confirmationId: due.id, customerId: customer.id, action: "plan-changes", aiSystem: "offer-predictor", status: "expired", answeredAt: new Date(now + MINUTE).toISOString() },
    ]);
  });

  it("runs on the webhook worker's tick, before the batch", async () => {
    const calls: string[] = [];
    let ran!: () => void;
    const done = new Promise<void>((resolve) => (ran = resolve));
    const worker = new DeliveryWorker<{ id: number }, "ok">({
      name: "test",
      outcomes: ["ok"],
      async claim() {
        calls.push("claim");
        ran();
        return undefined;
      },
      async deliver() {
        return "ok";
      },
    });
    const stop = worker.start(db, {
      intervalMs: 60_000,
      batchSize: 1,
      onError: (error) => calls.push(`error ${String(error)}`),
      beforeRun: async () => {
        calls.push("sweep");
        throw new Error("boom");
      },
    });
    await done;
    await stop();
    // A failing sweep is reported and the deliveries still run.
    expect(calls).toEqual(["sweep", "error Error: boom", "claim"]);
  });
});

describe("lists", () => {
  it("pendingConfirmations: the customer's unanswered, unexpired requests, newest first", async () => {
    const customer = await customerFor(db);
    const other = await customerFor(db);
    const now = Date.now();
    const a = await confirmationFor(db, customer.id, { now });
    const b = await confirmationFor(db, customer.id, { now: now + 1 });
    const c = await confirmationFor(db, customer.id, { now: now + 2 });
    await confirmationFor(db, customer.id, { now: now - 2 * 60 * MINUTE, expiresInMinutes: 60 });
    await confirmationFor(db, other.id, { now });
    await answerConfirmation(db, { customerId: customer.id, id: b.id, answer: "approved", method: "portal", lang: "en", now: now + 3 });
    expect((await pendingConfirmations(db, customer.id, now + 10)).map((x) => x.id)).toEqual([c.id, a.id]);
  });

  it("confirmationsForInteractions: oldest first, with the interaction's ref", async () => {
    const customer = await customerFor(db);
    const one = await interactionFor(db, customer.id, "i-1");
    const two = await interactionFor(db, customer.id, "i-2");
    const now = Date.now();
    const second = await confirmationFor(db, customer.id, { interactionRef: "i-2", now: now + 1 });
    const first = await confirmationFor(db, customer.id, { interactionRef: "i-1", now });
    await confirmationFor(db, customer.id, { now });
    expect(await confirmationsForInteractions(db, [])).toEqual([]);
    const found = await confirmationsForInteractions(db, [one, two], now + 5);
    expect(found.map((x) => [x.id, x.interactionRef])).toEqual([
      [first.id, "i-1"],
      [second.id, "i-2"],
    ]);
  });
});

describe("the email's personal link", () => {
  it("is minted when sent, opens the request and lives at least until it expires", async () => {
    const customer = await customerFor(db, { locale: "de" });
    const now = Date.now();
    const request = await confirmationFor(db, customer.id, { now, expiresInMinutes: 3 * 24 * 60 + 30 });
    const [email] = await db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, customer.email!));
    const text = await emailTextToSend(db, email!, now);
    const token = text.match(/\/l\/([A-Za-z0-9_-]{43})/)![1]!;
    const { status, link } = await inspectLink(db, token, now);
    expect(status).toBe("valid");
    expect(link).toMatchObject({ customerId: customer.id, confirmationId: request.id, lang: "de", createdBy: "email" });
    expect(link!.expiresAt).toBeGreaterThanOrEqual(request.expiresAt);
    expect(link!.expiresAt).toBeLessThan(request.expiresAt + 2 * 24 * 60 * MINUTE);
    expect(await redeemLink(db, token, now)).toMatchObject({ status: "valid", customerId: customer.id, confirmationId: request.id });
    expect(text).not.toContain("{{confirmation-link");
  });

  it("is left out when the address is no longer the one on record; a placeholder typed by the agent stays text", async () => {
    const customer = await customerFor(db);
    const planted = `{{confirmation-link:${crypto.randomUUID()}}}`;
    await confirmationFor(db, customer.id, { summary: { en: `Hello ${planted}` } });
    const [email] = await db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, customer.email!));
    const sent = await emailTextToSend(db, email!);
    expect(sent).toContain(planted);
    expect(sent.match(/\/l\/[A-Za-z0-9_-]{43}/g)).toHaveLength(1);
    await db.update(customers).set({ email: "someone-else@example.com" }).where(eq(customers.id, customer.id));
    const notOnRecord = await emailTextToSend(db, email!);
    expect(notOnRecord).not.toMatch(/\/l\/[A-Za-z0-9_-]{20,}/);
    expect(notOnRecord).toContain("sign in to your account");
  });
});

describe("erasure", () => {
  it("removes the customer's requests and answers, breaches, training uses and the decisions' context", async () => {
    const customer = await customerFor(db);
    const interactionId = await interactionFor(db, customer.id, "erase-me");
    const request = await confirmationFor(db, customer.id, { interactionRef: "erase-me" });
    await answerConfirmation(db, { customerId: customer.id, id: request.id, answer: "approved", method: "portal", lang: "en" });
    const decisionId = await spend(request, Date.now());
    await db.update(decisions).set({ context: '{"amountHundredths":2000,"currency":"EUR"}' }).where(eq(decisions.id, decisionId));
    const [system] = await db.select({ id: aiSystems.id }).from(aiSystems).limit(1);
    const [ai] = await executeSql<{ id: number }>(db, sql`select id from interaction_ai where interaction_id = ${interactionId}`);
    await db.insert(permissionBreaches).values({ interactionAiId: Number(ai!.id), interactionId, customerId: customer.id, systemId: system!.id, actionKey: "plan-changes", reason: "decision_missing", detectedAt: Date.now() });
    await db.insert(trainingUses).values({ interactionId, dataset: "ds-1", usedAt: Date.now(), createdAt: Date.now() });
    const other = await customerFor(db);
    const kept = await confirmationFor(db, other.id);

    expect((await eraseCustomer(db, { customerId: customer.id, actor: { type: "system" } })).status).toBe("erased");
    expect(await db.select().from(confirmations).where(eq(confirmations.customerId, customer.id))).toHaveLength(0);
    expect(await db.select().from(confirmationAnswers).where(eq(confirmationAnswers.customerId, customer.id))).toHaveLength(0);
    expect(await db.select().from(permissionBreaches).where(eq(permissionBreaches.customerId, customer.id))).toHaveLength(0);
    expect(await db.select().from(trainingUses).where(eq(trainingUses.interactionId, interactionId))).toHaveLength(0);
    expect(await db.select().from(interactions).where(eq(interactions.customerId, customer.id))).toHaveLength(0);
    expect(await db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, customer.email!))).toHaveLength(0);
    // The decision stays as codes (what the agent was told), without what the agent described.
    expect(await db.select({ reason: decisions.reason, context: decisions.context }).from(decisions).where(and(eq(decisions.id, decisionId)))).toEqual([{ reason: "confirmed_by_customer", context: null }]);
    expect(await findConfirmation(db, kept.id)).toBeDefined();
    expect((await db.select().from(auditLog).orderBy(auditLog.id)).at(-1)).toMatchObject({ action: "customer.erased" });
  });
});
