/**
 * The reads the overview and the register make on every view (SPEC §3.2), on the suite's engine:
 * the register's count, its summary texts in the page's language with the English (then any)
 * fallback, and the overview's recent AI-involved interactions.
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { aiSystemNames, countAiSystems, createAiSystem, getAiSystem, listAiSystems, type AiSystemTexts } from "../../app/domain/ai-register.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { recentAiInteractions, recordInteraction } from "../../app/domain/interactions.server";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { aiSystems } from "../../db/schema";
import { freshTestDatabase } from "../support/database";

let database: AnyDatabase;
let db: Db;
beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
});
afterEach(async () => {
  await database.close();
});

function texts(prefix: string): AiSystemTexts {
  const fields = ["name", "shortDescription", "riskReason", "purpose", "notFor", "howItWorks", "limitations", "dataOperating", "dataTraining", "legalBasis", "oversight", "risks", "impactAssessment", "retention"] as const;
  return Object.fromEntries(fields.map((field) => [field, `${prefix} ${field}`])) as AiSystemTexts;
}

function system(slug: string, textsByLang: Record<string, AiSystemTexts>) {
  return createAiSystem(db, {
    slug,
    provider: "Test provider",
    riskClass: "limited",
    autonomy: "answers",
    channels: ["chat"],
    contactEmail: "ai@example.com",
    lastReviewedAt: Date.UTC(2026, 0, 1),
    actionKeys: ["plan-changes"],
    texts: textsByLang,
    versions: [{ changeNote: { en: "First version." }, material: true, createdAt: Date.UTC(2026, 0, 1) }],
  });
}

describe("the register's reads", () => {
  it("counts what the register lists: retired systems are left out", async () => {
    const listed = (await listAiSystems(db, "en")).length;
    expect(listed).toBeGreaterThan(0);
    expect(await countAiSystems(db)).toBe(listed);
    const [first] = await db.select({ id: aiSystems.id }).from(aiSystems).limit(1);
    await db.update(aiSystems).set({ status: "retired" }).where(eq(aiSystems.id, first!.id));
    expect((await listAiSystems(db, "en")).length).toBe(listed - 1);
    expect(await countAiSystems(db)).toBe(listed - 1);
  });

  it("shows each entry in the page's language, else English, else the language it was written in", async () => {
    await system("test-en-only", { en: texts("English") });
    await system("test-fr-only", { fr: texts("Français") });
    await system("test-both", { en: texts("English"), de: texts("Deutsch") });
    const german = new Map((await listAiSystems(db, "de")).map((s) => [s.slug, s]));
    expect(german.get("test-both")).toMatchObject({ textLang: "de", texts: { name: "Deutsch name", shortDescription: "Deutsch shortDescription", riskReason: "Deutsch riskReason" } });
    expect(german.get("test-en-only")).toMatchObject({ textLang: "en", texts: { name: "English name" } });
    expect(german.get("test-fr-only")).toMatchObject({ textLang: "fr", texts: { name: "Français name" } });
    expect(german.get("test-both")!.actionKeys).toEqual(["plan-changes"]);
    // The list carries the summary texts only; the entry's page has them all.
    expect(Object.keys(german.get("test-both")!.texts).sort()).toEqual(["name", "riskReason", "shortDescription"]);
    expect((await getAiSystem(db, "test-both", "de"))!.texts.purpose).toBe("Deutsch purpose");
    expect((await getAiSystem(db, "test-fr-only", "de"))!.texts.purpose).toBe("Français purpose");

    const names = new Map([...(await aiSystemNames(db, "de")).values()].map((s) => [s.slug, s.name]));
    expect(names.get("test-both")).toBe("Deutsch name");
    expect(names.get("test-en-only")).toBe("English name");
    expect(names.get("test-fr-only")).toBe("Français name");
  });
});

describe("the overview's recent interactions", () => {
  it("are the newest interactions that involved AI, newest first, with the systems' names in the page's language", async () => {
    const systemId = await system("test-recent", { en: texts("Recent EN"), fr: texts("Récent FR") });
    await upsertCustomer(db, { id: "c-recent", locale: "fr" });
    await upsertCustomer(db, { id: "c-other", locale: "en" });
    const record = (customerId: string, ref: string, occurredAt: number, withAi: boolean) =>
      recordInteraction(db, {
        customerId,
        source: "test",
        ref,
        channel: "chat",
        subject: `Subject ${ref}`,
        occurredAt,
        ai: withAi ? [{ systemId, role: "answered", humanReviewed: false, trainingEligible: false }] : [],
      });
    const t0 = Date.UTC(2026, 2, 1);
    await record("c-recent", "ai-1", t0 + 1, true);
    await record("c-recent", "ai-2", t0 + 2, true);
    await record("c-recent", "ai-3", t0 + 3, true);
    await record("c-recent", "ai-4", t0 + 4, true);
    await record("c-recent", "human-5", t0 + 5, false);
    await record("c-other", "other-6", t0 + 6, true);

    const recent = await recentAiInteractions(db, "c-recent", "fr", 3);
    expect(recent.map((i) => i.ref)).toEqual(["ai-4", "ai-3", "ai-2"]);
    expect(recent[0]).toMatchObject({ subject: "Subject ai-4", occurredAt: t0 + 4, systemNames: ["Récent FR name"] });
    expect(await recentAiInteractions(db, "c-nobody", "fr", 3)).toEqual([]);
  });
});
