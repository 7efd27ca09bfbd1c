import { beforeEach, describe, expect, it } from "vitest";
import { upsertCustomer } from "../../app/domain/customers.server";
import { recordInteraction } from "../../app/domain/interactions.server";
import { createTestApp, type TestApp } from "../support/app";
import { rawAll, rawGet } from "../support/raw-sql";
import { html, tr } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

async function shown() {
  const rows = (await rawAll(app.services.database, "select key, notice_version as v from choice_definitions")) as { key: string; v: number }[];
  return rows.map((r) => `${r.key}:${r.v}`).join(",");
}

const DEFAULTS = {
  disclose_account_information: "ask",
  "identity-verification": "yes",
  "plan-changes": "ask",
  "billing-arrangements": "ask",
  troubleshooting: "ask",
  "proactive-outreach": "ask",
  orders: "ask",
  "human-first": "no",
};

describe("my interactions: training use as it was at the time (SPEC §11.4)", () => {
  it("an interaction recorded while training was allowed stays eligible after an opt-out, and says the opt-out stops future use", async () => {
    await upsertCustomer(app.db, { id: "trainer", locale: "de" });
    const cookie = await app.signIn("trainer", "de");
    const systemId = ((await rawGet(app.services.database, "select id from ai_systems where slug = 'chat-assistant'")) as { id: number }).id;
    const chat = (ref: string) =>
      recordInteraction(app.db, {
        customerId: "trainer",
        source: "test",
        ref,
        channel: "chat",
        subject: `Chat ${ref}`,
        occurredAt: Date.now(),
        ai: [{ systemId, role: "answered", humanReviewed: false, trainingEligible: true }],
      });
    await app.request("/de/me/preferences", { cookie, form: new URLSearchParams({ shown: (await shown()), ...DEFAULTS, training: "yes" }) });
    await chat("T-ALLOWED");
    await app.request("/de/me/preferences", { cookie, form: new URLSearchParams({ shown: (await shown()), ...DEFAULTS, training: "no" }) });
    await chat("T-AFTER");
    const page = await (await app.request("/de/me/interactions", { cookie })).text();
    // One interaction's part of the page: from its item to the next one.
    const section = (ref: string) => {
      const marker = `id="interaction-${ref}"`;
      expect(page).toContain(marker);
      return page.slice(page.indexOf(marker) + marker.length).split('id="interaction-')[0]!;
    };
    const allowed = section("T-ALLOWED");
    const after = section("T-AFTER");
    expect(allowed).toContain(html(tr("de", "interactions.trainingEligible")));
    expect(allowed).toContain(html(tr("de", "interactions.trainingStoppedSince")));
    expect(after).toContain(html(tr("de", "interactions.notTrainingEligible")));
    expect(after).not.toContain(html(tr("de", "interactions.trainingStoppedSince")));
  });
});
