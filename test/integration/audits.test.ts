import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import {
  addAuditAction,
  AuditInputError,
  auditsDue,
  completeAuditAction,
  correctAudit,
  getSystemAudits,
  openAuditActionsDue,
  publicAuditSummaries,
  setAuditInterval,
} from "../../app/domain/audits.server";
import { companyTimeZone } from "../../app/domain/settings.server";
import { dayStart } from "../../app/utils/calendar";
import { aiSystemAuditActions, aiSystemAudits, aiSystemAuditSummaries, auditLog } from "../../db/schema";
import { auditOf, auditSystem, demoStaffId } from "../support/audit-factories";
import { createTestApp, type TestApp } from "../support/app";
import { html, trNs } from "../support/locales";

const DAY = 86_400_000;
let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const zone = () => companyTimeZone();
const at = (day: string, hours = 12) => dayStart(day, zone()) + hours * 3_600_000;

describe("next audit due (SPEC §12)", () => {
  it("a system never audited is due since the day it was registered, and overdue from the next day", async () => {
    const system = await auditSystem(app.db, { createdAt: at("2026-03-10") });
    const onTheDay = (await auditsDue(app.db, at("2026-03-10", 20), 0)).find((d) => d.systemId === system.id)!;
    expect(onTheDay).toMatchObject({ slug: system.slug, name: system.name, lastAuditedAt: null, nextDueAt: dayStart("2026-03-10", zone()), overdue: false });
    const later = (await auditsDue(app.db, at("2026-03-11", 0), 0)).find((d) => d.systemId === system.id)!;
    expect(later.overdue).toBe(true);
  });

  it("is the last audit's day plus the interval in calendar months (31 January + 1 month = 28 February)", async () => {
    const system = await auditSystem(app.db, { createdAt: at("2024-01-01") });
    await auditOf(app.db, system.slug, "2024-05-20");
    await auditOf(app.db, system.slug, "2025-01-31");
    let view = (await getSystemAudits(app.db, system.slug, at("2025-02-01")))!;
    expect(view.lastAuditedOn).toBe("2025-01-31");
    expect(view.nextDueOn).toBe("2026-01-31");
    await setAuditInterval(app.db, system.slug, 1, { staffId: await demoStaffId(app.db) });
    view = (await getSystemAudits(app.db, system.slug, at("2025-02-01")))!;
    expect(view.nextDueOn).toBe("2025-02-28");
    expect(view.overdue).toBe(false);
    expect((await getSystemAudits(app.db, system.slug, at("2025-03-01")))!.overdue).toBe(true);
  });

  it("auditsDue lists a system only when its next audit falls before now + withinMs, with the last audit's day", async () => {
    const system = await auditSystem(app.db, { createdAt: at("2024-01-01") });
    await auditOf(app.db, system.slug, "2025-04-15");
    const now = at("2026-03-26");
    expect((await auditsDue(app.db, now, 7 * DAY)).some((d) => d.systemId === system.id)).toBe(false);
    const due = (await auditsDue(app.db, now, 30 * DAY)).find((d) => d.systemId === system.id)!;
    expect(due).toEqual({ systemId: system.id, slug: system.slug, name: system.name, lastAuditedAt: dayStart("2025-04-15", zone()), nextDueAt: dayStart("2026-04-15", zone()), overdue: false });
  });

  it("a retired system is never due", async () => {
    const system = await auditSystem(app.db, { createdAt: at("2024-01-01") });
    const { aiSystems } = await import("../../db/schema");
    await app.db.update(aiSystems).set({ status: "retired" }).where(eq(aiSystems.id, system.id));
    expect((await auditsDue(app.db, at("2026-01-01"), 0)).some((d) => d.systemId === system.id)).toBe(false);
  });
});

describe("audit actions", () => {
  it("openAuditActionsDue lists open actions overdue or due within 7 days, not done or later ones", async () => {
    const system = await auditSystem(app.db);
    const owner = await demoStaffId(app.db, "supervisor");
    const auditId = await auditOf(app.db, system.slug, "2026-01-10", { result: "passed_with_actions" }, [
      { text: "Overdue fix", ownerId: owner, dueOn: "2026-02-01" },
      { text: "Due soon", ownerId: null, dueOn: "2026-02-12" },
      { text: "Later", ownerId: owner, dueOn: "2026-03-30" },
    ]);
    const doneId = await addAuditAction(app.db, system.slug, auditId, { text: "Already done", ownerId: owner, dueOn: "2026-02-01" }, { staffId: owner });
    await completeAuditAction(app.db, system.slug, doneId, { staffId: owner }, at("2026-02-02"));
    const due = (await openAuditActionsDue(app.db, at("2026-02-06"))).filter((a) => a.systemSlug === system.slug);
    expect(due.map((a) => [a.text, a.ownerId, a.overdue, a.dueAt])).toEqual([
      ["Overdue fix", owner, true, dayStart("2026-02-01", zone())],
      ["Due soon", null, false, dayStart("2026-02-12", zone())],
    ]);
    await expect(completeAuditAction(app.db, system.slug, doneId, { staffId: owner })).rejects.toMatchObject({ code: "alreadyDone" });
  });

  it("an action of another system cannot be completed through this one", async () => {
    const a = await auditSystem(app.db);
    const b = await auditSystem(app.db);
    const auditId = await auditOf(app.db, a.slug, "2026-01-10", {}, [{ text: "Fix", ownerId: null, dueOn: "2026-02-01" }]);
    const [action] = await app.db.select().from(aiSystemAuditActions).where(eq(aiSystemAuditActions.auditId, auditId));
    await expect(completeAuditAction(app.db, b.slug, action!.id, { staffId: await demoStaffId(app.db) })).rejects.toBeInstanceOf(AuditInputError);
    const [still] = await app.db.select().from(aiSystemAuditActions).where(eq(aiSystemAuditActions.id, action!.id));
    expect(still!.doneAt).toBeNull();
  });
});

describe("recording and correcting", () => {
  it("records the audit, its summaries and its audit-log entry together; English is required", async () => {
    const system = await auditSystem(app.db);
    await expect(auditOf(app.db, system.slug, "2026-01-10", { summaries: { fr: "Seulement en français." } })).rejects.toMatchObject({ code: "englishSummaryRequired" });
    await expect(auditOf(app.db, system.slug, "2026-02-30")).rejects.toMatchObject({ code: "invalidDay" });
    expect(await app.db.select().from(aiSystemAudits).where(eq(aiSystemAudits.systemId, system.id))).toHaveLength(0);

    const id = await auditOf(app.db, system.slug, "2026-01-10", { summaries: { en: "All fine.", fr: "Tout va bien.", de: "  " } });
    const summaries = await app.db.select().from(aiSystemAuditSummaries).where(eq(aiSystemAuditSummaries.auditId, id));
    expect(summaries.map((s) => s.lang).sort()).toEqual(["en", "fr"]);
    const [entry] = await app.db.select().from(auditLog).where(and(eq(auditLog.action, "ai_system_audit.record"), eq(auditLog.targetId, String(id))));
    expect(JSON.parse(entry!.details)).toMatchObject({ system: system.slug, result: "passed", auditedOn: "2026-01-10" });
  });

  it("a correction changes the fields, replaces the summaries and is audited with what changed", async () => {
    const system = await auditSystem(app.db);
    const id = await auditOf(app.db, system.slug, "2026-01-10", { summaries: { en: "Old.", fr: "Ancien." } });
    await correctAudit(
      app.db,
      system.slug,
      id,
      { auditedOn: "2026-01-11", auditorName: "Test Auditor", auditorStaffId: null, scope: "Accuracy and fairness.", findings: "One issue.", result: "passed_with_actions", summaries: { en: "New." } },
      { staffId: await demoStaffId(app.db) },
    );
    const view = (await getSystemAudits(app.db, system.slug, Date.now()))!;
    expect(view.audits[0]).toMatchObject({ auditedOn: "2026-01-11", findings: "One issue.", result: "passed_with_actions", summaries: { en: "New." } });
    const [entry] = await app.db.select().from(auditLog).where(eq(auditLog.action, "ai_system_audit.correct"));
    expect(JSON.parse(entry!.details).changed).toBe("auditedOn,findings,result,summaries");
  });

  it("publicAuditSummaries gives the last audit in the page's language, else English", async () => {
    const system = await auditSystem(app.db);
    const other = await auditSystem(app.db);
    await auditOf(app.db, system.slug, "2025-06-01", { summaries: { en: "Older.", fr: "Plus ancien." } });
    await auditOf(app.db, system.slug, "2026-01-10", { result: "passed_with_actions", summaries: { en: "Latest.", fr: "Le plus récent." } });
    const fr = await publicAuditSummaries(app.db, [system.id, other.id], "fr");
    expect(fr.get(system.id)).toEqual({ auditedAt: dayStart("2026-01-10", zone()), result: "passed_with_actions", summary: "Le plus récent.", summaryLang: "fr" });
    expect(fr.has(other.id)).toBe(false);
    expect((await publicAuditSummaries(app.db, [system.id], "de")).get(system.id)).toMatchObject({ summary: "Latest.", summaryLang: "en" });
  });
});

describe("the audits page (/staff/ai-systems/:slug/audits)", () => {
  const recordForm = (overrides: Record<string, string> = {}) => ({
    intent: "record",
    auditedOn: "2026-02-03",
    auditorName: "Fairlytics GmbH",
    auditorStaffId: "",
    scope: "Fairness across age groups.",
    findings: "No difference found.",
    result: "passed",
    summaryEn: "An external auditor found no unfair differences.",
    summaryFr: "",
    summaryDe: "",
    summaryAr: "",
    ...overrides,
  });

  it("an agent can neither see the page nor post an audit (403, nothing written)", async () => {
    const system = await auditSystem(app.db);
    const agent = await app.signInStaff("agent");
    expect((await app.request(`/staff/ai-systems/${system.slug}/audits`, { cookie: agent })).status).toBe(403);
    const post = await app.request(`/staff/ai-systems/${system.slug}/audits`, { cookie: agent, form: recordForm() });
    expect(post.status).toBe(403);
    const interval = await app.request(`/staff/ai-systems/${system.slug}/audits`, { cookie: agent, form: { intent: "interval", months: "3" } });
    expect(interval.status).toBe(403);
    expect(await app.db.select().from(aiSystemAudits).where(eq(aiSystemAudits.systemId, system.id))).toHaveLength(0);
    expect((await getSystemAudits(app.db, system.slug, Date.now()))!.system.auditIntervalMonths).toBe(12);
  });

  it("signed out, a post is sent to the sign-in page and nothing is written", async () => {
    const system = await auditSystem(app.db);
    const post = await app.request(`/staff/ai-systems/${system.slug}/audits`, { form: recordForm() });
    expect(post.status).toBe(302);
    expect(post.headers.get("Location")).toMatch(/^\/staff\/login/);
    expect(await app.db.select().from(aiSystemAudits).where(eq(aiSystemAudits.systemId, system.id))).toHaveLength(0);
  });

  it("a supervisor records an audit, adds an action and marks it done; the page shows them", async () => {
    const system = await auditSystem(app.db);
    const cookie = await app.signInStaff("supervisor");
    const path = `/staff/ai-systems/${system.slug}/audits`;
    const before = await app.request(path, { cookie });
    expect(before.status).toBe(200);
    expect(await before.text()).toContain(html(trNs("en", "audits", "list.empty")));

    const recorded = await app.request(path, { cookie, form: recordForm({ result: "passed_with_actions" }) });
    expect(recorded.status).toBe(303);
    const [audit] = await app.db.select().from(aiSystemAudits).where(eq(aiSystemAudits.systemId, system.id));
    expect(audit).toMatchObject({ auditedOn: "2026-02-03", auditorName: "Fairlytics GmbH", result: "passed_with_actions" });

    const owner = await demoStaffId(app.db, "admin");
    const added = await app.request(path, { cookie, form: { intent: "addAction", auditId: String(audit!.id), text: "Repeat the test in 3 months.", ownerId: String(owner), dueOn: "2026-05-03" } });
    expect(added.status).toBe(303);
    const [action] = await app.db.select().from(aiSystemAuditActions).where(eq(aiSystemAuditActions.auditId, audit!.id));
    expect(action).toMatchObject({ ownerId: owner, dueOn: "2026-05-03", doneAt: null });

    const page = await (await app.request(path, { cookie })).text();
    expect(page).toContain("Fairlytics GmbH");
    expect(page).toContain("Repeat the test in 3 months.");
    expect(page).toContain(html(trNs("en", "audits", "results.passed_with_actions")));

    expect((await app.request(path, { cookie, form: { intent: "completeAction", actionId: String(action!.id) } })).status).toBe(303);
    const [done] = await app.db.select().from(aiSystemAuditActions).where(eq(aiSystemAuditActions.id, action!.id));
    expect(done!.doneAt).not.toBeNull();
    const actions = (await app.db.select({ action: auditLog.action }).from(auditLog)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["ai_system_audit.record", "ai_system_audit.action_add", "ai_system_audit.action_done"]));
  });

  it("bad input gets translated errors and keeps what was typed; no 500", async () => {
    const system = await auditSystem(app.db);
    const cookie = await app.signInStaff("admin");
    const path = `/staff/ai-systems/${system.slug}/audits`;
    const bad = await app.request(path, { cookie, form: recordForm({ auditedOn: "2026-02-30", summaryEn: "", scope: "Typed scope kept", result: "maybe" }) });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain(html(trNs("en", "audits", "errors.day")));
    expect(page).toContain("Typed scope kept");
    expect(await app.db.select().from(aiSystemAudits).where(eq(aiSystemAudits.systemId, system.id))).toHaveLength(0);

    const months = await app.request(path, { cookie, form: { intent: "interval", months: "0" } });
    expect(months.status).toBe(400);
    expect(await months.text()).toContain(html(trNs("en", "audits", "errors.months")));

    const unknownOwner = await auditOf(app.db, system.slug, "2026-01-10");
    const owner = await app.request(path, { cookie, form: { intent: "addAction", auditId: String(unknownOwner), text: "Fix", ownerId: "999999", dueOn: "2026-05-03" } });
    expect(owner.status).toBe(400);
    expect(await owner.text()).toContain(html(trNs("en", "audits", "errors.ownerUnknown")));

    const missing = await app.request(path, { cookie, form: { intent: "completeAction", actionId: "999999" } });
    expect(missing.status).toBe(404);
    expect((await app.request("/staff/ai-systems/no-such-system/audits", { cookie })).status).toBe(404);
    expect((await app.request("/staff/ai-systems/no-such-system/audits", { cookie, form: recordForm() })).status).toBe(404);
  });

  it("summaries in every language (issue 12): English open, the rest collapsed; a Finnish one shows on /fi, an Arabic one right to left", async () => {
    const system = await auditSystem(app.db);
    const cookie = await app.signInStaff("supervisor");
    const path = `/staff/ai-systems/${system.slug}/audits`;
    const form = (page: string) => page.slice(page.indexOf('id="audit-record"'));
    const empty = form(await (await app.request(path, { cookie })).text());
    const details = empty.indexOf('<details class="language-fieldsets">');
    expect(details).toBeGreaterThan(empty.indexOf('name="summaryEn"'));
    expect(empty.indexOf('name="summaryFi"')).toBeGreaterThan(details);
    expect(empty.indexOf('name="summaryUk"')).toBeGreaterThan(details);
    expect(empty).toContain(html(trNs("en", "staff", "languageFieldsets.more_other", { count: 26 })));

    const finnish = "Ulkoinen arvioija ei löytänyt epäreiluja eroja.";
    const arabic = "لم يجد المدقق الخارجي أي فروق غير عادلة.";
    const recorded = await app.request(path, { cookie, form: recordForm({ summaryFi: finnish, summaryAr: arabic }) });
    expect(recorded.status).toBe(303);
    const [audit] = await app.db.select().from(aiSystemAudits).where(eq(aiSystemAudits.systemId, system.id));
    const stored = await app.db.select().from(aiSystemAuditSummaries).where(eq(aiSystemAuditSummaries.auditId, audit!.id));
    expect(stored.map((s) => s.lang).sort()).toEqual(["ar", "en", "fi"]);

    const fi = await (await app.request(`/fi/ai-systems/${system.slug}`)).text();
    expect(fi).toContain(`<p lang="fi" dir="ltr">${html(finnish)}</p>`);
    const ar = await (await app.request(`/ar/ai-systems/${system.slug}`)).text();
    expect(ar).toContain(`<p lang="ar" dir="rtl">${html(arabic)}</p>`);

    // The correction form opens the languages that have a summary, and keeps the others collapsed.
    const page = await (await app.request(path, { cookie })).text();
    const correct = page.slice(page.indexOf(`id="audit-${audit!.id}-correct"`));
    const collapsed = correct.indexOf('<details class="language-fieldsets">');
    expect(correct.indexOf('name="summaryFi"')).toBeLessThan(collapsed);
    expect(correct.indexOf('name="summaryAr"')).toBeLessThan(collapsed);
    expect(correct.indexOf('name="summaryDe"')).toBeGreaterThan(collapsed);
    expect(page).toMatch(new RegExp(`<dd lang="ar" dir="rtl">${arabic}</dd>`));
  });

  it("the interval form changes the interval, audited", async () => {
    const system = await auditSystem(app.db);
    const cookie = await app.signInStaff("supervisor");
    const response = await app.request(`/staff/ai-systems/${system.slug}/audits`, { cookie, form: { intent: "interval", months: "6" } });
    expect(response.status).toBe(303);
    expect((await getSystemAudits(app.db, system.slug, Date.now()))!.system.auditIntervalMonths).toBe(6);
    const [entry] = await app.db.select().from(auditLog).where(eq(auditLog.action, "ai_system.audit_interval"));
    expect(JSON.parse(entry!.details)).toMatchObject({ from: 12, to: 6 });
  });
});

describe("demo audits (db/seed-audits.ts)", () => {
  it("give every demo system a history with summaries in en/fr/de/ar, one overdue audit and open actions", async () => {
    const { DEMO_AUDIT_STATES, seedAudits } = await import("../../db/seed-audits");
    const now = Date.now();
    expect(await seedAudits(app.db, now)).toBe(7);
    expect(await seedAudits(app.db, now)).toBe(0);
    const due = await auditsDue(app.db, now, 0);
    expect(due.filter((d) => d.overdue && d.lastAuditedAt !== null).map((d) => d.slug)).toEqual([DEMO_AUDIT_STATES.overdue]);
    const open = await openAuditActionsDue(app.db, now);
    expect(open.map((a) => a.systemSlug)).toEqual([DEMO_AUDIT_STATES.openActions, DEMO_AUDIT_STATES.openActions]);
    expect(open.map((a) => a.overdue)).toEqual([true, false]);
    const summaries = await app.db.select().from(aiSystemAuditSummaries);
    expect(summaries).toHaveLength(7 * 4);
    const ar = await publicAuditSummaries(app.db, [due[0]!.systemId], "ar");
    expect(ar.get(due[0]!.systemId)!.summaryLang).toBe("ar");
  });
});
