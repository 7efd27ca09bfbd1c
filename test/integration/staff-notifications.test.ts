/**
 * Staff are told (SPEC §12): the scan queues each notification once, in the staff member's
 * language, to those who chose it (role defaults otherwise), through the customer emails' outbox;
 * the first scan of an existing database emails nothing of its history; three workers scanning at
 * once queue one email each; the outbox worker delivers them over a real SMTP conversation.
 */
import { desc, eq, ne } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { assignConcern, claimConcern, setSeriousIncident } from "../../app/domain/concerns/index.server";
import { createSmtpTransport, sendDueEmails } from "../../app/domain/outbox.server";
import {
  DEADLINE_WARNING_MS,
  notificationChoices,
  queueStaffNotifications,
  saveNotificationChoices,
  SETTLE_MS,
} from "../../app/domain/staff-notifications.server";
import { setSetting } from "../../app/domain/settings.server";
import { recordTraining } from "../../app/domain/trainings.server";
import { openDatabase, type AnyDatabase, type Db } from "../../app/utils/db.server";
import { openSqliteDatabase } from "../../app/utils/db-sqlite.server";
import { aiSystems, auditLog, concerns, monitoringAlerts, staffNotificationChoices, outboxEmails, staffNotifications, staffUsers } from "../../db/schema";
import { seedStaffNotifications } from "../../db/seed-staff-notifications";
import { actedInteraction } from "../support/breach-factories";
import { freshTestDatabase } from "../support/database";
import { concernFor } from "../support/factories";
import { chooseNotification, setConcernTimes, staffEmailsTo, staffFor } from "../support/notification-factories";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let database: AnyDatabase;
let db: Db;
beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
  // Only the staff members each test makes: the demo's three would receive the defaults too.
  await db.update(staffUsers).set({ disabledAt: Date.now() });
  // Assignments here are about emails, not AI-literacy records (AI Act Art. 4: trainings.server.ts).
  await setSetting(db, "requireTraining", false);
});
afterEach(async () => {
  await database.close();
});

/** Runs the scan at `now`; the first run (cursors start at "now") has happened before. */
const scan = (now: number) => queueStaffNotifications(db, now);
const later = () => Date.now() + SETTLE_MS + MINUTE;

const staffOf = (actor: typeof staffUsers.$inferSelect) => ({ id: actor.id, role: actor.role as "agent" | "supervisor" | "admin", name: actor.name });

describe("the first scan of a database", () => {
  it("emails nothing of its history and starts the cursors there", async () => {
    const supervisor = await staffFor(db, { role: "supervisor" });
    const old = await concernFor(db);
    await setConcernTimes(db, old.ref, { slaDueAt: Date.now() - HOUR });
    await setSeriousIncident(db, old.ref, staffOf(supervisor), true);

    expect(await scan(later())).toBe(0);
    expect(await staffEmailsTo(db, supervisor.email)).toEqual([]);
    // The history stays unsent on the next scans too.
    expect(await scan(later())).toBe(0);
    expect(await staffEmailsTo(db, supervisor.email)).toEqual([]);

    const fresh = await concernFor(db);
    expect(await scan(later())).toBe(1);
    expect((await staffEmailsTo(db, supervisor.email)).map((e) => e.subject)).toEqual([`New concern ${fresh.ref}: Something else`]);
  });
});

describe("each kind, once, in the staff member's language, to those who chose it", () => {
  beforeEach(async () => {
    // Only each test's own cases have due dates (the scans below jump hours and days ahead).
    await db.update(concerns).set({ slaDueAt: null, statutoryDueAt: null });
    await scan(Date.now());
  });

  it("a new concern: supervisors by default, admins and agents only if they opt in; never twice", async () => {
    const supervisor = await staffFor(db, { role: "supervisor", locale: "de" });
    const admin = await staffFor(db, { role: "admin" });
    const agent = await staffFor(db, { role: "agent" });
    const keenAgent = await staffFor(db, { role: "agent", locale: "fr" });
    await chooseNotification(db, keenAgent.id, "new_concern", true);
    const concern = await concernFor(db, { kind: "privacy", description: "My neighbour Jane Roe saw my bill" });

    // Not settled yet: a transaction that took a smaller id may still be open.
    expect(await scan(Date.now())).toBe(0);
    expect(await scan(later())).toBe(2);
    const [german] = await staffEmailsTo(db, supervisor.email, "new_concern");
    expect(german).toMatchObject({ lang: "de", status: "pending", subject: `Neues Anliegen ${concern.ref}: Datenschutz oder Nutzung meiner Daten für KI-Training` });
    expect(german!.bodyText).toContain(`/staff/concerns/${concern.ref}`);
    expect(german!.bodyText).toContain("/staff/account/notifications");
    expect(german!.bodyText).not.toContain("Jane Roe");
    const [french] = await staffEmailsTo(db, keenAgent.email, "new_concern");
    expect(french!.lang).toBe("fr");
    expect(french!.subject).toContain(`Nouvelle réclamation ${concern.ref}`);
    expect(await staffEmailsTo(db, admin.email)).toEqual([]);
    expect(await staffEmailsTo(db, agent.email)).toEqual([]);

    expect(await scan(later())).toBe(0);
    expect(await staffEmailsTo(db, supervisor.email)).toHaveLength(1);
  });

  it("an employee report: its own kind; no reporter's name or text in the email", async () => {
    const supervisor = await staffFor(db, { role: "supervisor" });
    const admin = await staffFor(db, { role: "admin", locale: "ar" });
    const report = await concernFor(db, { customerId: null, contactMethod: "email", contactEmail: "kim.berg@nordlys.example", description: "Kim Berg here: the offer predictor ranks older callers lower." });
    await db.update(concerns).set({ origin: "employee" }).where(eq(concerns.ref, report.ref));

    expect(await scan(later())).toBe(2);
    const [toSupervisor] = await staffEmailsTo(db, supervisor.email, "employee_report");
    expect(toSupervisor!.subject).toContain(`New employee report ${report.ref}`);
    for (const email of [toSupervisor!, ...(await staffEmailsTo(db, admin.email, "employee_report"))]) {
      expect(email.bodyText).not.toMatch(/Kim|Berg|older callers/);
    }
    expect((await staffEmailsTo(db, admin.email, "employee_report"))[0]!.lang).toBe("ar");
    expect(await staffEmailsTo(db, supervisor.email, "new_concern")).toEqual([]);
  });

  it("an assignment: to the assignee, not when one takes the case oneself; an opt-out is respected", async () => {
    const supervisor = await staffFor(db, { role: "supervisor" });
    await chooseNotification(db, supervisor.id, "new_concern", false);
    const agent = await staffFor(db, { role: "agent", locale: "de" });
    const quiet = await staffFor(db, { role: "agent" });
    await chooseNotification(db, quiet.id, "assigned", false);
    const a = await concernFor(db);
    const b = await concernFor(db);
    await assignConcern(db, a.ref, staffOf(supervisor), agent.id);
    await assignConcern(db, b.ref, staffOf(supervisor), quiet.id);
    const c = await concernFor(db);
    await claimConcern(db, c.ref, staffOf(agent));

    expect(await scan(later())).toBe(1);
    const emails = await staffEmailsTo(db, agent.email);
    expect(emails.map((e) => e.subject)).toEqual([`Der Fall ${a.ref} ist Ihnen zugewiesen`]);
    expect(await staffEmailsTo(db, quiet.email)).toEqual([]);
  });

  it("deadlines: 24 hours before and once passed, to the assignee, else to supervisors and admins", async () => {
    const supervisor = await staffFor(db, { role: "supervisor" });
    await chooseNotification(db, supervisor.id, "new_concern", false);
    const admin = await staffFor(db, { role: "admin" });
    const agent = await staffFor(db, { role: "agent" });
    const now = Date.now();
    const mine = await concernFor(db);
    const free = await concernFor(db);
    await setConcernTimes(db, mine.ref, { slaDueAt: now + 30 * HOUR, assigneeId: agent.id });
    await setConcernTimes(db, free.ref, { slaDueAt: now + 30 * HOUR });
    await scan(now + 2 * MINUTE);

    expect(await scan(now + 5 * HOUR)).toBe(0);
    expect(await scan(now + 7 * HOUR)).toBe(3);
    expect((await staffEmailsTo(db, agent.email, "deadline_soon")).map((e) => e.subject)).toEqual([`Case ${mine.ref} is due soon`]);
    expect((await staffEmailsTo(db, supervisor.email, "deadline_soon")).map((e) => e.subject)).toEqual([`Case ${free.ref} is due soon`]);
    expect(await staffEmailsTo(db, admin.email, "deadline_soon")).toHaveLength(1);

    expect(await scan(now + 29 * HOUR)).toBe(0);
    expect(await scan(now + 31 * HOUR)).toBe(3);
    const [passed] = await staffEmailsTo(db, agent.email, "deadline_passed");
    expect(passed!.subject).toBe(`Case ${mine.ref} is overdue`);
    expect(passed!.bodyText).toContain("passed on");
    expect(await scan(now + 40 * HOUR)).toBe(0);
    expect(DEADLINE_WARNING_MS).toBe(24 * HOUR);
  });

  it("a serious-incident flag and a permission breach: to supervisors and admins, not agents", async () => {
    const supervisor = await staffFor(db, { role: "supervisor", locale: "fr" });
    await chooseNotification(db, supervisor.id, "new_concern", false);
    const admin = await staffFor(db, { role: "admin" });
    const agent = await staffFor(db, { role: "agent" });
    const concern = await concernFor(db);
    await setSeriousIncident(db, concern.ref, { id: 999_999, role: "supervisor", name: "Another supervisor" }, true);
    await actedInteraction(db, { ref: "chat-breach-1" });
    const [breachCase] = await db.select({ ref: concerns.ref }).from(concerns).where(eq(concerns.origin, "breach")).orderBy(desc(concerns.id)).limit(1);

    expect(await scan(later())).toBe(4);
    expect((await staffEmailsTo(db, supervisor.email, "serious_incident"))[0]!.subject).toBe(`Incident grave possible : ${concern.ref}`);
    expect((await staffEmailsTo(db, admin.email, "serious_incident"))[0]!.bodyText).toContain("Article 73");
    const [breach] = await staffEmailsTo(db, admin.email, "breach");
    expect(breach!.subject).toBe(`Permission breach: case ${breachCase!.ref}`);
    expect(breach!.bodyText).toContain("network-troubleshooter");
    expect(breach!.bodyText).not.toContain("demo-customer-1");
    expect(await staffEmailsTo(db, agent.email)).toEqual([]);
    // The breach's case is no "new concern".
    expect(await staffEmailsTo(db, admin.email, "new_concern")).toEqual([]);
  });

  it("a training about to expire: to the staff member and the admins, when its last 30 days begin", async () => {
    const admin = await staffFor(db, { role: "admin", locale: "de" });
    const agent = await staffFor(db, { role: "agent", name: "Noor Haddad" });
    const now = Date.now();
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    await recordTraining(db, { staffId: agent.id, course: "AI literacy refresher", completedOn: day(now - 300 * DAY), validUntil: day(now + 40 * DAY), evidenceNote: "" }, { id: admin.id, role: "admin" });

    expect(await scan(now + 5 * DAY)).toBe(0);
    expect(await scan(now + 12 * DAY)).toBe(2);
    const [own] = await staffEmailsTo(db, agent.email, "training_expiring");
    expect(own!.subject).toBe("AI training ends soon: AI literacy refresher");
    expect(own!.bodyText).toContain("Noor Haddad");
    expect((await staffEmailsTo(db, admin.email, "training_expiring"))[0]!.subject).toBe("KI-Schulung läuft bald ab: AI literacy refresher");
    expect(await scan(now + 13 * DAY)).toBe(0);
  });

  it("an overdue audit: once its due day has ended, to supervisors and admins", async () => {
    const supervisor = await staffFor(db, { role: "supervisor", locale: "fr" });
    const agent = await staffFor(db, { role: "agent" });
    const now = Date.now();
    // One system in service, never audited: due on the day it was registered, two days from now.
    const [system] = await db.select({ id: aiSystems.id, slug: aiSystems.slug }).from(aiSystems).where(eq(aiSystems.slug, "offer-predictor")).limit(1);
    await db.update(aiSystems).set({ status: "retired" }).where(ne(aiSystems.id, system!.id));
    await db.update(aiSystems).set({ createdAt: now + 2 * DAY }).where(eq(aiSystems.id, system!.id));

    expect(await scan(now + 2 * DAY)).toBe(0);
    expect(await scan(now + 4 * DAY)).toBe(1);
    const [email] = await staffEmailsTo(db, supervisor.email, "audit_overdue");
    expect(email!.subject).toMatch(/^Audit en retard : /);
    expect(email!.bodyText).toContain(`/staff/ai-systems/${system!.slug}/audits`);
    expect(await staffEmailsTo(db, agent.email)).toEqual([]);
    expect(await scan(now + 5 * DAY)).toBe(0);
  });

  it("a monitoring alert: to supervisors and admins, with the metric in their language", async () => {
    const admin = await staffFor(db, { role: "admin", locale: "de" });
    const [system] = await db.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.slug, "offer-predictor")).limit(1);
    await db.insert(monitoringAlerts).values({ systemId: system!.id, metric: "deny_share", weekStart: Date.now() - 7 * DAY, valueHundredths: 4250, thresholdHundredths: 3000, raisedAt: Date.now() });

    expect(await scan(later())).toBe(1);
    const [email] = await staffEmailsTo(db, admin.email, "monitoring_alert");
    expect(email!.subject).toMatch(/^Überwachungsalarm: /);
    expect(email!.bodyText).toContain("42,5");
    expect(email!.bodyText).toContain("(Schwellenwert 30)");
    expect(await scan(later())).toBe(0);
  });

  it("disabled staff get nothing", async () => {
    const gone = await staffFor(db, { role: "supervisor", disabledAt: Date.now() });
    await concernFor(db);
    expect(await scan(later())).toBe(0);
    expect(await staffEmailsTo(db, gone.email)).toEqual([]);
  });
});

describe("choosing", () => {
  it("stores every kind of the role, audited; kinds of other roles are ignored", async () => {
    const agent = await staffFor(db, { role: "agent" });
    const before = await notificationChoices(db, agent);
    expect(before.map((c) => c.kind)).not.toContain("breach");
    expect(before.every((c) => c.isDefault)).toBe(true);
    expect(before.find((c) => c.kind === "assigned")!.enabled).toBe(true);

    expect(await saveNotificationChoices(db, agent, ["new_concern", "breach"])).toBe(true);
    const after = await notificationChoices(db, agent);
    expect(after.filter((c) => c.enabled).map((c) => c.kind)).toEqual(["new_concern"]);
    expect(after.every((c) => !c.isDefault)).toBe(true);
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "staff.notifications_changed"));
    expect(entry).toMatchObject({ actorId: String(agent.id), targetId: String(agent.id), details: JSON.stringify({ enabled: "new_concern" }) });
    expect(await saveNotificationChoices(db, agent, ["new_concern"])).toBe(false);
  });
});

describe("the demo's choices (db/seed-staff-notifications.ts)", () => {
  it("the supervisor leaves out new concerns, the agent follows employee reports; a second run changes nothing", async () => {
    // Whether or not the template was seeded with them: from none.
    await db.delete(staffNotificationChoices);
    const written = await seedStaffNotifications(db);
    expect(written).toBeGreaterThan(0);
    const byEmail = async (email: string) => {
      const [row] = await db.select().from(staffUsers).where(eq(staffUsers.email, email)).limit(1);
      return notificationChoices(db, row!);
    };
    const supervisor = await byEmail("supervisor@nordlys.example");
    expect(supervisor.find((c) => c.kind === "new_concern")).toMatchObject({ enabled: false, isDefault: false });
    const agent = await byEmail("agent@nordlys.example");
    expect(agent.find((c) => c.kind === "employee_report")).toMatchObject({ enabled: true, isDefault: false });
    expect(await seedStaffNotifications(db)).toBe(0);
  });
});

describe("three workers at once", () => {
  const others: AnyDatabase[] = [];
  afterEach(async () => {
    for (const other of others.splice(0)) await other.close();
  });

  it("queue each email once", async () => {
    const workers = [0, 1, 2].map(() => {
      const other = database.engine === "sqlite" ? openSqliteDatabase(database.client.name) : openDatabase(database.url);
      // One thread plays three processes: a locked file must not put the thread to sleep.
      if (other.engine === "sqlite") other.yieldWhenBusy();
      others.push(other);
      return other.db;
    });
    await scan(Date.now());
    const supervisors = await Promise.all([0, 1, 2].map(() => staffFor(db, { role: "supervisor" })));
    const filed = [];
    for (let i = 0; i < 5; i++) filed.push(await concernFor(db));
    await setSeriousIncident(db, filed[0]!.ref, staffOf(supervisors[0]!), true);

    const at = later();
    const counts = await Promise.all(workers.map((worker) => queueStaffNotifications(worker, at)));
    // 5 new concerns each; the flag to the two who did not raise it.
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3 * 5 + 2);
    for (const [i, supervisor] of supervisors.entries()) {
      const emails = await staffEmailsTo(db, supervisor.email);
      expect(emails).toHaveLength(i === 0 ? 5 : 6);
      expect(new Set(emails.map((e) => e.subject)).size).toBe(emails.length);
    }
    expect(await db.select().from(staffNotifications)).toHaveLength(17);
  });
});

describe("delivery through the outbox over SMTP", () => {
  const received: { to: string[]; raw: string }[] = [];
  let server: SMTPServer;
  let smtpUrl: string;
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const address = server.server.address();
    if (!address || typeof address === "string") throw new Error("SMTP server did not start");
    smtpUrl = `smtp://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("sends the staff email to the staff member's address and marks it sent", async () => {
    await scan(Date.now());
    const supervisor = await staffFor(db, { role: "supervisor" });
    const concern = await concernFor(db);
    await scan(later());
    await db.delete(outboxEmails).where(eq(outboxEmails.template, "concern_received"));
    const transport = createSmtpTransport(smtpUrl);
    try {
      const summary = await sendDueEmails(db, transport, Date.now() + 10 * MINUTE, { from: "Nordlys Care <care@nordlys.example>" });
      expect(summary.sent).toBeGreaterThanOrEqual(1);
    } finally {
      transport.close();
    }
    const mine = received.filter((message) => message.to.includes(supervisor.email));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.raw).toContain(`Subject: New concern ${concern.ref}: Something else`);
    expect(mine[0]!.raw).toContain(`/staff/concerns/${concern.ref}`);
    const [row] = await staffEmailsTo(db, supervisor.email);
    expect(row!.status).toBe("sent");
  });
});
