import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { fileConcern } from "../../app/domain/concerns/index.server";
import { LEASE_MS, MAX_ATTEMPTS } from "../../app/domain/outbox.server";
import { auditLog, outboxEmails } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { html, trNs } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const signInStaff = (role: "agent" | "supervisor" | "admin") => app.signInStaff(role);

/** A failed email whose text would be dangerous if it were rendered as HTML. */
async function addFailedEmail() {
  const now = Date.now();
  const [email] = await db()
    .insert(outboxEmails)
    .values({
      toAddress: "mallory@example.org",
      lang: "de",
      template: "concern_reply",
      subject: "Neue Antwort zu Ihrem Anliegen C-TEST-0001",
      bodyText: "Guten Tag,\n\n<script>alert('x')</script>\n<b>fett</b>\n\nIhr Team",
      status: "failed",
      attempts: MAX_ATTEMPTS,
      nextAttemptAt: now - 3_600_000,
      lastError: "EENVELOPE 550: 550 5.1.1 <<address>>: no such user",
      createdAt: now - 86_400_000,
    })
    .returning();
  return email!;
}

const db = () => app.db;
const snapshot = async () => ({ outbox: await db().select().from(outboxEmails), audit: (await db().select().from(auditLog)).length });

describe("/staff/outbox permissions (admin.manage)", () => {
  for (const role of ["agent", "supervisor"] as const) {
    it(`${role}: 403 on the page, on an email and on a crafted retry; nothing changes`, async () => {
      const failed = await addFailedEmail();
      const cookie = await signInStaff(role);
      const before = await snapshot();
      expect((await app.request("/staff/outbox", { cookie })).status).toBe(403);
      const one = await app.request(`/staff/outbox?email=${failed.id}`, { cookie });
      expect(one.status).toBe(403);
      expect(await one.text()).not.toContain("alert(");
      const retry = await app.request("/staff/outbox", { cookie, form: { intent: "retry", id: String(failed.id) } });
      expect(retry.status).toBe(403);
      expect(await snapshot()).toEqual(before);
      expect((await db().select().from(outboxEmails).where(eq(outboxEmails.id, failed.id)).limit(1))[0]!.status).toBe("failed");
    });
  }

  it("signed out: sent to sign-in, nothing changes", async () => {
    const failed = await addFailedEmail();
    const before = await snapshot();
    const page = await app.request("/staff/outbox");
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/staff/login?next=%2Fstaff%2Foutbox");
    const retry = await app.request("/staff/outbox", { form: { intent: "retry", id: String(failed.id) } });
    expect([302, 303]).toContain(retry.status);
    expect(await snapshot()).toEqual(before);
  });
});

describe("/staff/outbox for an admin", () => {
  it("lists the emails newest first, says that SMTP is not configured, and filters by status", async () => {
    const failed = await addFailedEmail();
    const cookie = await signInStaff("admin");
    const response = await app.request("/staff/outbox", { cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const page = await response.text();
    expect(page).toContain(html(trNs("en", "outbox", "title")));
    expect(page).toContain(html(trNs("en", "outbox", "smtp.offTitle")));
    expect(page).not.toContain(html(trNs("en", "outbox", "smtp.onTitle")));
    // The seeded emails and the failed one, newest first.
    const seeded = (await db().select().from(outboxEmails)).filter((e) => e.id !== failed.id);
    expect(seeded.length).toBeGreaterThan(0);
    for (const email of seeded) {
      expect(page).toContain(html(email.toAddress));
      expect(page).toContain(html(email.subject));
    }
    expect(page.indexOf("mallory@example.org")).toBeLessThan(page.indexOf(html(seeded[0]!.toAddress)));
    expect(page).toContain(html("EENVELOPE 550: 550 5.1.1 <<address>>: no such user"));
    expect(page).toContain(`href="/staff/outbox?email=${failed.id}"`);

    const onlyFailed = await (await app.request("/staff/outbox?status=failed", { cookie })).text();
    expect(onlyFailed).toContain("mallory@example.org");
    for (const email of seeded) expect(onlyFailed).not.toContain(html(email.subject));
    expect(onlyFailed).toContain(`href="/staff/outbox?status=failed&amp;email=${failed.id}"`);

    const onlySent = await (await app.request("/staff/outbox?status=sent", { cookie })).text();
    expect(onlySent).toContain(html(trNs("en", "outbox", "table.empty")));

    // Unreadable filters fall back to the default view instead of failing.
    expect((await app.request("/staff/outbox?status=bogus&page=-3", { cookie })).status).toBe(200);
  });

  it("paginates, keeping the status filter in the links", async () => {
    const now = Date.now();
    await db()
      .insert(outboxEmails)
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          toAddress: `bulk${i}@example.com`,
          lang: "en",
          template: "concern_received",
          subject: `Bulk ${String(i).padStart(2, "0")}`,
          bodyText: "Hello",
          status: "sent",
          attempts: 1,
          nextAttemptAt: now,
          sentAt: now,
          createdAt: now + i,
        })),
      );
    const cookie = await signInStaff("admin");
    const first = await (await app.request("/staff/outbox?status=sent", { cookie })).text();
    expect(first).toContain("Bulk 29");
    expect(first).not.toContain("Bulk 04");
    expect(first).toContain('href="/staff/outbox?status=sent&amp;page=2"');
    const second = await (await app.request("/staff/outbox?status=sent&page=2", { cookie })).text();
    expect(second).toContain("Bulk 04");
    expect(second).not.toContain("Bulk 29");
  });

  it("opens one email and shows its text as plain text, never as HTML", async () => {
    const failed = await addFailedEmail();
    const cookie = await signInStaff("admin");
    const response = await app.request(`/staff/outbox?email=${failed.id}`, { cookie });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(html(trNs("en", "outbox", "email.title", { id: failed.id })));
    expect(page).toContain("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;");
    expect(page).toContain("&lt;b&gt;fett&lt;/b&gt;");
    expect(page).not.toContain("<script>alert(");
    expect(page).not.toContain("<b>fett</b>");
    expect(page).toMatch(/<pre class="outbox-body user-text" lang="de" dir="ltr">Guten Tag,\n\n/);
    expect(page).toContain(html(trNs("en", "outbox", "email.retry")));
    expect((await app.request("/staff/outbox?email=987654", { cookie })).status).toBe(404);
  });

  it("never shows a working link: personal links are not stored, tracking tokens are cut", async () => {
    expect((await db().select().from(outboxEmails)).some((e) => /\/l\/[A-Za-z0-9_-]{20,}/.test(e.bodyText))).toBe(false);
    const { trackingToken: token } = await fileConcern(db(), {
      customerId: null, contactEmail: "visitor@example.com", contactMethod: "email", lang: "en", kind: "other",
      interactionId: null, systemId: null, description: "A question about the assistant.", desiredOutcome: "",
    });
    const withLink = (await db().select().from(outboxEmails)).find((e) => e.bodyText.includes(token!))!;
    const cookie = await signInStaff("admin");
    const page = await (await app.request(`/staff/outbox?email=${withLink.id}`, { cookie })).text();
    expect(page).toContain(`/concerns/track/${token!.slice(0, 4)}…`);
    expect(page).not.toContain(token);
    expect(page).toContain(html(trNs("en", "outbox", "email.linksHidden")));
  });

  it("retry now puts a failed email back in the queue, due at once, and audits it with codes only", async () => {
    const failed = await addFailedEmail();
    const cookie = await signInStaff("admin");
    const auditBefore = (await db().select().from(auditLog)).length;
    const before = Date.now();
    const response = await app.request("/staff/outbox", { cookie, form: { intent: "retry", id: String(failed.id) } });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(`/staff/outbox?email=${failed.id}&done=retried`);
    const after = (await db().select().from(outboxEmails).where(eq(outboxEmails.id, failed.id)).limit(1))[0]!;
    expect(after.status).toBe("pending");
    expect(after.nextAttemptAt).toBeGreaterThanOrEqual(before);
    expect(after.nextAttemptAt).toBeLessThanOrEqual(Date.now());
    expect(after.attempts).toBe(MAX_ATTEMPTS);
    const audit = await db().select().from(auditLog);
    expect(audit).toHaveLength(auditBefore + 1);
    expect(audit.at(-1)).toMatchObject({ action: "outbox.retry_requested", actorType: "staff", targetType: "outbox_email", targetId: String(failed.id) });
    expect(audit.at(-1)!.details).not.toContain("mallory");

    const page = await (await app.request(response.headers.get("Location")!, { cookie })).text();
    expect(page).toContain(html(trNs("en", "outbox", "done.retried")));
    expect(page).toContain(html(trNs("en", "outbox", "statuses.pending")));
  });

  it("refuses bad or pointless retries with a translated message and stores nothing", async () => {
    const failed = await addFailedEmail();
    const [sent] = await db()
      .insert(outboxEmails)
      .values({ toAddress: "done@example.com", lang: "en", template: "concern_received", subject: "Done", bodyText: "Hi", status: "sent", attempts: 1, nextAttemptAt: 1, sentAt: 2, createdAt: 1 })
      .returning();
    // Claimed by a worker of another instance (this app runs none): its lease is in the future.
    const leaseEnd = Date.now() + LEASE_MS;
    const [sending] = await db()
      .insert(outboxEmails)
      .values({ toAddress: "busy@example.com", lang: "en", template: "concern_received", subject: "Busy", bodyText: "Hi", status: "pending", attempts: 1, nextAttemptAt: leaseEnd, claimedUntil: leaseEnd, createdAt: 1 })
      .returning();
    const cookie = await signInStaff("admin");
    const before = await snapshot();

    const bad = await app.request("/staff/outbox", { cookie, form: { intent: "retry", id: "abc" } });
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(badPage).toContain(html(trNs("en", "common", "errors.formTitle")));
    expect(badPage).toContain(html(trNs("en", "common", "errors.invalid")));
    expect((await app.request("/staff/outbox", { cookie, form: { intent: "delete", id: String(failed.id) } })).status).toBe(400);
    expect((await app.request("/staff/outbox", { cookie, form: { intent: "retry", id: "-1" } })).status).toBe(400);

    const unknown = await app.request("/staff/outbox", { cookie, form: { intent: "retry", id: "987654" } });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain(html(trNs("en", "outbox", "errors.notFound")));

    const again = await app.request("/staff/outbox", { cookie, form: { intent: "retry", id: String(sent!.id) } });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(html(trNs("en", "outbox", "errors.alreadySent")));

    const busy = await app.request("/staff/outbox", { cookie, form: { intent: "retry", id: String(sending!.id) } });
    expect(busy.status).toBe(409);
    expect(await busy.text()).toContain(html(trNs("en", "outbox", "errors.sending")));

    expect(await snapshot()).toEqual(before);
  });

  it("speaks the admin's language", async () => {
    const cookie = await signInStaff("admin");
    expect((await app.request("/staff/account", { cookie, form: { intent: "language", locale: "ar" } })).status).toBe(303);
    const page = await (await app.request("/staff/outbox", { cookie })).text();
    expect(page).toContain('<html lang="ar" dir="rtl"');
    expect(page).toContain(html(trNs("ar", "outbox", "title")));
    expect(page).toContain(html(trNs("ar", "outbox", "smtp.offTitle")));
  });

  it("names a staff notification's template by its kind, in the admin's language, never as a raw key", async () => {
    const now = Date.now();
    await db().insert(outboxEmails).values({ toAddress: "ops@nordlys.example", lang: "pl", template: "staff_monitoring_alert", subject: "Alert", bodyText: "Hi", status: "pending", attempts: 0, nextAttemptAt: now, createdAt: now });
    const cookie = await signInStaff("admin");
    expect((await app.request("/staff/account", { cookie, form: { intent: "language", locale: "pl" } })).status).toBe(303);
    const page = await (await app.request("/staff/outbox", { cookie })).text();
    expect(page).toContain(html(trNs("pl", "outbox", "templates.staff", { kind: trNs("pl", "notifications", "kinds.monitoring_alert.label") })));
    expect(page).not.toContain(">staff_monitoring_alert<");
  });
});
