/**
 * public/embed.js is a static file the host page loads (SPEC §6): it carries its own list of
 * languages and the frame's accessible name in each. They must match the portal's languages and
 * the `embed:frameTitle` text of each locale, so adding a language cannot forget it.
 */
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { expect, it } from "vitest";
import { LANGUAGES } from "../../app/utils/languages";

const source = fs.readFileSync(path.resolve("public/embed.js"), "utf8");
const literal = (name: string) => {
  const match = new RegExp(`var ${name} = ([\\[{][\\s\\S]*?[\\]}]);`).exec(source);
  if (!match) throw new Error(`embed.js has no ${name}`);
  return vm.runInNewContext(`(${match[1]})`) as unknown;
};

it("lists every language the portal has", () => {
  expect([...(literal("LANGS") as string[])].sort()).toEqual([...LANGUAGES].sort());
});

it("names the frame in each language as the locale files do", () => {
  const titles = literal("TITLES") as Record<string, string>;
  for (const lang of LANGUAGES) {
    const locale = JSON.parse(fs.readFileSync(path.resolve("locales", lang, "embed.json"), "utf8")) as { frameTitle?: string };
    expect(titles[lang], lang).toBe(locale.frameTitle);
  }
});
