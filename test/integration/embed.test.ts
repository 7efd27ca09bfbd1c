import { beforeEach, describe, expect, it } from "vitest";
import { createEmbedSite, disableEmbedSite, signEmbedToken } from "../../app/domain/embed-sites.server";
import { getPreferences } from "../../app/domain/preferences.server";
import { concerns, customerSessions } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { rawAll } from "../support/raw-sql";
import { html, tr } from "../support/locales";
import { hasClass } from "../support/html";

let app: TestApp;
let secret: string;
const HOST = "https://help.nordlys.example";
const CUSTOMER = "demo-customer-2";

beforeEach(async () => {
  app = await createTestApp();
  secret = (await createEmbedSite(app.db, { slug: "help", name: "Nordlys Help", origins: [HOST], withSigningSecret: true })).signingSecret!;
});

async function shown() {
  const rows = (await rawAll(app.services.database, "select key, notice_version as v from choice_definitions")) as { key: string; v: number }[];
  return rows.map((r) => `${r.key}:${r.v}`).join(",");
}
const CHOICES = {
  disclose_account_information: "ask",
  "identity-verification": "yes",
  "plan-changes": "ask",
  "billing-arrangements": "ask",
  troubleshooting: "ask",
  "proactive-outreach": "ask",
  orders: "ask",
  training: "yes",
  "human-first": "no",
};

/** Opens the embed with a site-signed token; returns the redirect target and the Set-Cookie. */
async function openSigned(page = "me/preferences") {
  const token = await signEmbedToken(secret, "help", CUSTOMER, { ttlSeconds: 300 });
  const response = await app.request(`/embed/help/en/${page}?token=${token}`);
  expect(response.status).toBe(303);
  return { location: response.headers.get("Location")!, setCookie: response.headers.get("Set-Cookie")! };
}

describe("embed pages and framing (SPEC §6)", () => {
  it("are framed only by the site's origins, without the site chrome, in the URL's language", async () => {
    const response = await app.request("/embed/help/fr/ai-systems");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Security-Policy")).toContain(`frame-ancestors ${HOST};`.replace(";", ""));
    expect(response.headers.get("Content-Security-Policy")).not.toContain("frame-ancestors 'none'");
    expect(response.headers.get("X-Frame-Options")).toBeNull();
    const page = await response.text();
    expect(page).toContain('<html lang="fr"');
    expect(page).toContain(html(tr("fr", "register.title")));
    expect(hasClass(page, "site-header")).toBe(false);
    expect(page).toContain("Ouvrir dans un nouvel onglet");
  });

  it("a host language Candor lacks falls back like Accept-Language: regional variant, then the visitor's languages (issue 7.9)", async () => {
    const regional = await app.request("/embed/help/fr-CA/ai-systems?h=x");
    expect(regional.status).toBe(302);
    expect(regional.headers.get("Location")).toBe("/embed/help/fr/ai-systems?h=x");
    const other = await app.request("/embed/help/nb-NO/ai-systems", { headers: { "Accept-Language": "nb-NO,nb;q=0.9,de;q=0.8" } });
    expect(other.headers.get("Location")).toBe("/embed/help/de/ai-systems");
    const home = await app.request("/embed/help/ja", { headers: { "Accept-Language": "ja,fr" } });
    expect(home.headers.get("Location")).toBe("/embed/help/fr");
    const portuguese = await app.request("/embed/help/pt-BR", { headers: { "Accept-Language": "de" } });
    expect(portuguese.headers.get("Location")).toBe("/embed/help/pt");
    expect((await app.request("/embed/help/not a language")).status).toBe(404);
    expect((await app.request("/embed/nosuchsite/fr-CA")).status).toBe(404);
  });

  it("every other page stays unframeable", async () => {
    for (const path of ["/en/ai-systems", "/en/me/concerns/new", "/staff/login"]) {
      const response = await app.request(path);
      expect(response.headers.get("Content-Security-Policy"), path).toContain("frame-ancestors 'none'");
      expect(response.headers.get("X-Frame-Options"), path).toBe("DENY");
    }
  });

  it("unknown and disabled sites answer 404 and cannot be framed", async () => {
    const unknown = await app.request("/embed/nobody/en/ai-systems");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    await disableEmbedSite(app.db, "help");
    const disabled = await app.request("/embed/help/en/ai-systems");
    expect(disabled.status).toBe(404);
    expect(disabled.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    expect((await app.request("/embed/help/xx/ai-systems")).status).toBe(404);
  });

  it("an anonymous concern filed in the frame stays in the frame", async () => {
    const response = await app.request("/embed/help/en/concerns/new", {
      form: { kind: "not_told_ai", description: "I did not know I was talking to an AI.", contactMethod: "email", email: "v@example.com", website: "" },
      headers: { "Sec-Fetch-Site": "same-origin" },
    });
    expect(response.status).toBe(303);
    const location = response.headers.get("Location")!;
    expect(location).toMatch(/^\/embed\/help\/en\/concerns\/track\/[\w-]+\?new=1$/);
    const tracked = await app.request(location);
    expect(tracked.status).toBe(200);
    expect(await tracked.text()).toContain("I did not know I was talking to an AI.");
  });

  it("bad input in the frame answers 400 and stores nothing", async () => {
    const before = (await app.db.select().from(concerns)).length;
    const response = await app.request("/embed/help/en/concerns/new", { form: { kind: "nonsense", description: "x", contactMethod: "portal" } });
    expect(response.status).toBe(400);
    expect((await app.db.select().from(concerns)).length).toBe(before);
  });
});

describe("signed customer in the frame (cookies blocked)", () => {
  it("a site-signed token starts a session: a Partitioned cookie plus a handle in the URL", async () => {
    const { location, setCookie } = await openSigned();
    expect(location).toMatch(/^\/embed\/help\/en\/me\/preferences\?h=[\w-]+$/);
    expect(location).not.toContain("token=");
    expect(setCookie).toMatch(/^candor_session=/);
    for (const attribute of ["Partitioned", "Secure", "SameSite=None", "HttpOnly", "Path=/embed"]) expect(setCookie).toContain(attribute);
    // No cookie comes back: the handle alone opens the customer's page.
    const byHandle = await app.request(location);
    expect(byHandle.status).toBe(200);
    expect(await byHandle.text()).toContain(html(tr("en", "preferences.title")));
    // The partitioned cookie alone works too.
    const byCookie = await app.request("/embed/help/en/me/preferences", { cookie: setCookie.split(";")[0] });
    expect(byCookie.status).toBe(200);
    // Neither: signed out.
    expect((await app.request("/embed/help/en/me/preferences")).status).toBe(401);
  });

  it("the handle only works on embed pages", async () => {
    const { location } = await openSigned();
    const handle = new URL(location, "http://x").searchParams.get("h");
    expect((await app.request(`/en/me/preferences?h=${handle}`)).status).toBe(401);
  });

  it("saving choices with the handle keeps it on the redirect; a cross-site post is refused", async () => {
    const { location } = await openSigned();
    const saved = await app.request(location, { form: { shown: (await shown()), ...CHOICES }, headers: { "Sec-Fetch-Site": "same-origin" } });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toMatch(/^\/embed\/help\/en\/me\/preferences\?saved=\d+&h=[\w-]+#saved$/);
    expect((await getPreferences(app.db, CUSTOMER)).find((p) => p.key === "training")?.value).toBe("yes");
    // The page with its "saved" message offers the other languages without it (shown once), keeping the handle.
    const savedPage = await (await app.request(saved.headers.get("Location")!.replace(/#.*$/, ""))).text();
    expect(savedPage).toContain(html(tr("en", "preferences.savedTitle")));
    const german = /<a href="(\/embed\/help\/de\/me\/preferences[^"]*)"[^>]*hrefLang="de"|<a href="(\/embed\/help\/de\/me\/preferences[^"]*)"/.exec(savedPage);
    const germanHref = (german?.[1] ?? german?.[2] ?? "").replace(/&amp;/g, "&");
    expect(germanHref).toMatch(/^\/embed\/help\/de\/me\/preferences\?h=[\w-]+$/);
    expect(await (await app.request(germanHref)).text()).not.toContain(html(tr("de", "preferences.savedTitle")));

    const forged = await app.request(location, { form: { shown: (await shown()), ...CHOICES, training: "no" }, headers: { "Sec-Fetch-Site": "cross-site" } });
    expect(forged.status).toBe(403);
    expect((await getPreferences(app.db, CUSTOMER)).find((p) => p.key === "training")?.value).toBe("yes");
  });

  it("a bad, expired or foreign token starts no session", async () => {
    const sessions = async () => (await app.db.select().from(customerSessions)).length;
    const before = await sessions();
    const expired = await signEmbedToken(secret, "help", CUSTOMER, { ttlSeconds: 60, now: Date.now() - 10 * 60_000 });
    const foreign = await signEmbedToken(secret, "other", CUSTOMER);
    const forged = await signEmbedToken("not-the-secret-but-long-enough-000000000000", "help", CUSTOMER);
    for (const token of [expired, foreign, forged, "garbage"]) {
      const response = await app.request(`/embed/help/en/me/preferences?token=${token}`);
      expect(response.status).toBe(401);
      expect(response.headers.get("Set-Cookie")).toBeNull();
    }
    expect(await sessions()).toBe(before);
  });
});
