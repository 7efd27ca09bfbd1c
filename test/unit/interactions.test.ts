import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { upsertCustomer } from "../../app/domain/customers.server";
import { listInteractions, recordInteraction } from "../../app/domain/interactions.server";
import { choiceValueAt, savePreferences } from "../../app/domain/preferences.server";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { aiSystems, interactionAi, interactions } from "../../db/schema";
import { freshTestDatabase, seededSqliteDatabase } from "../support/database";

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);
let database: AnyDatabase;
let db: Db;
let systemId: number;

beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
  await upsertCustomer(db, { id: "c-train", locale: "en" });
  const [system] = await db.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.slug, "chat-assistant")).limit(1);
  systemId = system!.id;
});
afterEach(async () => {
  await database.close();
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

const eligibility = async () =>
  Object.fromEntries((await listInteractions(db, "c-train", "en")).items.map((i) => [i.ref, i.ai[0]!.trainingEligible]));

describe("training eligibility recorded as it happened (SPEC §11.4)", () => {
  it("stores the customer's choice at the interaction's time; a later opt-out never rewrites it", async () => {
    await record("before-yes", T0); // default "no"
    await savePreferences(db, { customerId: "c-train", values: { training: "yes" }, lang: "en", method: "portal", now: T0 + DAY });
    await record("while-yes", T0 + 2 * DAY);
    await record("while-yes-not-reported", T0 + 2 * DAY + 1, false);
    await savePreferences(db, { customerId: "c-train", values: { training: "no" }, lang: "en", method: "portal", now: T0 + 3 * DAY });
    await record("after-opt-out", T0 + 4 * DAY);
    // Reported late, but it happened while the customer allowed training.
    await record("late-report", T0 + 2 * DAY + 5);
    expect(await eligibility()).toEqual({
      "before-yes": false,
      "while-yes": true,
      "while-yes-not-reported": false,
      "after-opt-out": false,
      "late-report": true,
    });
    const [stored] = await db
      .select({ reported: interactionAi.trainingReported })
      .from(interactionAi)
      .innerJoin(interactions, eq(interactions.id, interactionAi.interactionId))
      .where(eq(interactions.ref, "after-opt-out"));
    expect(stored!.reported).toBe(true);
  });

  it("reads a choice's value at a moment from the consent history, else the default", async () => {
    expect(await choiceValueAt(db, "c-train", "training", T0)).toBe("no");
    await savePreferences(db, { customerId: "c-train", values: { training: "yes" }, lang: "en", method: "portal", now: T0 + DAY });
    expect(await choiceValueAt(db, "c-train", "training", T0 + DAY - 1)).toBe("no");
    expect(await choiceValueAt(db, "c-train", "training", T0 + DAY)).toBe("yes");
    expect(await choiceValueAt(db, "c-train", "teleport", T0)).toBeNull();
  });

  it("the migration's backfill derives the same values from the consent history as recording does", async () => {
    // The SQLite migration file's statements, run on the SQLite connection.
    // PostgreSQL databases start from the current schema: the backfill exists for SQLite files only.
    await database.close();
    const sqlite = await seededSqliteDatabase();
    database = sqlite;
    db = sqlite.db;
    const { client } = sqlite;
    // The seeded demo recorded its interactions with the at-the-time rule (demo-customer-2 allowed
    // training from 150 to 60 days ago). Put the table back as it was before the migration — only
    // the reported flag, in training_eligible — and run the backfill statements.
    const expected = client.prepare("select id, training_eligible as e, training_reported as r from interaction_ai order by id").all();
    expect(expected.some((row) => (row as { e: number }).e === 1)).toBe(true);
    expect(expected.some((row) => (row as { e: number; r: number }).r === 1 && (row as { e: number }).e === 0)).toBe(true);
    client.prepare("update interaction_ai set training_eligible = training_reported, training_reported = 0").run();
    const file = fs.readdirSync(path.resolve("db/migrations/sqlite")).find((f) => f.endsWith("_training_eligible_at_time.sql"))!;
    const sql = fs.readFileSync(path.resolve("db/migrations/sqlite", file), "utf8");
    const backfill = sql.slice(sql.indexOf("-- backfill (keep when regenerating)")).split("--> statement-breakpoint");
    expect(backfill.length).toBeGreaterThan(1);
    for (const statement of backfill) client.prepare(statement).run();
    expect(client.prepare("select id, training_eligible as e, training_reported as r from interaction_ai order by id").all()).toEqual(expected);
  });
});
