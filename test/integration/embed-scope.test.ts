/**
 * Issue 7, items 4 and 17: embed sessions are bound to the site that started them, site-signed
 * tokens open one session each, and every link and form of every embed page stays in the frame
 * without JavaScript (server-rendered hrefs and actions), carrying the session handle.
 */
import { SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { LANGUAGES } from "../../app/utils/languages";
import { createEmbedSite, signEmbedToken } from "../../app/domain/embed-sites.server";
import { customerSessions } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";

let app: TestApp;
let secret: string;
let otherSecret: string;
const CUSTOMER = "demo-customer-2";
const SAME_ORIGIN = { "Sec-Fetch-Site": "same-origin" };

beforeEach(async () => {
  app = await createTestApp();
  secret = (await createEmbedSite(app.db, { slug: "help", name: "Nordlys Help", origins: ["https://help.nordlys.example"], withSigningSecret: true })).signingSecret!;
  otherSecret = (await createEmbedSite(app.db, { slug: "other", name: "Someone else", origins: ["https://other.example"], withSigningSecret: true })).signingSecret!;
});

/** Opens the `help` embed with a fresh site-signed token: the handle and the embed cookie. */
async function openSigned(site = "help", key = secret) {
  const token = await signEmbedToken(key, site, CUSTOMER, { ttlSeconds: 300 });
  const response = await app.request(`/embed/${site}/en/me/preferences?token=${token}`);
  expect(response.status).toBe(303);
  const location = response.headers.get("Location")!;
  return { handle: new URL(location, "http://x").searchParams.get("h")!, cookie: response.headers.get("Set-Cookie")!, location };
}

const sessions = async () => (await app.db.select().from(customerSessions)).length;

describe("embed sessions are bound to their site (item 4)", () => {
  it("a handle minted on `help` is refused on /embed/other/… and on the portal", async () => {
    const { handle } = await openSigned();
    expect((await app.request(`/embed/help/en/me/preferences?h=${handle}`)).status).toBe(200);
    for (const path of ["/embed/other/en/me/preferences", "/embed/other/en/me/data", "/embed/other/en/me/data/export.json", "/en/me/preferences"]) {
      expect((await app.request(`${path}?h=${handle}`)).status, path).toBe(401);
    }
    // …and the other site's own handle is refused on `help`.
    const other = await openSigned("other", otherSecret);
    expect((await app.request(`/embed/help/en/me/preferences?h=${other.handle}`)).status).toBe(401);
  });

  it("the embed cookie is scoped to /embed/<site> and refused on another site and on the portal", async () => {
    const { cookie } = await openSigned();
    expect(cookie).toContain("Path=/embed/help;");
    const value = cookie.split(";")[0]!;
    expect((await app.request("/embed/help/en/me/preferences", { cookie: value })).status).toBe(200);
    expect((await app.request("/embed/other/en/me/preferences", { cookie: value })).status).toBe(401);
    expect((await app.request("/en/me/preferences", { cookie: value })).status).toBe(401);
  });

  it("a portal session does not sign anyone in inside an embed", async () => {
    const portal = await app.signIn(CUSTOMER);
    expect((await app.request("/en/me/preferences", { cookie: portal })).status).toBe(200);
    expect((await app.request("/embed/help/en/me/preferences", { cookie: portal })).status).toBe(401);
  });

  it("a site-signed token opens one session: a replay is refused", async () => {
    const token = await signEmbedToken(secret, "help", CUSTOMER, { ttlSeconds: 300 });
    expect((await app.request(`/embed/help/en/me/preferences?token=${token}`)).status).toBe(303);
    const before = await sessions();
    const replay = await app.request(`/embed/help/en/me/preferences?token=${token}`);
    expect(replay.status).toBe(401);
    expect(replay.headers.get("Set-Cookie")).toBeNull();
    expect(await sessions()).toBe(before);
  });

  it("a token without a jti is refused", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(CUSTOMER)
      .setAudience("help")
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(new TextEncoder().encode(secret));
    const before = await sessions();
    expect((await app.request(`/embed/help/en/me/preferences?token=${token}`)).status).toBe(401);
    expect(await sessions()).toBe(before);
  });
});

/** Every <a href> and <form action> of a page (entities decoded); forms without action too. */
function targets(html: string): string[] {
  const decode = (v: string) => v.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'");
  const hrefs = [...html.matchAll(/<a\s[^>]*?href="([^"]*)"/g)].map((m) => decode(m[1]!));
  const forms = [...html.matchAll(/<form\b[^>]*>/g)].map((m) => {
    const action = m[0].match(/\saction="([^"]*)"/);
    return action ? decode(action[1]!) : "(no action)";
  });
  return [...hrefs, ...forms];
}

/** Links that may point elsewhere: in-page fragments and the contact e-mail address. */
const inPage = (target: string) => target.startsWith("#") || target.startsWith("mailto:");

describe("every link and form of an embed page stays in the frame without JavaScript (item 17)", () => {
  async function fileSignedInConcern(handle: string) {
    const filed = await app.request(`/embed/help/en/concerns/new?h=${handle}`, {
      form: { kind: "human_review", description: "Please have a person look at this decision.", contactMethod: "portal", website: "" },
      headers: SAME_ORIGIN,
    });
    expect(filed.status).toBe(303);
    const location = filed.headers.get("Location")!;
    expect(location).toMatch(new RegExp(`^/embed/help/en/me/concerns/C-[\\w-]+\\?(.*&)?h=${handle}`));
    return new URL(location, "http://x").pathname;
  }

  async function fileAnonymousConcern() {
    const filed = await app.request("/embed/help/en/concerns/new", {
      form: { kind: "not_told_ai", description: "I did not know I was talking to an AI.", contactMethod: "portal", website: "" },
      headers: SAME_ORIGIN,
    });
    expect(filed.status).toBe(303);
    return filed.headers.get("Location")!;
  }

  it("signed in by handle, in every language: every href and action starts with /embed/help/<lang>/ and keeps the handle", async () => {
    const { handle } = await openSigned();
    const concernPath = await fileSignedInConcern(handle);
    const ref = concernPath.split("/").pop()!;
    // Saving choices creates receipts (the preferences and data pages link to them).
    const tracked = new URL(await fileAnonymousConcern(), "http://x").pathname.split("/").pop()!;
    const pages = [
      "",
      "/ai-systems",
      "/ai-systems/network-troubleshooter",
      "/ai-systems/no-such-system",
      "/no-such-page",
      "/concerns/new",
      "/concerns/new?system=network-troubleshooter",
      "/me/preferences",
      "/me/concerns",
      `/me/concerns/${ref}`,
      `/me/concerns/${ref}?done=reply`,
      "/me/interactions",
      "/me/interactions?page=2",
      "/me/data",
      `/concerns/track/${tracked}`,
    ];
    let checked = 0;
    for (const lang of ["en", "ar"] as const) {
      for (const page of pages) {
        const url = `/embed/help/${lang}${page}${page.includes("?") ? "&" : "?"}h=${handle}`;
        const response = await app.request(url);
        expect([200, 404], url).toContain(response.status);
        const found = targets(await response.text()).filter((t) => !inPage(t));
        // Error pages have a single "back" link; other pages the bar's forms and the page's links.
        expect(found.length, url).toBeGreaterThan(response.status === 200 ? 2 : 0);
        for (const target of found) {
          expect(target, `${url} → ${target}`).toMatch(new RegExp(`^/embed/help/(${LANGUAGES.join("|")})(/|\\?|$)`));
          expect(new URL(target, "http://x").searchParams.get("h"), `${url} → ${target}`).toBe(handle);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("anonymous, and on error pages: every href and action stays under /embed/help/", async () => {
    const tracked = await fileAnonymousConcern();
    for (const url of ["/embed/help/de", "/embed/help/de/ai-systems", "/embed/help/fr/concerns/new", tracked, "/embed/help/en/me/preferences", "/embed/help/en/ai-systems/nope", "/embed/help/en/me/preferences?token=not-a-token", "/embed/help/en/no/such/page"]) {
      const response = await app.request(url);
      const found = targets(await response.text()).filter((t) => !inPage(t));
      expect(found.length, url).toBeGreaterThan(response.status === 200 ? 2 : 0);
      for (const target of found) expect(target, `${url} → ${target}`).toMatch(/^\/embed\/help\//);
    }
  });

  it("the language switcher keeps the page, its query and the handle", async () => {
    const { handle } = await openSigned();
    const html = await (await app.request(`/embed/help/en/concerns/new?system=network-troubleshooter&h=${handle}`)).text();
    expect(targets(html)).toContain(`/embed/help/fr/concerns/new?system=network-troubleshooter&h=${handle}`);
  });

  it("redirects after a reply on a concern stay in the frame", async () => {
    const { handle } = await openSigned();
    const concernPath = await fileSignedInConcern(handle);
    const reply = await app.request(`${concernPath}?h=${handle}`, { form: { intent: "reply", body: "One more thing to add." }, headers: SAME_ORIGIN });
    expect(reply.status).toBe(303);
    expect(reply.headers.get("Location")).toBe(`${concernPath}?done=reply&h=${handle}`);
  });

  it("\"open in a new tab\" exchanges the embed session for a portal session", async () => {
    const { handle } = await openSigned();
    const html = await (await app.request(`/embed/help/en/me/preferences?h=${handle}`)).text();
    const bar = html.match(/<form [^>]*target="_blank"[^>]*>/)?.[0] ?? "";
    expect(bar).toContain(`action="/embed/help/en/open?h=${handle}"`);
    const opened = await app.request(`/embed/help/en/open?h=${handle}`, { form: { to: `/embed/help/en/me/preferences?h=${handle}` }, headers: SAME_ORIGIN });
    expect(opened.status).toBe(303);
    expect(opened.headers.get("Location")).toBe("/en/me/preferences");
    const cookie = opened.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^candor_session=.*Path=\/;/);
    expect(cookie).not.toContain("Partitioned");
    expect((await app.request("/en/me/preferences", { cookie: cookie.split(";")[0] })).status).toBe(200);
    // Another site's frame cannot use this site's handle to open a portal session.
    const foreign = await app.request(`/embed/other/en/open?h=${handle}`, { form: { to: "/embed/other/en/me/preferences" }, headers: SAME_ORIGIN });
    expect(foreign.status).toBe(303);
    expect(foreign.headers.get("Set-Cookie")).toBeNull();
    // Only paths of this embed are accepted as the page to open.
    for (const to of ["https://evil.example/", "//evil.example/x", "/embed/other/en/ai-systems", "/en/me/data"]) {
      const refused = await app.request(`/embed/help/en/open?h=${handle}`, { form: { to }, headers: SAME_ORIGIN });
      expect(refused.status, to).toBe(400);
      expect(refused.headers.get("Set-Cookie"), to).toBeNull();
    }
  });
});
