import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { scriptsOfPage } from "../bench/pages-support";
import { createTestApp, type TestApp } from "../support/app";
import { html, tr } from "../support/locales";
import { customerAwaitingReconfirmation } from "../support/preferences-factories";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const CLIENT_DIR = path.resolve(process.env.CANDOR_BUILD_DIR ?? "build", "client");
const T0 = Date.parse("2026-03-01T10:00:00Z");

/** The page's loader data as React Router streams it into the HTML. */
const streamedData = (page: string) => [...page.matchAll(/<script[^>]*>(window\.__reactRouterContext\.streamController\.enqueue[\s\S]*?)<\/script>/g)].map((m) => m[1]).join("");

describe("My choices: the server renders every part, the first JavaScript carries none of their code (SPEC §10)", () => {
  it("the main form, a choice to reconfirm, the limits, the time zones and the history are in the HTML; their code is loaded on demand", async () => {
    await customerAwaitingReconfirmation(app.db, { customerId: "later-1", choiceKey: "troubleshooting", value: "allow", other: "orders", now: T0 });
    const cookie = await app.signIn("later-1", "en");
    const response = await app.request("/en/me/preferences", { cookie });
    expect(response.status).toBe(200);
    const page = await response.text();
    // Everything a customer without JavaScript needs is there, whole.
    expect(page).toMatch(/<form id="choice-troubleshooting"[^>]*method="post"/);
    // In the document where they belong, never streamed after it behind a script (hidden without JavaScript).
    const footer = page.indexOf("<footer");
    for (const part of ['id="choice-troubleshooting"', 'name="shown"', 'id="history-title"']) {
      expect(page.indexOf(part)).toBeGreaterThan(0);
      expect(page.indexOf(part)).toBeLessThan(footer);
    }
    expect(page).toContain('name="intent" value="confirm"');
    expect(page).toContain('<details class="choice-limits"');
    expect(page).toContain('id="training-undo"');
    expect(page).toContain('id="history-title"');
    expect(page).toContain(html(tr("en", "preferences.save")));
    const select = page.slice(page.indexOf('name="timeZone"')).split("</select>")[0]!;
    expect(select.match(/<option /g)!.length).toBeGreaterThan(300);
    expect(select).toMatch(/<option value="[^"]+" selected="">/);
    // The parts wait in Suspense boundaries the browser hydrates once their code is there.
    expect(page).toMatch(/<!--\$--><form id="choice-troubleshooting"/);

    const scripts = scriptsOfPage(page, CLIENT_DIR).map((s) => s.url);
    expect(scripts.some((url) => /\/preferences-[\w-]+\.js$/.test(url))).toBe(true);
    expect(scripts.filter((url) => url.includes("preferences-parts"))).toEqual([]);
  });

  it("the time-zone list reaches the page once: in the select, not again in the loader data", async () => {
    const cookie = await app.signIn("demo-customer-1", "en");
    const page = await (await app.request("/en/me/preferences", { cookie })).text();
    expect(page.match(/Europe\/Dublin/g)).toHaveLength(1);
    const data = streamedData(page);
    expect(data).toContain("timeZoneLabel");
    expect(data).not.toContain("optgroup");
    expect(data).not.toContain("Europe/Dublin");
  });

  it("a refused save (no JavaScript) shows the posted zone selected and the field's error", async () => {
    const cookie = await app.signIn("demo-customer-1", "en");
    const page = await (await app.request("/en/me/preferences", { cookie })).text();
    const shown = /name="shown" value="([^"]+)"/.exec(page)![1]!;
    const form = new URLSearchParams({ shown: shown.replaceAll("&quot;", '"'), orders: "ask", timeZone: "America/Anchorage", "limits.orders.quietFrom": "22:00" });
    const refused = await app.request("/en/me/preferences", { cookie, form });
    expect(refused.status).toBe(400);
    const again = await refused.text();
    const select = again.slice(again.indexOf('name="timeZone"')).split("</select>")[0]!;
    expect(select).toContain('<option value="America/Anchorage" selected="">');
    expect(select.match(/selected=""/g)).toHaveLength(1);
    expect(again).toContain(html(tr("en", "preferences.limits.errors.quietBoth")));
  });
});
