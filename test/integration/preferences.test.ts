import { is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { beforeEach, describe, expect, it } from "vitest";
import * as schema from "../../db/schema";
import { getRegisterEntry, updateRegisterEntry, type RegisterUpdate } from "../../app/domain/ai-register-editor.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { createEmbedSite, signEmbedToken } from "../../app/domain/embed-sites.server";
import { mintLink } from "../../app/domain/links.server";
import { getPreferences, listConsentEvents, publishChoiceNotice } from "../../app/domain/preferences.server";
import { createTestApp, ORIGIN, type TestApp } from "../support/app";
import { rawAll, rawGet, rawValue } from "../support/raw-sql";
import { html, tr } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

/** The hidden field the page sends: the notice version it showed for each choice. */
async function shown() {
  const rows = (await rawAll(app.services.database, "select key, notice_version as v from choice_definitions")) as { key: string; v: number }[];
  return rows.map((r) => `${r.key}:${r.v}`).join(",");
}

/** Follows the redirect after a save and returns the confirmation page. */
async function confirmation(response: Response, cookie: string) {
  expect(response.status).toBe(303);
  return (await app.request(response.headers.get("Location")!.split("#")[0]!, { cookie })).text();
}

async function formFrom(values: Record<string, string>) {
  return new URLSearchParams({ shown: (await shown()), ...values });
}

const ALL_DEFAULTS = {
  "plan-changes": "ask",
  "billing-arrangements": "ask",
  troubleshooting: "ask",
  "proactive-outreach": "ask",
  orders: "ask",
  disclose_account_information: "ask",
  training: "no",
  "human-first": "no",
  "identity-verification": "yes",
};

describe("my choices (SPEC §3.2, §7)", () => {
  it("saves, records consent events with receipts, and confirms", async () => {
    const cookie = await app.signIn("demo-customer-2", "de");
    const before = (await listConsentEvents(app.db, "demo-customer-2")).length;
    const response = await app.request("/de/me/preferences", { cookie, form: (await formFrom({ ...ALL_DEFAULTS, orders: "never", training: "yes" })) });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toMatch(/^\/de\/me\/preferences\?saved=\d+#saved$/);
    const events = await listConsentEvents(app.db, "demo-customer-2");
    expect(events.length).toBeGreaterThan(before);
    expect(events[0]).toMatchObject({ method: "portal", lang: "de" });
    const page = await (await app.request(response.headers.get("Location")!.split("#")[0]!, { cookie })).text();
    expect(page).toContain(html(tr("de", "preferences.savedTitle")));
    expect(page).toContain(`/de/me/data/receipts/${events[0]!.receiptId}.json`);
    const receipt = await app.request(`/de/me/data/receipts/${events[0]!.receiptId}.json`, { cookie });
    expect(receipt.headers.get("Content-Type")).toContain("application/json");
    const body = await receipt.json();
    expect(body).toMatchObject({ consentReceiptID: events[0]!.receiptId, piiPrincipalId: "demo-customer-2", jurisdiction: "EU" });
  });

  it("withdrawing is as easy as giving: one form, same button", async () => {
    const cookie = await app.signIn("demo-customer-2");
    await app.request("/en/me/preferences", { cookie, form: (await formFrom({ ...ALL_DEFAULTS, training: "yes" })) });
    expect((await getPreferences(app.db, "demo-customer-2")).find((p) => p.key === "training")?.value).toBe("yes");
    await app.request("/en/me/preferences", { cookie, form: (await formFrom({ ...ALL_DEFAULTS, training: "no" })) });
    expect((await getPreferences(app.db, "demo-customer-2")).find((p) => p.key === "training")?.value).toBe("no");
  });

  it("rejects tampered values with a translated error and stores nothing", async () => {
    const cookie = await app.signIn("demo-customer-2", "fr");
    const before = (await listConsentEvents(app.db, "demo-customer-2")).length;
    for (const form of [
      (await formFrom({ ...ALL_DEFAULTS, training: "maybe" })),
      (await formFrom({ ...ALL_DEFAULTS, orders: "" })),
      (await formFrom({ training: "yes" })),
      (await formFrom({ ...ALL_DEFAULTS, shown: "orders:x" })),
      (await formFrom({ ...ALL_DEFAULTS, orders: "x".repeat(100_000) })),
    ]) {
      const response = await app.request("/fr/me/preferences", { cookie, form });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(html(tr("fr", "errors.formTitle")));
    }
    expect(await listConsentEvents(app.db, "demo-customer-2")).toHaveLength(before);
  });

  it("refuses a save made while a notice changed: the customer must see the new text (409)", async () => {
    const cookie = await app.signIn("demo-customer-2");
    const seen = (await shown());
    const before = (await listConsentEvents(app.db, "demo-customer-2")).length;
    await publishChoiceNotice(app.db, { choiceKey: "orders", texts: { en: { label: "Orders", explanation: "Now also SIM swaps." } } });
    const response = await app.request("/en/me/preferences", { cookie, form: new URLSearchParams({ ...ALL_DEFAULTS, orders: "never", shown: seen }) });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain(html(tr("en", "errors.noticeChanged")));
    expect(await listConsentEvents(app.db, "demo-customer-2")).toHaveLength(before);
  });

  it("asks to reconfirm a choice made under an older notice; re-saving the page does not, the confirm button does", async () => {
    // In the demo, demo-customer-2 chose "troubleshooting" before its notice changed (and has not confirmed since).
    const cookie = await app.signIn("demo-customer-2");
    const page = await (await app.request("/en/me/preferences", { cookie })).text();
    expect(page).toContain(tr("en", "preferences.reconfirmTitle"));
    expect(page).toContain("class=\"choice choice--reconfirm");
    const current = Object.fromEntries((await getPreferences(app.db, "demo-customer-2")).map((p) => [p.key, p.value]));
    await app.request("/en/me/preferences", { cookie, form: (await formFrom(current)) });
    expect(await (await app.request("/en/me/preferences", { cookie })).text()).toContain("class=\"choice choice--reconfirm");
    const version = Number((await rawValue(app.services.database, "select notice_version from choice_definitions where key = 'troubleshooting'")));
    const confirmed = await app.request("/en/me/preferences", { cookie, form: { intent: "confirm", choice: "troubleshooting", value: current.troubleshooting!, shown: String(version) } });
    expect(confirmed.status).toBe(303);
    const after = await confirmation(confirmed, cookie);
    expect(after).not.toContain("class=\"choice choice--reconfirm");
    expect(after).toContain(html(tr("en", "preferences.confirm.doneTitle")));
  });

  it("records only the choice the customer changed; untouched defaults stay defaults", async () => {
    await upsertCustomer(app.db, { id: "fresh-1", email: "fresh-1@example.test", locale: "en" });
    const cookie = await app.signIn("fresh-1");
    const response = await app.request("/en/me/preferences", { cookie, form: (await formFrom({ ...ALL_DEFAULTS, orders: "never" })) });
    expect(response.headers.get("Location")).toMatch(/^\/en\/me\/preferences\?saved=\d+#saved$/);
    const events = await listConsentEvents(app.db, "fresh-1");
    expect(events.map((e) => [e.choiceKey, e.value])).toEqual([["orders", "never"]]);
    const page = await confirmation(response, cookie);
    expect(page).toContain(html(tr("en", "preferences.savedBody_one", { count: 1 })));
    // Eight untouched choices still read as defaults, with no receipt (counted in the visible
    // page: the strings the page carries for the browser hold the label once more).
    const visible = page.replace(/<script id="page-messages"[\s\S]*?<\/script>/, "");
    expect(visible).not.toBe(page);
    expect(visible.split(html(tr("en", "preferences.isDefault"))).length - 1).toBe(8);
    expect(page.split("/en/me/data/receipts/").length - 1).toBe(1);
    // The same form again: "nothing changed", and no event.
    const again = await app.request("/en/me/preferences", { cookie, form: (await formFrom({ ...ALL_DEFAULTS, orders: "never" })) });
    const unchanged = await confirmation(again, cookie);
    expect(unchanged).toContain(html(tr("en", "preferences.savedNothing")));
    expect(await listConsentEvents(app.db, "fresh-1")).toHaveLength(1);
    // Two changes: the plural says two.
    const two = await app.request("/en/me/preferences", { cookie, form: (await formFrom({ ...ALL_DEFAULTS, orders: "allow", training: "yes" })) });
    const twoPage = await confirmation(two, cookie);
    expect(twoPage).toContain(html(tr("en", "preferences.savedBody_other", { count: 2 })));
    expect(await listConsentEvents(app.db, "fresh-1")).toHaveLength(3);
    // The confirmation counts recorded events: a made-up or tampered URL cannot claim changes.
    for (const query of ["?saved=5", "?saved=abc", "?saved=-1"]) {
      const made = await (await app.request(`/en/me/preferences${query}`, { cookie })).text();
      expect(made, query).toContain(html(tr("en", "preferences.savedNothing")));
    }
  });

  it("the embedded choices page records only the changed choice too", async () => {
    await upsertCustomer(app.db, { id: "fresh-embed", locale: "en" });
    const secret = (await createEmbedSite(app.db, { slug: "help", name: "Help", origins: ["https://help.example"], withSigningSecret: true })).signingSecret!;
    const token = await signEmbedToken(secret, "help", "fresh-embed", { ttlSeconds: 300 });
    const location = (await app.request(`/embed/help/en/me/preferences?token=${token}`)).headers.get("Location")!;
    const saved = await app.request(location, { form: (await formFrom({ ...ALL_DEFAULTS, "human-first": "yes" })), headers: { "Sec-Fetch-Site": "same-origin" } });
    expect(saved.status).toBe(303);
    expect((await listConsentEvents(app.db, "fresh-embed")).map((e) => [e.choiceKey, e.value, e.method])).toEqual([["human-first", "yes", "embed"]]);
    const page = await (await app.request(saved.headers.get("Location")!.split("#")[0]!)).text();
    expect(page).toContain(html(tr("en", "preferences.savedBody_one", { count: 1 })));
    expect((await getPreferences(app.db, "fresh-embed")).filter((p) => !p.isDefault).map((p) => p.key)).toEqual(["human-first"]);
  });

  it("a GET with Global Privacy Control writes no row in any table, and the page says GPC applies", async () => {
    await upsertCustomer(app.db, { id: "fresh-gpc", locale: "en" });
    const cookie = await app.signIn("fresh-gpc");
    const tables = Object.values(schema).filter((table) => is(table, SQLiteTable)).map((table) => getTableConfig(table as SQLiteTable).name);
    const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await rawValue(app.services.database, `select count(*) from "${t}"`)])));
    const before = (await counts());
    for (const path of ["/en", "/en/me/preferences", "/en/me/interactions", "/en/me/data", "/en/me/data/export.json"]) {
      const response = await app.request(path, { cookie, headers: { "Sec-GPC": "1" } });
      expect(response.status, path).toBe(200);
      if (path === "/en/me/preferences") {
        const page = await response.text();
        expect(page).toContain(html(tr("en", "preferences.gpcTitle")));
        expect(page).toContain(html(tr("en", "preferences.gpcDefault")));
      }
    }
    expect((await counts())).toEqual(before);
    expect(await listConsentEvents(app.db, "fresh-gpc")).toEqual([]);
  });

  it("records Global Privacy Control once on a deliberate POST, and an explicit choice over it says so", async () => {
    await upsertCustomer(app.db, { id: "fresh-gpc2", locale: "en" });
    const cookie = await app.signIn("fresh-gpc2");
    const gpc = { "Sec-GPC": "1" };
    // Saving one unrelated change: one change for the customer, plus the signal recorded once.
    const saved = await app.request("/en/me/preferences", { cookie, headers: gpc, form: (await formFrom({ ...ALL_DEFAULTS, orders: "never" })) });
    expect(await confirmation(saved, cookie)).toContain(html(tr("en", "preferences.savedBody_one", { count: 1 })));
    expect((await listConsentEvents(app.db, "fresh-gpc2")).map((e) => [e.choiceKey, e.method]).sort()).toEqual([["orders", "portal"], ["training", "gpc"]]);
    await app.request("/en/me/preferences", { cookie, headers: gpc, form: (await formFrom({ ...ALL_DEFAULTS, orders: "never" })) });
    expect((await listConsentEvents(app.db, "fresh-gpc2")).filter((e) => e.method === "gpc")).toHaveLength(1);
    // The customer overrides the signal explicitly: their choice applies and the page says so.
    await app.request("/en/me/preferences", { cookie, headers: gpc, form: (await formFrom({ ...ALL_DEFAULTS, orders: "never", training: "yes" })) });
    expect((await getPreferences(app.db, "fresh-gpc2", { gpc: true })).find((p) => p.key === "training")).toMatchObject({ value: "yes", method: "portal" });
    const page = await (await app.request("/en/me/preferences", { cookie, headers: gpc })).text();
    expect(page).toContain(html(tr("en", "preferences.gpcOverriddenTitle")));
    expect(page).not.toContain(html(tr("en", "preferences.gpcTitle")));
  });

  it("records Global Privacy Control when the customer signs in (a POST) with the signal", async () => {
    await upsertCustomer(app.db, { id: "fresh-gpc3", locale: "fr" });
    const { token } = await mintLink(app.db, { customerId: "fresh-gpc3", lang: "fr", createdBy: "cli", baseUrl: ORIGIN });
    expect((await app.request(`/l/${token}`, { headers: { "Sec-GPC": "1" } })).status).toBe(200);
    expect(await listConsentEvents(app.db, "fresh-gpc3")).toEqual([]);
    expect((await app.request(`/l/${token}`, { form: {}, headers: { "Sec-GPC": "1" } })).status).toBe(303);
    expect(await listConsentEvents(app.db, "fresh-gpc3")).toMatchObject([{ choiceKey: "training", value: "no", method: "gpc", lang: "fr" }]);
  });

  it("a material change re-asks with its change note next to the choice, and the overview names the choice", async () => {
    await upsertCustomer(app.db, { id: "fresh-reask", locale: "fr" });
    const cookie = await app.signIn("fresh-reask", "fr");
    await app.request("/fr/me/preferences", { cookie, form: (await formFrom({ ...ALL_DEFAULTS, troubleshooting: "allow" })) });
    const entry = (await getRegisterEntry(app.db, "network-troubleshooter"))!;
    const { system } = entry;
    await updateRegisterEntry(app.db, { staffId: 2 }, {
      slug: "network-troubleshooter",
      expectedVersion: system.currentVersion,
      provider: "Nordlys network operations",
      riskClass: system.riskClass as RegisterUpdate["riskClass"],
      autonomy: system.autonomy as RegisterUpdate["autonomy"],
      channels: system.channels as RegisterUpdate["channels"],
      status: system.status as RegisterUpdate["status"],
      contactEmail: system.contactEmail,
      actionKeys: ["troubleshooting"],
      markReviewed: false,
      texts: null,
      changeNote: { en: "It may now also restart your TV box.", fr: "Il peut désormais aussi redémarrer votre décodeur TV." },
      material: true,
    });
    const label = (await listChoicesLabel("troubleshooting", "fr"));
    const page = await (await app.request("/fr/me/preferences", { cookie })).text();
    expect(page).toContain(html(tr("fr", "preferences.reconfirmBody_one", { count: 1 })));
    expect(page).toContain('<a href="#choice-troubleshooting">');
    expect(page).toContain(`<legend>${html(label)}</legend>`);
    const choice = page.slice(page.indexOf('id="choice-troubleshooting"')).split("</fieldset>")[0]!;
    expect(choice).toContain(html("Il peut désormais aussi redémarrer votre décodeur TV."));
    expect(choice).toContain(html(tr("fr", "preferences.textUnchanged")));
    expect(choice).not.toContain(html(tr("fr", "preferences.textChanged")));
    // Only the affected choice is re-asked.
    expect(page.split('class="choice__change').length - 1).toBe(1);
    const home = await (await app.request("/fr", { cookie })).text();
    expect(home).toContain(html(tr("fr", "home.reconfirm_one", { count: 1 })));
    expect(home).toMatch(new RegExp(`<a href="/fr/me/preferences#choice-troubleshooting"[^>]*>${html(label)}</a>`));
    // Saving the page does not confirm it; the confirm button does: one event, and the re-ask is gone.
    const before = (await listConsentEvents(app.db, "fresh-reask")).length;
    const saved = await app.request("/fr/me/preferences", { cookie, form: (await formFrom({ ...ALL_DEFAULTS, troubleshooting: "allow" })) });
    expect(await confirmation(saved, cookie)).toContain(html(tr("fr", "preferences.savedNothing")));
    expect(await listConsentEvents(app.db, "fresh-reask")).toHaveLength(before);
    const version = Number((await rawValue(app.services.database, "select notice_version from choice_definitions where key = 'troubleshooting'")));
    const confirmed = await app.request("/fr/me/preferences", { cookie, form: { intent: "confirm", choice: "troubleshooting", value: "allow", shown: String(version) } });
    expect(await confirmation(confirmed, cookie)).toContain(html(tr("fr", "preferences.confirm.doneBody", { choice: label })));
    expect(await listConsentEvents(app.db, "fresh-reask")).toHaveLength(before + 1);
    expect(await (await app.request("/fr/me/preferences", { cookie })).text()).not.toContain("class=\"choice__change");
  });
});

describe("limits, identity and training on my choices (SPEC §11.2–§11.4)", () => {
  /** The page's form with limits for one action kind, as a browser without JavaScript posts it. */
  async function withLimits(key: string, limits: [string, string][], extra: Record<string, string> = {}) {
    const form = await formFrom({ ...ALL_DEFAULTS, ...extra });
    for (const [field, value] of limits) form.append(`limits.${key}.${field}`, value);
    return form;
  }
  const counts = async () => ({
    events: await rawValue(app.services.database, "select count(*) from consent_events"),
    limits: await rawValue(app.services.database, "select count(*) from preferences where limits is not null"),
    zones: await rawValue(app.services.database, "select count(*) from customers where time_zone is not null"),
  });

  it("a form post with limits saves them with the value, a consent event and a receipt that carries them", async () => {
    await upsertCustomer(app.db, { id: "limits-1", locale: "fr" });
    const cookie = await app.signIn("limits-1", "fr");
    const form = await withLimits(
      "billing-arrangements",
      [["amount", "49,90"], ["currency", "EUR"], ["channels", "app"], ["channels", "email"], ["quietFrom", "22:00"], ["quietTo", "07:00"], ["days", "90"]],
      { "billing-arrangements": "allow", timeZone: "Europe/Paris" },
    );
    const response = await app.request("/fr/me/preferences", { cookie, form });
    expect(response.status).toBe(303);
    const billing = (await getPreferences(app.db, "limits-1")).find((p) => p.key === "billing-arrangements")!;
    expect(billing).toMatchObject({ value: "allow", limits: { maxAmount: { hundredths: 4990, currency: "EUR" }, channels: ["email", "app"], quietHours: { from: "22:00", to: "07:00" }, allowedForDays: 90 } });
    expect(await rawValue(app.services.database, "select time_zone from customers where id = 'limits-1'")).toBe("Europe/Paris");
    const [event] = await listConsentEvents(app.db, "limits-1");
    const receipt = await (await app.request(`/fr/me/data/receipts/${event!.receiptId}.json`, { cookie })).json();
    expect(receipt.services[0].purposes[0].limits).toEqual({
      maxAmount: { amount: 49.9, currency: "EUR" },
      channels: ["email", "app"],
      quietHours: { from: "22:00", to: "07:00", timeZone: "Europe/Paris" },
      allowedForDays: 90,
    });
    // The page shows them: a summary in words on the closed disclosure, the values inside it.
    const page = await confirmation(response, cookie);
    const choice = page.slice(page.indexOf('id="choice-billing-arrangements"')).split("</fieldset>\n")[0]!;
    expect(page).toMatch(/<details class="choice-limits"><summary>[^]*?limits\.billing-arrangements\.amount/);
    expect(page).toContain('value="49,90"');
    expect(page).toContain(html(tr("fr", "preferences.limits.inWords.quietHours", { from: "22:00", to: "07:00" })));
    expect(choice.length).toBeGreaterThan(0);
    // Other kinds without limits keep their disclosure closed.
    const orders = page.slice(page.indexOf('id="choice-orders"'));
    expect(orders.slice(0, orders.indexOf("</details>"))).toContain('<details class="choice-limits">');
    // Saving the same form again records nothing; emptying the fields clears the limits (a change).
    const before = (await listConsentEvents(app.db, "limits-1")).length;
    const again = await withLimits(
      "billing-arrangements",
      [["amount", "49.9"], ["currency", "EUR"], ["channels", "email"], ["channels", "app"], ["quietFrom", "22:00"], ["quietTo", "07:00"], ["days", "90"]],
      { "billing-arrangements": "allow", timeZone: "Europe/Paris" },
    );
    await app.request("/fr/me/preferences", { cookie, form: again });
    expect(await listConsentEvents(app.db, "limits-1")).toHaveLength(before);
    const cleared = await withLimits("billing-arrangements", [["amount", ""], ["currency", "EUR"], ["quietFrom", ""], ["quietTo", ""], ["days", ""]], { "billing-arrangements": "allow", timeZone: "Europe/Paris" });
    await app.request("/fr/me/preferences", { cookie, form: cleared });
    expect(await listConsentEvents(app.db, "limits-1")).toHaveLength(before + 1);
    expect((await getPreferences(app.db, "limits-1")).find((p) => p.key === "billing-arrangements")!.limits).toBeNull();
  });

  it("invalid limits: a translated error next to each field, the typed values kept, nothing stored", async () => {
    await upsertCustomer(app.db, { id: "limits-2", locale: "de" });
    const cookie = await app.signIn("limits-2", "de");
    const before = await counts();
    const form = await withLimits("orders", [["amount", "viel"], ["currency", "EUR"], ["quietFrom", "22:30"], ["quietTo", ""], ["days", "7"], ["channels", "sms"]], { orders: "allow", timeZone: "Mars/Olympus" });
    const response = await app.request("/de/me/preferences", { cookie, form });
    expect(response.status).toBe(400);
    const page = await response.text();
    const orders = page.slice(page.indexOf('id="choice-orders"'), page.indexOf('id="choice-disclose_account_information"'));
    expect(orders).toContain('<details class="choice-limits" open="">');
    for (const [field, key] of [["amount", "preferences.limits.errors.amountProblem.notNumber"], ["quietTo", "preferences.limits.errors.quietBoth"], ["days", "errors.chooseOne"]] as const) {
      expect(orders).toMatch(new RegExp(`id="[^"]*-limits\\.orders\\.${field}-error">${html(tr("de", key)).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}<`));
      expect(orders).toMatch(new RegExp(`name="limits\\.orders\\.${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="limits\\.orders\\.${field}"`));
    }
    // What was typed is still there.
    expect(orders).toContain('value="viel"');
    expect(orders).toContain('value="22:30"');
    expect(orders).toMatch(/name="limits\.orders\.channels" checked="" value="sms"/);
    expect(page).toContain(html(tr("de", "errors.chooseOne")));
    // The error summary links to the fields.
    expect(page).toMatch(/href="#[^"]*-limits\.orders\.amount"/);
    expect(await counts()).toEqual(before);
    expect((await getPreferences(app.db, "limits-2")).find((p) => p.key === "orders")!.isDefault).toBe(true);
  });

  it("the identity choice and the honest statement about training are on the page, in every language", async () => {
    await upsertCustomer(app.db, { id: "limits-3", locale: "ar" });
    for (const lang of ["en", "ar"] as const) {
      const cookie = await app.signIn("limits-3", lang);
      const page = await (await app.request(`/${lang}/me/preferences`, { cookie })).text();
      expect(page).toContain('id="choice-identity-verification"');
      expect(page).toContain(html(tr(lang, "identity.hint.yes")));
      expect(page).toContain(html(tr(lang, "training.undoCannot")));
      expect(page).toContain(html(tr(lang, "training.undoStops")));
      expect(page).toContain(`href="/${lang}/me/interactions"`);
      expect(page).toContain('name="timeZone"');
    }
    // The identity choice is saved like any other (default "yes"; "no" is a change).
    const cookie = await app.signIn("limits-3", "en");
    await app.request("/en/me/preferences", { cookie, form: await formFrom({ ...ALL_DEFAULTS, "identity-verification": "no" }) });
    expect((await listConsentEvents(app.db, "limits-3")).map((e) => [e.choiceKey, e.value])).toEqual([["identity-verification", "no"]]);
  });

  it("the embedded page saves limits too (method embed)", async () => {
    await upsertCustomer(app.db, { id: "limits-embed", locale: "en" });
    const secret = (await createEmbedSite(app.db, { slug: "help2", name: "Help", origins: ["https://help.example"], withSigningSecret: true })).signingSecret!;
    const token = await signEmbedToken(secret, "help2", "limits-embed", { ttlSeconds: 300 });
    const location = (await app.request(`/embed/help2/en/me/preferences?token=${token}`)).headers.get("Location")!;
    const form = await withLimits("troubleshooting", [["currency", "EUR"], ["quietFrom", "23:00"], ["quietTo", "06:30"]]);
    const saved = await app.request(location, { form, headers: { "Sec-Fetch-Site": "same-origin" } });
    expect(saved.status).toBe(303);
    expect(await listConsentEvents(app.db, "limits-embed")).toMatchObject([{ choiceKey: "troubleshooting", value: "ask", method: "embed" }]);
    expect((await getPreferences(app.db, "limits-embed")).find((p) => p.key === "troubleshooting")!.limits).toEqual({ quietHours: { from: "23:00", to: "06:30" } });
  });

  it("My data: the export holds limits, the time zone, confirmations with answers, training uses and breaches", async () => {
    await upsertCustomer(app.db, { id: "limits-4", locale: "en", timeZone: "America/New_York" });
    const cookie = await app.signIn("limits-4");
    await app.request("/en/me/preferences", { cookie, form: await withLimits("orders", [["amount", "10"], ["currency", "CHF"]], { orders: "allow", timeZone: "America/New_York" }) });
    const now = Date.now();
    const [interaction] = await app.db.insert(schema.interactions).values({ customerId: "limits-4", source: "crm", ref: "T-1", channel: "chat", subject: "Roaming", occurredAt: now - 5000 }).returning();
    const systemId = (await rawValue<number>(app.services.database, "select id from ai_systems where slug = 'offer-predictor'"))!;
    const confirmationId = "3f0e5f3c-1d7b-4c1e-9a59-000000000001";
    await app.db.insert(schema.confirmations).values({ id: confirmationId, customerId: "limits-4", actionKey: "orders", aiSystemSlug: "offer-predictor", interactionId: interaction!.id, summary: JSON.stringify({ en: "Order a new SIM card" }), amountHundredths: 2500, currency: "EUR", expiresAt: now + 60_000, createdAt: now - 4000 });
    await app.db.insert(schema.confirmationAnswers).values({ confirmationId, customerId: "limits-4", answer: "approved", method: "portal", lang: "en", createdAt: now - 3000 });
    await app.db.insert(schema.trainingUses).values({ interactionId: interaction!.id, dataset: "eval-2026-11", usedAt: now - 2000, createdAt: now - 2000 });
    const [acted] = await app.db.insert(schema.interactionAi).values({ interactionId: interaction!.id, systemId, role: "acted", actionKey: "orders", humanReviewed: false, trainingEligible: false }).returning();
    await app.db.insert(schema.permissionBreaches).values({ interactionAiId: acted!.id, interactionId: interaction!.id, customerId: "limits-4", systemId, actionKey: "orders", reason: "decision_missing", detectedAt: now - 1000 });
    const exported = await (await app.request("/en/me/data/export.json", { cookie })).json();
    expect(exported.customer).toMatchObject({ timeZone: "America/New_York", timeZoneInForce: "America/New_York" });
    expect(exported.choices.find((c: { choice: string }) => c.choice === "orders").limits).toEqual({ maxAmount: { amount: 10, currency: "CHF" } });
    expect(exported.consentEvents[0]).toMatchObject({ choice: "orders", limits: { maxAmount: { amount: 10, currency: "CHF" } } });
    expect(exported.consentEvents[0].receipt.services[0].purposes[0].limits).toEqual({ maxAmount: { amount: 10, currency: "CHF" } });
    expect(exported.confirmations).toMatchObject([
      { id: confirmationId, action: "orders", aiSystem: "offer-predictor", status: "approved", summary: { en: "Order a new SIM card" }, details: { amount: 25, currency: "EUR" }, answer: { answer: "approved", method: "portal" }, usedBy: null, interaction: { source: "crm", ref: "T-1" } },
    ]);
    expect(exported.trainingUses).toMatchObject([{ dataset: "eval-2026-11", interaction: { ref: "T-1" } }]);
    expect(exported.permissionBreaches).toMatchObject([{ aiSystem: "offer-predictor", action: "orders", reason: "decision_missing", contested: false, interaction: { ref: "T-1" } }]);
  });
});

async function listChoicesLabel(key: string, lang: string): Promise<string> {
  return ((await rawGet(app.services.database, "select n.label from choice_notices n join choice_definitions d on d.key = n.choice_key and d.notice_version = n.version where n.choice_key = ? and n.lang = ?", key, lang)) as { label: string }).label;
}
