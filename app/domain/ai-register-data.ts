/**
 * What the register says about data sharing and fairness (SPEC §12): the vocabulary and shapes,
 * shared by the editor's form schema, the domain, the public pages, the open data and the consent
 * receipt. No React, no data access.
 *
 * Structured facts live on the system (`ai_systems`): who receives the data, whether the provider
 * may use it for itself, whether protected characteristics are used, when bias and accuracy were
 * last tested. The plain-words explanations are per language with the other texts (`ai_system_texts`).
 */

/** A recipient's role: the AI provider itself, or a sub-processor it (or the company) engages (GDPR Art. 28). */
export const RECIPIENT_ROLES = ["provider", "sub_processor"] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

/**
 * The transfer safeguard (GDPR Chapter V): none needed inside the EU/EEA, an adequacy decision
 * (Art. 45), or standard contractual clauses (Art. 46(2)(c)).
 */
export const TRANSFER_SAFEGUARDS = ["eu_eea", "adequacy", "sccs"] as const;
export type TransferSafeguard = (typeof TRANSFER_SAFEGUARDS)[number];

/** Whether the provider may use the data for its own purposes or to train its own models. */
export const PROVIDER_DATA_USES = ["no", "yes", "contractually_excluded"] as const;
export type ProviderDataUse = (typeof PROVIDER_DATA_USES)[number];

/** One recipient of the data; `country` is an ISO 3166-1 alpha-2 code ("FR", "US"). */
export interface DataRecipient {
  name: string;
  role: RecipientRole;
  country: string;
  safeguard: TransferSafeguard;
}

export const RECIPIENTS_MAX = 10;
export const RECIPIENT_NAME_MAX = 200;
export const COUNTRY_PATTERN = /^[A-Z]{2}$/;

/** The per-language texts about data and fairness (optional: empty until written). */
export const DATA_TEXT_FIELDS = ["providerUseClause", "protectedCharacteristicsNote", "fairnessTestMethod", "fairnessTestResult"] as const;
export type DataTextField = (typeof DATA_TEXT_FIELDS)[number];
export type AiSystemDataTexts = Record<DataTextField, string>;
export const DATA_TEXT_MAX = 2000;

export const EMPTY_DATA_TEXTS: AiSystemDataTexts = { providerUseClause: "", protectedCharacteristicsNote: "", fairnessTestMethod: "", fairnessTestResult: "" };

/** The structured facts about data and fairness of one system. */
export interface DataFacts {
  recipients: DataRecipient[];
  providerDataUse: ProviderDataUse;
  usesProtectedCharacteristics: boolean;
  /** When bias and accuracy were last tested (ms since epoch UTC, the day's midnight UTC), or null. */
  fairnessTestedAt: number | null;
}

/**
 * A change of the provider's own use is material when the provider may now use the data and
 * could not before (no / contractually excluded → yes): the choices that depend on the system are
 * re-asked, as for any material change (SPEC §12, §4).
 */
export function providerUseBecomesMaterial(before: ProviderDataUse, after: ProviderDataUse): boolean {
  return before !== "yes" && after === "yes";
}

/** Recipients read from the database's JSON text (or already parsed), keeping only well-formed rows. */
export function parseRecipients(value: unknown): DataRecipient[] {
  let list: unknown = value;
  if (typeof value === "string") {
    try {
      list = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return [];
  return list.flatMap((r: unknown) => {
    if (typeof r !== "object" || r === null) return [];
    const { name, role, country, safeguard } = r as Record<string, unknown>;
    if (typeof name !== "string" || typeof country !== "string") return [];
    if (!(RECIPIENT_ROLES as readonly unknown[]).includes(role) || !(TRANSFER_SAFEGUARDS as readonly unknown[]).includes(safeguard)) return [];
    return [{ name, role: role as RecipientRole, country, safeguard: safeguard as TransferSafeguard }];
  });
}

/** Recipients of several systems without repeats (same name and country), in order of appearance. */
export function distinctRecipients(lists: DataRecipient[][]): DataRecipient[] {
  const seen = new Set<string>();
  const result: DataRecipient[] = [];
  for (const r of lists.flat()) {
    const key = `${r.name.toLowerCase()}|${r.country}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(r);
  }
  return result;
}

/** A date input's value ("YYYY-MM-DD") as midnight UTC in ms, or null when empty or not a real date. */
export function parseDay(value: string | undefined | null): number | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) return null;
  return ms;
}

/** Midnight UTC in ms as a date input's value ("YYYY-MM-DD"). */
export function dayValue(ms: number | null): string {
  return ms === null ? "" : new Date(ms).toISOString().slice(0, 10);
}
