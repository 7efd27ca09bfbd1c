import { beforeEach, describe, expect, it } from "vitest";
import { decide } from "../../app/domain/decisions.server";
import { publishChoiceNotice, savePreferences } from "../../app/domain/preferences.server";
import { decisions } from "../../db/schema";
import type { Connection } from "../../app/utils/db.server";
import { freshDatabase } from "../support/database";

let db: Connection;
beforeEach(() => {
  db = freshDatabase();
});

describe("decide", () => {
  it("follows the customer's preference: allow → allow, ask → ask, never → deny", () => {
    const customerId = "demo-customer-2";
    for (const [value, expected] of [["allow", "allow"], ["ask", "ask"], ["never", "deny"]] as const) {
      savePreferences(db, { customerId, values: { orders: value }, lang: "en", method: "portal" });
      const decision = decide(db, { customerId, actionKey: "orders", aiSystemSlug: "network-troubleshooter" });
      expect(decision.decision).toBe(expected);
      expect(decision.reason).toBe(`preference_${value}`);
    }
  });

  it("uses the protective default when the customer never chose", () => {
    const decision = decide(db, { customerId: "demo-customer-1", actionKey: "orders", aiSystemSlug: "network-troubleshooter" });
    expect(decision).toMatchObject({ decision: "ask", reason: "default_ask" });
  });

  it("fails closed for unknown customers and actions, and records every answer", () => {
    const before = db.select().from(decisions).all().length;
    expect(decide(db, { customerId: "nobody", actionKey: "orders", aiSystemSlug: "x" })).toMatchObject({ decision: "deny", reason: "unknown_customer" });
    expect(decide(db, { customerId: "demo-customer-1", actionKey: "launch-rocket", aiSystemSlug: "x" })).toMatchObject({ decision: "deny", reason: "unknown_action" });
    expect(decide(db, { customerId: "demo-customer-1", actionKey: "training", aiSystemSlug: "x" })).toMatchObject({ decision: "deny", reason: "unknown_action" });
    expect(db.select().from(decisions).all()).toHaveLength(before + 3);
  });

  it("treats an allow given under an older notice as ask until reconfirmed", () => {
    const customerId = "demo-customer-2";
    savePreferences(db, { customerId, values: { orders: "allow" }, lang: "en", method: "portal" });
    publishChoiceNotice(db, { choiceKey: "orders", texts: { en: { label: "Orders", explanation: "Now with SIM swaps." } } });
    expect(decide(db, { customerId, actionKey: "orders", aiSystemSlug: "network-troubleshooter" })).toMatchObject({ decision: "ask", reason: "needs_reconfirmation" });
    savePreferences(db, { customerId, values: { orders: "allow" }, lang: "en", method: "portal" });
    expect(decide(db, { customerId, actionKey: "orders", aiSystemSlug: "network-troubleshooter" })).toMatchObject({ decision: "allow", reason: "preference_allow" });
  });

  it("denies unknown or inactive AI systems and actions a system is not registered for", () => {
    const customerId = "demo-customer-2";
    savePreferences(db, { customerId, values: { orders: "allow", "plan-changes": "allow" }, lang: "en", method: "portal" });
    expect(decide(db, { customerId, actionKey: "orders", aiSystemSlug: "rogue-bot" })).toMatchObject({ decision: "deny", reason: "unknown_ai_system" });
    // The chat assistant answers questions; it is not registered to order anything.
    expect(decide(db, { customerId, actionKey: "orders", aiSystemSlug: "chat-assistant" })).toMatchObject({ decision: "deny", reason: "action_not_registered" });
    db.$client.prepare("update ai_systems set status = 'paused' where slug = 'network-troubleshooter'").run();
    expect(decide(db, { customerId, actionKey: "orders", aiSystemSlug: "network-troubleshooter" })).toMatchObject({ decision: "deny", reason: "unknown_ai_system" });
  });

  it("sees a preference change made just before (1,000 flip-then-check trials)", () => {
    const customerId = "demo-customer-1";
    for (let i = 0; i < 1000; i++) {
      const value = i % 2 === 0 ? "never" : "allow";
      savePreferences(db, { customerId, values: { "plan-changes": value }, lang: "en", method: "api" });
      const decision = decide(db, { customerId, actionKey: "plan-changes", aiSystemSlug: "offer-predictor" });
      expect(decision.decision).toBe(value === "never" ? "deny" : "allow");
    }
  }, 30_000);
});
