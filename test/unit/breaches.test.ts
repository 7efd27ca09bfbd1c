/**
 * Permission breaches (SPEC §11.5): detection in recordInteraction, the staff case, audit and
 * webhook in the same transaction, the customer's contest, and the weekly report.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { WEBHOOK_PAYLOADS } from "../../app/api/schemas";
import { breachesForInteractions, contestBreach } from "../../app/domain/breaches.server";
import {
  addStaffMessage,
  ConcernStateError,
  findConcernByRef,
  findCustomerConcern,
  listConcernsForCustomer,
  listQueue,
} from "../../app/domain/concerns/index.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { InteractionConflictError, recordInteraction } from "../../app/domain/interactions.server";
import { breachesBySystemAndWeek, resolveRange } from "../../app/domain/reports.server";
import { DECISION_VALID_FOR_MS, type BreachReason } from "../../app/domain/vocabulary";
import { createWebhookEndpoint } from "../../app/domain/webhooks.server";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { auditLog, concerns, interactionAi, permissionBreaches, webhookDeliveries } from "../../db/schema";
import { actedInteraction, decisionFor, systemIdOf } from "../support/breach-factories";
import { freshTestDatabase } from "../support/database";

const HOUR = 60 * 60 * 1000;
const CUSTOMER = "c-breach";
let database: AnyDatabase;
let db: Db;

beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
  await upsertCustomer(db, { id: CUSTOMER, locale: "en" });
  await upsertCustomer(db, { id: "c-breach-fr", locale: "fr" });
});
afterEach(async () => {
  await database.close();
});

/** A decision for CUSTOMER (troubleshooting by network-troubleshooter, allow) made `ago` ms before `at`. */
const allow = (at: number, overrides: Parameters<typeof decisionFor>[1] = {}) => decisionFor(db, { customerId: CUSTOMER, createdAt: at - 5 * 60 * 1000, ...overrides });
const act = (ref: string, decisionId: string | null, at = Date.now(), extra: Partial<Parameters<typeof actedInteraction>[1]> = {}) =>
  actedInteraction(db, { ref, decisionId, customerId: CUSTOMER, occurredAt: at, ...extra });

describe("detection (SPEC §11.5)", () => {
  it("a valid allow covers the action: no breach, the decision is stored on the AI row", async () => {
    const at = Date.now();
    const decisionId = await allow(at);
    const result = await act("ok-1", decisionId, at);
    expect(result).toMatchObject({ created: true, breaches: [] });
    const [row] = await db.select().from(interactionAi).where(eq(interactionAi.interactionId, result.id));
    expect(row!.decisionId).toBe(decisionId);
    expect(await db.select().from(permissionBreaches).where(eq(permissionBreaches.customerId, CUSTOMER))).toEqual([]);
  });

  const cases: [BreachReason, (at: number) => Promise<string | null>, Partial<Parameters<typeof actedInteraction>[1]>?][] = [
    ["decision_missing", async () => null],
    ["decision_unknown", async () => "7c6f1f0e-8a44-4a36-9d3a-2f4d1c0b9e11"],
    ["decision_not_allow", (at) => allow(at, { decision: "ask", reason: "preference_ask" })],
    ["decision_other_customer", (at) => allow(at, { customerId: "c-breach-fr" })],
    ["decision_other_action", (at) => allow(at, { actionKey: "plan-changes" })],
    ["decision_other_ai_system", (at) => allow(at, { aiSystemSlug: "offer-predictor" })],
    ["decision_too_old", (at) => allow(at, { createdAt: at - DECISION_VALID_FOR_MS - 1 })],
  ];
  it.each(cases)("%s", async (reason, decision) => {
    const at = Date.now();
    const result = await act(`r-${reason}`, await decision(at), at);
    expect(result.breaches).toEqual([{ breachId: expect.any(Number), index: 0, reason, concernRef: expect.stringMatching(/^C-/) }]);
  });

  it("a decision made during the interaction (after its start) covers it; exactly 24 hours before still covers it", async () => {
    const at = Date.now() - HOUR;
    expect((await act("after", await allow(at, { createdAt: at + 5 * 60_000 }), at)).breaches).toEqual([]);
    expect((await act("edge", await allow(at, { createdAt: at - DECISION_VALID_FOR_MS }), at)).breaches).toEqual([]);
  });

  it("decision_already_used: a second action naming the same decision, in another interaction or the same one", async () => {
    const at = Date.now();
    const decisionId = await allow(at);
    expect((await act("first", decisionId, at)).breaches).toEqual([]);
    expect((await act("second", decisionId, at + 1000)).breaches.map((b) => b.reason)).toEqual(["decision_already_used"]);

    const same = await allow(at);
    const systemId = await systemIdOf(db, "network-troubleshooter");
    const acted = { systemId, role: "acted" as const, actionKey: "troubleshooting", humanReviewed: false, trainingEligible: false, decisionId: same };
    const both = await recordInteraction(db, {
      customerId: CUSTOMER,
      source: "test",
      ref: "both",
      channel: "chat",
      subject: "Two actions",
      occurredAt: at,
      ai: [{ systemId, role: "answered", humanReviewed: false, trainingEligible: false }, acted, acted],
    });
    expect(both.breaches.map((b) => [b.index, b.reason])).toEqual([[2, "decision_already_used"]]);
  });

  it("AI rows that did not act (or acted on no action kind) need no decision", async () => {
    const systemId = await systemIdOf(db, "chat-assistant");
    const result = await recordInteraction(db, {
      customerId: CUSTOMER,
      source: "test",
      ref: "no-acts",
      channel: "chat",
      subject: "Answers only",
      occurredAt: Date.now(),
      ai: [
        { systemId, role: "answered", humanReviewed: false, trainingEligible: true },
        { systemId, role: "acted", actionKey: null, humanReviewed: false, trainingEligible: false },
      ],
    });
    expect(result.breaches).toEqual([]);
  });

  it("a replay with the same content detects nothing again and answers the stored breaches; another decision is a conflict", async () => {
    const at = Date.now();
    const first = await act("replay", null, at);
    expect(first.breaches).toHaveLength(1);
    const again = await act("replay", null, at);
    expect(again).toEqual({ id: first.id, created: false, breaches: first.breaches });
    expect(await db.select().from(permissionBreaches).where(eq(permissionBreaches.interactionId, first.id))).toHaveLength(1);
    expect(await db.select().from(concerns).where(and(eq(concerns.interactionId, first.id), eq(concerns.origin, "breach")))).toHaveLength(1);
    await expect(act("replay", await allow(at), at)).rejects.toSatisfy((e) => e instanceof InteractionConflictError && e.fields.includes("ai"));
  });
});

describe("what a breach opens", () => {
  it("a staff case: origin breach, unwanted action, high priority, linked, in the customer's language, not flagged; the customer never sees it", async () => {
    const at = Date.now();
    const { id, breaches } = await actedInteraction(db, { ref: "case-1", customerId: "c-breach-fr", occurredAt: at });
    const concern = (await findConcernByRef(db, breaches[0]!.concernRef!))!;
    expect(concern).toMatchObject({
      origin: "breach",
      kind: "unwanted_action",
      priority: "high",
      status: "new",
      customerId: "c-breach-fr",
      interactionId: id,
      systemId: await systemIdOf(db, "network-troubleshooter"),
      lang: "fr",
      contactMethod: "portal",
      seriousIncident: false,
    });
    expect(concern.slaDueAt).toBeGreaterThan(concern.createdAt);
    expect(concern.description).toContain("case-1");
    expect(await listConcernsForCustomer(db, "c-breach-fr")).toEqual([]);
    expect(await findCustomerConcern(db, "c-breach-fr", concern.ref)).toBeUndefined();
    const queue = await listQueue(db, { status: "open", origin: "breach", sort: "due", page: 1 }, { id: 1 }, "en");
    expect(queue.rows.map((r) => [r.ref, r.origin])).toContainEqual([concern.ref, "breach"]);
    const customerOnly = await listQueue(db, { status: "all", origin: "customer", sort: "due", page: 1, q: concern.ref }, { id: 1 }, "en");
    expect(customerOnly.rows.map((r) => r.ref)).toEqual([concern.ref]); // a whole reference finds it whatever the filters
    // Staff only: internal notes, never a reply that would reach no one.
    await expect(addStaffMessage(db, concern, { body: "We looked into it.", authorName: "Sam", visibility: "public" })).rejects.toSatisfy(
      (e) => e instanceof ConcernStateError && e.code === "staff_only",
    );
    expect(concern.firstResponseAt).toBeNull();
    expect(await addStaffMessage(db, concern, { body: "Checking the agent's logs.", authorName: "Sam", visibility: "internal" })).toEqual(expect.any(Number));
    // No customer to answer: the first note is the case's first response, so its SLA clock can be met.
    expect((await findConcernByRef(db, concern.ref))!.firstResponseAt).toEqual(expect.any(Number));
    const noBreaches = await listQueue(db, { status: "all", origin: "customer", sort: "created", page: 1 }, { id: 1 }, "en");
    expect(noBreaches.rows.some((r) => r.origin === "breach")).toBe(false);
  });

  it("an audit entry and the breach.detected webhook with exactly the documented data, in the same transaction", async () => {
    await createWebhookEndpoint(db, { url: "https://hooks.example/candor", events: ["breach.detected"], staffId: 1 });
    const at = Date.now();
    const decisionId = await allow(at, { decision: "deny", reason: "preference_never" });
    const { breaches } = await act("hook-1", decisionId, at);
    const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.event, "breach.detected"));
    const payload = JSON.parse(delivery!.payload) as { data: Record<string, unknown> };
    expect(WEBHOOK_PAYLOADS["breach.detected"].strict().safeParse(payload).success).toBe(true);
    expect(payload.data).toEqual({
      breachId: breaches[0]!.breachId,
      customerId: CUSTOMER,
      source: "test",
      ref: "hook-1",
      action: "troubleshooting",
      aiSystem: "network-troubleshooter",
      decisionId,
      reason: "decision_not_allow",
      concernRef: breaches[0]!.concernRef,
    });
    const audited = await db.select().from(auditLog).where(and(eq(auditLog.action, "breach.detected"), eq(auditLog.targetId, "test:hook-1")));
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorType: "system", targetType: "interaction", targetId: "test:hook-1" });
  });
});

describe("contest this action", () => {
  it("files exactly one concern per breach, pre-filled in the customer's language; then contestConcernRef", async () => {
    const { id, breaches } = await actedInteraction(db, { ref: "contest-1", customerId: "c-breach-fr", occurredAt: Date.now() });
    const breachId = breaches[0]!.breachId;
    const filed = await contestBreach(db, { customerId: "c-breach-fr", breachId, lang: "fr" });
    expect(filed).toMatchObject({ status: "filed", ref: expect.stringMatching(/^C-/) });
    const ref = (filed as { ref: string }).ref;
    expect(await contestBreach(db, { customerId: "c-breach-fr", breachId, lang: "fr" })).toEqual({ status: "already_contested", ref });
    const concern = (await findCustomerConcern(db, "c-breach-fr", ref))!;
    expect(concern).toMatchObject({ origin: "customer", kind: "unwanted_action", priority: "high", interactionId: id, lang: "fr", contactMethod: "portal" });
    expect(concern.description).toContain("Je conteste cette action");
    expect(concern.description).toContain("contest-1");
    expect((await listConcernsForCustomer(db, "c-breach-fr")).map((c) => c.ref)).toEqual([ref]);
    expect(await breachesForInteractions(db, [id])).toEqual([
      { id: breachId, interactionId: id, interactionAiId: expect.any(Number), actionKey: "troubleshooting", reason: "decision_missing", detectedAt: expect.any(Number), contestConcernRef: ref },
    ]);
  });

  it("another customer's breach is not found, and nothing is filed", async () => {
    const { breaches } = await act("contest-2", null);
    const before = await db.select({ id: concerns.id }).from(concerns);
    expect(await contestBreach(db, { customerId: "c-breach-fr", breachId: breaches[0]!.breachId, lang: "fr" })).toEqual({ status: "not_found" });
    expect(await contestBreach(db, { customerId: CUSTOMER, breachId: 999_999, lang: "en" })).toEqual({ status: "not_found" });
    expect(await db.select({ id: concerns.id }).from(concerns)).toHaveLength(before.length);
  });
});

describe("report: breaches per AI system and ISO week", () => {
  it("counts each breach in the week it was detected, per system", async () => {
    const range = resolveRange({ from: "2026-01-05", to: "2026-01-18" }, Date.UTC(2026, 0, 20), "Europe/Brussels");
    if (!range.ok) throw new Error("range");
    const before = await breachesBySystemAndWeek(db, range.range, "en");
    const { breaches: [a] } = await act("w1", null);
    const { breaches: [b] } = await act("w2", null);
    const { breaches: [c] } = await act("w3", null, Date.now(), { system: "offer-predictor", actionKey: "plan-changes" });
    // Detected on Wednesday 7 January (week 2) and Monday 12 January, 00:30 Brussels time (week 3).
    await db.update(permissionBreaches).set({ detectedAt: Date.UTC(2026, 0, 7, 10) }).where(eq(permissionBreaches.id, a!.breachId));
    await db.update(permissionBreaches).set({ detectedAt: Date.UTC(2026, 0, 11, 23, 30) }).where(eq(permissionBreaches.id, b!.breachId));
    await db.update(permissionBreaches).set({ detectedAt: Date.UTC(2026, 0, 11, 23, 30) }).where(eq(permissionBreaches.id, c!.breachId));
    const report = await breachesBySystemAndWeek(db, range.range, "en");
    expect(report.weeks.map((w) => w.isoWeek)).toEqual(["2026-W02", "2026-W03"]);
    const column = (slug: string) => report.systems.findIndex((s) => s.slug === slug);
    const added = (week: number, slug: string) => report.weeks[week]!.counts[column(slug)]! - before.weeks[week]!.counts[before.systems.findIndex((s) => s.slug === slug)]!;
    expect([added(0, "network-troubleshooter"), added(1, "network-troubleshooter"), added(0, "offer-predictor"), added(1, "offer-predictor")]).toEqual([1, 1, 0, 1]);
    expect(report.total - before.total).toBe(3);
  });
});
