/**
 * The text of a permission-breach case (SPEC §11.5) is written for people: the AI system by its
 * register name and the action by its label, in the reader's language; the slug and the action key
 * stay data (the audit entry, the webhook, the case's facts panel), never words of the sentence.
 */
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { aiSystemNames } from "../../app/domain/ai-register.server";
import { breachOfCase } from "../../app/domain/breaches.server";
import { listChoices } from "../../app/domain/preferences.server";
import type { Db } from "../../app/utils/db.server";
import { concerns, interactions } from "../../db/schema";
import { createTestApp } from "../support/app";
import { actedInteraction, decisionFor, systemIdOf } from "../support/breach-factories";
import { trNs } from "../support/locales";

const SLUG = "network-troubleshooter";
const ACTION = "troubleshooting";

let db: Db;
beforeEach(async () => {
  db = (await createTestApp()).db;
});

async function breachCase(ref: string) {
  await actedInteraction(db, { ref, system: SLUG, actionKey: ACTION });
  const [row] = await db
    .select({ id: concerns.id, description: concerns.description })
    .from(concerns)
    .innerJoin(interactions, eq(interactions.id, concerns.interactionId))
    .where(and(eq(interactions.ref, ref), eq(concerns.origin, "breach")))
    .limit(1);
  if (!row) throw new Error(`no breach case for ${ref}`);
  return row;
}

async function namesIn(lang: string) {
  const system = (await aiSystemNames(db, lang)).get(await systemIdOf(db, SLUG))!.name;
  const action = (await listChoices(db, lang)).find((c) => c.key === ACTION)!.label;
  return { system, action };
}

describe("permission-breach case text", () => {
  it("names the decision's AI system and action in the reader's language", async () => {
    const decisionId = await decisionFor(db, { decision: "deny", reason: "preference_never" });
    await actedInteraction(db, { ref: "wording-decision", system: SLUG, actionKey: ACTION, decisionId });
    const [row] = await db
      .select({ id: concerns.id })
      .from(concerns)
      .innerJoin(interactions, eq(interactions.id, concerns.interactionId))
      .where(and(eq(interactions.ref, "wording-decision"), eq(concerns.origin, "breach")))
      .limit(1);
    const breach = await breachOfCase(db, row!.id, "de");
    const names = await namesIn("de");
    expect(breach?.decision).toMatchObject({ aiSystemSlug: SLUG, actionKey: ACTION, aiSystemName: names.system, actionLabel: names.action });
    expect(breach?.text).toContain(decisionId);
    expect(breach?.text).toContain(trNs("de", "queue", "breach.reasons.decision_not_allow"));
  });

  it("is stored with names, not codes: the register name, the action's label, the reference and the reason", async () => {
    const { description } = await breachCase("wording-stored");
    const en = await namesIn("en");
    expect(en.system).not.toBe(SLUG);
    expect(description).toContain(en.system);
    expect(description).toContain(en.action);
    expect(description).toContain("wording-stored");
    expect(description).toContain(trNs("en", "queue", "breach.reasons.decision_missing"));
    expect(description).not.toContain(SLUG);
    // The key may be a word of a name ("Network troubleshooting assistant"), never on its own.
    expect(description.replace(en.system, "").replace(en.action, "")).not.toMatch(new RegExp(`\\b${ACTION}\\b`));
    expect(description).not.toContain("{{");
  });

  for (const lang of ["fr", "de", "ar"] as const) {
    it(`reads in the staff member's language (${lang}), with no internal code`, async () => {
      const { id } = await breachCase(`wording-${lang}`);
      const breach = await breachOfCase(db, id, lang);
      const names = await namesIn(lang);
      expect(breach?.text).toContain(names.system);
      expect(breach?.text).toContain(names.action);
      expect(breach?.text).toContain(trNs(lang, "queue", "breach.reasons.decision_missing"));
      expect(breach?.text).toContain(trNs(lang, "queue", "breach.decisionNone"));
      expect(breach?.text).not.toContain(SLUG);
      expect(breach!.text.replace(names.system, "").replace(names.action, "")).not.toMatch(new RegExp(`\\b${ACTION}\\b`));
      // The decision it named (here none) has no names to show.
      expect(breach?.decision).toBeNull();
      // The English text is not what a French, German or Arabic reader gets.
      expect(breach?.text).not.toBe((await breachOfCase(db, id, "en"))?.text);
    });
  }
});
