import { beforeEach, describe, expect, it } from "vitest";
import { mintLink, revokeLink } from "../../app/domain/links.server";
import { linkRedemptions } from "../../db/schema";
import { createTestApp, ORIGIN, type TestApp } from "../support/app";
import { rawValue } from "../support/raw-sql";
import { html, tr } from "../support/locales";
import { hasClass } from "../support/html";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const mint = (options: Partial<Parameters<typeof mintLink>[1]> = {}) =>
  mintLink(app.db, { customerId: "demo-customer-1", createdBy: "cli", baseUrl: ORIGIN, ...options });

describe("personal links (SPEC §3.1)", () => {
  it("GET only shows a Continue page: no session, no redemption, no referrer", async () => {
    const { token } = await mint();
    const response = await app.request(`/l/${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Set-Cookie")).toBeNull();
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(await response.text()).toContain(tr("en", "link.continue"));
    expect(await app.db.select().from(linkRedemptions)).toHaveLength(0);
  });

  it("POST redeems: a session cookie and a 303 to a URL without the token", async () => {
    const { token } = await mint({ lang: "de" });
    const response = await app.request(`/l/${token}`, { form: {} });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/de");
    const cookie = response.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^candor_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toContain(token);
    expect(await app.db.select().from(linkRedemptions)).toHaveLength(1);
    const home = await app.request("/de", { cookie: cookie.split(";")[0] });
    expect(await home.text()).toContain(html(tr("de", "home.yourChoices")));
  });

  it("opens on the interaction the link names", async () => {
    const ref = (await rawValue(app.services.database, "select ref from interactions where customer_id = 'demo-customer-1' order by occurred_at asc limit 1")) as string;
    const { token } = await mint({ lang: "fr", interactionRef: ref });
    const response = await app.request(`/l/${token}`, { form: {} });
    const location = response.headers.get("Location")!;
    expect(location).toMatch(new RegExp(`^/fr/me/interactions\\?page=\\d+&focus=${ref}#interaction-${ref}$`));
    const page = await app.request(location.split("#")[0]!, { cookie: response.headers.get("Set-Cookie")!.split(";")[0] });
    const html = await page.text();
    expect(html).toContain(`id="interaction-${ref}"`);
    expect(hasClass(html, "interaction--focus")).toBe(true);
  });

  it("explains expired, revoked and unknown links in the link's language, never with a 500", async () => {
    const expired = await mint({ lang: "fr", days: 1, now: Date.now() - 3 * 86_400_000 });
    const revoked = await mint({ lang: "de" });
    await revokeLink(app.db, revoked.token);
    const expiredPage = await app.request(`/l/${expired.token}`);
    expect(expiredPage.status).toBe(410);
    expect(await expiredPage.text()).toContain(html(tr("fr", "link.expired.title")));
    const revokedPage = await app.request(`/l/${revoked.token}`, { form: {} });
    expect(revokedPage.status).toBe(410);
    expect(revokedPage.headers.get("Set-Cookie")).toBeNull();
    expect(await revokedPage.text()).toContain('lang="de"');
    for (const bad of [`${revoked.token.slice(0, -2)}zz`, "x", "%00%ff", "a".repeat(3000)]) {
      const response = await app.request(`/l/${bad}`, { headers: { "Accept-Language": "ar" } });
      expect(response.status).toBe(404);
      const page = await response.text();
      expect(page).toContain('dir="rtl"');
      expect(page).toContain(html(tr("ar", "link.unknown.title")));
    }
  });

  it("refuses a cross-site POST (CSRF) without redeeming", async () => {
    const { token } = await mint();
    const response = await app.request(`/l/${token}`, { form: {}, headers: { "Sec-Fetch-Site": "cross-site" } });
    expect(response.status).toBe(403);
    // A foreign Origin is refused too (by React Router's own check, before ours).
    const other = await app.request(`/l/${token}`, { form: {}, headers: { Origin: "https://evil.example" } });
    expect([400, 403]).toContain(other.status);
    expect(await app.db.select().from(linkRedemptions)).toHaveLength(0);
  });

  it("rate-limits link opening per client address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await app.request("/l/guess" + i, { ip: "192.0.2.77" })).status);
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });

  it("signing out ends the session", async () => {
    const cookie = await app.signIn("demo-customer-1");
    expect((await app.request("/en/me/preferences", { cookie })).status).toBe(200);
    const out = await app.request("/en/sign-out", { form: {}, cookie });
    expect(out.status).toBe(303);
    expect((await app.request("/en/me/preferences", { cookie })).status).toBe(401);
  });
});
