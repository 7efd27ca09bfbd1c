import fs from "node:fs";
import path from "node:path";

/** A translated string straight from locales/<lang>/common.json, for assertions. */
export function tr(lang: string, key: string, params: Record<string, string | number> = {}): string {
  return trNs(lang, "common", key, params);
}

/** The same text as React renders it into HTML (quotes and ampersands escaped). */
export function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}

/** A translated string from any namespace: locales/<lang>/<ns>.json. */
export function trNs(lang: string, ns: string, key: string, params: Record<string, string | number> = {}): string {
  const tree = JSON.parse(fs.readFileSync(path.resolve("locales", lang, `${ns}.json`), "utf8")) as Record<string, unknown>;
  const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
  if (typeof value !== "string") throw new Error(`No ${lang} ${ns} string for ${key}`);
  return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(params[name] ?? `{{${name}}}`));
}
