import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  confirmChoice,
  getPreferences,
  InvalidChoiceError,
  listChoices,
  listConsentEvents,
  savePreferences,
  StaleNoticeError,
} from "../../app/domain/preferences.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { decide } from "../../app/domain/decisions.server";
import { DAY_MS } from "../../app/domain/permission-limits";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { parseWithZod } from "@conform-to/zod/v4";
import { preferencesSchema, readAmount } from "../../app/routes/portal/preferences-form";
import { freshTestDatabase } from "../support/database";
import { customerAwaitingReconfirmation, DEMO_AMOUNT_KINDS, markAmountKinds, noticeVersions } from "../support/preferences-factories";

let database: AnyDatabase;
let db: Db;
beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
});
afterEach(async () => {
  await database.close();
});

const T0 = Date.parse("2026-03-01T10:00:00Z");
const ID = "c-reconfirm";
const pref = async (key: string, now?: number) => (await getPreferences(db, ID, { now })).find((p) => p.key === key)!;

describe("a reconfirmation is its own act (SPEC §3.2, GDPR Art. 7)", () => {
  it("a form save of an unrelated change leaves the widened choice pending: no event for it", async () => {
    const { newVersion } = await customerAwaitingReconfirmation(db, { customerId: ID, choiceKey: "troubleshooting", value: "allow", other: "orders", now: T0 });
    const before = await listConsentEvents(db, ID);
    // The form re-submits every value; only "orders" changed.
    const saved = await savePreferences(db, {
      customerId: ID,
      values: { troubleshooting: "allow", orders: "ask" },
      noticeVersionsShown: await noticeVersions(db),
      lang: "en",
      method: "portal",
      now: T0 + DAY_MS,
    });
    const events = await listConsentEvents(db, ID);
    expect(saved.receiptIds).toHaveLength(1);
    expect(events.slice(0, events.length - before.length).map((e) => e.choiceKey)).toEqual(["orders"]);
    expect(await pref("troubleshooting")).toMatchObject({ value: "allow", needsReconfirmation: true, noticeVersion: newVersion - 1 });
  });

  it("an explicit confirmation records one event with the new notice version; the allow applies again", async () => {
    const { newVersion } = await customerAwaitingReconfirmation(db, { customerId: ID, choiceKey: "troubleshooting", value: "allow", other: "orders", now: T0 });
    const before = (await listConsentEvents(db, ID)).length;
    const confirmed = await confirmChoice(db, { customerId: ID, choiceKey: "troubleshooting", value: "allow", noticeVersionShown: newVersion, lang: "fr", method: "embed", now: T0 + DAY_MS });
    expect(confirmed.changes).toBe(1);
    const events = await listConsentEvents(db, ID);
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toMatchObject({ choiceKey: "troubleshooting", value: "allow", previousValue: "allow", noticeVersion: newVersion, method: "embed", lang: "fr" });
    expect(await pref("troubleshooting")).toMatchObject({ needsReconfirmation: false, noticeVersion: newVersion });
    // Confirming again changes nothing and records nothing.
    expect((await confirmChoice(db, { customerId: ID, choiceKey: "troubleshooting", value: "allow", noticeVersionShown: newVersion, lang: "en", method: "portal", now: T0 + 2 * DAY_MS })).changes).toBe(0);
  });

  it("while pending, an allow is answered ask; after the confirmation it is allowed", async () => {
    const { newVersion } = await customerAwaitingReconfirmation(db, { customerId: ID, choiceKey: "troubleshooting", value: "allow", other: "orders", now: T0 });
    const check = () => decide(db, { customerId: ID, actionKey: "troubleshooting", aiSystemSlug: "network-troubleshooter", context: { identity: { verified: true } } });
    await savePreferences(db, { customerId: ID, values: { troubleshooting: "allow", orders: "allow" }, noticeVersionsShown: await noticeVersions(db), lang: "en", method: "portal" });
    expect(await check()).toMatchObject({ decision: "ask", reason: "needs_reconfirmation" });
    await confirmChoice(db, { customerId: ID, choiceKey: "troubleshooting", value: "allow", noticeVersionShown: newVersion, lang: "en", method: "portal" });
    expect(await check()).toMatchObject({ decision: "allow" });
  });

  it("a confirmation may change the value; a stale or unseen notice or an unknown choice is refused", async () => {
    const { newVersion } = await customerAwaitingReconfirmation(db, { customerId: ID, choiceKey: "troubleshooting", value: "allow", other: "orders", now: T0 });
    const before = (await listConsentEvents(db, ID)).length;
    await expect(confirmChoice(db, { customerId: ID, choiceKey: "troubleshooting", value: "allow", noticeVersionShown: newVersion - 1, lang: "en", method: "portal" })).rejects.toThrow(StaleNoticeError);
    await expect(confirmChoice(db, { customerId: ID, choiceKey: "teleport", value: "allow", noticeVersionShown: 1, lang: "en", method: "portal" })).rejects.toThrow(InvalidChoiceError);
    await expect(confirmChoice(db, { customerId: ID, choiceKey: "troubleshooting", value: "maybe", noticeVersionShown: newVersion, lang: "en", method: "portal" })).rejects.toThrow(InvalidChoiceError);
    // `confirmed` without the notice version shown is not a confirmation of anything.
    await expect(savePreferences(db, { customerId: ID, values: { troubleshooting: "allow" }, confirmed: ["troubleshooting"], noticeVersionsShown: {}, lang: "en", method: "portal" })).rejects.toThrow(StaleNoticeError);
    expect(await listConsentEvents(db, ID)).toHaveLength(before);
    await confirmChoice(db, { customerId: ID, choiceKey: "troubleshooting", value: "never", noticeVersionShown: newVersion, lang: "en", method: "portal" });
    expect(await pref("troubleshooting")).toMatchObject({ value: "never", needsReconfirmation: false, noticeVersion: newVersion });
  });

  it("an allow that ran out is renewed only by an explicit confirmation, not by a form save", async () => {
    await upsertCustomer(db, { id: ID, email: "c-reconfirm@example.test", locale: "en" });
    await savePreferences(db, { customerId: ID, values: { orders: "allow" }, limits: { orders: { allowedForDays: 30 } }, lang: "en", method: "portal", now: T0 });
    const later = T0 + 31 * DAY_MS;
    const shown = await noticeVersions(db);
    const form = await savePreferences(db, { customerId: ID, values: { orders: "allow", training: "yes" }, limits: { orders: { allowedForDays: 30 } }, noticeVersionsShown: shown, lang: "en", method: "portal", now: later });
    expect((await listConsentEvents(db, ID)).filter((e) => e.createdAt === later).map((e) => e.choiceKey)).toEqual(["training"]);
    expect(form.changes).toBe(1);
    expect(await pref("orders", later)).toMatchObject({ permissionExpired: true, needsReconfirmation: true });
    await confirmChoice(db, { customerId: ID, choiceKey: "orders", value: "allow", noticeVersionShown: shown.orders!, lang: "en", method: "portal", now: later + 1 });
    expect(await pref("orders", later + 1)).toMatchObject({ permissionExpired: false, needsReconfirmation: false, allowedUntil: later + 1 + 30 * DAY_MS });
  });
});

describe("a maximum amount only where an amount means something (SPEC §11.2)", () => {
  it("lists which action kinds involve money and refuses a cap on the others, writing nothing", async () => {
    await markAmountKinds(db, DEMO_AMOUNT_KINDS);
    const choices = await listChoices(db, "en");
    expect(Object.fromEntries(choices.filter((c) => c.kind === "action").map((c) => [c.key, c.involvesAmount]))).toEqual(DEMO_AMOUNT_KINDS);
    expect(choices.find((c) => c.key === "training")!.involvesAmount).toBe(false);
    const cap = { maxAmount: { hundredths: 5000, currency: "EUR" } };
    const before = (await listConsentEvents(db, "demo-customer-2")).length;
    for (const key of ["proactive-outreach", "disclose_account_information", "troubleshooting"]) {
      await expect(savePreferences(db, { customerId: "demo-customer-2", values: { [key]: "allow" }, limits: { [key]: cap }, lang: "en", method: "portal" })).rejects.toThrow(InvalidChoiceError);
    }
    expect(await listConsentEvents(db, "demo-customer-2")).toHaveLength(before);
    await savePreferences(db, { customerId: "demo-customer-2", values: { orders: "allow" }, limits: { orders: cap }, lang: "en", method: "portal" });
    expect((await getPreferences(db, "demo-customer-2")).find((p) => p.key === "orders")!.limits).toEqual(cap);
  });

  it("a cap stored before the kind was marked stays (the customer may keep or remove it), but may not be raised", async () => {
    const cap = { maxAmount: { hundredths: 5000, currency: "EUR" } };
    await markAmountKinds(db, { "proactive-outreach": true });
    await savePreferences(db, { customerId: "demo-customer-2", values: { "proactive-outreach": "allow" }, limits: { "proactive-outreach": cap }, lang: "en", method: "portal" });
    await markAmountKinds(db, { "proactive-outreach": false });
    const kept = await savePreferences(db, { customerId: "demo-customer-2", values: { "proactive-outreach": "allow" }, limits: { "proactive-outreach": cap }, lang: "en", method: "portal" });
    expect(kept.changes).toBe(0);
    await expect(
      savePreferences(db, { customerId: "demo-customer-2", values: {}, limits: { "proactive-outreach": { maxAmount: { hundredths: 9000, currency: "EUR" } } }, lang: "en", method: "portal" }),
    ).rejects.toThrow(InvalidChoiceError);
    const removed = await savePreferences(db, { customerId: "demo-customer-2", values: {}, limits: { "proactive-outreach": null }, lang: "en", method: "portal" });
    expect(removed.changes).toBe(1);
  });
});

describe("the amount field says which rule failed", () => {
  it("reads each problem apart", () => {
    expect(readAmount("-5")).toEqual({ problem: "negative" });
    expect(readAmount("−5")).toEqual({ problem: "negative" });
    expect(readAmount("abc")).toEqual({ problem: "notNumber" });
    expect(readAmount("1e3")).toEqual({ problem: "notNumber" });
    expect(readAmount("1.000,00")).toEqual({ problem: "notNumber" });
    expect(readAmount("2.345")).toEqual({ problem: "tooManyDecimals" });
    expect(readAmount("1000000000")).toEqual({ problem: "tooLarge" });
    expect(readAmount("100000000.01")).toEqual({ problem: "tooLarge" });
    expect(readAmount("100000000")).toEqual({ hundredths: 10_000_000_000 });
    expect(readAmount("٢٠٫٥")).toEqual({ hundredths: 2050 });
  });

  it("the schema names the rule, and refuses a cap on a kind without money unless it keeps the one stored", () => {
    const schema = preferencesSchema({
      choices: [
        { key: "orders", kind: "action", amount: { offer: "offered" } },
        { key: "proactive-outreach", kind: "action", amount: { offer: "no" } },
        { key: "troubleshooting", kind: "action", amount: { offer: "keep", hundredths: 5000, currency: "EUR" } },
      ],
      timeZones: ["UTC"],
      currencies: ["EUR"],
      dayOptions: [30],
      maxAmountText: "100,000,000",
    });
    const errorsOf = (entries: [string, string][]) => {
      const data = new FormData();
      for (const [k, v] of [["orders", "allow"], ["proactive-outreach", "allow"], ["troubleshooting", "allow"], ["shown", "orders:1"], ...entries] as [string, string][]) data.append(k, v);
      return parseWithZod(data, { schema }).reply().error ?? {};
    };
    expect(errorsOf([["limits.orders.amount", "-1"], ["limits.orders.currency", "EUR"]])["limits.orders.amount"]).toEqual(["common:preferences.limits.errors.amountProblem.negative"]);
    expect(errorsOf([["limits.orders.amount", "12.345"], ["limits.orders.currency", "EUR"]])["limits.orders.amount"]).toEqual(["common:preferences.limits.errors.amountProblem.tooManyDecimals"]);
    expect(errorsOf([["limits.orders.amount", "9999999999"], ["limits.orders.currency", "EUR"]])["limits.orders.amount"]).toEqual(["common:preferences.limits.errors.amountProblem.tooLarge?max=100%2C000%2C000"]);
    expect(errorsOf([["limits.proactive-outreach.amount", "20"], ["limits.proactive-outreach.currency", "EUR"]])["limits.proactive-outreach.amount"]).toEqual(["common:preferences.limits.errors.amountNotForKind"]);
    expect(errorsOf([["limits.troubleshooting.amount", "60"], ["limits.troubleshooting.currency", "EUR"]])["limits.troubleshooting.amount"]).toEqual(["common:preferences.limits.errors.amountNotForKind"]);
    expect(errorsOf([["limits.troubleshooting.amount", "50"], ["limits.troubleshooting.currency", "EUR"]])).toEqual({});
    expect(errorsOf([["limits.orders.amount", "20"], ["limits.orders.currency", "EUR"]])).toEqual({});
  });
});
