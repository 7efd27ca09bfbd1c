import { beforeAll, describe, expect, it } from "vitest";
import { listConsentEvents } from "../../app/domain/preferences.server";
import { createTestApp, type TestApp } from "../support/app";
import { rawColumn, rawValue } from "../support/raw-sql";

let app: TestApp;
let alice: string;
let bob: string;
beforeAll(async () => {
  app = await createTestApp();
  alice = await app.signIn("demo-customer-1");
  bob = await app.signIn("demo-customer-2");
});

/** The customer's interactions, or the concerns they see (cases opened for a permission breach are staff-only). */
const refsOf = async (customerId: string, table: "interactions" | "concerns") =>
  (await rawColumn(app.services.database, `select ref from ${table} where customer_id = ?${table === "concerns" ? " and origin = 'customer'" : ""}`, customerId)) as string[];

describe("customers only ever see their own data (SPEC §9)", () => {
  it("B cannot open A's concerns by URL (404, no hint it exists)", async () => {
    for (const ref of (await refsOf("demo-customer-1", "concerns"))) {
      const asBob = await app.request(`/en/me/concerns/${ref}`, { cookie: bob });
      expect(asBob.status).toBe(404);
      const description = (await rawValue(app.services.database, "select description from concerns where ref = ?", ref)) as string;
      expect(await asBob.text()).not.toContain(description.slice(0, 30));
      expect((await app.request(`/en/me/concerns/${ref}`, { cookie: bob, form: { intent: "withdraw" } })).status).toBe(404);
      expect((await app.request(`/en/me/concerns/${ref}`, { cookie: alice })).status).toBe(200);
    }
  });

  it("B's interaction timeline never lists A's interactions", async () => {
    const aliceRefs = (await refsOf("demo-customer-1", "interactions"));
    const bobRefs = (await refsOf("demo-customer-2", "interactions"));
    for (let page = 1; page <= 3; page++) {
      const html = await (await app.request(`/en/me/interactions?page=${page}`, { cookie: bob })).text();
      for (const ref of aliceRefs) expect(html).not.toContain(`interaction-${ref}"`);
    }
    const focusOnAlice = await (await app.request(`/en/me/interactions?focus=${aliceRefs[0]}`, { cookie: bob })).text();
    expect(focusOnAlice).not.toContain(`interaction-${aliceRefs[0]}"`);
    expect(bobRefs.length).toBeGreaterThan(0);
  });

  it("B's data export holds only B's data; A's receipts are 404 for B", async () => {
    const response = await app.request("/en/me/data/export.json", { cookie: bob });
    expect(response.headers.get("Content-Disposition")).toContain("attachment");
    const text = await response.text();
    const data = JSON.parse(text);
    expect(data.customer.id).toBe("demo-customer-2");
    expect(text).not.toContain("demo-customer-1");
    for (const ref of [...(await refsOf("demo-customer-1", "interactions")), ...(await refsOf("demo-customer-1", "concerns"))]) expect(text).not.toContain(ref);
    expect(data.interactions.length).toBe((await refsOf("demo-customer-2", "interactions")).length);
    const aliceReceipt = (await listConsentEvents(app.db, "demo-customer-1"))[0]!.receiptId;
    expect((await app.request(`/en/me/data/receipts/${aliceReceipt}.json`, { cookie: bob })).status).toBe(404);
    expect((await app.request(`/en/me/data/receipts/${aliceReceipt}.json`, { cookie: alice })).status).toBe(200);
  });

  it("personal pages are never cached", async () => {
    for (const path of ["/en", "/en/me/preferences", "/en/me/interactions", "/en/me/data"]) {
      expect((await app.request(path, { cookie: alice })).headers.get("Cache-Control"), path).toBe("private, no-store");
    }
  });

  it("without a session nothing private is served, and a forged cookie is no session", async () => {
    for (const path of ["/en/me/data/export.json", "/en/me/interactions", `/en/me/concerns/${(await refsOf("demo-customer-1", "concerns"))[0]}`]) {
      expect((await app.request(path)).status).toBe(401);
      expect((await app.request(path, { cookie: "candor_session=%22forged%22" })).status).toBe(401);
    }
  });

  it("an anonymous tracking link opens only its own concern", async () => {
    const filed = await app.request("/en/me/concerns/new", {
      form: { kind: "other", description: "Anonymous question about AI.", contactMethod: "portal", email: "", website: "" },
    });
    const path = filed.headers.get("Location")!.split("?")[0]!;
    expect((await app.request(path)).status).toBe(200);
    expect((await app.request(`${path.slice(0, -3)}abc`)).status).toBe(404);
  });
});
