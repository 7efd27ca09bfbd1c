import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { upsertCustomer } from "../../app/domain/customers.server";
import { listInteractions, recordInteraction } from "../../app/domain/interactions.server";
import { choiceValueAt, savePreferences } from "../../app/domain/preferences.server";
import type { Connection } from "../../app/utils/db.server";
import { freshDatabase } from "../support/database";

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);
let db: Connection;
let systemId: number;

beforeEach(() => {
  db = freshDatabase();
  upsertCustomer(db, { id: "c-train", locale: "en" });
  systemId = (db.$client.prepare("select id from ai_systems where slug = 'chat-assistant'").get() as { id: number }).id;
});

function record(ref: string, occurredAt: number, reported = true) {
  return recordInteraction(db, {
    customerId: "c-train",
    source: "test",
    ref,
    channel: "chat",
    subject: `Chat ${ref}`,
    occurredAt,
    ai: [{ systemId, role: "answered", humanReviewed: false, trainingEligible: reported }],
  });
}

const eligibility = () =>
  Object.fromEntries(listInteractions(db, "c-train", "en").items.map((i) => [i.ref, i.ai[0]!.trainingEligible]));

describe("training eligibility recorded as it happened (SPEC §11.4)", () => {
  it("stores the customer's choice at the interaction's time; a later opt-out never rewrites it", () => {
    record("before-yes", T0); // default "no"
    savePreferences(db, { customerId: "c-train", values: { training: "yes" }, lang: "en", method: "portal", now: T0 + DAY });
    record("while-yes", T0 + 2 * DAY);
    record("while-yes-not-reported", T0 + 2 * DAY + 1, false);
    savePreferences(db, { customerId: "c-train", values: { training: "no" }, lang: "en", method: "portal", now: T0 + 3 * DAY });
    record("after-opt-out", T0 + 4 * DAY);
    // Reported late, but it happened while the customer allowed training.
    record("late-report", T0 + 2 * DAY + 5);
    expect(eligibility()).toEqual({
      "before-yes": false,
      "while-yes": true,
      "while-yes-not-reported": false,
      "after-opt-out": false,
      "late-report": true,
    });
    const stored = db.$client.prepare("select training_reported as r from interaction_ai ia join interactions i on i.id = ia.interaction_id where i.ref = 'after-opt-out'").get() as { r: number };
    expect(stored.r).toBe(1);
  });

  it("reads a choice's value at a moment from the consent history, else the default", () => {
    expect(choiceValueAt(db, "c-train", "training", T0)).toBe("no");
    savePreferences(db, { customerId: "c-train", values: { training: "yes" }, lang: "en", method: "portal", now: T0 + DAY });
    expect(choiceValueAt(db, "c-train", "training", T0 + DAY - 1)).toBe("no");
    expect(choiceValueAt(db, "c-train", "training", T0 + DAY)).toBe("yes");
    expect(choiceValueAt(db, "c-train", "teleport", T0)).toBeNull();
  });

  it("the migration's backfill derives the same values from the consent history as recording does", () => {
    // The seeded demo recorded its interactions with the at-the-time rule (demo-customer-2 allowed
    // training from 150 to 60 days ago). Put the table back as it was before the migration — only
    // the reported flag, in training_eligible — and run the backfill statements.
    const expected = db.$client.prepare("select id, training_eligible as e, training_reported as r from interaction_ai order by id").all();
    expect(expected.some((row) => (row as { e: number }).e === 1)).toBe(true);
    expect(expected.some((row) => (row as { e: number; r: number }).r === 1 && (row as { e: number }).e === 0)).toBe(true);
    db.$client.prepare("update interaction_ai set training_eligible = training_reported, training_reported = 0").run();
    const file = fs.readdirSync(path.resolve("db/migrations/sqlite")).find((f) => f.endsWith("_training_eligible_at_time.sql"))!;
    const sql = fs.readFileSync(path.resolve("db/migrations/sqlite", file), "utf8");
    const backfill = sql.slice(sql.indexOf("-- backfill (keep when regenerating)")).split("--> statement-breakpoint");
    expect(backfill.length).toBeGreaterThan(1);
    for (const statement of backfill) db.$client.prepare(statement).run();
    expect(db.$client.prepare("select id, training_eligible as e, training_reported as r from interaction_ai order by id").all()).toEqual(expected);
  });
});
