import { beforeEach, describe, expect, it } from "vitest";
import { getPreferences, listConsentEvents, publishChoiceNotice } from "../../app/domain/preferences.server";
import { createTestApp, type TestApp } from "../support/app";
import { html, tr } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

/** The hidden field the page sends: the notice version it showed for each choice. */
function shown() {
  const rows = app.db.$client.prepare("select key, notice_version as v from choice_definitions").all() as { key: string; v: number }[];
  return rows.map((r) => `${r.key}:${r.v}`).join(",");
}

function formFrom(values: Record<string, string>) {
  return new URLSearchParams({ shown: shown(), ...values });
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
    const before = listConsentEvents(app.db, "demo-customer-2").length;
    const response = await app.request("/de/me/preferences", { cookie, form: formFrom({ ...ALL_DEFAULTS, orders: "never", training: "yes" }) });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toMatch(/^\/de\/me\/preferences\?saved=\d+#saved$/);
    const events = listConsentEvents(app.db, "demo-customer-2");
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
    await app.request("/en/me/preferences", { cookie, form: formFrom({ ...ALL_DEFAULTS, training: "yes" }) });
    expect(getPreferences(app.db, "demo-customer-2").find((p) => p.key === "training")?.value).toBe("yes");
    await app.request("/en/me/preferences", { cookie, form: formFrom({ ...ALL_DEFAULTS, training: "no" }) });
    expect(getPreferences(app.db, "demo-customer-2").find((p) => p.key === "training")?.value).toBe("no");
  });

  it("rejects tampered values with a translated error and stores nothing", async () => {
    const cookie = await app.signIn("demo-customer-2", "fr");
    const before = listConsentEvents(app.db, "demo-customer-2").length;
    for (const form of [
      formFrom({ ...ALL_DEFAULTS, training: "maybe" }),
      formFrom({ ...ALL_DEFAULTS, orders: "" }),
      formFrom({ training: "yes" }),
      formFrom({ ...ALL_DEFAULTS, shown: "orders:x" }),
      formFrom({ ...ALL_DEFAULTS, orders: "x".repeat(100_000) }),
    ]) {
      const response = await app.request("/fr/me/preferences", { cookie, form });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(html(tr("fr", "preferences.invalid")));
    }
    expect(listConsentEvents(app.db, "demo-customer-2")).toHaveLength(before);
  });

  it("refuses a save made while a notice changed: the customer must see the new text (409)", async () => {
    const cookie = await app.signIn("demo-customer-2");
    const seen = shown();
    const before = listConsentEvents(app.db, "demo-customer-2").length;
    publishChoiceNotice(app.db, { choiceKey: "orders", texts: { en: { label: "Orders", explanation: "Now also SIM swaps." } } });
    const response = await app.request("/en/me/preferences", { cookie, form: new URLSearchParams({ ...ALL_DEFAULTS, orders: "never", shown: seen }) });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain(html(tr("en", "errors.noticeChanged")));
    expect(listConsentEvents(app.db, "demo-customer-2")).toHaveLength(before);
  });

  it("asks to reconfirm a choice made under an older notice", async () => {
    // In the demo, demo-customer-2 chose "troubleshooting" before its notice changed (and has not confirmed since).
    const cookie = await app.signIn("demo-customer-2");
    const page = await (await app.request("/en/me/preferences", { cookie })).text();
    expect(page).toContain(tr("en", "preferences.reconfirmTitle"));
    expect(page).toContain("choice--reconfirm");
    const current = Object.fromEntries(getPreferences(app.db, "demo-customer-2").map((p) => [p.key, p.value]));
    await app.request("/en/me/preferences", { cookie, form: formFrom(current) });
    const after = await (await app.request("/en/me/preferences", { cookie })).text();
    expect(after).not.toContain("choice--reconfirm");
  });

  it("applies Global Privacy Control to training and says so", async () => {
    app.db.$client.prepare("delete from preferences where customer_id = 'demo-customer-2' and choice_key = 'training'").run();
    const cookie = await app.signIn("demo-customer-2");
    const page = await (await app.request("/en/me/preferences", { cookie, headers: { "Sec-GPC": "1" } })).text();
    expect(page).toContain(tr("en", "preferences.gpcTitle"));
    expect(listConsentEvents(app.db, "demo-customer-2").filter((e) => e.method === "gpc")).toHaveLength(1);
  });
});
