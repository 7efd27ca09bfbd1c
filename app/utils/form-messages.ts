/**
 * Validation messages as translation keys with parameters (`errors.tooLong?max=4000`), so one Zod
 * schema serves client and server and the message is shown in the page's language. Apart from
 * app/utils/forms.ts so that showing a message never loads the validation library (Zod) into a page.
 */

/** Any translate function: the pages' (app/utils/i18n.tsx) or i18next's `getFixedT` (CSV exports). */
export type TranslateMessage = (key: string, options: Record<string, unknown> & { defaultValue: string }) => string;

/** `msg("tooLong", { max: 4000 })` → `"errors.tooLong?max=4000"`; a namespaced key ("queue:errors.stale") stays as it is. */
export function msg(key: string, params?: Record<string, string | number>): string {
  const full = key.includes(":") ? key : `errors.${key}`;
  if (!params) return full;
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  return `${full}?${query.toString()}`;
}

/** A message made by `msg`, in the page's language; an unknown key reads as the generic "invalid" text. */
export function translateError(t: TranslateMessage, message: string): string {
  const [key = "", query = ""] = message.split("?");
  const params: Record<string, string | number> = Object.fromEntries(new URLSearchParams(query));
  // i18next picks a plural form only for a numeric count ("1 minute", not "1 minutes").
  if (typeof params.count === "string") params.count = Number(params.count);
  return t(key, { ...params, defaultValue: t("errors.invalid", { defaultValue: "" }) });
}
