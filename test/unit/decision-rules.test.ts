/**
 * The rules of a decision (SPEC §5.2, §11.1–§11.3) as the pure function `applyRules`: one row per
 * rule and reason, quiet hours across the 2026 daylight-saving changes, and a property test of the
 * invariant — no "allow" without a permission that covers the action.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyRules, quietHoursEnd, type ConfirmationFacts, type Facts, type RuleInput } from "../../app/domain/decision-rules";
import { limitsInForce } from "../../app/domain/decisions.server";
import { CHANNELS, DECISION_REASONS, type DecisionContext, type PermissionLimits } from "../../app/domain/vocabulary";

const NOW = Date.parse("2026-06-10T12:00:00Z");
const DAY = 86_400_000;
const VERIFIED: DecisionContext = { identity: { verified: true } };

/** A known, active customer, action and registered system; no own values; protective defaults. */
function facts(overrides: Partial<Facts> = {}): Facts {
  return {
    hasCustomer: true,
    preferenceVersion: 3,
    timeZone: "Europe/Paris",
    hasDefinition: true,
    defaultValue: "ask",
    definitionNoticeVersion: 1,
    hasSystem: true,
    systemStatus: "active",
    registered: true,
    value: null,
    preferenceNoticeVersion: null,
    preferenceUpdatedAt: null,
    limits: null,
    humanFirstValue: null,
    humanFirstDefault: "no",
    identityValue: null,
    identityDefault: "yes",
    interactionId: null,
    confirmation: null,
    ...overrides,
  };
}
const allowed = (limits: PermissionLimits | null = null, givenAt = NOW - DAY): Partial<Facts> => ({ value: "allow", preferenceNoticeVersion: 1, preferenceUpdatedAt: givenAt, limits });
const input = (overrides: Partial<RuleInput> = {}): RuleInput => ({ customerId: "c-1", actionKey: "plan-changes", aiSystemSlug: "offer-predictor", context: VERIFIED, ...overrides });
const approval = (overrides: Partial<ConfirmationFacts> = {}): ConfirmationFacts => ({
  customerId: "c-1",
  actionKey: "plan-changes",
  aiSystemSlug: "offer-predictor",
  amountHundredths: 2000,
  currency: "EUR",
  channel: null,
  expiresAt: NOW + 60_000,
  answer: "approved",
  spent: false,
  ...overrides,
});
const CONFIRMATION_ID = "7c3f8a52-3e1b-4c55-9f0e-1d2a3b4c5d6e";
const presenting = (context: DecisionContext = { ...VERIFIED, amountHundredths: 2000, currency: "EUR" }) => input({ confirmationId: CONFIRMATION_ID, context });
const cap = { maxAmount: { hundredths: 2000, currency: "EUR" } };
const quiet = { quietHours: { from: "22:00", to: "07:00" } };
// 23:30 in Paris (CEST, UTC+2) on 10 June 2026; quiet hours 22:00–07:00 end at 05:00 UTC on 11 June.
const LATE = Date.parse("2026-06-10T21:30:00Z");

type Row = [string, Partial<Facts>, RuleInput, { decision: string; reason: string; retryAfter?: number | null }];
const rows: Row[] = [
  ["unknown or erased customer", { hasCustomer: false }, input(), { decision: "deny", reason: "unknown_customer" }],
  ["unknown customer, even for ai_first_contact", { hasCustomer: false }, input({ actionKey: "ai_first_contact" }), { decision: "deny", reason: "unknown_customer" }],
  ["ai_first_contact by an unknown system", { hasDefinition: false, hasSystem: false }, input({ actionKey: "ai_first_contact" }), { decision: "deny", reason: "unknown_ai_system" }],
  ["ai_first_contact by a paused system", { hasDefinition: false, systemStatus: "paused" }, input({ actionKey: "ai_first_contact" }), { decision: "deny", reason: "unknown_ai_system" }],
  ["ai_first_contact, human first by the customer", { hasDefinition: false, humanFirstValue: "yes" }, input({ actionKey: "ai_first_contact", context: undefined }), { decision: "deny", reason: "human_first" }],
  ["ai_first_contact, human first by default", { hasDefinition: false, humanFirstDefault: "yes" }, input({ actionKey: "ai_first_contact" }), { decision: "deny", reason: "human_first" }],
  ["ai_first_contact, own no over a default yes", { hasDefinition: false, humanFirstValue: "no", humanFirstDefault: "yes" }, input({ actionKey: "ai_first_contact" }), { decision: "allow", reason: "no_human_first" }],
  ["ai_first_contact without human first (no identity needed)", { hasDefinition: false }, input({ actionKey: "ai_first_contact", context: undefined }), { decision: "allow", reason: "no_human_first" }],
  ["unknown action", { hasDefinition: false }, input(), { decision: "deny", reason: "unknown_action" }],
  ["unknown system", { hasSystem: false, systemStatus: null }, input(), { decision: "deny", reason: "unknown_ai_system" }],
  ["retired system", { systemStatus: "retired" }, input(), { decision: "deny", reason: "unknown_ai_system" }],
  ["system not registered for the action", { registered: false }, input(), { decision: "deny", reason: "action_not_registered" }],
  ["own never", { value: "never", preferenceNoticeVersion: 1 }, input(), { decision: "deny", reason: "preference_never" }],
  ["default never", { defaultValue: "never" }, input(), { decision: "deny", reason: "default_never" }],
  ["an unknown value counts as never", { value: "maybe" }, input(), { decision: "deny", reason: "preference_never" }],
  ["a confirmation never overrides never", { value: "never", confirmation: approval() }, presenting(), { decision: "deny", reason: "preference_never" }],
  ["identity not verified (default yes)", allowed(), input({ context: undefined }), { decision: "deny", reason: "identity_not_verified" }],
  ["identity verified: false", allowed(), input({ context: { identity: { verified: false } } }), { decision: "deny", reason: "identity_not_verified" }],
  ["identity choice missing: protective yes", { ...allowed(), identityDefault: null }, input({ context: {} }), { decision: "deny", reason: "identity_not_verified" }],
  ["identity choice no: no verification needed", { ...allowed(), identityValue: "no" }, input({ context: undefined }), { decision: "allow", reason: "preference_allow" }],
  ["identity checked before a confirmation", { ...allowed(), confirmation: approval() }, presenting({ amountHundredths: 2000, currency: "EUR" }), { decision: "deny", reason: "identity_not_verified" }],
  ["quiet hours (customer's zone)", allowed(quiet), input({ context: { ...VERIFIED, at: LATE } }), { decision: "deny", reason: "quiet_hours", retryAfter: Date.parse("2026-06-11T05:00:00Z") }],
  ["quiet hours also stop asking", { value: "ask", preferenceNoticeVersion: 1, preferenceUpdatedAt: NOW, limits: quiet }, input({ context: { ...VERIFIED, at: LATE } }), { decision: "deny", reason: "quiet_hours", retryAfter: Date.parse("2026-06-11T05:00:00Z") }],
  ["quiet hours: no zone → the company's", { ...allowed(quiet), timeZone: null }, input({ context: { ...VERIFIED, at: LATE } }), { decision: "deny", reason: "quiet_hours", retryAfter: Date.parse("2026-06-11T05:00:00Z") }],
  ["quiet hours in New York: 21:30 UTC is 17:30 there", { ...allowed(quiet), timeZone: "America/New_York" }, input({ context: { ...VERIFIED, at: LATE } }), { decision: "allow", reason: "preference_allow" }],
  ["quiet hours beat a confirmation", { ...allowed(quiet), confirmation: approval() }, presenting({ ...VERIFIED, amountHundredths: 2000, currency: "EUR", at: LATE }), { decision: "deny", reason: "quiet_hours", retryAfter: Date.parse("2026-06-11T05:00:00Z") }],
  ["outside quiet hours", allowed(quiet), input({ context: { ...VERIFIED, at: NOW } }), { decision: "allow", reason: "preference_allow" }],
  ["confirmation: approved, matching, unused → allow once", { value: "ask", confirmation: approval() }, presenting(), { decision: "allow", reason: "confirmed_by_customer" }],
  ["confirmation: allowed even over the cap (the customer approved this amount)", { ...allowed({ maxAmount: { hundredths: 1000, currency: "EUR" } }), confirmation: approval() }, presenting(), { decision: "allow", reason: "confirmed_by_customer" }],
  ["confirmation: unknown", { value: "ask" }, presenting(), { decision: "deny", reason: "confirmation_unknown" }],
  ["confirmation: another customer's", { confirmation: approval({ customerId: "c-2" }) }, presenting(), { decision: "deny", reason: "confirmation_unknown" }],
  ["confirmation: other action", { confirmation: approval({ actionKey: "orders" }) }, presenting(), { decision: "deny", reason: "confirmation_mismatch" }],
  ["confirmation: other system", { confirmation: approval({ aiSystemSlug: "network-troubleshooter" }) }, presenting(), { decision: "deny", reason: "confirmation_mismatch" }],
  ["confirmation: 20 EUR approved, 25 EUR presented", { confirmation: approval() }, presenting({ ...VERIFIED, amountHundredths: 2500, currency: "EUR" }), { decision: "deny", reason: "confirmation_mismatch" }],
  ["confirmation: amount without the approved one", { confirmation: approval() }, presenting(VERIFIED), { decision: "deny", reason: "confirmation_mismatch" }],
  ["confirmation: other currency", { confirmation: approval() }, presenting({ ...VERIFIED, amountHundredths: 2000, currency: "USD" }), { decision: "deny", reason: "confirmation_mismatch" }],
  ["confirmation: channel differs", { confirmation: approval({ channel: "email" }) }, presenting({ ...VERIFIED, amountHundredths: 2000, currency: "EUR", channel: "sms" }), { decision: "deny", reason: "confirmation_mismatch" }],
  ["confirmation: pending", { confirmation: approval({ answer: null }) }, presenting(), { decision: "deny", reason: "confirmation_pending" }],
  ["confirmation: declined", { confirmation: approval({ answer: "declined" }) }, presenting(), { decision: "deny", reason: "confirmation_declined" }],
  ["confirmation: expired unanswered", { confirmation: approval({ answer: null, expiresAt: NOW }) }, presenting(), { decision: "deny", reason: "confirmation_expired" }],
  ["confirmation: expiry recorded", { confirmation: approval({ answer: "expired" }) }, presenting(), { decision: "deny", reason: "confirmation_expired" }],
  ["confirmation: approved but past expiry", { confirmation: approval({ expiresAt: NOW - 1 }) }, presenting(), { decision: "deny", reason: "confirmation_expired" }],
  ["confirmation: a past action time does not revive it", { confirmation: approval({ expiresAt: NOW - 1 }) }, presenting({ ...VERIFIED, amountHundredths: 2000, currency: "EUR", at: NOW - DAY }), { decision: "deny", reason: "confirmation_expired" }],
  ["confirmation: already spent", { confirmation: approval({ spent: true }) }, presenting(), { decision: "deny", reason: "confirmation_used" }],
  ["confirmation: presented with an allow value still decides", { ...allowed(), confirmation: approval({ answer: "declined" }) }, presenting(), { decision: "deny", reason: "confirmation_declined" }],
  ["own ask", { value: "ask", preferenceNoticeVersion: 1 }, input(), { decision: "ask", reason: "preference_ask" }],
  ["default ask", {}, input(), { decision: "ask", reason: "default_ask" }],
  ["default allow", { defaultValue: "allow" }, input(), { decision: "allow", reason: "default_allow" }],
  ["own allow", allowed(), input(), { decision: "allow", reason: "preference_allow" }],
  ["allow under an older notice", { ...allowed(), definitionNoticeVersion: 2 }, input(), { decision: "ask", reason: "needs_reconfirmation" }],
  ["allow past allowedForDays", allowed({ allowedForDays: 30 }, NOW - 30 * DAY), input(), { decision: "ask", reason: "permission_expired" }],
  ["allow within allowedForDays", allowed({ allowedForDays: 30 }, NOW - 30 * DAY + 1), input(), { decision: "allow", reason: "preference_allow" }],
  ["allowedForDays: a past action time does not revive it", allowed({ allowedForDays: 30 }, NOW - 31 * DAY), input({ context: { ...VERIFIED, at: NOW - 2 * DAY } }), { decision: "ask", reason: "permission_expired" }],
  ["allowedForDays: an action after the expiry", allowed({ allowedForDays: 30 }, NOW - 29 * DAY), input({ context: { ...VERIFIED, at: NOW + 2 * DAY } }), { decision: "ask", reason: "permission_expired" }],
  ["cap set, no amount", allowed(cap), input(), { decision: "ask", reason: "amount_missing" }],
  ["cap set, other currency", allowed(cap), input({ context: { ...VERIFIED, amountHundredths: 100, currency: "USD" } }), { decision: "ask", reason: "currency_mismatch" }],
  ["cap set, amount without currency", allowed(cap), input({ context: { ...VERIFIED, amountHundredths: 100 } }), { decision: "ask", reason: "currency_mismatch" }],
  ["over the cap by one hundredth", allowed(cap), input({ context: { ...VERIFIED, amountHundredths: 2001, currency: "EUR" } }), { decision: "ask", reason: "amount_over_limit" }],
  ["exactly the cap", allowed(cap), input({ context: { ...VERIFIED, amountHundredths: 2000, currency: "EUR" } }), { decision: "allow", reason: "preference_allow" }],
  ["channels set, none given", allowed({ channels: ["email"] }), input(), { decision: "ask", reason: "channel_not_allowed" }],
  ["channels set, another given", allowed({ channels: ["email", "app"] }), input({ context: { ...VERIFIED, channel: "sms" } }), { decision: "ask", reason: "channel_not_allowed" }],
  ["channels set, an allowed one", allowed({ channels: ["email", "app"] }), input({ context: { ...VERIFIED, channel: "app" } }), { decision: "allow", reason: "preference_allow" }],
];

describe("applyRules: every rule and reason", () => {
  it.each(rows)("%s", (_name, f, ruleInput, expected) => {
    expect(applyRules(facts(f), ruleInput, NOW)).toEqual({ retryAfter: null, ...expected });
  });

  it("the table names every reason a check can give", () => {
    const covered = new Set(rows.map(([, , , expected]) => expected.reason));
    // confirmation_used also comes from the database (a lost race): covered by the table's "already spent".
    expect([...DECISION_REASONS].filter((reason) => !covered.has(reason))).toEqual([]);
  });
});

describe("stored limits as the rules read them", () => {
  it("reads valid limits; none set is null; anything malformed throws instead of reading as no limit", () => {
    expect(limitsInForce('{"maxAmount":{"hundredths":2000,"currency":"EUR"},"channels":["email"]}')).toEqual({ maxAmount: { hundredths: 2000, currency: "EUR" }, channels: ["email"] });
    expect(limitsInForce("null")).toBeNull();
    expect(limitsInForce("{}")).toBeNull();
    for (const bad of ['{"maxAmount":{"hundredths":"20","currency":"EUR"}}', '{"maxAmount":{"hundredths":20.5,"currency":"EUR"}}', '{"channels":["pigeon"]}', '{"quietHours":{"from":"25:00","to":"07:00"}}', '{"allowedForDays":0}', '{"maxAmonut":{}}', "[1]", "{"]) {
      expect(() => limitsInForce(bad), bad).toThrow();
    }
  });
});

const instant = (iso: string) => Date.parse(iso);
const hours = (from: string, to: string) => ({ from, to });

describe("quiet hours across daylight-saving changes (2026)", () => {
  it.each([
    // Paris springs forward on 29 March 2026 at 02:00 CET (01:00 UTC) to 03:00 CEST.
    ["Paris, 01:30–03:30, spring-forward night: ends at 03:30 CEST", "Europe/Paris", hours("01:30", "03:30"), "2026-03-29T00:45:00Z", "2026-03-29T01:30:00Z"],
    ["Paris, 22:00–02:30 ending in the skipped hour: ends when the clocks jump", "Europe/Paris", hours("22:00", "02:30"), "2026-03-28T22:00:00Z", "2026-03-29T01:00:00Z"],
    ["Paris, 22:00–07:00 over the spring-forward night", "Europe/Paris", hours("22:00", "07:00"), "2026-03-28T22:00:00Z", "2026-03-29T05:00:00Z"],
    // Paris falls back on 25 October 2026 at 03:00 CEST (01:00 UTC) to 02:00 CET.
    ["Paris, 22:00–07:00 over the fall-back night: one hour longer", "Europe/Paris", hours("22:00", "07:00"), "2026-10-24T21:00:00Z", "2026-10-25T06:00:00Z"],
    ["Paris, 01:00–02:30, first 02:30 of the fall-back night", "Europe/Paris", hours("01:00", "02:30"), "2026-10-24T23:15:00Z", "2026-10-25T00:30:00Z"],
    ["Paris, 01:00–02:30, inside the repeated hour: the second 02:30", "Europe/Paris", hours("01:00", "02:30"), "2026-10-25T01:10:00Z", "2026-10-25T01:30:00Z"],
    ["Paris, 02:15–05:00: the clocks going back leave the window for a while", "Europe/Paris", hours("02:15", "05:00"), "2026-10-25T00:20:00Z", "2026-10-25T01:00:00Z"],
    // New York: the EU dates change nothing there; its own changes are 8 March and 1 November 2026.
    ["New York, 22:00–07:00 on the EU spring-forward night", "America/New_York", hours("22:00", "07:00"), "2026-03-29T03:00:00Z", "2026-03-29T11:00:00Z"],
    ["New York, 22:00–07:00 on the EU fall-back night", "America/New_York", hours("22:00", "07:00"), "2026-10-25T03:00:00Z", "2026-10-25T11:00:00Z"],
    ["New York, 01:30–03:30 on its spring-forward night (02:00 EST → 03:00 EDT)", "America/New_York", hours("01:30", "03:30"), "2026-03-08T06:45:00Z", "2026-03-08T07:30:00Z"],
    ["New York, 22:00–07:00 over its fall-back night", "America/New_York", hours("22:00", "07:00"), "2026-11-01T03:00:00Z", "2026-11-01T12:00:00Z"],
    ["same day window", "Europe/Paris", hours("12:00", "14:00"), "2026-06-10T11:59:00Z", "2026-06-10T12:00:00Z"],
  ])("%s", (_name, zone, window, at, end) => {
    expect(new Date(quietHoursEnd(window, instant(at), zone)!).toISOString()).toBe(new Date(instant(end)).toISOString());
  });

  it.each([
    ["before the window", "Europe/Paris", hours("22:00", "07:00"), "2026-06-10T19:59:59Z"],
    ["at its end", "Europe/Paris", hours("22:00", "07:00"), "2026-06-11T05:00:00Z"],
    ["a window of no length", "Europe/Paris", hours("22:00", "22:00"), "2026-06-10T20:00:00Z"],
    ["09:00 in New York", "America/New_York", hours("22:00", "07:00"), "2026-06-10T13:00:00Z"],
  ])("outside: %s", (_name, zone, window, at) => {
    expect(quietHoursEnd(window, instant(at), zone)).toBeNull();
  });

  it("answers quiet_hours with retryAfter through the rules, with the action time of the context", () => {
    const verdict = applyRules(facts({ ...allowed(quiet) }), input({ context: { ...VERIFIED, at: instant("2026-03-28T22:00:00Z") } }), NOW);
    expect(verdict).toEqual({ decision: "deny", reason: "quiet_hours", retryAfter: instant("2026-03-29T05:00:00Z") });
  });
});

// ── Property: no allow without a permission that covers the action ─────────────────────────────
const ZONES = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"];
const localMinute = (t: number, zone: string) => {
  const [h, m] = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(t).split(":").map(Number);
  return h! * 60 + m!;
};
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
/** An independent reading of quiet hours (Intl, not the code under test). */
function isQuiet(window: { from: string; to: string }, t: number, zone: string): boolean {
  const [from, to, m] = [minutes(window.from), minutes(window.to), localMinute(t, zone)];
  return from < to ? m >= from && m < to : from > to && (m >= from || m < to);
}

const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 59)).map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
const YEAR_2026 = { min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2026-12-31T23:59:59Z") };
const limitsArb: fc.Arbitrary<PermissionLimits | null> = fc.option(
  fc.record(
    {
      maxAmount: fc.record({ hundredths: fc.integer({ min: 0, max: 5000 }), currency: fc.constantFrom("EUR", "USD") }),
      channels: fc.uniqueArray(fc.constantFrom(...CHANNELS), { minLength: 1 }),
      quietHours: fc.record({ from: hhmm, to: hhmm }),
      allowedForDays: fc.integer({ min: 1, max: 60 }),
    },
    { requiredKeys: [] },
  ),
);
const value = fc.constantFrom("allow", "ask", "never", "odd");
const factsArb: fc.Arbitrary<Facts> = fc.record({
  hasCustomer: fc.boolean(),
  preferenceVersion: fc.integer({ min: 0, max: 9 }),
  timeZone: fc.option(fc.constantFrom(...ZONES)),
  hasDefinition: fc.boolean(),
  defaultValue: value,
  definitionNoticeVersion: fc.integer({ min: 1, max: 3 }),
  hasSystem: fc.boolean(),
  systemStatus: fc.constantFrom("active", "paused", "retired"),
  registered: fc.boolean(),
  value: fc.option(value),
  preferenceNoticeVersion: fc.integer({ min: 1, max: 3 }),
  preferenceUpdatedAt: fc.integer({ min: YEAR_2026.min - 90 * DAY, max: YEAR_2026.max }),
  limits: limitsArb,
  humanFirstValue: fc.option(fc.constantFrom("yes", "no")),
  humanFirstDefault: fc.option(fc.constantFrom("yes", "no")),
  identityValue: fc.option(fc.constantFrom("yes", "no", "odd")),
  identityDefault: fc.option(fc.constantFrom("yes", "no")),
  interactionId: fc.constant(null),
  confirmation: fc.option(
    fc.record({
      customerId: fc.constantFrom("c-1", "c-2"),
      actionKey: fc.constantFrom("plan-changes", "orders"),
      aiSystemSlug: fc.constantFrom("offer-predictor", "other"),
      amountHundredths: fc.option(fc.constantFrom(2000, 2500)),
      currency: fc.option(fc.constantFrom("EUR", "USD")),
      channel: fc.option(fc.constantFrom("email", "sms")),
      expiresAt: fc.integer(YEAR_2026),
      answer: fc.option(fc.constantFrom("approved", "declined", "expired")),
      spent: fc.boolean(),
    }),
  ),
});
const contextArb: fc.Arbitrary<DecisionContext | undefined> = fc.option(
  fc.record(
    {
      amountHundredths: fc.constantFrom(0, 1999, 2000, 2001, 2500),
      currency: fc.constantFrom("EUR", "USD"),
      channel: fc.constantFrom("email", "sms", "app"),
      at: fc.integer(YEAR_2026),
      identity: fc.record({ verified: fc.boolean() }),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);
const inputArb: fc.Arbitrary<RuleInput> = fc.record({
  customerId: fc.constant("c-1"),
  actionKey: fc.constantFrom("plan-changes", "ai_first_contact"),
  aiSystemSlug: fc.constant("offer-predictor"),
  confirmationId: fc.option(fc.constant(CONFIRMATION_ID)),
  context: contextArb,
});

describe("property: allow only with a permission that covers the action", () => {
  it("allow ⇒ an allow value within every limit, or a valid confirmation, or ai_first_contact without human first; reasons are known; retryAfter only for quiet hours", () => {
    fc.assert(
      fc.property(factsArb, inputArb, fc.integer(YEAR_2026), (f, ruleInput, now) => {
        const verdict = applyRules(f, ruleInput, now);
        expect(DECISION_REASONS).toContain(verdict.reason);
        const context = ruleInput.context ?? {};
        const at = context.at ?? now;
        const zone = f.timeZone ?? process.env.DISPLAY_TIME_ZONE ?? "Europe/Brussels";
        if (verdict.reason === "quiet_hours") {
          expect(verdict.decision).toBe("deny");
          const window = f.limits!.quietHours!;
          expect(isQuiet(window, at, zone)).toBe(true);
          expect(verdict.retryAfter!).toBeGreaterThan(at);
          expect(isQuiet(window, verdict.retryAfter!, zone)).toBe(false);
          expect(isQuiet(window, verdict.retryAfter! - 1, zone)).toBe(true);
        } else {
          expect(verdict.retryAfter).toBeNull();
        }
        if (verdict.decision !== "allow") return;

        expect(f.hasCustomer).toBe(true);
        expect(f.hasSystem && f.systemStatus === "active").toBe(true);
        if (ruleInput.actionKey === "ai_first_contact") {
          expect(f.humanFirstValue ?? f.humanFirstDefault).not.toBe("yes");
          expect(verdict.reason).toBe("no_human_first");
          return;
        }
        expect(f.hasDefinition && f.registered).toBe(true);
        const own = f.value ?? f.defaultValue;
        expect(own).not.toBe("never");
        expect(["allow", "ask"]).toContain(own);
        if ((f.identityValue ?? f.identityDefault) !== "no") expect(context.identity?.verified).toBe(true);
        const limits = f.value !== null ? f.limits : null;
        if (limits?.quietHours) expect(isQuiet(limits.quietHours, at, zone)).toBe(false);

        if (ruleInput.confirmationId) {
          const c = f.confirmation!;
          expect(verdict.reason).toBe("confirmed_by_customer");
          expect(c).toMatchObject({ customerId: ruleInput.customerId, actionKey: ruleInput.actionKey, aiSystemSlug: ruleInput.aiSystemSlug, answer: "approved", spent: false });
          expect([c.amountHundredths, c.currency, c.channel]).toEqual([context.amountHundredths ?? null, context.currency ?? null, context.channel ?? null]);
          expect(now).toBeLessThan(c.expiresAt);
          return;
        }
        expect(own).toBe("allow");
        expect(verdict.reason).toBe(f.value !== null ? "preference_allow" : "default_allow");
        if (f.value !== null) expect(f.preferenceNoticeVersion).toBeGreaterThanOrEqual(f.definitionNoticeVersion!);
        if (limits?.allowedForDays !== undefined) expect(Math.max(now, at)).toBeLessThan(f.preferenceUpdatedAt! + limits.allowedForDays * DAY);
        if (limits?.maxAmount) {
          expect(context.currency).toBe(limits.maxAmount.currency);
          expect(context.amountHundredths).toBeLessThanOrEqual(limits.maxAmount.hundredths);
        }
        if (limits?.channels) expect(limits.channels).toContain(context.channel);
      }),
      { numRuns: 5000 },
    );
  });
});
