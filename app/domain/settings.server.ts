import { createHash } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { settings } from "../../db/schema";
import type { Db } from "../utils/db.server";
import type { Lang } from "../utils/languages";
import { preparedQuery } from "../utils/prepared.server";
import { endOfDayMonthsLater } from "../utils/calendar";
import { env } from "../utils/env.server";
import { appendAudit, type AuditActor } from "./audit.server";
import type { Priority } from "./vocabulary";

/** A competent authority as customers see it: a name (per language optional) and its web address. */
export interface Authority {
  /** The name used when there is none in the page's language. */
  name: string;
  /** The name per language, where the company gave one. */
  names: Partial<Record<Lang, string>>;
  /** An http(s) address. */
  url: string;
}

/** SLA targets of one priority, in elapsed hours (see slaFirstResponseHours). */
export interface SlaHours {
  firstResponseHours: number;
  resolutionHours: number;
}

/** The company logo as stored: its type, its bytes (base64) and a version (content hash) for its URL. */
export interface StoredLogo {
  contentType: LogoContentType;
  base64: string;
  version: string;
}

/** Company-wide settings with their shipped defaults. */
export const SETTING_DEFAULTS = {
  /** Shown in the portal's header and in consent receipts. */
  companyName: "Candor",
  /** Where customers and receipts point for data protection questions. */
  privacyContactEmail: "privacy@example.com",
  privacyPolicyUrl: "https://example.com/privacy",
  /** How long a personal link stays valid: calendar days in the company's zone, to the same local time. */
  linkLifetimeDays: 7,
  /**
   * SLA for the first staff response to a concern, in elapsed hours (wall-clock time, not business
   * hours: nights, weekends and DST changes count as they pass; 48 h is always 48 × 3,600 s). The
   * clock stops while the case waits on the customer.
   */
  slaFirstResponseHours: 48,
  /** SLA for resolving a concern, in elapsed hours counted from filing (as above). */
  slaResolutionHours: 240,
  /** Statutory deadline for rights-based concerns, in calendar months (GDPR Art. 12(3): one month). */
  statutoryMonths: 1,
  /**
   * A resolved concern can be reopened by the customer within this many calendar days (company's
   * zone): until the end of the local day `reopenGraceDays` after the day it was resolved.
   */
  reopenGraceDays: 14,
  /**
   * Retention (SPEC §7, GDPR Art. 5(1)(e)): a closed concern's personal data (texts, contact
   * address, messages, the link to the customer) is removed this many calendar months after it
   * closed; its statistics stay.
   */
  retentionClosedConcernMonths: 24,
  /** Expired or revoked personal links and ended sessions are deleted this many days after they ended. */
  retentionLinksAndSessionsDays: 30,
  /**
   * AI literacy (AI Act Art. 4): staff without a current training cannot claim or be assigned AI
   * concerns while this is on.
   */
  requireTraining: true,
  /**
   * SLA hours of the priorities other than "normal" (whose hours are slaFirstResponseHours and
   * slaResolutionHours); a priority missing here uses the normal hours.
   */
  slaByPriority: {} as Partial<Record<Exclude<Priority, "normal">, SlaHours>>,
  /** The competent data protection authority (GDPR Art. 77), named in every outcome; null until set. */
  dataProtectionAuthority: null as Authority | null,
  /** The market surveillance authority for AI (AI Act Art. 70, 85), named in every outcome; null until set. */
  marketSurveillanceAuthority: null as Authority | null,
  /** The company logo (PNG, JPEG or WebP), shown in the portal header and the embed; null: none. */
  logo: null as StoredLogo | null,
  /** The stored logo's version (its URL changes with it, so it can be cached for good); null: no logo. */
  logoVersion: null as string | null,
};

export type SettingKey = keyof typeof SETTING_DEFAULTS;

/** The company's time zone (IANA name, `DISPLAY_TIME_ZONE`): every calendar computation uses it. */
export function companyTimeZone(): string {
  return env().DISPLAY_TIME_ZONE;
}

/**
 * The statutory due date of a rights-based concern filed at `from` (GDPR Art. 12(3): "within one
 * month of receipt"; `statutoryMonths` setting), counted on the company's calendar
 * (`timeZone`, default `companyTimeZone()`): the end (23:59:59.999 local) of the same
 * day-of-month `months` later, clamped to the month's last day (31 January + 1 month → end of
 * 28/29 February) — Regulation 1182/71 Art. 3, see app/utils/calendar.ts. Filed 1 March 2026 at
 * 00:30 in Brussels (28 February 23:30 UTC) → due at the end of 1 April 2026, Brussels time.
 * Resolves to epoch ms (async: the setting is read from the database).
 */
export async function statutoryDueDate(db: Db, from: number, timeZone = companyTimeZone()): Promise<number> {
  return endOfDayMonthsLater(from, await getSetting(db, "statutoryMonths"), timeZone);
}

const settingByKey = preparedQuery("setting_by_key", (db) => db.select().from(settings).where(eq(settings.key, sql.placeholder("key"))).limit(1));

/** A setting's stored value, or its shipped default (async; every portal page reads the company name: prepared). */
export async function getSetting<K extends SettingKey>(db: Db, key: K): Promise<(typeof SETTING_DEFAULTS)[K]> {
  const [row] = await settingByKey(db, { key });
  return (row?.value as (typeof SETTING_DEFAULTS)[K] | undefined) ?? SETTING_DEFAULTS[key];
}

/** Changes a setting (async); the change is audited in the same transaction (the value's key, not the value). */
export async function setSetting<K extends SettingKey>(
  db: Db,
  key: K,
  value: (typeof SETTING_DEFAULTS)[K],
  actor: AuditActor = { type: "system" },
): Promise<void> {
  const now = Date.now();
  await db.transaction(async (tx) => {
    await tx
      .insert(settings)
      .values({ key, value, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } });
    await appendAudit(tx, { actor, action: "settings.changed", target: { type: "setting", id: key }, now });
  });
}

// ── SLA per priority ───────────────────────────────────────────────────────

/**
 * The SLA hours of a priority (SPEC §4 deadlines, §12 "SLA hours per priority"): "normal" uses
 * slaFirstResponseHours / slaResolutionHours, every other priority its slaByPriority entry, else
 * the normal hours. Resolves to elapsed hours (not business hours).
 */
export async function slaHoursFor(db: Db, priority: string): Promise<SlaHours> {
  const normal = { firstResponseHours: await getSetting(db, "slaFirstResponseHours"), resolutionHours: await getSetting(db, "slaResolutionHours") };
  if (priority === "normal") return normal;
  const byPriority = await getSetting(db, "slaByPriority");
  return byPriority[priority as Exclude<Priority, "normal">] ?? normal;
}

// ── Authorities named in every outcome ─────────────────────────────────────

/**
 * The authorities a customer can complain to, named in every outcome (SPEC §12; GDPR Art. 77,
 * AI Act Art. 85): each with its name in `lang` (else the default name) and its address; null
 * for one the company has not set.
 */
export async function outcomeAuthorities(db: Db, lang: string): Promise<{ dpa: { name: string; url: string } | null; msa: { name: string; url: string } | null }> {
  const rows = await db.select().from(settings).where(inArray(settings.key, ["dataProtectionAuthority", "marketSurveillanceAuthority"]));
  const pick = (key: string) => {
    const authority = rows.find((r) => r.key === key)?.value as Authority | null | undefined;
    if (!authority) return null;
    return { name: authority.names[lang as Lang] || authority.name, url: authority.url };
  };
  return { dpa: pick("dataProtectionAuthority"), msa: pick("marketSurveillanceAuthority") };
}

// ── The settings page ──────────────────────────────────────────────────────

/** The settings an admin edits on the settings page (everything but the logo). */
export const EDITABLE_SETTINGS = [
  "companyName",
  "privacyContactEmail",
  "privacyPolicyUrl",
  "dataProtectionAuthority",
  "marketSurveillanceAuthority",
  "slaFirstResponseHours",
  "slaResolutionHours",
  "slaByPriority",
  "reopenGraceDays",
  "linkLifetimeDays",
  "retentionClosedConcernMonths",
  "retentionLinksAndSessionsDays",
  "requireTraining",
] as const satisfies readonly SettingKey[];
export type EditableSetting = (typeof EDITABLE_SETTINGS)[number];
export type EditableSettings = { [K in EditableSetting]: (typeof SETTING_DEFAULTS)[K] };

/** Every editable setting's current value (stored, else the shipped default). */
export async function editableSettings(db: Db): Promise<EditableSettings> {
  const rows = await db.select().from(settings).where(inArray(settings.key, [...EDITABLE_SETTINGS]));
  const values = {} as Record<string, unknown>;
  for (const key of EDITABLE_SETTINGS) values[key] = rows.find((r) => r.key === key)?.value ?? SETTING_DEFAULTS[key];
  return values as EditableSettings;
}

/** A setting's value as one audit detail: scalars as they are, objects as their JSON (never personal data). */
function auditValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}

/**
 * Saves the settings page (SPEC §12 "Company settings", §7 "every change of settings" audited):
 * every setting in `values` whose value differs from the current one is stored, with one audit
 * entry `settings.changed` per setting naming its old and new value, all in one transaction.
 * Values must be validated by the caller (the page's schema). Resolves to the changed keys.
 */
export async function saveSettings(db: Db, values: Partial<EditableSettings>, actor: AuditActor, now = Date.now()): Promise<EditableSetting[]> {
  return db.transaction(async (tx) => {
    const current = await editableSettings(tx);
    const changed: EditableSetting[] = [];
    for (const key of EDITABLE_SETTINGS) {
      if (!(key in values)) continue;
      const value = values[key];
      if (JSON.stringify(value) === JSON.stringify(current[key])) continue;
      await tx
        .insert(settings)
        .values({ key, value, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } });
      await appendAudit(tx, { actor, action: "settings.changed", target: { type: "setting", id: key }, details: { from: auditValue(current[key]), to: auditValue(value) }, now });
      changed.push(key);
    }
    return changed;
  });
}

// ── The company logo ───────────────────────────────────────────────────────

/** The largest logo accepted, in bytes (SPEC §12). */
export const LOGO_MAX_BYTES = 200 * 1024;
export const LOGO_CONTENT_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export type LogoContentType = (typeof LOGO_CONTENT_TYPES)[number];

/** A refused logo: `code` empty | too_large | unsupported_type (the page translates it). */
export class LogoError extends Error {
  constructor(readonly code: "empty" | "too_large" | "unsupported_type") {
    super(code);
  }
}

/**
 * The image type by its first bytes (magic numbers), never by the file's name or the browser's
 * word: PNG, JPEG or WebP, else null (SVG and everything else: an SVG can carry scripts).
 */
export function logoContentType(bytes: Uint8Array): LogoContentType | null {
  const starts = (signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}

/**
 * Stores a new company logo (SPEC §12): 1 byte to LOGO_MAX_BYTES, PNG/JPEG/WebP by its magic
 * bytes, else LogoError. Audited (`settings.logo_changed`, old and new version) in the same
 * transaction. Resolves to the new version (a content hash: the logo URL's last segment).
 */
export async function setCompanyLogo(db: Db, bytes: Uint8Array, actor: AuditActor, now = Date.now()): Promise<string> {
  if (bytes.byteLength === 0) throw new LogoError("empty");
  if (bytes.byteLength > LOGO_MAX_BYTES) throw new LogoError("too_large");
  const contentType = logoContentType(bytes);
  if (!contentType) throw new LogoError("unsupported_type");
  const version = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  const logo: StoredLogo = { contentType, base64: Buffer.from(bytes).toString("base64"), version };
  await db.transaction(async (tx) => {
    const from = await getSetting(tx, "logoVersion");
    for (const [key, value] of [["logo", logo], ["logoVersion", version]] as const) {
      await tx.insert(settings).values({ key, value, updatedAt: now }).onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } });
    }
    await appendAudit(tx, { actor, action: "settings.logo_changed", target: { type: "setting", id: "logo" }, details: { from, to: version, contentType, bytes: bytes.byteLength }, now });
  });
  return version;
}

/** Removes the company logo (audited, old version named); false when there was none. */
export async function removeCompanyLogo(db: Db, actor: AuditActor, now = Date.now()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const from = await getSetting(tx, "logoVersion");
    if (from === null) return false;
    await tx.delete(settings).where(inArray(settings.key, ["logo", "logoVersion"]));
    await appendAudit(tx, { actor, action: "settings.logo_changed", target: { type: "setting", id: "logo" }, details: { from, to: null }, now });
    return true;
  });
}

/** The stored logo's bytes and type when `version` is the current one, else undefined. */
export async function companyLogo(db: Db, version: string): Promise<{ contentType: LogoContentType; bytes: Buffer } | undefined> {
  const logo = await getSetting(db, "logo");
  if (!logo || logo.version !== version) return undefined;
  return { contentType: logo.contentType, bytes: Buffer.from(logo.base64, "base64") };
}

/** The logo's URL path (stable per version), or null without a logo. */
export async function companyLogoPath(db: Db): Promise<string | null> {
  const version = await getSetting(db, "logoVersion");
  return version ? `/brand/logo/${version}` : null;
}

