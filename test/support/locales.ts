import fs from "node:fs";
import path from "node:path";

/** A translated string straight from locales/<lang>/common.json, for assertions. */
export function tr(lang: string, key: string, params: Record<string, string | number> = {}): string {
  const tree = JSON.parse(fs.readFileSync(path.resolve("locales", lang, "common.json"), "utf8")) as Record<string, unknown>;
  const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
  if (typeof value !== "string") throw new Error(`No ${lang} string for ${key}`);
  return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(params[name] ?? `{{${name}}}`));
}

/** The same text as React renders it into HTML (quotes and ampersands escaped). */
export function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}
