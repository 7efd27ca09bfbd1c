/**
 * /staff/webhooks through the built app (needs `route("webhooks", "routes/staff/webhooks.tsx")`
 * in the staff block of app/routes.ts): admins only, crafted posts from lower roles change nothing.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { claimNextDelivery, createWebhookEndpoint, enqueueWebhookEvent, LEASE_MS, MAX_ATTEMPTS } from "../../app/domain/webhooks.server";
import { auditLog, staffUsers, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { html, trNs } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const signInStaff = (role: "agent" | "supervisor" | "admin") => app.signInStaff(role);

const db = () => app.db;
const adminId = async () => (await db().select().from(staffUsers).where(eq(staffUsers.email, "admin@nordlys.example")).limit(1))[0]!.id;
const snapshot = async () => ({
  endpoints: await db().select().from(webhookEndpoints),
  deliveries: await db().select().from(webhookDeliveries),
  audit: (await db().select().from(auditLog)).length,
});

/** An endpoint with one failed delivery. */
async function setup() {
  const { endpoint, secret } = await createWebhookEndpoint(db(), { url: "https://hooks.example.com/candor", events: ["concern.created"], staffId: await adminId() });
  await db().transaction((tx) => enqueueWebhookEvent(tx, "concern.created", { ref: "C-TEST-0001", status: "new", kind: "other" }));
  const delivery = (await db().select().from(webhookDeliveries).limit(1))[0]!;
  await db().update(webhookDeliveries).set({ status: "failed", attempts: MAX_ATTEMPTS, lastStatusCode: 503, lastError: "HTTP 503" }).where(eq(webhookDeliveries.id, delivery.id));
  return { endpoint, secret, deliveryId: delivery.id };
}

describe("/staff/webhooks permissions (admin.manage)", () => {
  for (const role of ["agent", "supervisor"] as const) {
    it(`${role}: 403 on the page and on crafted create, disable and retry posts; nothing changes`, async () => {
      const { endpoint, deliveryId } = await setup();
      const cookie = await signInStaff(role);
      const before = await snapshot();
      expect((await app.request("/staff/webhooks", { cookie })).status).toBe(403);
      const form = new URLSearchParams([["intent", "create"], ["url", "https://evil.example/x"], ["events", "concern.created"]]);
      expect((await app.request("/staff/webhooks", { cookie, form })).status).toBe(403);
      expect((await app.request("/staff/webhooks", { cookie, form: { intent: "disable", endpointId: String(endpoint.id) } })).status).toBe(403);
      expect((await app.request("/staff/webhooks", { cookie, form: { intent: "retry", deliveryId: String(deliveryId) } })).status).toBe(403);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("signed out: sent to sign-in, nothing changes", async () => {
    const { endpoint } = await setup();
    const before = await snapshot();
    const page = await app.request("/staff/webhooks");
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/staff/login?next=%2Fstaff%2Fwebhooks");
    const post = await app.request("/staff/webhooks", { form: { intent: "disable", endpointId: String(endpoint.id) } });
    expect([302, 303]).toContain(post.status);
    expect(await snapshot()).toEqual(before);
  });
});

describe("/staff/webhooks for an admin", () => {
  it("lists endpoints (never their secret) and deliveries with status, attempts, last answer and error", async () => {
    const { secret } = await setup();
    const cookie = await signInStaff("admin");
    const response = await app.request("/staff/webhooks", { cookie });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(html(trNs("en", "webhooks", "title")));
    expect(page).toContain("https://hooks.example.com/candor");
    expect(page).toContain("HTTP 503");
    expect(page).toContain(html(trNs("en", "webhooks", "statuses.failed")));
    expect(page).toContain(html(trNs("en", "webhooks", "deliveries.retry")));
    expect(page).not.toContain(secret);
  });

  it("adds an endpoint: the secret is shown once, stored, audited; the list never shows it again", async () => {
    const cookie = await signInStaff("admin");
    const form = new URLSearchParams([["intent", "create"], ["url", "https://crm.example.com/hooks/candor"], ["events", "concern.created"], ["events", "preferences.changed"]]);
    const response = await app.request("/staff/webhooks", { cookie, form });
    expect(response.status).toBe(200);
    const page = await response.text();
    const stored = await db().select().from(webhookEndpoints);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ url: "https://crm.example.com/hooks/candor", events: ["concern.created", "preferences.changed"], disabledAt: null });
    expect(page).toContain(html(trNs("en", "webhooks", "created.title")));
    expect(page).toContain(stored[0]!.secret);
    const audit = await db().select().from(auditLog).where(eq(auditLog.action, "webhook.endpoint_created"));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).not.toContain(stored[0]!.secret);

    const again = await (await app.request("/staff/webhooks", { cookie })).text();
    expect(again).toContain("https://crm.example.com/hooks/candor");
    expect(again).not.toContain(stored[0]!.secret);

    // A single event (one checkbox) works too.
    const one = await app.request("/staff/webhooks", { cookie, form: { intent: "create", url: "http://10.1.2.3:8080/in", events: "concern.updated" } });
    expect(one.status).toBe(200);
    expect((await db().select().from(webhookEndpoints)).map((e) => e.events)).toEqual([["concern.created", "preferences.changed"], ["concern.updated"]]);
  });

  it("bad input: 400 with a translated message, the typed URL kept, nothing stored", async () => {
    const cookie = await signInStaff("admin");
    const before = await snapshot();
    const badUrl = await app.request("/staff/webhooks", { cookie, form: { intent: "create", url: "ftp://files.example.com/drop", events: "concern.created" } });
    expect(badUrl.status).toBe(400);
    const badPage = await badUrl.text();
    expect(badPage).toContain(html(trNs("en", "webhooks", "errors.url")));
    expect(badPage).toContain('value="ftp://files.example.com/drop"');

    const noEvents = await app.request("/staff/webhooks", { cookie, form: { intent: "create", url: "https://ok.example.com/x" } });
    expect(noEvents.status).toBe(400);
    const noEventsPage = await noEvents.text();
    expect(noEventsPage).toContain(html(trNs("en", "webhooks", "errors.events")));
    expect(noEventsPage).toContain('value="https://ok.example.com/x"');

    const unknownEvent = await app.request("/staff/webhooks", { cookie, form: { intent: "create", url: "https://ok.example.com/x", events: "concern.deleted" } });
    expect(unknownEvent.status).toBe(400);
    const crafted: Record<string, string>[] = [{ intent: "disable", endpointId: "abc" }, { intent: "retry", deliveryId: "-1" }, { intent: "explode" }];
    for (const form of crafted) {
      expect((await app.request("/staff/webhooks", { cookie, form })).status).toBe(400);
    }
    expect((await app.request("/staff/webhooks", { cookie, form: { intent: "disable", endpointId: "999999" } })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it("retries a failed delivery and disables an endpoint, both audited", async () => {
    const { endpoint, deliveryId } = await setup();
    const cookie = await signInStaff("admin");
    const retry = await app.request("/staff/webhooks", { cookie, form: { intent: "retry", deliveryId: String(deliveryId) } });
    expect(retry.status).toBe(303);
    expect(retry.headers.get("Location")).toBe("/staff/webhooks?done=retried");
    expect((await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).limit(1))[0]).toMatchObject({ status: "pending", attempts: MAX_ATTEMPTS });
    // Not failed any more: a second retry is refused.
    const twice = await app.request("/staff/webhooks", { cookie, form: { intent: "retry", deliveryId: String(deliveryId) } });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain(html(trNs("en", "webhooks", "errors.notFailed")));

    const disable = await app.request("/staff/webhooks", { cookie, form: { intent: "disable", endpointId: String(endpoint.id) } });
    expect(disable.status).toBe(303);
    expect((await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id)).limit(1))[0]!.disabledAt).not.toBeNull();
    expect((await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).limit(1))[0]!.status).toBe("failed");
    const done = await (await app.request("/staff/webhooks?done=disabled", { cookie })).text();
    expect(done).toContain(html(trNs("en", "webhooks", "done.disabled")));
    expect((await app.request("/staff/webhooks", { cookie, form: { intent: "disable", endpointId: String(endpoint.id) } })).status).toBe(409);

    const actions = (await db().select().from(auditLog)).map((e) => e.action);
    expect(actions).toContain("webhook.retry_requested");
    expect(actions).toContain("webhook.endpoint_disabled");
  });

  it("refuses to retry a delivery a worker of another instance is sending (its lease runs); nothing changes", async () => {
    const { deliveryId } = await setup();
    const cookie = await signInStaff("admin");
    expect((await app.request("/staff/webhooks", { cookie, form: { intent: "retry", deliveryId: String(deliveryId) } })).status).toBe(303);
    // A worker elsewhere (this app runs none) claims it: only the database says it is taken.
    const now = Date.now();
    expect((await claimNextDelivery(db(), now))?.id).toBe(deliveryId);
    const before = await snapshot();
    const refused = await app.request("/staff/webhooks", { cookie, form: { intent: "retry", deliveryId: String(deliveryId) } });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(html(trNs("en", "webhooks", "errors.sending")));
    expect(await snapshot()).toEqual(before);
    expect((await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).limit(1))[0]!.claimedUntil).toBe(now + LEASE_MS);
  });
});
