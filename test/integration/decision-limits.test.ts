/* eslint-disable @typescript-eslint/no-explicit-any -- the test inspects JSON bodies */
/**
 * POST /api/v1/decisions and GET …/preferences over HTTP with the permission rules (SPEC §11.1–
 * §11.3): the shipped lean API handler (`withLeanApi`, as app/server.ts mounts it) and the shipped
 * services (prepared hot-path statements) on a fresh copy of the seeded database, on the suite's
 * engine. Limits fail closed with their reason, quiet hours across a DST change, identity, human
 * first, and confirmations that allow exactly once — also under concurrency.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withLeanApi } from "../../app/api/handler.server";
import { createApiKey } from "../../app/domain/api-keys.server";
import { decide } from "../../app/domain/decisions.server";
import { createServices, type Services } from "../../app/services.server";
import type { Db } from "../../app/utils/db.server";
import { freshTestDatabase } from "../support/database";
import { confirmationWithAnswer, customerWithChoices } from "../support/decision-factories";
import { rawAll, rawGet } from "../support/raw-sql";

let services: Services;
let db: Db;
let server: Server;
let base: string;
let key: string;

beforeAll(async () => {
  services = await createServices({ database: await freshTestDatabase(), migrate: false });
  db = services.db;
  ({ key } = await createApiKey(db, { name: "agent", scopes: ["decisions"] }));
  server = createServer(withLeanApi((_req, res) => res.writeHead(404).end(), services));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await services?.database.close();
});

const DAY = 86_400_000;
const VERIFIED = { verified: true, method: "one_time_code" };

async function decision(body: Record<string, unknown>): Promise<Record<string, any>> {
  const response = await fetch(`${base}/api/v1/decisions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ action: "plan-changes", aiSystem: "offer-predictor", identity: VERIFIED, ...body }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, any>;
}

async function preferencesOf(customerId: string): Promise<Record<string, any>> {
  const response = await fetch(`${base}/api/v1/customers/${customerId}/preferences`, { headers: { authorization: `Bearer ${key}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, any>;
}

const answer = (json: Record<string, any>) => [json.decision, json.reason];

describe("limits on an allowed action fail closed, each with its reason", () => {
  it("maximum amount (major units, exact hundredths), currency and channels", async () => {
    const customerId = await customerWithChoices(db, {
      "plan-changes": { value: "allow", limits: { maxAmount: { hundredths: 2000, currency: "EUR" }, channels: ["email", "app"] } },
    });
    const at = (context: Record<string, unknown>) => decision({ customerId, context });
    expect(answer(await at({ channel: "email" }))).toEqual(["ask", "amount_missing"]);
    expect(answer(await at({ amount: 20, currency: "USD", channel: "email" }))).toEqual(["ask", "currency_mismatch"]);
    expect(answer(await at({ amount: 20.01, currency: "EUR", channel: "email" }))).toEqual(["ask", "amount_over_limit"]);
    expect(answer(await at({ amount: 25, currency: "EUR", channel: "email" }))).toEqual(["ask", "amount_over_limit"]);
    expect(answer(await at({ amount: 20, currency: "EUR" }))).toEqual(["ask", "channel_not_allowed"]);
    expect(answer(await at({ amount: 20, currency: "EUR", channel: "sms" }))).toEqual(["ask", "channel_not_allowed"]);
    const ok = await at({ amount: 19.99, currency: "EUR", channel: "app" });
    expect(answer(ok)).toEqual(["allow", "preference_allow"]);
    expect(ok.retryAfter).toBeUndefined();
    // The record keeps what the agent said, in the domain's units.
    const stored = await rawGet<{ context: string; retry_after: number | null }>(services.database, "select context, retry_after from decisions where id = ?", ok.decisionId);
    expect(JSON.parse(stored!.context)).toEqual({ amountHundredths: 1999, currency: "EUR", channel: "app", identity: VERIFIED });
    expect(stored!.retry_after).toBeNull();
  });

  it("an allow past allowedForDays falls back to ask (permission_expired); GET …/preferences says until when", async () => {
    const givenAt = Date.now() - 31 * DAY;
    const expired = await customerWithChoices(db, { "plan-changes": { value: "allow", limits: { allowedForDays: 30 }, givenAt } });
    const fresh = await customerWithChoices(db, { "plan-changes": { value: "allow", limits: { allowedForDays: 30 }, givenAt: Date.now() - 29 * DAY } });
    expect(answer(await decision({ customerId: expired }))).toEqual(["ask", "permission_expired"]);
    expect(answer(await decision({ customerId: fresh }))).toEqual(["allow", "preference_allow"]);
    // An action dated after the expiry is not covered either.
    expect(answer(await decision({ customerId: fresh, context: { at: new Date(Date.now() + 2 * DAY).toISOString() } }))).toEqual(["ask", "permission_expired"]);
    const choice = (await preferencesOf(expired)).choices.find((c: any) => c.key === "plan-changes");
    expect(choice).toMatchObject({ value: "allow", needsReconfirmation: true, limits: { allowedForDays: 30, allowedUntil: new Date(givenAt + 30 * DAY).toISOString() } });
  });

  it("GET …/preferences reports limits in the API's shape: amounts in major units, the quiet hours' time zone", async () => {
    const customerId = await customerWithChoices(
      db,
      { "plan-changes": { value: "allow", limits: { maxAmount: { hundredths: 2050, currency: "EUR" }, channels: ["email"], quietHours: { from: "22:00", to: "07:00" } } } },
      { timeZone: "America/New_York" },
    );
    const { choices } = await preferencesOf(customerId);
    expect(choices.find((c: any) => c.key === "plan-changes").limits).toEqual({
      maxAmount: { amount: 20.5, currency: "EUR" },
      channels: ["email"],
      quietHours: { from: "22:00", to: "07:00", timeZone: "America/New_York" },
    });
    expect(choices.find((c: any) => c.key === "orders").limits).toBeNull();
  });
});

describe("quiet hours, in the customer's time zone, across a daylight-saving change", () => {
  it("denies inside them with retryAfter at their real end; allows after it", async () => {
    // Paris springs forward on 29 March 2026: 02:00 CET (01:00 UTC) becomes 03:00 CEST.
    const customerId = await customerWithChoices(db, { "plan-changes": { value: "allow", limits: { quietHours: { from: "01:30", to: "03:30" } } } }, { timeZone: "Europe/Paris" });
    const inside = await decision({ customerId, context: { at: "2026-03-29T00:45:00Z" } });
    expect(answer(inside)).toEqual(["deny", "quiet_hours"]);
    // 03:30 CEST is 01:30 UTC (not 02:30 UTC, as a fixed CET offset would say).
    expect(inside.retryAfter).toBe("2026-03-29T01:30:00.000Z");
    expect(await rawGet(services.database, "select retry_after from decisions where id = ?", inside.decisionId)).toEqual({ retry_after: Date.parse("2026-03-29T01:30:00Z") });
    expect(answer(await decision({ customerId, context: { at: "2026-03-29T01:30:00Z" } }))).toEqual(["allow", "preference_allow"]);
    // Quiet hours stop asking too: a confirmation request would arrive in the night.
    const asking = await customerWithChoices(db, { "plan-changes": { value: "ask", limits: { quietHours: { from: "22:00", to: "07:00" } } } }, { timeZone: "Europe/Paris" });
    const night = await decision({ customerId: asking, context: { at: "2026-10-24T21:00:00Z" } });
    expect(answer(night)).toEqual(["deny", "quiet_hours"]);
    // Paris falls back on 25 October: the night is an hour longer (07:00 CET = 06:00 UTC).
    expect(night.retryAfter).toBe("2026-10-25T06:00:00.000Z");
  });
});

describe("identity and human first (SPEC §11.3)", () => {
  it("an unverified request is denied while the identity choice is yes (the default); allowed when the customer said no", async () => {
    const protectedCustomer = await customerWithChoices(db, { "plan-changes": "allow" });
    const relaxed = await customerWithChoices(db, { "plan-changes": "allow", "identity-verification": "no" });
    expect(answer(await decision({ customerId: protectedCustomer, identity: undefined }))).toEqual(["deny", "identity_not_verified"]);
    expect(answer(await decision({ customerId: protectedCustomer, identity: { verified: false } }))).toEqual(["deny", "identity_not_verified"]);
    expect(answer(await decision({ customerId: protectedCustomer }))).toEqual(["allow", "preference_allow"]);
    expect(answer(await decision({ customerId: relaxed, identity: undefined }))).toEqual(["allow", "preference_allow"]);
  });

  it("ai_first_contact is denied when the customer asked for a human first", async () => {
    const humanFirst = await customerWithChoices(db, { "human-first": "yes" });
    const aiFine = await customerWithChoices(db, { "human-first": "no" });
    const first = (customerId: string, aiSystem = "chat-assistant") => decision({ customerId, action: "ai_first_contact", aiSystem, identity: undefined });
    expect(answer(await first(humanFirst))).toEqual(["deny", "human_first"]);
    expect(answer(await first(aiFine))).toEqual(["allow", "no_human_first"]);
    expect(answer(await first(aiFine, "rogue-bot"))).toEqual(["deny", "unknown_ai_system"]);
    expect(answer(await first("nobody-at-all"))).toEqual(["deny", "unknown_customer"]);
  });
});

describe("confirmations allow exactly once (SPEC §11.1)", () => {
  const details = { amount: 20, currency: "EUR", channel: "email" };

  it("an approved, matching confirmation allows once; a replay is denied confirmation_used", async () => {
    const customerId = await customerWithChoices(db, { "plan-changes": "ask" });
    const confirmationId = await confirmationWithAnswer(db, { customerId, amountHundredths: 2000, currency: "EUR", channel: "email", answer: "approved" });
    const first = await decision({ customerId, confirmationId, context: details });
    expect(answer(first)).toEqual(["allow", "confirmed_by_customer"]);
    expect(answer(await decision({ customerId, confirmationId, context: details }))).toEqual(["deny", "confirmation_used"]);
    expect(await rawAll(services.database, "select reason, confirmation_id from decisions where confirmation_id = ? order by created_at, reason", confirmationId)).toEqual([
      { reason: "confirmed_by_customer", confirmation_id: confirmationId },
      { reason: "confirmation_used", confirmation_id: confirmationId },
    ]);
  });

  it("a 20 EUR approval presented for 25 EUR is denied confirmation_mismatch, and is not spent", async () => {
    const customerId = await customerWithChoices(db, { "plan-changes": "ask" });
    const confirmationId = await confirmationWithAnswer(db, { customerId, amountHundredths: 2000, currency: "EUR", channel: "email", answer: "approved" });
    expect(answer(await decision({ customerId, confirmationId, context: { ...details, amount: 25 } }))).toEqual(["deny", "confirmation_mismatch"]);
    expect(answer(await decision({ customerId, confirmationId, context: { currency: "EUR", channel: "email" } }))).toEqual(["deny", "confirmation_mismatch"]);
    expect(answer(await decision({ customerId, confirmationId, action: "billing-arrangements", context: details }))).toEqual(["deny", "confirmation_mismatch"]);
    expect(answer(await decision({ customerId, confirmationId, context: details }))).toEqual(["allow", "confirmed_by_customer"]);
  });

  it("pending, declined, expired, another customer's and unknown confirmations are denied with their reason; never beats an approval", async () => {
    const customerId = await customerWithChoices(db, { "plan-changes": "ask" });
    const other = await customerWithChoices(db, { "plan-changes": "ask" });
    const present = async (confirmationId: string) => answer(await decision({ customerId, confirmationId }));
    expect(await present(await confirmationWithAnswer(db, { customerId }))).toEqual(["deny", "confirmation_pending"]);
    expect(await present(await confirmationWithAnswer(db, { customerId, answer: "declined" }))).toEqual(["deny", "confirmation_declined"]);
    expect(await present(await confirmationWithAnswer(db, { customerId, answer: "expired" }))).toEqual(["deny", "confirmation_expired"]);
    expect(await present(await confirmationWithAnswer(db, { customerId, answer: "approved", expiresAt: Date.now() - 1 }))).toEqual(["deny", "confirmation_expired"]);
    expect(await present(await confirmationWithAnswer(db, { customerId: other, answer: "approved" }))).toEqual(["deny", "confirmation_unknown"]);
    expect(await present("2f1e0d3c-4b5a-4697-8877-665544332211")).toEqual(["deny", "confirmation_unknown"]);
    const never = await customerWithChoices(db, { "plan-changes": "never" });
    const approved = await confirmationWithAnswer(db, { customerId: never, answer: "approved" });
    expect(answer(await decision({ customerId: never, confirmationId: approved }))).toEqual(["deny", "preference_never"]);
  });

  it("N concurrent checks presenting one approval: exactly one allow, over HTTP and through decide()", async () => {
    const N = 12;
    const customerId = await customerWithChoices(db, { "plan-changes": "ask" });
    const overHttp = await confirmationWithAnswer(db, { customerId, answer: "approved" });
    const answers = await Promise.all(Array.from({ length: N }, () => decision({ customerId, confirmationId: overHttp })));
    expect(answers.filter((a) => a.decision === "allow")).toHaveLength(1);
    expect(answers.filter((a) => a.reason === "confirmation_used")).toHaveLength(N - 1);

    const inDomain = await confirmationWithAnswer(db, { customerId, answer: "approved" });
    const input = { customerId, actionKey: "plan-changes", aiSystemSlug: "offer-predictor", confirmationId: inDomain, context: { identity: { verified: true } } };
    const records = await Promise.all(Array.from({ length: N }, () => decide(db, input)));
    expect(records.filter((r) => r.decision === "allow")).toHaveLength(1);
    expect(records.filter((r) => r.reason === "confirmation_used")).toHaveLength(N - 1);

    const stored = await rawAll<{ confirmation_id: string; reason: string; n: number }>(
      services.database,
      "select confirmation_id, reason, count(*) as n from decisions where confirmation_id in (?, ?) group by confirmation_id, reason order by confirmation_id, reason",
      overHttp,
      inDomain,
    );
    expect(stored.map((r) => [r.confirmation_id, r.reason, Number(r.n)])).toEqual(
      [
        [overHttp, "confirmation_used", N - 1],
        [overHttp, "confirmed_by_customer", 1],
        [inDomain, "confirmation_used", N - 1],
        [inDomain, "confirmed_by_customer", 1],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]))),
    );
  });
});
