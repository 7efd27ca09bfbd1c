import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApiKey } from "../../app/domain/api-keys.server";
import { caseView, fileConcern, findConcernByRef, listQueue, setKind } from "../../app/domain/concerns/index.server";
import { buildReports, defaultRange } from "../../app/domain/reports.server";
import { DEMO_EMPLOYEE_REPORTS, seedEmployeeReports } from "../../db/seed-employee-reports";
import { auditLog, concernEvents, concernMessages, concerns } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { demoStaffId, fileTestEmployeeReport, systemId } from "../support/employee-factories";
import { html, tr, trNs } from "../support/locales";
import { startServer, type RunningServer } from "../support/server";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const q = (key: string, params?: Record<string, string | number>) => trNs("en", "queue", key, params);
const concern = async (ref: string) => (await findConcernByRef(app.db, ref))!;
const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 8)}`;

describe("employee reports from the console (SPEC §12)", () => {
  it("any staff role files one: marked employee, the account recorded, audited, no tracking link", async () => {
    const cookie = await app.signInStaff("agent");
    const description = `${unique("Console report")}: the offer predictor pushed an upgrade after the customer asked to pay less.`;
    const response = await app.request("/staff/report", { cookie, form: { kind: "unwanted_action", system: "offer-predictor", description } });
    expect(response.status).toBe(303);
    const ref = new URL(response.headers.get("Location")!, "http://x").searchParams.get("filed")!;
    const filed = await concern(ref);
    expect(filed).toMatchObject({ origin: "employee", reporterStaffId: await demoStaffId(app.db, "agent"), reporterName: null, trackingTokenHash: null, customerId: null, status: "new", kind: "unwanted_action" });
    expect(filed.systemId).toBe(await systemId(app.db, "offer-predictor"));
    expect(filed.slaDueAt).not.toBeNull();
    const [event] = await app.db.select().from(concernEvents).where(eq(concernEvents.concernId, filed.id));
    expect(event).toMatchObject({ actor: "employee", staffId: null, toStatus: "new" });
    const audits = await app.db.select().from(auditLog).where(and(eq(auditLog.targetId, ref), eq(auditLog.action, "concern.reported_by_staff")));
    expect(audits).toHaveLength(1);
    const confirmation = await (await app.request(response.headers.get("Location")!, { cookie })).text();
    expect(confirmation).toContain(html(tr("en", "employeeReport.staffFiled", { ref })));
  });

  it("bad input gets a translated error and keeps the text; an unknown interaction is refused", async () => {
    const cookie = await app.signInStaff("supervisor");
    const before = (await app.db.select({ id: concerns.id }).from(concerns)).length;
    const description = "Too short";
    const short = await app.request("/staff/report", { cookie, form: { kind: "other", description } });
    expect(short.status).toBe(400);
    const page = await short.text();
    expect(page).toContain(html(description));
    expect(page).toContain(html(tr("en", "errors.tooShort", { min: 10 })));
    const noKind = await app.request("/staff/report", { cookie, form: { description: "A long enough text about an AI problem." } });
    expect(noKind.status).toBe(400);
    expect(await noKind.text()).toContain(html(tr("en", "errors.chooseKind")));
    const unknown = await app.request("/staff/report", { cookie, form: { kind: "other", description: "A long enough text about an AI problem.", customer: "demo-customer-1", interaction: "NL-NOPE" } });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain(html(tr("en", "employeeReport.errors.unknownInteraction")));
    expect((await app.db.select({ id: concerns.id }).from(concerns)).length).toBe(before);
  });

  it("needs a staff session: a visitor is sent to sign in, nothing is filed", async () => {
    const response = await app.request("/staff/report", { form: { kind: "other", description: "Someone without an account tries this." } });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toContain("/staff/login");
  });
});

describe("a console employee report has no one outside to answer", () => {
  it("its case page offers internal notes only; a crafted reply is refused and nothing is stored; a public report keeps the reply box", async () => {
    const consoleReport = await fileTestEmployeeReport(app.db, { reporterStaffId: await demoStaffId(app.db, "agent") });
    const publicReport = await fileTestEmployeeReport(app.db, { reporterName: "Robin" });
    const cookie = await app.signInStaff("supervisor");
    const page = await (await app.request(`/staff/concerns/${consoleReport.ref}`, { cookie })).text();
    expect(page).toMatch(/name="intent" value="note"/);
    expect(page).not.toMatch(/name="intent" value="reply"/);
    expect(page).toContain(html(trNs("en", "queue", "triage.employeeNotesOnly")));
    expect(await (await app.request(`/staff/concerns/${publicReport.ref}`, { cookie })).text()).toMatch(/name="intent" value="reply"/);

    const refused = await app.request(`/staff/concerns/${consoleReport.ref}`, { cookie, form: { intent: "reply", revision: String((await concern(consoleReport.ref)).revision), body: "Thanks, we are on it." } });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(html(trNs("en", "queue", "errors.staff_only")));
    expect(await app.db.select().from(concernMessages).where(eq(concernMessages.concernId, (await concern(consoleReport.ref)).id))).toEqual([]);

    const noted = await app.request(`/staff/concerns/${consoleReport.ref}`, { cookie, form: { intent: "note", revision: String((await concern(consoleReport.ref)).revision), body: "Checked the offer rules with the data team." } });
    expect(noted.status).toBe(303);
    expect((await concern(consoleReport.ref)).firstResponseAt).not.toBeNull();
  });
});

describe("an employee report is not a data subject's request", () => {
  it("no GDPR one-month due date, even for a rights-based kind or after a change to one; the audit names an employee, not a customer", async () => {
    const report = await fileTestEmployeeReport(app.db, { kind: "privacy" });
    const filed = await concern(report.ref);
    expect(filed.statutoryDueAt).toBeNull();
    expect(filed.slaDueAt).not.toBeNull();
    const [audit] = await app.db.select().from(auditLog).where(and(eq(auditLog.targetId, report.ref), eq(auditLog.action, "concern.filed")));
    expect(audit!.actorType).toBe("employee");

    const other = await fileTestEmployeeReport(app.db, { kind: "wrong_information" });
    const supervisor = { id: await demoStaffId(app.db, "supervisor"), role: "supervisor" as const, name: "Sam" };
    expect(await setKind(app.db, other.ref, supervisor, "human_review", { expectedRevision: (await concern(other.ref)).revision })).toBe(true);
    expect((await concern(other.ref)).statutoryDueAt).toBeNull();

    const customers = await fileConcern(app.db, { customerId: "demo-customer-1", contactEmail: null, contactMethod: "portal", lang: "en", kind: "privacy", interactionId: null, systemId: null, description: unique("A customer's privacy request"), desiredOutcome: "" });
    expect((await concern(customers.ref)).statutoryDueAt).not.toBeNull();
  });
});

describe("the public employee form /:lang/report (SPEC §12)", () => {
  const valid = { kind: "not_told_ai", system: "chat-assistant", description: "Le chat ne dit pas clairement aux clients qu’il s’agit d’une IA." };

  it("files a report with a name and gives a reference and a private tracking link", async () => {
    const name = unique("Camille");
    const response = await app.request("/fr/report", { form: { ...valid, name } });
    expect(response.status).toBe(303);
    const location = response.headers.get("Location")!;
    expect(location).toMatch(/^\/fr\/concerns\/track\/[^/?]+\?new=1$/);
    const tracked = await app.request(location);
    expect(tracked.status).toBe(200);
    const page = await tracked.text();
    const ref = page.match(/C-[0-9A-Z]{4}-[0-9A-Z]{4}/)![0];
    const filed = await concern(ref);
    expect(filed).toMatchObject({ origin: "employee", reporterName: name, reporterStaffId: null, lang: "fr", kind: "not_told_ai" });
    expect(filed.trackingTokenHash).not.toBeNull();
    // The reporter's own page never names them back to whoever holds the link.
    expect(page).not.toContain(name);
  });

  it("files an anonymous report when no name is given", async () => {
    const response = await app.request("/en/report", { form: { ...valid, name: "   " } });
    expect(response.status).toBe(303);
    const page = await (await app.request(response.headers.get("Location")!)).text();
    const filed = await concern(page.match(/C-[0-9A-Z]{4}-[0-9A-Z]{4}/)![0]);
    expect(filed).toMatchObject({ origin: "employee", reporterName: null, reporterStaffId: null });
  });

  it("bad input gets a translated error and keeps what was typed; nothing is filed", async () => {
    const before = (await app.db.select({ id: concerns.id }).from(concerns)).length;
    const cases: [Record<string, string>, string][] = [
      [{ ...valid, description: "court" }, tr("fr", "errors.tooShort", { min: 10 })],
      [{ ...valid, kind: "" }, tr("fr", "errors.chooseKind")],
      [{ ...valid, system: "no-such-system" }, tr("fr", "errors.unknownSystem")],
      [{ ...valid, name: "N".repeat(121) }, tr("fr", "errors.tooLong", { max: 120 })],
      [{ ...valid, website: "http://spam.example" }, tr("fr", "errors.formTitle")],
    ];
    for (const [form, message] of cases) {
      const response = await app.request("/fr/report", { form });
      expect(response.status, JSON.stringify(form).slice(0, 80)).toBe(400);
      const page = await response.text();
      expect(page).toContain(html(message));
      expect(page).toContain(html(form.description!));
    }
    expect((await app.db.select({ id: concerns.id }).from(concerns)).length).toBe(before);
  });

  it("rate-limits filing per client address, keeping the text; a repeat within the window is filed once", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await app.request("/en/report", { form: { ...valid, description: `${valid.description} (${i})` }, ip: "198.51.100.77" })).status);
    const limited = await app.request("/en/report", { form: valid, ip: "198.51.100.77" });
    expect([...statuses, limited.status]).toEqual([303, 303, 303, 303, 303, 429]);
    expect(await limited.text()).toContain(html(valid.description));

    const first = await app.request("/en/report", { form: valid, ip: "198.51.100.78" });
    const again = await app.request("/en/report", { form: valid, ip: "198.51.100.78" });
    expect(again.headers.get("Location")).toBe(first.headers.get("Location"));
  });
});

describe("who reported is for supervisors and admins only (SPEC §12)", () => {
  async function twoReports() {
    const agentId = await demoStaffId(app.db, "agent");
    const console = await fileTestEmployeeReport(app.db, { reporterStaffId: agentId, description: `${unique("Console filing")} about wrong information` });
    const name = unique("Robin Reporter");
    const named = await fileTestEmployeeReport(app.db, { reporterName: name, description: `${unique("Public filing")} about wrong information` });
    return { console, named, name };
  }

  it("the case page: an agent sees the mark, never the reporter; the domain gives it to a supervisor", async () => {
    const { console, named, name } = await twoReports();
    const agent = await app.signInStaff("agent");
    for (const ref of [console.ref, named.ref]) {
      const page = await app.request(`/staff/concerns/${ref}`, { cookie: agent });
      expect(page.status).toBe(200);
      const body = await page.text();
      // The staff list (assignment) names every colleague anyway: the reporter's email and typed name must not appear.
      expect(body).not.toContain("agent@nordlys.example");
      expect(body).not.toContain(name);
      expect(body).toContain(ref);
      expect(body).toContain(html(q("employee.hidden")));
    }
    const supervisorCookie = await app.signInStaff("supervisor");
    const consolePage = await (await app.request(`/staff/concerns/${console.ref}`, { cookie: supervisorCookie })).text();
    expect(consolePage).toContain("agent@nordlys.example");
    expect(consolePage).toContain(html(q("employee.fromConsole")));
    const namedPage = await (await app.request(`/staff/concerns/${named.ref}`, { cookie: supervisorCookie })).text();
    expect(namedPage).toContain(name);
    expect(namedPage).not.toContain(html(q("employee.hidden")));
    const supervisor = { id: await demoStaffId(app.db, "supervisor"), role: "supervisor", name: "Sam Supervisor" };
    const agentActor = { id: await demoStaffId(app.db, "agent"), role: "agent", name: "Alex Agent" };
    const seenBySupervisor = await caseView(app.db, await concern(console.ref), "en", Date.now(), supervisor);
    expect(seenBySupervisor.reporter).toEqual({ name: null, staffName: "Alex Agent", staffEmail: "agent@nordlys.example" });
    expect((await caseView(app.db, await concern(named.ref), "en", Date.now(), supervisor)).reporter).toEqual({ name, staffName: null, staffEmail: null });
    const seenByAgent = await caseView(app.db, await concern(named.ref), "en", Date.now(), agentActor);
    expect(seenByAgent.reporter).toBeNull();
    expect(seenByAgent.reporterHidden).toBe(true);
    expect(JSON.stringify(seenByAgent)).not.toContain(name);
    expect(await caseView(app.db, await concern(named.ref), "en")).toMatchObject({ reporter: null, employeeReport: true });
  });

  it("the queue: a supervisor sees who reported, an agent sees only the mark; a name is not searchable", async () => {
    const { console, named, name } = await twoReports();
    const agentPage = await (await app.request("/staff/concerns?origin=employee", { cookie: await app.signInStaff("agent") })).text();
    expect(agentPage).toContain(console.ref);
    expect(agentPage).toContain(named.ref);
    expect(agentPage).toContain(html(q("badges.employee")));
    expect(agentPage).not.toContain(name);
    expect(agentPage).not.toContain(html(q("employee.reportedBy", { name: "Alex Agent" })));
    const supervisorPage = await (await app.request("/staff/concerns?origin=employee", { cookie: await app.signInStaff("supervisor") })).text();
    expect(supervisorPage).toContain(html(q("employee.reportedBy", { name })));
    expect(supervisorPage).toContain(html(q("employee.reportedBy", { name: "Alex Agent" })));
    const search = await (await app.request(`/staff/concerns?status=all&q=${encodeURIComponent(name)}`, { cookie: await app.signInStaff("agent") })).text();
    expect(search).not.toContain(named.ref);
  });

  it("reports and their CSV carry counts, never a reporter; agents may not read them", async () => {
    const { name } = await twoReports();
    const agent = await app.signInStaff("agent");
    expect((await app.request("/staff/reports", { cookie: agent })).status).toBe(403);
    const supervisor = await app.signInStaff("supervisor");
    const page = await app.request("/staff/reports", { cookie: supervisor });
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain(html(trNs("en", "reports", "employee.title")));
    expect(body).not.toContain(name);
    expect((await app.request("/staff/reports/employee-reports.csv", { cookie: agent })).status).toBe(403);
    const employeeCsv = await (await app.request("/staff/reports/employee-reports.csv", { cookie: supervisor })).text();
    expect(employeeCsv.split("\n")[0]).toContain(trNs("en", "reports", "employee.reports"));
    // Both reports are of kind wrong_information (the template may hold demo reports of other kinds).
    expect(Number(employeeCsv.match(/^[^,\n]+,wrong_information,[^\n]*,(\d+)\r?$/m)![1])).toBeGreaterThanOrEqual(2);
    for (const report of ["by-system", "by-kind", "by-week", "employee-reports"]) {
      const csv = await app.request(`/staff/reports/${report}.csv`, { cookie: supervisor });
      expect(csv.status).toBe(200);
      const text = await csv.text();
      expect(text).not.toContain(name);
      expect(text).not.toContain("Alex Agent");
    }
  });
});

describe("the origin filter and the figures of employee reports (SPEC §12)", () => {
  it("origin=employee lists employee reports only, origin=customer the customers' concerns only", async () => {
    const report = await fileTestEmployeeReport(app.db);
    const customer = await fileConcern(app.db, { customerId: "demo-customer-1", contactEmail: null, contactMethod: "portal", lang: "en", kind: "other", interactionId: null, systemId: null, description: "A customer concern for the origin filter.", desiredOutcome: "" });
    const viewer = { id: await demoStaffId(app.db, "agent"), role: "agent" };
    const refs = async (origin: "customer" | "employee" | "breach") => (await listQueue(app.db, { status: "all", origin, sort: "created", page: 1 }, viewer, "en")).rows.map((r) => r.ref);
    expect(await refs("employee")).toContain(report.ref);
    expect(await refs("employee")).not.toContain(customer.ref);
    expect(await refs("customer")).toContain(customer.ref);
    expect(await refs("customer")).not.toContain(report.ref);
    const employeeRows = (await listQueue(app.db, { status: "all", origin: "employee", sort: "created", page: 1 }, viewer, "en")).rows;
    expect(employeeRows.every((r) => r.origin === "employee" && r.reporter === null)).toBe(true);

    const cookie = await app.signInStaff("agent");
    const page = await (await app.request("/staff/concerns?origin=employee&status=all", { cookie })).text();
    expect(page).toContain(report.ref);
    expect(page).not.toContain(customer.ref);
    // The active filter shows as a link that removes it.
    expect(page).toContain(html(q("filters.remove", { label: q("filters.origin"), value: q("filters.originEmployee") })));
    // A crafted origin matches nothing special: the default view, never a 500.
    expect((await app.request("/staff/concerns?origin=<script>", { cookie })).status).toBe(200);
  });

  it("counts employee reports per week, AI system and kind, apart from and inside the totals", async () => {
    const now = Date.now();
    const range = defaultRange(now, "Europe/Oslo");
    const before = await buildReports(app.db, range, "en");
    const offer = await systemId(app.db, "offer-predictor");
    await fileTestEmployeeReport(app.db, { kind: "privacy", systemId: offer, now: now - 60_000 });
    await fileTestEmployeeReport(app.db, { kind: "privacy", systemId: null, now: now - 30_000 });
    await fileConcern(app.db, { customerId: "demo-customer-1", contactEmail: null, contactMethod: "portal", lang: "en", kind: "privacy", interactionId: null, systemId: offer, description: "A customer concern, not an employee report.", desiredOutcome: "", now: now - 20_000 });
    const after = await buildReports(app.db, range, "en");
    expect(after.employee.total - before.employee.total).toBe(2);
    expect(after.total - before.total).toBe(3);
    const kind = (r: typeof after, k: string) => r.employee.byKind.find((row) => row.kind === k)!.count;
    expect(kind(after, "privacy") - kind(before, "privacy")).toBe(2);
    const system = (r: typeof after, id: number | null) => r.employee.bySystem.find((row) => row.systemId === id)?.count ?? 0;
    expect(system(after, offer) - system(before, offer)).toBe(1);
    expect(system(after, null) - system(before, null)).toBe(1);
    const weeks = (r: typeof after) => r.employee.byWeek.reduce((n, w) => n + w.count, 0);
    expect(weeks(after) - weeks(before)).toBe(2);
    expect(after.employee.byWeek.at(-1)!.count - before.employee.byWeek.at(-1)!.count).toBe(2);
  });
});

describe("the demo employee reports", () => {
  it("one per shipped language, two from the console, one named, one anonymous; seeding twice files nothing more", async () => {
    const fresh = await createTestApp({ seeded: false });
    // The demo staff and register first, as the demo seed has them.
    const { seedChoicesAndRegister, seedDemoStaff } = await import("../../db/seed");
    await seedDemoStaff(fresh.db);
    await seedChoicesAndRegister(fresh.db, Date.now());
    expect(await seedEmployeeReports(fresh.db, Date.now())).toBe(DEMO_EMPLOYEE_REPORTS.length);
    expect(await seedEmployeeReports(fresh.db, Date.now())).toBe(0);
    const rows = await fresh.db.select().from(concerns).where(eq(concerns.origin, "employee"));
    expect(rows.map((r) => r.lang).sort()).toEqual(["ar", "de", "en", "fr"]);
    expect(rows.filter((r) => r.reporterStaffId !== null)).toHaveLength(2);
    expect(rows.filter((r) => r.reporterName !== null)).toHaveLength(1);
    expect(rows.every((r) => r.systemId !== null)).toBe(true);
  });
});

describe("over HTTP: the API never names an employee reporter; the public form refuses cross-site posts", () => {
  let server: RunningServer;
  let key: string;
  let ref: string;
  const name = unique("Api Reporter");
  beforeAll(async () => {
    server = await startServer({
      async prepare(database) {
        key = (await createApiKey(database, { name: "concerns", scopes: ["concerns"] })).key;
        ref = (await fileTestEmployeeReport(database, { reporterName: name })).ref;
      },
    });
  }, 60_000);
  afterAll(() => server?.stop());

  it("GET /api/v1/concerns and /concerns/:ref leave the reporter out", async () => {
    const headers = { authorization: `Bearer ${key}` };
    const one = await fetch(`${server.base}/api/v1/concerns/${ref}`, { headers });
    expect(one.status).toBe(200);
    const body = await one.text();
    expect(body).toContain(ref);
    expect(body).not.toContain(name);
    const list = await fetch(`${server.base}/api/v1/concerns?pageSize=100`, { headers });
    expect(list.status).toBe(200);
    expect(await list.text()).not.toContain(name);
  });

  it("a cross-site post to /:lang/report is a 403 (CSRF, SPEC §9), nothing filed", async () => {
    const count = async () => (await server.db.select({ id: concerns.id }).from(concerns)).length;
    const before = await count();
    const form = new URLSearchParams({ kind: "other", description: "A report sent from another site's page." });
    for (const headers of [{ Origin: "https://evil.example" }, { "Sec-Fetch-Site": "cross-site" }] as Record<string, string>[]) {
      const response = await fetch(`${server.base}/en/report`, { method: "POST", headers, body: form, redirect: "manual" });
      expect(response.status, JSON.stringify(headers)).toBe(403);
    }
    const sameSite = await fetch(`${server.base}/en/report`, { method: "POST", headers: { Origin: server.base }, body: form, redirect: "manual" });
    expect(sameSite.status).toBe(303);
    expect(await count()).toBe(before + 1);
  });
});
