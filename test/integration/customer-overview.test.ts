import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { fileConcern } from "../../app/domain/concerns/index.server";
import { customerOverview, OVERVIEW_COUNT_CAP, OVERVIEW_PAGE_SIZE, overviewPages } from "../../app/domain/customer-overview.server";
import { eraseCustomer } from "../../app/domain/customer-erasure.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { auditLog, decisions, staffUsers } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { html, trNs } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const c = (key: string, params?: Record<string, string | number>) => trNs("en", "customerOverview", key, params);
const viewsOf = async (customerId: string) =>
  app.db.select().from(auditLog).where(and(eq(auditLog.action, "customer.viewed"), eq(auditLog.targetId, customerId)));

/** A customer of their own with `n` decision checks, one a minute apart (ids `<prefix>-<i>`). */
async function customerWithChecks(id: string, n: number, prefix = id) {
  await upsertCustomer(app.db, { id, email: `${id}@example.com`, locale: "en" });
  const t0 = Date.UTC(2026, 0, 1);
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${String(i).padStart(5, "0")}`,
    customerId: id,
    actionKey: "plan-changes",
    aiSystemSlug: "offer-predictor",
    interactionId: null,
    decision: "deny",
    reason: "preference_never",
    preferenceVersion: 0,
    confirmationId: null,
    context: null,
    retryAfter: null,
    createdAt: t0 + i * 60_000,
  }));
  for (let i = 0; i < rows.length; i += 200) await app.db.insert(decisions).values(rows.slice(i, i + 200));
}

describe("one customer at a glance (/staff/customers/:id)", () => {
  it("shows a supervisor every section of the customer, and records the view in the audit log", async () => {
    const cookie = await app.signInStaff("supervisor");
    const { ref } = await fileConcern(app.db, {
      customerId: "demo-customer-1", contactEmail: null, contactMethod: "portal", lang: "en", kind: "other",
      interactionId: null, systemId: null, description: "Please look at my account.", desiredOutcome: "",
    });
    const before = (await viewsOf("demo-customer-1")).length;
    const response = await app.request("/staff/customers/demo-customer-1", { cookie });
    expect(response.status).toBe(200);
    const page = await response.text();
    for (const section of ["choices", "consents", "decisions", "confirmations", "breaches", "interactions", "concerns"]) {
      expect(page).toContain(html(c(`sections.${section}`)));
    }
    expect(page).toContain(`href="/staff/concerns/${ref}"`);
    const views = await viewsOf("demo-customer-1");
    expect(views).toHaveLength(before + 1);
    const [supervisor] = await app.db.select().from(staffUsers).where(eq(staffUsers.role, "supervisor")).limit(1);
    expect(views.at(-1)!.actorId).toBe(String(supervisor!.id));
    // The entry names who looked at whom, nothing of what was seen.
    expect(views.at(-1)!.details).toBe("{}");
    await app.request("/staff/customers/demo-customer-1", { cookie });
    expect(await viewsOf("demo-customer-1")).toHaveLength(before + 2);
  });

  it("refuses an agent (403) by a crafted request, answers 404 for an unknown id, and records neither", async () => {
    const agent = await app.signInStaff("agent");
    const before = (await viewsOf("demo-customer-1")).length;
    expect((await app.request("/staff/customers/demo-customer-1", { cookie: agent })).status).toBe(403);
    expect(await viewsOf("demo-customer-1")).toHaveLength(before);
    const supervisor = await app.signInStaff("supervisor");
    expect((await app.request("/staff/customers/no-such-customer", { cookie: supervisor })).status).toBe(404);
    expect(await viewsOf("no-such-customer")).toHaveLength(0);
    expect((await app.request(`/staff/customers/${"x".repeat(300)}`, { cookie: supervisor })).status).toBe(404);
    // Signed out: to the sign-in page.
    const anonymous = await app.request("/staff/customers/demo-customer-1");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/staff\/login/);
  });

  it("pages each section on its own through the URL, newest first, and shows only this customer's rows", async () => {
    await customerWithChecks("overview-paged", OVERVIEW_PAGE_SIZE + 2);
    await customerWithChecks("overview-other", 1, "someone-else");
    const cookie = await app.signInStaff("admin");
    const first = await (await app.request("/staff/customers/overview-paged", { cookie })).text();
    expect(first).toContain(html(c("count_other", { count: OVERVIEW_PAGE_SIZE + 2, total: String(OVERVIEW_PAGE_SIZE + 2) })));
    expect(first).toContain("overview-paged-00011");
    expect(first).toContain("overview-paged-00002");
    expect(first).not.toContain("overview-paged-00001");
    expect(first).not.toContain("someone-else-00000");
    expect(first.indexOf("overview-paged-00011")).toBeLessThan(first.indexOf("overview-paged-00002"));
    expect(first).toContain('href="/staff/customers/overview-paged?decisions=2#customer-decisions"');

    const second = await (await app.request("/staff/customers/overview-paged?decisions=2", { cookie })).text();
    expect(second).toContain("overview-paged-00001");
    expect(second).toContain("overview-paged-00000");
    expect(second).not.toContain("overview-paged-00002");

    // Whatever a client puts in the URL is a page, never an error.
    for (const query of ["decisions=abc", "decisions=0", "decisions=99999", "decisions=-3", "consents=%00"]) {
      expect((await app.request(`/staff/customers/overview-paged?${query}`, { cookie })).status).toBe(200);
    }
  });

  it("counts no further than the cap and offers no page past it", async () => {
    await customerWithChecks("overview-busy", OVERVIEW_COUNT_CAP + 5);
    const [admin] = await app.db.select().from(staffUsers).where(eq(staffUsers.role, "admin")).limit(1);
    const view = await customerOverview(app.db, { customerId: "overview-busy", viewerId: admin!.id, lang: "en", pages: overviewPages(new URLSearchParams("decisions=5000")) });
    if (view?.status !== "active") throw new Error("expected an active customer");
    expect(view.decisions.total).toBe(OVERVIEW_COUNT_CAP);
    expect(view.decisions.capped).toBe(true);
    expect(view.decisions.page).toBe(OVERVIEW_COUNT_CAP / OVERVIEW_PAGE_SIZE);
    expect(view.decisions.items).toHaveLength(OVERVIEW_PAGE_SIZE);
    expect(view.consents.capped).toBe(false);
  });

  it("shows an erased customer as erased, with nothing of their data", async () => {
    await customerWithChecks("overview-erased", 3);
    const [admin] = await app.db.select().from(staffUsers).where(eq(staffUsers.role, "admin")).limit(1);
    expect((await eraseCustomer(app.db, { customerId: "overview-erased", actor: { type: "staff", id: admin!.id } })).status).toBe("erased");
    const cookie = await app.signInStaff("supervisor");
    const response = await app.request("/staff/customers/overview-erased", { cookie });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(html(c("erased.title")));
    expect(page).not.toContain(html(c("sections.decisions")));
    expect(page).not.toContain("overview-erased-00000");
    expect(await viewsOf("overview-erased")).toHaveLength(1);
  });

  it("the case page links the customer line to the overview for supervisors, not for agents", async () => {
    const { ref } = await fileConcern(app.db, {
      customerId: "demo-customer-1", contactEmail: null, contactMethod: "portal", lang: "en", kind: "other",
      interactionId: null, systemId: null, description: "Please look at my account.", desiredOutcome: "",
    });
    const supervisor = await (await app.request(`/staff/concerns/${ref}`, { cookie: await app.signInStaff("supervisor") })).text();
    expect(supervisor).toContain('href="/staff/customers/demo-customer-1"');
    const agent = await (await app.request(`/staff/concerns/${ref}`, { cookie: await app.signInStaff("agent") })).text();
    expect(agent).not.toContain('href="/staff/customers/demo-customer-1"');
  });
});
