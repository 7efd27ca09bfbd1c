import type { TFunction } from "i18next";

/**
 * Validation messages travel as translation keys with parameters (`errors.tooLong?max=4000`)
 * so one Zod schema serves client and server and the message is shown in the page's language.
 */
export function msg(key: string, params?: Record<string, string | number>): string {
  // "tooLong" → common "errors.tooLong"; a namespaced key ("queue:errors.stale") is used as it is.
  const full = key.includes(":") ? key : `errors.${key}`;
  if (!params) return full;
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  return `${full}?${query.toString()}`;
}

export function translateError(t: TFunction, message: string): string {
  const [key = "", query = ""] = message.split("?");
  return t(key, { ...Object.fromEntries(new URLSearchParams(query)), defaultValue: t("errors.invalid") });
}

/**
 * For a cross-field `.refine(…, { when: crossField })`: Zod skips object-level checks while any
 * field is invalid, so their messages would only come in a second round. With this they run
 * whenever the input is an object, and every error is reported at once (client and server alike);
 * the check must therefore cope with fields that are missing or invalid.
 */
export function crossField(payload: { value: unknown }): boolean {
  return typeof payload.value === "object" && payload.value !== null;
}
