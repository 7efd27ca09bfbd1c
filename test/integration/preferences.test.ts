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
  training: "no",
  "human-first": "no",
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
      expect(await response.text()).toContain(html(tr("fr", "preferences.invalid")));
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

  it("asks to reconfirm a choice made under an older notice", async () => {
    // In the demo, demo-customer-2 chose "troubleshooting" before its notice changed (and has not confirmed since).
    const cookie = await app.signIn("demo-customer-2");
    const page = await (await app.request("/en/me/preferences", { cookie })).text();
    expect(page).toContain(tr("en", "preferences.reconfirmTitle"));
    expect(page).toContain("choice--reconfirm");
    const current = Object.fromEntries((await getPreferences(app.db, "demo-customer-2")).map((p) => [p.key, p.value]));
    await app.request("/en/me/preferences", { cookie, form: (await formFrom(current)) });
    const after = await (await app.request("/en/me/preferences", { cookie })).text();
    expect(after).not.toContain("choice--reconfirm");
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
    // Six untouched choices still read as defaults, with no receipt.
    expect(page.split(html(tr("en", "preferences.isDefault"))).length - 1).toBe(6);
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
    expect(page).toContain(`<a href="#choice-troubleshooting">${html(label)}</a>`);
    const choice = page.slice(page.indexOf('id="choice-troubleshooting"')).split("</fieldset>")[0]!;
    expect(choice).toContain(html("Il peut désormais aussi redémarrer votre décodeur TV."));
    expect(choice).toContain(html(tr("fr", "preferences.textUnchanged")));
    expect(choice).not.toContain(html(tr("fr", "preferences.textChanged")));
    // Only the affected choice is re-asked.
    expect(page.split('class="choice__change').length - 1).toBe(1);
    const home = await (await app.request("/fr", { cookie })).text();
    expect(home).toContain(html(tr("fr", "home.reconfirm_one", { count: 1 })));
    expect(home).toMatch(new RegExp(`<a href="/fr/me/preferences#choice-troubleshooting"[^>]*>${html(label)}</a>`));
    // Saving confirms it: one event, and the re-ask is gone.
    const before = (await listConsentEvents(app.db, "fresh-reask")).length;
    const saved = await app.request("/fr/me/preferences", { cookie, form: (await formFrom({ ...ALL_DEFAULTS, troubleshooting: "allow" })) });
    expect(await confirmation(saved, cookie)).toContain(html(tr("fr", "preferences.savedBody_one", { count: 1 })));
    expect(await listConsentEvents(app.db, "fresh-reask")).toHaveLength(before + 1);
    expect(await (await app.request("/fr/me/preferences", { cookie })).text()).not.toContain("choice__change");
  });
});

async function listChoicesLabel(key: string, lang: string): Promise<string> {
  return ((await rawGet(app.services.database, "select n.label from choice_notices n join choice_definitions d on d.key = n.choice_key and d.notice_version = n.version where n.choice_key = ? and n.lang = ?", key, lang)) as { label: string }).label;
}
