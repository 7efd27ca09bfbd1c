/**
 * Help-center embedding (SPEC §6): registered embed sites, their allowed framing origins and the
 * short-lived customer tokens a site's backend may sign (JWT, HS256, audience = the site's slug).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, eq, isNull, lt } from "drizzle-orm";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { embedSites, embedTokenUses } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { fitsLength } from "../utils/text";
import { isLang } from "../utils/languages";
import { appendAudit, type AuditActor } from "./audit.server";
import { findCustomer } from "./customers.server";

export type EmbedSite = typeof embedSites.$inferSelect;

/** A site-signed customer token lives at most this long (exp − iat and exp − now). */
export const EMBED_TOKEN_MAX_AGE_S = 10 * 60;
/** The session handle carried in embed URLs for when the Partitioned cookie does not come back. */
export const EMBED_HANDLE_TTL_MS = 30 * 60 * 1000;

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;

export class EmbedSiteInputError extends Error {
  constructor(readonly code: "slug" | "name" | "origin" | "lang" | "color" | "logo" | "duplicate") {
    super(`Invalid embed site: ${code}`);
  }
}

/** "https://help.example.com" (scheme, host, optional port; nothing else), or null. */
export function normaliseOrigin(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) return null;
  return url.origin;
}

export interface NewEmbedSite {
  slug: string;
  name: string;
  origins: string[];
  defaultLang?: string;
  accentColor?: string | null;
  logoUrl?: string | null;
  /** Generate a signing secret (returned once) so the site can open personalised embeds. */
  withSigningSecret?: boolean;
  /** When given, the creation is audited in the same transaction. */
  actor?: AuditActor;
}

export async function createEmbedSite(db: Db, input: NewEmbedSite, now = Date.now()): Promise<{ site: EmbedSite; signingSecret: string | null }> {
  if (!SLUG.test(input.slug)) throw new EmbedSiteInputError("slug");
  const name = input.name.trim();
  if (!name || !fitsLength(name, 100)) throw new EmbedSiteInputError("name");
  const origins = input.origins.map(normaliseOrigin);
  if (origins.length === 0 || origins.length > 20 || origins.some((o) => o === null)) throw new EmbedSiteInputError("origin");
  const lang = input.defaultLang ?? "en";
  if (!isLang(lang)) throw new EmbedSiteInputError("lang");
  if (input.accentColor && !COLOR.test(input.accentColor)) throw new EmbedSiteInputError("color");
  if (input.logoUrl && !isLogoUrl(input.logoUrl)) throw new EmbedSiteInputError("logo");
  if (await findEmbedSiteAny(db, input.slug)) throw new EmbedSiteInputError("duplicate");
  const signingSecret = input.withSigningSecret ? randomBytes(32).toString("base64url") : null;
  const insert = async (tx: Db): Promise<EmbedSite> => {
    const [row] = await tx
      .insert(embedSites)
      .values({
        slug: input.slug,
        name,
        origins: [...new Set(origins as string[])],
        accentColor: input.accentColor ?? null,
        logoUrl: input.logoUrl ?? null,
        defaultLang: lang,
        signingSecret,
        createdAt: now,
      })
      .returning();
    return row!;
  };
  const actor = input.actor;
  const site = actor
    ? await db.transaction(async (tx) => {
        const row = await insert(tx);
        await appendAudit(tx, { actor, action: "embed_site.created", target: { type: "embed_site", id: row.slug }, details: { signed: Boolean(signingSecret), lang }, now });
        return row;
      })
    : await insert(db);
  return { site, signingSecret };
}

/** The logo: an https URL, or a path on Candor's own origin ("/brand/logo.svg", never "//host"). */
export function isLogoUrl(value: string): boolean {
  if (value.length > 500) return false;
  if (value.startsWith("/")) return !value.startsWith("//") && !value.includes("\\") && URL.canParse(value, "https://candor.invalid");
  return URL.canParse(value) && value.startsWith("https://");
}

export async function listEmbedSites(db: Db): Promise<EmbedSite[]> {
  return db.select().from(embedSites).orderBy(asc(embedSites.slug));
}

export interface EmbedSiteChanges {
  name: string;
  origins: string[];
  defaultLang: string;
  accentColor: string | null;
  logoUrl: string | null;
}

/** Updates a site's name, framing origins, theme and default language (audited: codes only). */
export async function updateEmbedSite(db: Db, slug: string, input: EmbedSiteChanges, actor: AuditActor, now = Date.now()): Promise<EmbedSite | null> {
  const name = input.name.trim();
  if (!name || !fitsLength(name, 100)) throw new EmbedSiteInputError("name");
  const origins = input.origins.map(normaliseOrigin);
  if (origins.length === 0 || origins.length > 20 || origins.some((o) => o === null)) throw new EmbedSiteInputError("origin");
  if (!isLang(input.defaultLang)) throw new EmbedSiteInputError("lang");
  if (input.accentColor && !COLOR.test(input.accentColor)) throw new EmbedSiteInputError("color");
  if (input.logoUrl && !isLogoUrl(input.logoUrl)) throw new EmbedSiteInputError("logo");
  return db.transaction(async (tx) => {
    const before = await findEmbedSiteAny(tx, slug);
    if (!before) return null;
    const unique = [...new Set(origins as string[])];
    const [site] = await tx
      .update(embedSites)
      .set({ name, origins: unique, defaultLang: input.defaultLang, accentColor: input.accentColor || null, logoUrl: input.logoUrl || null })
      .where(eq(embedSites.id, before.id))
      .returning();
    await appendAudit(tx, {
      actor,
      action: "embed_site.updated",
      target: { type: "embed_site", id: slug },
      details: { origins: unique.length, lang: input.defaultLang, theme: Boolean(site!.accentColor || site!.logoUrl) },
      now,
    });
    return site!;
  });
}

/** Disables or re-enables a site; "unchanged" when it already was. */
export async function setEmbedSiteEnabled(
  db: Db,
  slug: string,
  enabled: boolean,
  actor: AuditActor,
  now = Date.now(),
): Promise<"done" | "unchanged" | "notFound"> {
  return db.transaction(async (tx) => {
    const site = await findEmbedSiteAny(tx, slug);
    if (!site) return "notFound" as const;
    if ((site.disabledAt === null) === enabled) return "unchanged" as const;
    await tx.update(embedSites).set({ disabledAt: enabled ? null : now }).where(eq(embedSites.id, site.id));
    await appendAudit(tx, { actor, action: enabled ? "embed_site.enabled" : "embed_site.disabled", target: { type: "embed_site", id: slug }, now });
    return "done" as const;
  });
}

/** A new signing secret (returned once; tokens signed with the old one stop working). */
export async function rotateEmbedSiteSecret(db: Db, slug: string, actor: AuditActor, now = Date.now()): Promise<string | null> {
  return db.transaction(async (tx) => {
    const site = await findEmbedSiteAny(tx, slug);
    if (!site) return null;
    const secret = randomBytes(32).toString("base64url");
    await tx.update(embedSites).set({ signingSecret: secret }).where(eq(embedSites.id, site.id));
    await appendAudit(tx, { actor, action: "embed_site.secret_rotated", target: { type: "embed_site", id: slug }, details: { hadSecret: Boolean(site.signingSecret) }, now });
    return secret;
  });
}

/** Removes the signing secret: the site opens anonymous embeds only. */
export async function removeEmbedSiteSecret(db: Db, slug: string, actor: AuditActor, now = Date.now()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const site = await findEmbedSiteAny(tx, slug);
    if (!site) return false;
    await tx.update(embedSites).set({ signingSecret: null }).where(eq(embedSites.id, site.id));
    await appendAudit(tx, { actor, action: "embed_site.secret_removed", target: { type: "embed_site", id: slug }, now });
    return true;
  });
}

export async function findEmbedSiteAny(db: Db, slug: string): Promise<EmbedSite | undefined> {
  const [site] = await db.select().from(embedSites).where(eq(embedSites.slug, slug)).limit(1);
  return site;
}

/** The active (not disabled) site with this slug. */
export async function findEmbedSite(db: Db, slug: string): Promise<EmbedSite | undefined> {
  if (!SLUG.test(slug)) return undefined;
  const [site] = await db
    .select()
    .from(embedSites)
    .where(and(eq(embedSites.slug, slug), isNull(embedSites.disabledAt)))
    .limit(1);
  return site;
}

export async function disableEmbedSite(db: Db, slug: string, now = Date.now()): Promise<boolean> {
  const disabled = await db.update(embedSites).set({ disabledAt: now }).where(eq(embedSites.slug, slug)).returning({ id: embedSites.id });
  return disabled.length > 0;
}

/** The `frame-ancestors` source list for an embed page: the site's origins, else 'none'. */
export function frameAncestors(site: EmbedSite | undefined): string {
  return site && site.origins.length > 0 ? site.origins.join(" ") : "'none'";
}

/** Only a plain #rrggbb colour ever reaches the page. */
export function safeAccentColor(site: EmbedSite): string | null {
  return site.accentColor && COLOR.test(site.accentColor) ? site.accentColor : null;
}

export type EmbedTokenResult =
  | { ok: true; customerId: string; lang: string | null }
  | { ok: false; reason: "no_secret" | "invalid" | "expired" | "too_long" | "unknown_customer" | "replayed" };

/** Accepted clock skew between the site's backend and Candor, in seconds. */
const CLOCK_TOLERANCE_S = 30;

/**
 * Verifies a site-signed customer token: HS256 only, audience = the site's slug, `sub` = the
 * customer id, `iat`, `exp` and `jti` required, lifetime at most 10 minutes. Each `jti` is
 * accepted once per site (recorded in embed_token_uses until the token's exp): a token copied
 * from a URL, a log or a Referer cannot open a second session ("replayed").
 */
export async function verifyEmbedToken(db: Db, site: EmbedSite, token: string, now = Date.now()): Promise<EmbedTokenResult> {
  if (!site.signingSecret) return { ok: false, reason: "no_secret" };
  if (token.length > 2048) return { ok: false, reason: "invalid" };
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(site.signingSecret), {
      algorithms: ["HS256"],
      audience: site.slug,
      requiredClaims: ["sub", "exp", "iat", "jti"],
      maxTokenAge: EMBED_TOKEN_MAX_AGE_S,
      currentDate: new Date(now),
      clockTolerance: CLOCK_TOLERANCE_S,
    });
    const nowS = Math.floor(now / 1000);
    if (payload.exp! - payload.iat! > EMBED_TOKEN_MAX_AGE_S || payload.exp! - nowS > EMBED_TOKEN_MAX_AGE_S + 30) {
      return { ok: false, reason: "too_long" };
    }
    const customer = typeof payload.sub === "string" ? await findCustomer(db, payload.sub) : undefined;
    if (!customer) return { ok: false, reason: "unknown_customer" };
    if (typeof payload.jti !== "string" || !payload.jti || payload.jti.length > 200) return { ok: false, reason: "invalid" };
    if (!(await useTokenId(db, site, payload.jti, (payload.exp! + CLOCK_TOLERANCE_S) * 1000, now))) return { ok: false, reason: "replayed" };
    const lang = typeof payload.locale === "string" && isLang(payload.locale) ? payload.locale : null;
    return { ok: true, customerId: customer.id, lang };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: "expired" };
    return { ok: false, reason: "invalid" };
  }
}

/** Records a token's jti as used; resolves to false when it already was. Forgets jtis whose tokens expired. */
async function useTokenId(db: Db, site: EmbedSite, jti: string, expiresAt: number, now: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.delete(embedTokenUses).where(lt(embedTokenUses.expiresAt, now));
    const inserted = await tx.insert(embedTokenUses).values({ siteId: site.id, jti, expiresAt }).onConflictDoNothing().returning({ jti: embedTokenUses.jti });
    return inserted.length === 1;
  });
}

/** What a site's backend does (used by the demo help center and tests): a one-use token (random jti). */
export async function signEmbedToken(
  secret: string,
  siteSlug: string,
  customerId: string,
  { ttlSeconds = 5 * 60, now = Date.now(), locale }: { ttlSeconds?: number; now?: number; locale?: string } = {},
): Promise<string> {
  const iat = Math.floor(now / 1000);
  const jwt = new SignJWT(locale ? { locale } : {})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(customerId)
    .setAudience(siteSlug)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .setJti(randomUUID());
  return jwt.sign(new TextEncoder().encode(secret));
}
