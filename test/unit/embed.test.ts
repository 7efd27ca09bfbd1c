import { SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveCustomerSession, startCustomerSession } from "../../app/domain/customer-sessions.server";
import {
  createEmbedSite,
  disableEmbedSite,
  EMBED_HANDLE_TTL_MS,
  EmbedSiteInputError,
  findEmbedSite,
  frameAncestors,
  normaliseOrigin,
  signEmbedToken,
  verifyEmbedToken,
} from "../../app/domain/embed-sites.server";
import { embedPathFor, portalPathFor, withHandle } from "../../app/routes/embed/paths";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { freshTestDatabase } from "../support/database";

let database: AnyDatabase;
let db: Db;
const CUSTOMER = "demo-customer-1";

beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
});
afterEach(async () => {
  await database.close();
});

function site(withSigningSecret = true) {
  return createEmbedSite(db, { slug: "help", name: "Help center", origins: ["https://help.example.com/"], withSigningSecret });
}

describe("embed sites", () => {
  it("creates a site with normalised origins and a secret returned once", async () => {
    const { site: created, signingSecret } = await site();
    expect(created.origins).toEqual(["https://help.example.com"]);
    expect(signingSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await findEmbedSite(db, "help"))?.signingSecret).toBe(signingSecret);
    expect(frameAncestors(await findEmbedSite(db, "help"))).toBe("https://help.example.com");
  });

  it("refuses bad slugs, origins with paths, unsupported languages, colours and duplicates", async () => {
    const base = { slug: "ok", name: "Ok", origins: ["https://a.example"] };
    const code = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (error) {
        return error instanceof EmbedSiteInputError ? error.code : "other";
      }
      return "none";
    };
    expect(await code(() => createEmbedSite(db, { ...base, slug: "Bad Slug" }))).toBe("slug");
    expect(await code(() => createEmbedSite(db, { ...base, origins: ["https://a.example/help"] }))).toBe("origin");
    expect(await code(() => createEmbedSite(db, { ...base, origins: ["javascript:alert(1)"] }))).toBe("origin");
    expect(await code(() => createEmbedSite(db, { ...base, origins: [] }))).toBe("origin");
    expect(await code(() => createEmbedSite(db, { ...base, defaultLang: "xx" }))).toBe("lang");
    expect(await code(() => createEmbedSite(db, { ...base, accentColor: "red;}" }))).toBe("color");
    expect(await code(() => createEmbedSite(db, { ...base, logoUrl: "http://a.example/logo.png" }))).toBe("logo");
    await createEmbedSite(db, base);
    expect(await code(() => createEmbedSite(db, base))).toBe("duplicate");
    expect(normaliseOrigin("http://127.0.0.1:4000")).toBe("http://127.0.0.1:4000");
  });

  it("a disabled or unknown site frames nowhere", async () => {
    await site();
    expect(await disableEmbedSite(db, "help")).toBe(true);
    expect(await findEmbedSite(db, "help")).toBeUndefined();
    expect(frameAncestors(undefined)).toBe("'none'");
  });
});

describe("site-signed customer tokens", () => {
  it("accepts a short-lived HS256 token for this site and an existing customer", async () => {
    const { site: s, signingSecret } = await site();
    const token = await signEmbedToken(signingSecret!, "help", CUSTOMER, { ttlSeconds: 300, locale: "fr" });
    expect(await verifyEmbedToken(db, s, token)).toEqual({ ok: true, customerId: CUSTOMER, lang: "fr" });
  });

  it("rejects another audience, another secret, expiry, long lifetimes and unknown customers", async () => {
    const { site: s, signingSecret } = await site();
    const now = Date.now();
    expect(await verifyEmbedToken(db, s, await signEmbedToken(signingSecret!, "other-site", CUSTOMER))).toMatchObject({ ok: false, reason: "invalid" });
    expect(await verifyEmbedToken(db, s, await signEmbedToken("x".repeat(43), "help", CUSTOMER))).toMatchObject({ ok: false, reason: "invalid" });
    const old = await signEmbedToken(signingSecret!, "help", CUSTOMER, { ttlSeconds: 60, now: now - 5 * 60_000 });
    expect(await verifyEmbedToken(db, s, old, now)).toMatchObject({ ok: false, reason: "expired" });
    const long = await signEmbedToken(signingSecret!, "help", CUSTOMER, { ttlSeconds: 3600 });
    expect(await verifyEmbedToken(db, s, long)).toMatchObject({ ok: false });
    expect(await verifyEmbedToken(db, s, await signEmbedToken(signingSecret!, "help", "nobody"))).toMatchObject({ ok: false, reason: "unknown_customer" });
    expect(await verifyEmbedToken(db, s, "not.a.jwt")).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("rejects tokens without iat or with another algorithm, and sites without a secret", async () => {
    const { site: s, signingSecret } = await site();
    const key = new TextEncoder().encode(signingSecret!);
    const noIat = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(CUSTOMER).setAudience("help").setExpirationTime("5m").sign(key);
    expect(await verifyEmbedToken(db, s, noIat)).toMatchObject({ ok: false });
    const hs512 = await new SignJWT({}).setProtectedHeader({ alg: "HS512" }).setSubject(CUSTOMER).setAudience("help").setIssuedAt().setExpirationTime("5m").sign(key);
    expect(await verifyEmbedToken(db, s, hs512)).toMatchObject({ ok: false, reason: "invalid" });
    const { site: anonymous } = await createEmbedSite(db, { slug: "anon", name: "Anon", origins: ["https://b.example"] });
    expect(await verifyEmbedToken(db, anonymous, await signEmbedToken("secret", "anon", CUSTOMER))).toMatchObject({ ok: false, reason: "no_secret" });
  });

  it("accepts each jti once per site, until the token expires", async () => {
    const { site: s, signingSecret } = await site();
    const now = Date.now();
    const token = await signEmbedToken(signingSecret!, "help", CUSTOMER, { ttlSeconds: 300, now });
    expect(await verifyEmbedToken(db, s, token, now)).toMatchObject({ ok: true });
    expect(await verifyEmbedToken(db, s, token, now + 1000)).toEqual({ ok: false, reason: "replayed" });
    // Two tokens signed in the same second differ by their jti: both open a session.
    const a = await signEmbedToken(signingSecret!, "help", CUSTOMER, { now });
    const b = await signEmbedToken(signingSecret!, "help", CUSTOMER, { now });
    expect(await verifyEmbedToken(db, s, a, now)).toMatchObject({ ok: true });
    expect(await verifyEmbedToken(db, s, b, now)).toMatchObject({ ok: true });
    const key = new TextEncoder().encode(signingSecret!);
    const iat = Math.floor(now / 1000);
    const noJti = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(CUSTOMER).setAudience("help").setIssuedAt(iat).setExpirationTime(iat + 300).sign(key);
    expect(await verifyEmbedToken(db, s, noJti, now)).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("a session bound to an embed site resolves only for that site", async () => {
    const now = Date.now();
    const handle = await startCustomerSession(db, CUSTOMER, null, now, EMBED_HANDLE_TTL_MS, "help");
    expect((await resolveCustomerSession(db, handle, now, "help"))?.id).toBe(CUSTOMER);
    expect(await resolveCustomerSession(db, handle, now, "other")).toBeUndefined();
    expect(await resolveCustomerSession(db, handle, now, null)).toBeUndefined();
    const portal = await startCustomerSession(db, CUSTOMER, null, now);
    expect(await resolveCustomerSession(db, portal, now, "help")).toBeUndefined();
    expect((await resolveCustomerSession(db, portal, now))?.id).toBe(CUSTOMER);
  });

  it("the URL handle is a session that ends after 30 minutes", async () => {
    const now = Date.now();
    const handle = await startCustomerSession(db, CUSTOMER, null, now, EMBED_HANDLE_TTL_MS);
    expect((await resolveCustomerSession(db, handle, now + 29 * 60_000))?.id).toBe(CUSTOMER);
    expect(await resolveCustomerSession(db, handle, now + 31 * 60_000)).toBeUndefined();
  });
});

describe("embed paths", () => {
  it("maps portal pages to their embedded twins and back", () => {
    expect(embedPathFor("/fr/me/concerns/new", "help", "fr")).toBe("/embed/help/fr/concerns/new");
    expect(embedPathFor("/fr/concerns/track/abc", "help", "fr")).toBe("/embed/help/fr/concerns/track/abc");
    expect(embedPathFor("/fr", "help", "fr")).toBe("/embed/help/fr");
    expect(embedPathFor("/fr/me/data", "help", "fr")).toBe("/embed/help/fr/me/data");
    expect(embedPathFor("/fr/me/interactions", "help", "fr")).toBe("/embed/help/fr/me/interactions");
    expect(embedPathFor("/fr/sign-out", "help", "fr")).toBeNull();
    expect(embedPathFor("/en/ai-systems", "help", "fr")).toBeNull();
    expect(portalPathFor("/embed/help/fr/concerns/new")).toBe("/fr/me/concerns/new");
    expect(portalPathFor("/embed/help/de/ai-systems/x")).toBe("/de/ai-systems/x");
    expect(withHandle("/embed/help/en/me/preferences?saved=1#saved", "H")).toBe("/embed/help/en/me/preferences?saved=1&h=H#saved");
    expect(withHandle("/a", null)).toBe("/a");
  });
});
