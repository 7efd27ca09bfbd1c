import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LANGUAGES } from "../../app/utils/languages";
import { getAiSystem, listAiSystems, type AiSystemTexts } from "../../app/domain/ai-register.server";
import {
  createRegisterEntry,
  getRegisterEntry,
  listActionChoices,
  listRegisterForStaff,
  RegisterEditError,
  updateRegisterEntry,
  type RegisterUpdate,
} from "../../app/domain/ai-register-editor.server";
import { verifyAudit } from "../../app/domain/audit.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { decide } from "../../app/domain/decisions.server";
import { getPreferences, listChoices, noticeChangesSince, publishChoiceNotice, savePreferences } from "../../app/domain/preferences.server";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { aiSystems, aiSystemVersions, auditLog, choiceNotices } from "../../db/schema";
import { freshTestDatabase, seededSqliteDatabase } from "../support/database";
import { DISCLOSE_ACCOUNT_INFORMATION } from "../../app/domain/vocabulary";

let database: AnyDatabase;
let db: Db;
beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
});

afterEach(async () => {
  await database.close();
});

const actor = { staffId: 2 };

function texts(prefix: string): AiSystemTexts {
  return {
    name: `${prefix} name`,
    shortDescription: `${prefix} short description`,
    riskReason: `${prefix} risk reason`,
    purpose: `${prefix} purpose`,
    notFor: `${prefix} not for`,
    howItWorks: `${prefix} how it works`,
    limitations: `${prefix} limitations`,
    dataOperating: `${prefix} data operating`,
    dataTraining: `${prefix} data training`,
    legalBasis: `${prefix} legal basis`,
    oversight: `${prefix} oversight`,
    risks: `${prefix} risks`,
    impactAssessment: `${prefix} impact assessment`,
    retention: `${prefix} retention`,
  };
}

async function create(slug = "billing-helper", actionKeys: string[] = ["plan-changes"]) {
  return createRegisterEntry(db, actor, {
    slug,
    provider: "Acme AI",
    riskClass: "limited",
    autonomy: "acts",
    channels: ["web", "chat"],
    contactEmail: "ai@nordlys.example",
    actionKeys,
    texts: texts("English"),
    changeNote: { en: "Added to the register.", fr: "Ajouté au registre." },
  });
}

/** An update that keeps every fact of `slug` as it is, with the given changes. */
async function update(slug: string, changes: Partial<RegisterUpdate> = {}) {
  const entry = (await getRegisterEntry(db, slug))!;
  const { system } = entry;
  return updateRegisterEntry(db, actor, {
    slug,
    expectedVersion: system.currentVersion,
    provider: system.provider,
    riskClass: system.riskClass as RegisterUpdate["riskClass"],
    autonomy: system.autonomy as RegisterUpdate["autonomy"],
    channels: system.channels as RegisterUpdate["channels"],
    status: system.status as RegisterUpdate["status"],
    contactEmail: system.contactEmail,
    actionKeys: entry.actionKeys,
    markReviewed: false,
    texts: null,
    changeNote: { en: "A change." },
    material: false,
    ...changes,
  });
}

const auditActions = async () => (await db.select().from(auditLog)).map((a) => a.action);

describe("creating an AI system", () => {
  it("creates it with English texts, its actions and version 1, audited with codes only", async () => {
    const auditBefore = (await db.select().from(auditLog)).length;
    const { id, slug } = await create();
    const entry = (await getRegisterEntry(db, slug))!;
    expect(entry.system).toMatchObject({ id, provider: "Acme AI", status: "active", currentVersion: 1, channels: ["chat", "web"] });
    expect(entry.actionKeys).toEqual(["plan-changes"]);
    expect(Object.keys(entry.texts)).toEqual(["en"]);
    expect(entry.versions).toHaveLength(1);
    expect(entry.versions[0]).toMatchObject({ version: 1, material: false, changeNote: { en: "Added to the register.", fr: "Ajouté au registre." } });

    const audit = (await db.select().from(auditLog)).slice(auditBefore);
    expect(audit.map((a) => a.action)).toEqual(["ai_system.created"]);
    expect(audit[0]).toMatchObject({ actorType: "staff", actorId: "2", targetType: "ai_system", targetId: String(id) });
    expect(audit[0]!.details).not.toContain("English");
    expect(audit[0]!.details).not.toContain("Acme");
    expect((await verifyAudit(db)).ok).toBe(true);

    // The public register shows it, in English for a French visitor (the visible fallback).
    const french = (await getAiSystem(db, slug, "fr"))!;
    expect(french.textLang).toBe("en");
    expect(french.texts.name).toBe("English name");
  });

  it("refuses a slug that is taken, and an action that is not an action choice; nothing is stored", async () => {
    const systems = (await db.select().from(aiSystems)).length;
    const audit = (await db.select().from(auditLog)).length;
    await expect(create("chat-assistant")).rejects.toThrow(RegisterEditError);
    await expect(create("chat-assistant")).rejects.toThrow("slugTaken");
    await expect(create("other-helper", ["training"])).rejects.toThrow("unknownAction");
    await expect(create("other-helper", ["no-such-action"])).rejects.toThrow("unknownAction");
    expect(await db.select().from(aiSystems)).toHaveLength(systems);
    expect(await db.select().from(auditLog)).toHaveLength(audit);
  });

  it("lists every system for staff, with the languages that have texts", async () => {
    const { slug } = await create();
    await update("call-summariser", { status: "retired" });
    const rows = await listRegisterForStaff(db, "fr");
    const created = rows.find((r) => r.slug === slug)!;
    expect(created.languages).toEqual(LANGUAGES.map((lang) => ({ lang, present: lang === "en" })));
    expect(created.nameLang).toBe("en");
    const retired = rows.find((r) => r.slug === "call-summariser")!;
    expect(retired.status).toBe("retired");
    expect(retired.nameLang).toBe("fr");
    expect((await listAiSystems(db, "en")).some((s) => s.slug === "call-summariser")).toBe(false);
    expect((await listActionChoices(db, "en")).map((c) => c.key)).not.toContain("training");
  });
});

describe("editing an AI system", () => {
  it("every save is a new version and bumps current_version; facts and one language's texts change", async () => {
    const { slug } = await create();
    const result = await update(slug, { provider: "Acme AI Europe", riskClass: "high", markReviewed: true, now: Date.UTC(2030, 0, 2) });
    expect(result).toEqual({ version: 2, reasked: [] });
    let entry = (await getRegisterEntry(db, slug))!;
    expect(entry.system).toMatchObject({ currentVersion: 2, provider: "Acme AI Europe", riskClass: "high", lastReviewedAt: Date.UTC(2030, 0, 2) });
    expect(entry.versions.map((v) => v.version)).toEqual([2, 1]);

    await update(slug, { texts: { lang: "fr", values: texts("Français") }, changeNote: { en: "French texts.", fr: "Textes en français." } });
    entry = (await getRegisterEntry(db, slug))!;
    expect(entry.system.currentVersion).toBe(3);
    expect(entry.texts.fr?.name).toBe("Français name");
    expect(entry.texts.en?.name).toBe("English name");
    const french = (await getAiSystem(db, slug, "fr"))!;
    expect(french.textLang).toBe("fr");
    expect(french.texts.purpose).toBe("Français purpose");
    expect(french.versions[0]).toMatchObject({ version: 3, note: "Textes en français." });
    // German has no note of its own: the English one is shown.
    expect((await getAiSystem(db, slug, "de"))!.versions[0]!.note).toBe("French texts.");
    expect((await auditActions()).filter((a) => a === "ai_system.updated")).toHaveLength(2);
  });

  it("replaces the actions a system can take", async () => {
    await update("network-troubleshooter", { actionKeys: ["orders"] });
    expect((await getRegisterEntry(db, "network-troubleshooter"))!.actionKeys).toEqual(["orders"]);
  });

  it("refuses a save that changes nothing, one over a newer version, and one without an English note", async () => {
    const before = (await db.select().from(aiSystemVersions)).length;
    await expect(update("chat-assistant")).rejects.toThrow("noChanges");
    // The seeded French texts saved unchanged are not a change either.
    const fr = (await getRegisterEntry(db, "chat-assistant"))!.texts.fr!;
    await expect(update("chat-assistant", { texts: { lang: "fr", values: fr } })).rejects.toThrow("noChanges");
    await expect(update("chat-assistant", { provider: "Someone", expectedVersion: 1 })).rejects.toThrow("stale");
    await expect(update("chat-assistant", { provider: "Someone", changeNote: { fr: "Seulement en français" } })).rejects.toThrow("englishRequired");
    await expect(update("no-such-system")).rejects.toThrow();
    expect(await db.select().from(aiSystemVersions)).toHaveLength(before);
    expect((await getRegisterEntry(db, "chat-assistant"))!.system.provider).not.toBe("Someone");
  });
});

describe("a material change re-asks the choices that depend on the system", () => {
  const customerId = "register-unit-customer";

  async function customerWhoAllowsTroubleshooting() {
    await upsertCustomer(db, { id: customerId, email: null, locale: "en" });
    const shown = Object.fromEntries((await listChoices(db, "en")).map((c) => [c.key, c.noticeVersion]));
    await savePreferences(db, { customerId, values: { troubleshooting: "allow", orders: "never" }, lang: "en", method: "portal", noticeVersionsShown: shown });
  }

  it("publishes a new notice version per action (same texts, every language) and the customer is asked again", async () => {
    await customerWhoAllowsTroubleshooting();
    const pref = async () => (await getPreferences(db, customerId)).find((p) => p.key === "troubleshooting")!;
    expect((await pref()).needsReconfirmation).toBe(false);
    const allowed = await decide(db, { customerId, actionKey: "troubleshooting", aiSystemSlug: "network-troubleshooter", context: { identity: { verified: true } } });
    expect(allowed.decision).toBe("allow");

    const noticeBefore = (await listChoices(db, "en")).find((c) => c.key === "troubleshooting")!;
    const result = await update("network-troubleshooter", {
      texts: { lang: "en", values: { ...(await getRegisterEntry(db, "network-troubleshooter"))!.texts.en!, howItWorks: "It now also resets routers." } },
      material: true,
    });
    expect(result.reasked.map((r) => r.choiceKey).sort()).toEqual(["orders", "proactive-outreach", "troubleshooting"]);

    const noticeAfter = (await listChoices(db, "en")).find((c) => c.key === "troubleshooting")!;
    expect(noticeAfter.noticeVersion).toBe(noticeBefore.noticeVersion + 1);
    expect(noticeAfter.explanation).toBe(noticeBefore.explanation);
    const republished = (await db.select().from(choiceNotices).where(eq(choiceNotices.choiceKey, "troubleshooting"))).filter((n) => n.version === noticeAfter.noticeVersion);
    const before = (await db.select().from(choiceNotices).where(eq(choiceNotices.choiceKey, "troubleshooting"))).filter((n) => n.version === noticeBefore.noticeVersion);
    expect(republished.map((n) => n.lang).sort()).toEqual(before.map((n) => n.lang).sort());
    expect(republished.length).toBeGreaterThan(1);

    expect((await pref()).needsReconfirmation).toBe(true);
    expect((await pref()).value).toBe("allow");
    const asked = await decide(db, { customerId, actionKey: "troubleshooting", aiSystemSlug: "network-troubleshooter", context: { identity: { verified: true } } });
    expect(asked).toMatchObject({ decision: "ask", reason: "needs_reconfirmation" });
    // A "never" stays a "deny": re-asking never widens a permission.
    expect((await decide(db, { customerId, actionKey: "orders", aiSystemSlug: "network-troubleshooter", context: { identity: { verified: true } } })).decision).toBe("deny");

    const entry = (await getRegisterEntry(db, "network-troubleshooter"))!;
    expect(entry.versions[0]).toMatchObject({ material: true });
    expect((await auditActions()).filter((a) => a === "choice.notice_published")).toHaveLength(3);
    expect((await verifyAudit(db)).ok).toBe(true);

    // Confirming under the new notice makes the "allow" count again.
    await savePreferences(db, { customerId, values: { troubleshooting: "allow" }, lang: "en", method: "portal" });
    expect((await pref()).needsReconfirmation).toBe(false);
    expect((await decide(db, { customerId, actionKey: "troubleshooting", aiSystemSlug: "network-troubleshooter", context: { identity: { verified: true } } })).decision).toBe("allow");
  });

  it("the re-ask carries the change note (per language, English fallback) and names the system; the text did not change", async () => {
    await customerWhoAllowsTroubleshooting();
    const chosenUnder = (await getPreferences(db, customerId)).find((p) => p.key === "troubleshooting")!.noticeVersion;
    await update("network-troubleshooter", {
      provider: "Nordlys network operations",
      changeNote: { en: "It may now also restart your TV box.", fr: "Il peut désormais aussi redémarrer votre décodeur TV." },
      material: true,
    });
    const fr = await noticeChangesSince(db, "troubleshooting", chosenUnder, "fr");
    expect(fr.changes).toHaveLength(1);
    expect(fr.changes[0]).toMatchObject({
      version: chosenUnder + 1,
      note: "Il peut désormais aussi redémarrer votre décodeur TV.",
      system: { slug: "network-troubleshooter" },
      textChanged: false,
    });
    expect((await noticeChangesSince(db, "troubleshooting", chosenUnder, "de")).changes[0]!.note).toBe("It may now also restart your TV box.");
    // Confirmed under the newest version: nothing left to explain.
    expect((await noticeChangesSince(db, "troubleshooting", chosenUnder + 1, "en")).changes).toEqual([]);
  });

  it("the migration's backfill finds the change note of re-asks published before it, from the audit log", async () => {
    // Replays a SQLite migration's backfill statements on the raw connection.
    // PostgreSQL databases start from the current schema: the backfill exists for SQLite files only.
    await database.close();
    const sqlite = await seededSqliteDatabase();
    database = sqlite;
    db = sqlite.db;
    const { client } = sqlite;
    type NoticeRow = { choice_key: string; version: number; lang: string; change_note: string | null; cause_system_id: number | null };
    const notes = () => client.prepare("select choice_key, version, lang, change_note, cause_system_id from choice_notices order by choice_key, version, lang").all() as NoticeRow[];
    // Notices published with a note directly (as the demo seed does) leave no register audit entry.
    const direct = new Set(notes().filter((n) => n.change_note !== null).map((n) => `${n.choice_key}/${n.version}/${n.lang}`));
    await update("network-troubleshooter", { changeNote: { en: "Now restarts TV boxes.", de: "Startet jetzt auch TV-Boxen neu." }, provider: "New", material: true });
    const expected = notes().map((n) => (direct.has(`${n.choice_key}/${n.version}/${n.lang}`) ? { ...n, change_note: null, cause_system_id: null } : n));
    // Three re-asked choices, each in every language its notice has.
    const languagesOf = (key: string) => new Set(notes().filter((n) => n.choice_key === key).map((n) => n.lang)).size;
    expect(expected.filter((n) => n.change_note !== null)).toHaveLength(["orders", "proactive-outreach", "troubleshooting"].reduce((sum, key) => sum + languagesOf(key), 0));
    client.prepare("update choice_notices set change_note = null, cause_system_id = null").run();
    const file = fs.readdirSync(path.resolve("db/migrations/sqlite")).find((f) => f.endsWith("_choice_notice_change_note.sql"))!;
    const sql = fs.readFileSync(path.resolve("db/migrations/sqlite", file), "utf8");
    for (const statement of sql.slice(sql.indexOf("-- backfill (keep when regenerating)")).split("--> statement-breakpoint")) client.prepare(statement).run();
    expect(notes()).toEqual(expected);
  });

  it("a rewritten explanation without a note says the text changed and keeps the text the customer agreed to", async () => {
    await customerWhoAllowsTroubleshooting();
    const before = (await listChoices(db, "en")).find((c) => c.key === "orders")!;
    await publishChoiceNotice(db, { choiceKey: "orders", texts: { en: { label: before.label, explanation: "Orders now include SIM swaps." } } });
    const { changes, earlier } = await noticeChangesSince(db, "orders", before.noticeVersion, "en");
    expect(changes).toMatchObject([{ version: before.noticeVersion + 1, note: null, system: null, textChanged: true }]);
    expect(earlier).toEqual({ label: before.label, explanation: before.explanation });
  });

  it("a change that is not material re-asks nothing; a material one re-asks only the system's own choices", async () => {
    await customerWhoAllowsTroubleshooting();
    const versions = async () => Object.fromEntries((await listChoices(db, "en")).map((c) => [c.key, c.noticeVersion]));
    const before = await versions();
    await update("network-troubleshooter", { provider: "Nordlys network operations" });
    expect(await versions()).toEqual(before);
    await update("chat-assistant", { provider: "Nordlys", material: true });
    // The chat assistant's only action kind is sharing account details (SPEC §11.3).
    expect(await versions()).toEqual({ ...before, [DISCLOSE_ACCOUNT_INFORMATION]: before[DISCLOSE_ACCOUNT_INFORMATION]! + 1 });
    expect((await getPreferences(db, customerId)).find((p) => p.key === "troubleshooting")!.needsReconfirmation).toBe(false);
  });

  it("a failure leaves neither the version nor the new notices behind", async () => {
    await customerWhoAllowsTroubleshooting();
    const notices = (await db.select().from(choiceNotices)).length;
    await expect(update("network-troubleshooter", { provider: "X", material: true, actionKeys: ["troubleshooting", "nope"] })).rejects.toThrow("unknownAction");
    expect(await db.select().from(choiceNotices)).toHaveLength(notices);
    expect((await getPreferences(db, customerId)).find((p) => p.key === "troubleshooting")!.needsReconfirmation).toBe(false);
  });
});
