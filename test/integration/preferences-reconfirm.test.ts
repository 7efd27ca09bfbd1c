import { beforeEach, describe, expect, it } from "vitest";
import { createEmbedSite, signEmbedToken } from "../../app/domain/embed-sites.server";
import { getPreferences, listConsentEvents } from "../../app/domain/preferences.server";
import { createTestApp, type TestApp } from "../support/app";
import { html, tr } from "../support/locales";
import { customerAwaitingReconfirmation, DEMO_AMOUNT_KINDS, markAmountKinds, shownField } from "../support/preferences-factories";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const T0 = Date.parse("2026-03-01T10:00:00Z");

/** Every value the page's main form posts, as a browser re-submits it (the pending choice included). */
async function wholeForm(customerId: string, changes: Record<string, string>) {
  const current = Object.fromEntries((await getPreferences(app.db, customerId)).map((p) => [p.key, p.value]));
  return new URLSearchParams({ shown: await shownField(app.db), ...current, ...changes });
}

describe("a reconfirmation is its own act (SPEC §3.2, GDPR Art. 7)", () => {
  it("portal: a widened notice, then an unrelated save: the choice stays pending, no event for it; the confirm button records one with the new version", async () => {
    const { newVersion } = await customerAwaitingReconfirmation(app.db, { customerId: "rc-portal", choiceKey: "troubleshooting", value: "allow", other: "orders", now: T0 });
    const cookie = await app.signIn("rc-portal", "fr");
    const page = await (await app.request("/fr/me/preferences", { cookie })).text();
    // The change note is shown in the choice's own form, with its own button.
    const own = page.slice(page.indexOf('id="choice-troubleshooting"')).split("</form>")[0]!;
    expect(own).toContain(html("Couvre désormais aussi la réinitialisation du routeur."));
    expect(own).toContain('name="intent" value="confirm"');
    expect(own).toContain(html(tr("fr", "preferences.confirm.button")));
    // The main form has no control for the pending choice.
    const main = page.slice(page.indexOf('name="shown"'));
    expect(main).not.toMatch(/name="troubleshooting"/);

    const before = await listConsentEvents(app.db, "rc-portal");
    const saved = await app.request("/fr/me/preferences", { cookie, form: await wholeForm("rc-portal", { orders: "ask" }) });
    expect(saved.status).toBe(303);
    const after = await listConsentEvents(app.db, "rc-portal");
    expect(after.slice(0, after.length - before.length).map((e) => e.choiceKey)).toEqual(["orders"]);
    expect((await getPreferences(app.db, "rc-portal")).find((p) => p.key === "troubleshooting")).toMatchObject({ value: "allow", needsReconfirmation: true, noticeVersion: newVersion - 1 });

    const confirmed = await app.request("/fr/me/preferences", { cookie, form: { intent: "confirm", choice: "troubleshooting", value: "allow", shown: String(newVersion) } });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("Location")).toMatch(/^\/fr\/me\/preferences\?saved=\d+&confirmed=troubleshooting#saved$/);
    const events = await listConsentEvents(app.db, "rc-portal");
    expect(events).toHaveLength(after.length + 1);
    expect(events[0]).toMatchObject({ choiceKey: "troubleshooting", value: "allow", noticeVersion: newVersion, method: "portal", lang: "fr" });
    expect((await getPreferences(app.db, "rc-portal")).find((p) => p.key === "troubleshooting")!.needsReconfirmation).toBe(false);
  });

  it("embed: the same, with method embed", async () => {
    const { newVersion } = await customerAwaitingReconfirmation(app.db, { customerId: "rc-embed", choiceKey: "orders", value: "allow", other: "plan-changes", now: T0 });
    const secret = (await createEmbedSite(app.db, { slug: "help-rc", name: "Help", origins: ["https://help.example"], withSigningSecret: true })).signingSecret!;
    const token = await signEmbedToken(secret, "help-rc", "rc-embed", { ttlSeconds: 300 });
    const location = (await app.request(`/embed/help-rc/en/me/preferences?token=${token}`)).headers.get("Location")!;
    const headers = { "Sec-Fetch-Site": "same-origin" };
    const before = (await listConsentEvents(app.db, "rc-embed")).length;
    const saved = await app.request(location, { form: await wholeForm("rc-embed", { "plan-changes": "allow" }), headers });
    expect(saved.status).toBe(303);
    expect((await listConsentEvents(app.db, "rc-embed")).slice(0, 1).map((e) => [e.choiceKey, e.method])).toEqual([["plan-changes", "embed"]]);
    expect(await listConsentEvents(app.db, "rc-embed")).toHaveLength(before + 1);
    const confirmed = await app.request(location, { form: { intent: "confirm", choice: "orders", value: "allow", shown: String(newVersion) }, headers });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("Location")).toContain("/embed/help-rc/en/me/preferences?");
    expect((await listConsentEvents(app.db, "rc-embed"))[0]).toMatchObject({ choiceKey: "orders", noticeVersion: newVersion, method: "embed" });
  });

  it("a confirmation of an older notice, of a choice not awaiting one, or of an unknown value is refused and records nothing", async () => {
    const { newVersion } = await customerAwaitingReconfirmation(app.db, { customerId: "rc-bad", choiceKey: "troubleshooting", value: "allow", other: "orders", now: T0 });
    const cookie = await app.signIn("rc-bad");
    const before = (await listConsentEvents(app.db, "rc-bad")).length;
    const attempts: [Record<string, string>, number][] = [
      [{ intent: "confirm", choice: "troubleshooting", value: "allow", shown: String(newVersion - 1) }, 409],
      [{ intent: "confirm", choice: "orders", value: "never", shown: "1" }, 400],
      [{ intent: "confirm", choice: "troubleshooting", value: "maybe", shown: String(newVersion) }, 400],
      [{ intent: "confirm", choice: "troubleshooting", value: "allow" }, 400],
    ];
    for (const [form, status] of attempts) {
      const response = await app.request("/en/me/preferences", { cookie, form });
      expect(response.status, JSON.stringify(form)).toBe(status);
    }
    expect(await listConsentEvents(app.db, "rc-bad")).toHaveLength(before);
    // A page loaded before the notice changed cannot change the choice either (409), and records nothing.
    const stale = new URLSearchParams({ ...Object.fromEntries((await wholeForm("rc-bad", { troubleshooting: "never" })).entries()), shown: `troubleshooting:${newVersion - 1}` });
    expect((await app.request("/en/me/preferences", { cookie, form: stale })).status).toBe(409);
    expect(await listConsentEvents(app.db, "rc-bad")).toHaveLength(before);
  });
});

describe("limits offered where they apply (SPEC §11.2)", () => {
  it("no maximum amount on kinds without money; a crafted one is refused with the rule named, nothing stored", async () => {
    await markAmountKinds(app.db, DEMO_AMOUNT_KINDS);
    const cookie = await app.signIn("demo-customer-1", "de");
    const page = await (await app.request("/de/me/preferences", { cookie })).text();
    expect(page).toContain('name="limits.orders.amount"');
    expect(page).toContain('name="limits.plan-changes.amount"');
    expect(page).not.toContain('name="limits.proactive-outreach.amount"');
    expect(page).not.toContain('name="limits.disclose_account_information.amount"');
    const before = (await listConsentEvents(app.db, "demo-customer-1")).length;
    const form = await wholeForm("demo-customer-1", {});
    form.append("limits.proactive-outreach.amount", "20");
    form.append("limits.proactive-outreach.currency", "EUR");
    const response = await app.request("/de/me/preferences", { cookie, form });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(html(tr("de", "preferences.limits.errors.amountNotForKind")));
    expect(await listConsentEvents(app.db, "demo-customer-1")).toHaveLength(before);
    expect((await getPreferences(app.db, "demo-customer-1")).find((p) => p.key === "proactive-outreach")!.limits?.maxAmount).toBeUndefined();
  });

  it("the amount error names the rule, in each language", async () => {
    await markAmountKinds(app.db, DEMO_AMOUNT_KINDS);
    for (const [lang, amount, rule] of [["en", "-5", "negative"], ["fr", "12,345", "tooManyDecimals"], ["de", "zwanzig", "notNumber"], ["ar", "9999999999", "tooLarge"]] as const) {
      const cookie = await app.signIn("demo-customer-2", lang);
      const form = await wholeForm("demo-customer-2", {});
      form.append("limits.orders.amount", amount);
      form.append("limits.orders.currency", "EUR");
      const response = await app.request(`/${lang}/me/preferences`, { cookie, form });
      expect(response.status).toBe(400);
      const text = await response.text();
      const message = tr(lang, `preferences.limits.errors.amountProblem.${rule}`, { max: new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(100_000_000) });
      expect(text, `${lang} ${rule}`).toContain(html(message));
    }
  });

  it("the time zones are grouped by region and named, with their UTC offset, in the page's language", async () => {
    const cookie = await app.signIn("demo-customer-2", "fr");
    const page = await (await app.request("/fr/me/preferences", { cookie })).text();
    expect(page).toContain('<optgroup label="Europe">');
    expect(page).toContain(html(tr("fr", "preferences.timeZones.indian")));
    expect(page).toMatch(/<option value="Europe\/Paris"[^>]*>Paris — heure d’Europe centrale \(UTC\+0[12]:00\)<\/option>/);
  });
});
