/* eslint-disable @typescript-eslint/no-explicit-any -- the test reads JSON bodies of the API */
/**
 * "Ask me first" asks someone (SPEC §11.1), the whole loop over real HTTP: the agent's check says
 * ask → it creates a confirmation request → the customer signs in with a personal link and approves
 * through the portal form (a plain POST) → the agent reads the answer → presents the approval in
 * its next check → allowed once, then used. Bound to the details: a mismatch and a decline deny.
 * Both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../app/domain/api-keys.server";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let agent: string; // the AI agent's key: decisions and confirmations
let crm: string; // the company's systems: customers and personal links

beforeAll(async () => {
  server = await startServer({
    async prepare(db) {
      agent = (await createApiKey(db, { name: "agent", scopes: ["decisions"] })).key;
      crm = (await createApiKey(db, { name: "crm", scopes: ["customers", "links"] })).key;
    },
  });
}, 60_000);
afterAll(() => server?.stop());

async function api(method: string, pathname: string, key: string, body?: unknown) {
  const response = await fetch(server.base + pathname, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, any>) : null };
}

/** A browser's plain form POST (no JavaScript): same-origin, no redirects followed. */
function post(url: string, form: Record<string, string>, cookie?: string) {
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: server.base, ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(form),
  });
}

let counter = 0;
/** A customer created through the API, signed in through a personal link (its POST); returns the session cookie. */
async function signedInCustomer(): Promise<{ id: string; cookie: string }> {
  const id = `loop-${++counter}-${Date.now()}`;
  expect((await api("PUT", `/api/v1/customers/${id}`, crm, { email: `${id}@example.com`, locale: "en" })).status).toBeLessThan(300);
  const link = await api("POST", "/api/v1/links", crm, { customerId: id });
  expect(link.status).toBe(201);
  const signIn = await post(link.json!.url, {});
  expect(signIn.status).toBe(303);
  const cookie = signIn.headers.get("set-cookie")?.split(";")[0];
  expect(cookie).toBeTruthy();
  return { id, cookie: cookie! };
}

/** The agent's check, with a verified identity (SPEC §11.3) and what it would do. */
const check = (customerId: string, extra: Record<string, unknown> = {}) =>
  api("POST", "/api/v1/decisions", agent, {
    customerId,
    action: "plan-changes",
    aiSystem: "offer-predictor",
    identity: { verified: true, method: "app_login" },
    context: { amount: 20, currency: "EUR", channel: "email" },
    ...extra,
  });

/** The agent asks: a 20.00 EUR plan change by email. */
async function ask(customerId: string, amount = 20) {
  const created = await api("POST", "/api/v1/confirmations", agent, {
    customerId,
    action: "plan-changes",
    aiSystem: "offer-predictor",
    summary: { en: `Move you to the Unlimited plan for ${amount} EUR a month` },
    details: { amount, currency: "EUR", channel: "email" },
    expiresInMinutes: 60,
  });
  expect(created.status).toBe(201);
  return created.json!;
}

/** The customer answers on the page the API pointed to, with the page's own form. */
async function answer(url: string, cookie: string, intent: "approve" | "decline") {
  const page = await fetch(url, { headers: { cookie } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain(`value="${intent}"`);
  const response = await post(url, { intent }, cookie);
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toContain("done=answered");
}

describe("ask me first, end to end (SPEC §11.1)", () => {
  it("ask → request → the customer approves in the portal → allowed once (confirmed_by_customer) → then used", async () => {
    const customer = await signedInCustomer();
    const first = await check(customer.id);
    expect(first.status).toBe(200);
    expect([first.json!.decision, first.json!.reason]).toEqual(["ask", "default_ask"]);

    const request = await ask(customer.id);
    expect(request).toMatchObject({ status: "pending", url: `${server.base}/en/me/confirmations/${request.confirmationId}` });
    const pending = await check(customer.id, { confirmationId: request.confirmationId });
    expect([pending.json!.decision, pending.json!.reason]).toEqual(["deny", "confirmation_pending"]);

    await answer(request.url, customer.cookie, "approve");
    const read = await api("GET", `/api/v1/confirmations/${request.confirmationId}`, agent);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ confirmationId: request.confirmationId, status: "approved", answerMethod: "portal", usedAt: null });

    const allowed = await check(customer.id, { confirmationId: request.confirmationId });
    expect([allowed.json!.decision, allowed.json!.reason]).toEqual(["allow", "confirmed_by_customer"]);
    const again = await check(customer.id, { confirmationId: request.confirmationId });
    expect([again.json!.decision, again.json!.reason]).toEqual(["deny", "confirmation_used"]);
    const used = await api("GET", `/api/v1/confirmations/${request.confirmationId}`, agent);
    expect(used.json).toMatchObject({ status: "used", usedByDecisionId: allowed.json!.decisionId });
    // The customer's page tells the same story.
    const page = await (await fetch(request.url, { headers: { cookie: customer.cookie } })).text();
    expect(page).not.toContain('name="intent"');
  });

  it("an approval of 20 EUR presented for 25 EUR is denied (confirmation_mismatch) and stays unspent", async () => {
    const customer = await signedInCustomer();
    const request = await ask(customer.id, 20);
    await answer(request.url, customer.cookie, "approve");
    const mismatch = await check(customer.id, { confirmationId: request.confirmationId, context: { amount: 25, currency: "EUR", channel: "email" } });
    expect([mismatch.json!.decision, mismatch.json!.reason]).toEqual(["deny", "confirmation_mismatch"]);
    const otherChannel = await check(customer.id, { confirmationId: request.confirmationId, context: { amount: 20, currency: "EUR", channel: "sms" } });
    expect([otherChannel.json!.decision, otherChannel.json!.reason]).toEqual(["deny", "confirmation_mismatch"]);
    expect((await api("GET", `/api/v1/confirmations/${request.confirmationId}`, agent)).json).toMatchObject({ status: "approved", usedAt: null });
    const matching = await check(customer.id, { confirmationId: request.confirmationId });
    expect([matching.json!.decision, matching.json!.reason]).toEqual(["allow", "confirmed_by_customer"]);
  });

  it("a declined request is denied (confirmation_declined); another customer's approval is not this customer's", async () => {
    const customer = await signedInCustomer();
    const request = await ask(customer.id);
    await answer(request.url, customer.cookie, "decline");
    expect((await api("GET", `/api/v1/confirmations/${request.confirmationId}`, agent)).json).toMatchObject({ status: "declined", answerMethod: "portal" });
    const declined = await check(customer.id, { confirmationId: request.confirmationId });
    expect([declined.json!.decision, declined.json!.reason]).toEqual(["deny", "confirmation_declined"]);

    const other = await signedInCustomer();
    const approved = await ask(other.id);
    await answer(approved.url, other.cookie, "approve");
    // Another customer cannot even see it (404), and their approval does not allow this customer's action.
    expect((await fetch(approved.url, { headers: { cookie: customer.cookie } })).status).toBe(404);
    const foreign = await check(customer.id, { confirmationId: approved.confirmationId });
    // Another customer's request reads as unknown: nothing about it leaks.
    expect([foreign.json!.decision, foreign.json!.reason]).toEqual(["deny", "confirmation_unknown"]);
  });
});
