import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decisionCheck, preferencesRead } from "../../app/domain/decision-hot-path.server";
import { decide, type DecideInput, type Decision } from "../../app/domain/decisions.server";
import { getPreferences, getPreferenceVersion, publishChoiceNotice, savePreferences } from "../../app/domain/preferences.server";
import { and, eq, inArray } from "drizzle-orm";
import { aiSystems, customers, decisions, interactions, preferences } from "../../db/schema";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { freshTestDatabase } from "../support/database";
import { confirmationWithAnswer, customerWithChoices } from "../support/decision-factories";

/** The agent verified who it talks to (SPEC §11.3): these tests are about the other rules. */
const context = { identity: { verified: true } };

let database: AnyDatabase;
let db: Db;
beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
});
afterEach(async () => {
  await database.close();
});

describe("decide", async () => {
  it("follows the customer's preference: allow → allow, ask → ask, never → deny", async () => {
    const customerId = "demo-customer-2";
    for (const [value, expected] of [["allow", "allow"], ["ask", "ask"], ["never", "deny"]] as const) {
      await savePreferences(db, { customerId, values: { orders: value }, lang: "en", method: "portal" });
      const decision = await decide(db, { customerId, actionKey: "orders", aiSystemSlug: "network-troubleshooter", context });
      expect(decision.decision).toBe(expected);
      expect(decision.reason).toBe(`preference_${value}`);
    }
  });

  it("uses the protective default when the customer never chose", async () => {
    const decision = await decide(db, { customerId: "demo-customer-1", actionKey: "orders", aiSystemSlug: "network-troubleshooter", context });
    expect(decision).toMatchObject({ decision: "ask", reason: "default_ask" });
  });

  it("fails closed for unknown customers and actions, and records every answer", async () => {
    const before = (await db.select().from(decisions)).length;
    expect(await decide(db, { customerId: "nobody", actionKey: "orders", aiSystemSlug: "x" })).toMatchObject({ decision: "deny", reason: "unknown_customer" });
    expect(await decide(db, { customerId: "demo-customer-1", actionKey: "launch-rocket", aiSystemSlug: "x" })).toMatchObject({ decision: "deny", reason: "unknown_action" });
    expect(await decide(db, { customerId: "demo-customer-1", actionKey: "training", aiSystemSlug: "x" })).toMatchObject({ decision: "deny", reason: "unknown_action" });
    expect(await db.select().from(decisions)).toHaveLength(before + 3);
  });

  it("treats an allow given under an older notice as ask until reconfirmed", async () => {
    const customerId = "demo-customer-2";
    await savePreferences(db, { customerId, values: { orders: "allow" }, lang: "en", method: "portal" });
    await publishChoiceNotice(db, { choiceKey: "orders", texts: { en: { label: "Orders", explanation: "Now with SIM swaps." } } });
    expect(await decide(db, { customerId, actionKey: "orders", aiSystemSlug: "network-troubleshooter", context })).toMatchObject({ decision: "ask", reason: "needs_reconfirmation" });
    await savePreferences(db, { customerId, values: { orders: "allow" }, lang: "en", method: "portal" });
    expect(await decide(db, { customerId, actionKey: "orders", aiSystemSlug: "network-troubleshooter", context })).toMatchObject({ decision: "allow", reason: "preference_allow" });
  });

  it("denies unknown or inactive AI systems and actions a system is not registered for", async () => {
    const customerId = "demo-customer-2";
    await savePreferences(db, { customerId, values: { orders: "allow", "plan-changes": "allow" }, lang: "en", method: "portal" });
    expect(await decide(db, { customerId, actionKey: "orders", aiSystemSlug: "rogue-bot", context })).toMatchObject({ decision: "deny", reason: "unknown_ai_system" });
    // The chat assistant answers questions; it is not registered to order anything.
    expect(await decide(db, { customerId, actionKey: "orders", aiSystemSlug: "chat-assistant", context })).toMatchObject({ decision: "deny", reason: "action_not_registered" });
    await db.update(aiSystems).set({ status: "paused" }).where(eq(aiSystems.slug, "network-troubleshooter"));
    expect(await decide(db, { customerId, actionKey: "orders", aiSystemSlug: "network-troubleshooter", context })).toMatchObject({ decision: "deny", reason: "unknown_ai_system" });
  });

  it("sees a preference change made just before (1,000 flip-then-check trials)", async () => {
    const customerId = "demo-customer-1";
    for (let i = 0; i < 1000; i++) {
      const value = i % 2 === 0 ? "never" : "allow";
      await savePreferences(db, { customerId, values: { "plan-changes": value }, lang: "en", method: "api" });
      const decision = await decide(db, { customerId, actionKey: "plan-changes", aiSystemSlug: "offer-predictor", context });
      expect(decision.decision).toBe(value === "never" ? "deny" : "allow");
    }
  }, 30_000);
});

describe("the agents' hot path (prepared statements of the engine)", () => {
  const input = (customerId: string, actionKey: string, aiSystemSlug: string, interactionRef: string | null = null) => ({ customerId, actionKey, aiSystemSlug, interactionRef, context });

  it("decisionCheck answers as decide(), for every rule, and records the answer", async () => {
    const customerId = "demo-customer-2";
    await savePreferences(db, { customerId, values: { orders: "allow", "plan-changes": "never" }, lang: "en", method: "portal" });
    const [interaction] = await db.select({ ref: interactions.ref, id: interactions.id }).from(interactions).where(eq(interactions.customerId, customerId)).limit(1);
    const cases = [
      input(customerId, "orders", "network-troubleshooter", interaction!.ref),
      input(customerId, "plan-changes", "offer-predictor"),
      input("demo-customer-1", "orders", "network-troubleshooter"),
      input("nobody", "orders", "network-troubleshooter"),
      input(customerId, "launch-rocket", "network-troubleshooter"),
      input(customerId, "orders", "rogue-bot"),
      input(customerId, "orders", "chat-assistant"),
      input(customerId, "orders", "network-troubleshooter", "no-such-ref"),
    ];
    const check = decisionCheck(database);
    for (const c of cases) {
      const { id: _a, createdAt: _b, ...expected } = await decide(db, c);
      const answered = await check(c);
      const { id: _c, createdAt: _d, ...actual } = answered;
      expect(actual, JSON.stringify(c)).toEqual(expected);
      const [stored] = await db.select().from(decisions).where(eq(decisions.id, answered.id));
      expect(stored).toEqual(answered);
    }
    expect((await check(cases[0]!)).interactionId).toBe(interaction!.id);
  });

  it("decisionCheck answers as decide() for the permission rules: human first, identity, limits, confirmations", async () => {
    const hour = 60 * 60_000;
    const limited = await customerWithChoices(
      db,
      {
        "plan-changes": { value: "allow", limits: { maxAmount: { hundredths: 2000, currency: "EUR" }, channels: ["email"], quietHours: { from: "22:00", to: "07:00" } } },
        "billing-arrangements": { value: "allow", limits: { allowedForDays: 30 }, givenAt: Date.now() - 31 * 24 * hour },
      },
      { timeZone: "Europe/Paris" },
    );
    const asking = await customerWithChoices(db, { "plan-changes": "ask" });
    const plan = { customerId: asking, actionKey: "plan-changes", aiSystemSlug: "offer-predictor" };
    const at = (iso: string) => ({ ...context, at: Date.parse(iso) });
    // Each case builds its own state twice (once per path): an approval is spent by the first.
    const cases: (() => Promise<DecideInput>)[] = [
      async () => ({ customerId: "demo-customer-2", actionKey: "ai_first_contact", aiSystemSlug: "chat-assistant" }),
      async () => ({ customerId: asking, actionKey: "ai_first_contact", aiSystemSlug: "chat-assistant" }),
      async () => ({ customerId: asking, actionKey: "ai_first_contact", aiSystemSlug: "rogue-bot" }),
      async () => ({ ...plan }),
      async () => ({ ...plan, context: { identity: { verified: false } } }),
      async () => ({ ...plan, context }),
      async () => ({ customerId: limited, actionKey: "plan-changes", aiSystemSlug: "offer-predictor", context: { ...at("2026-06-01T21:30:00Z"), amountHundredths: 1500, currency: "EUR", channel: "email" } }),
      async () => ({ customerId: limited, actionKey: "plan-changes", aiSystemSlug: "offer-predictor", context: { ...at("2026-06-01T10:00:00Z"), amountHundredths: 1500, currency: "EUR", channel: "email" } }),
      async () => ({ customerId: limited, actionKey: "plan-changes", aiSystemSlug: "offer-predictor", context: { ...at("2026-06-01T10:00:00Z"), amountHundredths: 2001, currency: "EUR", channel: "email" } }),
      async () => ({ customerId: limited, actionKey: "plan-changes", aiSystemSlug: "offer-predictor", context: { ...at("2026-06-01T10:00:00Z"), amountHundredths: 1500, currency: "EUR", channel: "sms" } }),
      async () => ({ customerId: limited, actionKey: "billing-arrangements", aiSystemSlug: "offer-predictor", context }),
      async () => ({ ...plan, context, confirmationId: await confirmationWithAnswer(db, { customerId: asking, answer: "approved" }) }),
      async () => ({ ...plan, context, confirmationId: await confirmationWithAnswer(db, { customerId: asking }) }),
      async () => ({ ...plan, context, confirmationId: await confirmationWithAnswer(db, { customerId: asking, answer: "declined" }) }),
      async () => ({ ...plan, context, confirmationId: await confirmationWithAnswer(db, { customerId: asking, answer: "approved", expiresAt: Date.now() - 1 }) }),
      async () => ({ ...plan, context, confirmationId: await confirmationWithAnswer(db, { customerId: asking, answer: "approved", amountHundredths: 2000, currency: "EUR" }) }),
      async () => ({ ...plan, context, confirmationId: await confirmationWithAnswer(db, { customerId: "demo-customer-1", answer: "approved" }) }),
      async () => ({ ...plan, context, confirmationId: "00000000-0000-4000-8000-000000000000" }),
    ];
    const check = decisionCheck(database);
    const withoutIds = ({ id: _id, createdAt: _at, confirmationId, ...rest }: Decision) => ({ ...rest, presented: confirmationId !== null });
    for (const build of cases) {
      const expected = await decide(db, await build());
      const answered = await check(await build());
      expect(withoutIds(answered), expected.context ?? expected.actionKey).toEqual(withoutIds(expected));
      const [stored] = await db.select().from(decisions).where(eq(decisions.id, answered.id));
      expect(stored).toEqual(answered);
    }
    const reasons = (await db.select({ reason: decisions.reason }).from(decisions).where(inArray(decisions.customerId, [limited, asking, "demo-customer-2"]))).map((r) => r.reason);
    // The cases cover what they claim to (a broken rule would show up as a missing reason).
    for (const reason of ["human_first", "no_human_first", "unknown_ai_system", "identity_not_verified", "preference_ask", "quiet_hours", "preference_allow", "amount_over_limit", "channel_not_allowed", "permission_expired", "confirmed_by_customer", "confirmation_pending", "confirmation_declined", "confirmation_expired", "confirmation_mismatch", "confirmation_unknown"]) {
      expect(reasons, reason).toContain(reason);
    }
  });

  it("preferencesRead reports what getPreferences says; undefined for unknown and erased customers", async () => {
    const customerId = "demo-customer-1";
    await savePreferences(db, { customerId, values: { orders: "allow" }, lang: "en", method: "api" });
    await publishChoiceNotice(db, { choiceKey: "orders", texts: { en: { label: "Orders", explanation: "Now with SIM swaps." } } });
    const snapshot = (await preferencesRead(database)(customerId))!;
    expect(snapshot.preferenceVersion).toBe(await getPreferenceVersion(db, customerId));
    const expected = await getPreferences(db, customerId);
    expect(snapshot.choices.map((c) => [c.key, c.value, c.isDefault, c.noticeVersion, c.needsReconfirmation])).toEqual(
      expected.map((p) => [p.key, p.value, p.isDefault, p.noticeVersion, p.needsReconfirmation]),
    );
    expect(snapshot.choices.find((c) => c.key === "orders")).toMatchObject({ value: "allow", needsReconfirmation: true, method: "api", updatedAt: expect.any(Number) });
    expect(await preferencesRead(database)("nobody")).toBeUndefined();
    await db.update(customers).set({ erasedAt: Date.now() }).where(eq(customers.id, customerId));
    expect(await preferencesRead(database)(customerId)).toBeUndefined();
  });

  it("waits for a transaction open on the shared connection instead of running (and being rolled back) inside it", async () => {
    const customerId = "demo-customer-2";
    await savePreferences(db, { customerId, values: { orders: "never" }, lang: "en", method: "portal" });
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Another request's transaction: changes the choice, waits (awaiting), then fails.
    const failing = db.transaction(async (tx) => {
      await tx.update(preferences).set({ value: "allow" }).where(and(eq(preferences.customerId, customerId), eq(preferences.choiceKey, "orders")));
      inside();
      await released;
      throw new Error("rolled back");
    });
    await entered;
    const check = decisionCheck(database)(input(customerId, "orders", "network-troubleshooter"));
    const read = preferencesRead(database)(customerId);
    release();
    await expect(failing).rejects.toThrow("rolled back");
    const answered = await check;
    expect(answered).toMatchObject({ decision: "deny", reason: "preference_never" });
    expect((await read)!.choices.find((c) => c.key === "orders")!.value).toBe("never");
    expect(await db.select().from(decisions).where(eq(decisions.id, answered.id))).toHaveLength(1);
  });
});
