/**
 * No English on a page rendered in another language (SPEC §8, issue 12): every customer page, the
 * personal-link page, the embedded pages and the error page, in each of the 26 other languages,
 * show none of the portal's English sentences (locales/en/common.json and embed.json) and none of
 * the demo's English register, notice, confirmation, canned-reply or authority texts
 * (db/demo-content/en.json) — unless
 * the language's own text is the same (listed in locales/same-as-english.json).
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { mintLink } from "../../app/domain/links.server";
import { LANGUAGES, type Lang } from "../../app/utils/languages";
import { DEMO_EMBED_SITE } from "../../db/seed";
import { createTestApp, ORIGIN, type TestApp } from "../support/app";

type Tree = { [key: string]: string | Tree };
const leaves = (tree: Tree, prefix = ""): [string, string][] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
const read = (file: string) => JSON.parse(fs.readFileSync(path.resolve(file), "utf8")) as Tree;

/** The parts of an English text between its placeholders that read as a sentence (three words or more). */
function englishFragments(text: string): string[] {
  return text
    .split(/\{\{[^}]*\}\}/)
    .map((part) => part.replace(/\s+/g, " ").trim())
    .filter((part) => part.split(" ").length >= 3 && part.length >= 16);
}

/** What a reader meets on a page: its text and the texts of its labels, without scripts and styles. */
function readableText(page: string): string {
  const attributes = [...page.matchAll(/\s(?:aria-label|title|placeholder|alt)="([^"]*)"/g)].map((m) => m[1]);
  const body = page
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<style[\s\S]*?<\/style>/g, " ")
    .replace(/<[^>]+>/g, " ");
  return [body, ...attributes]
    .join(" ")
    .replace(/&nbsp;|&#160;/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

const englishTexts = [
  ...leaves(read("locales/en/common.json")).map(([k, v]) => [`common:${k}`, v] as const),
  ...leaves(read("locales/en/embed.json")).map(([k, v]) => [`embed:${k}`, v] as const),
  ...leaves(read("db/demo-content/en.json")).map(([k, v]) => [`demo:${k}`, v] as const),
];

function ownTexts(lang: string): Map<string, string> {
  const own = new Map<string, string>();
  for (const [k, v] of leaves(read(`locales/${lang}/common.json`))) own.set(`common:${k}`, v);
  for (const [k, v] of leaves(read(`locales/${lang}/embed.json`))) own.set(`embed:${k}`, v);
  const demo = path.resolve(`db/demo-content/${lang}.json`);
  if (fs.existsSync(demo)) for (const [k, v] of leaves(read(demo))) own.set(`demo:${k}`, v);
  return own;
}

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});

const PAGES = ["", "/ai-systems", "/ai-systems/chat-assistant", "/ai-systems/network-troubleshooter", "/ai-systems/offer-predictor", "/me/interactions", "/me/preferences", "/me/concerns", "/me/concerns/new", "/me/data", "/statistics", "/report", "/no-such-page"];

describe("no English on pages in other languages", () => {
  for (const lang of LANGUAGES.filter((l) => l !== "en")) {
    it(`${lang}: every customer page`, async () => {
      const own = ownTexts(lang);
      const fragments = englishTexts.flatMap(([key, text]) => englishFragments(text).filter((f) => !(own.get(key) ?? "").includes(f)).map((f) => ({ key, f })));
      // Each language signs in from its own address: 26 link openings from one would meet the rate limit.
      const ip = `10.26.${LANGUAGES.indexOf(lang)}.1`;
      const link = await mintLink(app.db, { customerId: "demo-customer-1", lang: lang as Lang, createdBy: "cli", baseUrl: ORIGIN });
      const signedIn = await app.request(`/l/${link.token}`, { form: {}, ip });
      expect(signedIn.status).toBe(303);
      const cookie = signedIn.headers.get("Set-Cookie")!.split(";")[0]!;
      const pages: { path: string; html: string }[] = [];
      for (const path of PAGES) pages.push({ path, html: await (await app.request(`/${lang}${path}`, { cookie, ip })).text() });
      const list = pages.find((p) => p.path === "/me/concerns")!.html;
      const concern = new RegExp(`href="(/${lang}/me/concerns/[A-Z0-9-]+)"`).exec(list)?.[1];
      expect(concern, "the demo customer has a concern").toBeTruthy();
      pages.push({ path: concern!, html: await (await app.request(concern!, { cookie, ip })).text() });
      const overview = pages.find((p) => p.path === "")!.html;
      const confirmation = new RegExp(`href="(/${lang}/me/confirmations/[^"?]+)"`).exec(overview)?.[1];
      expect(confirmation, "the demo customer has a request waiting for an answer").toBeTruthy();
      pages.push({ path: confirmation!, html: await (await app.request(confirmation!, { cookie, ip })).text() });
      const { token } = await mintLink(app.db, { customerId: "demo-customer-1", lang: lang as Lang, createdBy: "cli", baseUrl: ORIGIN });
      pages.push({ path: "/l/…", html: await (await app.request(`/l/${token}`, { ip })).text() });
      for (const embedded of ["", "/ai-systems", "/me/concerns/new"]) {
        const path = `/embed/${DEMO_EMBED_SITE.slug}/${lang}${embedded}`;
        pages.push({ path, html: await (await app.request(path, { headers: { "Sec-Fetch-Dest": "iframe" } })).text() });
      }
      const found: string[] = [];
      for (const { path, html } of pages) {
        expect(html, path).toContain(`<html lang="${lang}"`);
        const text = readableText(html);
        for (const { key, f } of fragments) if (text.includes(f)) found.push(`${path}: “${f}” (${key})`);
      }
      expect(found).toEqual([]);
    });
  }
});
