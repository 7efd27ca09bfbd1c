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
  const params: Record<string, string | number> = Object.fromEntries(new URLSearchParams(query));
  // i18next picks a plural form only for a numeric count ("1 minute", not "1 minutes").
  if (typeof params.count === "string") params.count = Number(params.count);
  return t(key, { ...params, defaultValue: t("errors.invalid") });
}
