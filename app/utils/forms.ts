import type { TFunction } from "i18next";

/**
 * Validation messages travel as translation keys with parameters (`errors.tooLong?max=4000`)
 * so one Zod schema serves client and server and the message is shown in the page's language.
 */
export function msg(key: string, params?: Record<string, string | number>): string {
  if (!params) return `errors.${key}`;
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  return `errors.${key}?${query.toString()}`;
}

export function translateError(t: TFunction, message: string): string {
  const [key = "", query = ""] = message.split("?");
  return t(key, { ...Object.fromEntries(new URLSearchParams(query)), defaultValue: t("errors.invalid") });
}
