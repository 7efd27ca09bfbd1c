/**
 * The translator every component renders with, on the server and in the browser: the few parts
 * of i18next that Candor's components use (`t` with namespaces, `{{placeholders}}`, plural forms by
 * `count` with `_zero` for 0, `defaultValue`, fallback to English; `i18n.language`, `i18n.dir()`),
 * in a few hundred bytes instead of i18next + react-i18next (18 KB gzipped) and a whole namespace
 * (12 KB) on every customer page. Components import `useTranslation` from here
 * (`~/utils/i18n`); i18next itself stays on the server for loaders, emails and CSV exports
 * (`getI18n`). test/unit/i18n-translator.test.ts
 * checks that `translate` answers exactly as i18next does for every key of every locale.
 *
 * Strings a page needs travel with it: the server records each key the page renders
 * (`createTranslator(..., { record: true })`), and `<PageMessages />` (the end of the document
 * body) writes those entries as JSON; the browser hydrates with them (`readPageMessages`). A key the
 * page did not render on the server (a client-side validation message, the next page of a client
 * navigation) makes the browser load the language's namespace once (`loadNamespace`).
 */
import { createContext, useContext, useSyncExternalStore } from "react";
import { textDirection } from "./languages";

/** A namespace's strings as the locale files hold them (nested objects, leaves are strings). */
export type MessageTree = { [key: string]: string | MessageTree };

export interface TranslateOptions {
  count?: number;
  defaultValue?: string;
  [name: string]: unknown;
}

export type Translate = (key: string, options?: TranslateOptions) => string;

/** Where `translate` reads strings: `(language, namespace, key) → string`, undefined when absent. */
export type Lookup = (lang: string, ns: string, key: string) => string | undefined;

const DEFAULT_NS = "common";
const FALLBACK_LANG = "en";

const pluralRules = new Map<string, Intl.PluralRules>();
function pluralCategory(lang: string, count: number): string {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  return rules.select(count);
}

/** `ns:key` → [ns, key]; a key without a namespace is in `common`. */
export function splitKey(key: string): [string, string] {
  const at = key.indexOf(":");
  return at > 0 ? [key.slice(0, at), key.slice(at + 1)] : [DEFAULT_NS, key];
}

/** The entries a key may resolve to, most specific first (i18next's order): `_zero` (count 0), `_<plural form>`, the key. */
function candidates(lang: string, key: string, options: TranslateOptions | undefined): string[] {
  const count = options?.count;
  if (count === undefined || typeof count === "string") return [key];
  const keys = [`${key}_${pluralCategory(lang, Number(count))}`, key];
  if (count === 0) keys.unshift(`${key}_zero`);
  return keys;
}

function interpolate(text: string, options: TranslateOptions | undefined): string {
  if (!options || !text.includes("{{")) return text;
  return text.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (match, name: string) => {
    let value: unknown = options;
    for (const part of name.split(".")) value = value == null ? undefined : (value as Record<string, unknown>)[part];
    if (value === undefined || value === null) return match;
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  });
}

/**
 * The string `key` resolves to, as i18next resolves it: `key` (`"section.key"` in common, or
 * `"ns:section.key"`), in `lang`, else English; with a numeric `count` the language's plural form
 * (`_zero` first for 0, then `_<Intl.PluralRules category>`, then the key itself); `{{name}}`
 * placeholders filled from `options` (unknown ones left as written). Undefined when not found.
 */
export function resolve(lookup: Lookup, lang: string, fullKey: string, options?: TranslateOptions): string | undefined {
  const [ns, key] = splitKey(fullKey);
  for (const code of lang === FALLBACK_LANG ? [lang] : [lang, FALLBACK_LANG]) {
    for (const candidate of candidates(code, key, options)) {
      const value = lookup(code, ns, candidate);
      if (value !== undefined) return interpolate(value, options);
    }
  }
  return undefined;
}

/** i18next's `t`: `resolve`, else `defaultValue`, else the key without its namespace. */
export function translate(lookup: Lookup, lang: string, fullKey: string, options?: TranslateOptions): string {
  return resolve(lookup, lang, fullKey, options) ?? interpolate(options?.defaultValue ?? splitKey(fullKey)[1], options);
}

/**
 * A leaf of a namespace tree by its dotted path; as i18next, a key may itself hold dots
 * (`events["concern.created"]` answers `events.concern.created`).
 */
export function leaf(tree: MessageTree | undefined, path: string): string | undefined {
  if (!tree) return undefined;
  const direct = tree[path];
  if (typeof direct === "string") return direct;
  const parts = path.split(".");
  for (let i = 1; i < parts.length; i++) {
    const node = tree[parts.slice(0, i).join(".")];
    if (node !== undefined && typeof node !== "string") {
      const found = leaf(node, parts.slice(i).join("."));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Flat page messages: `"ns:key"` → string (the entries a render used). */
export type PageMessageMap = Record<string, string>;

/**
 * What travels with a page: its language, the entries its server render used (by namespace), and
 * the addresses of its language's locale files (namespace → built asset URL), which the browser
 * fetches when it needs a namespace whole (app/utils/i18n-browser.ts).
 */
export interface PageMessages {
  lang: string;
  messages: Record<string, MessageTree>;
  files?: Record<string, string>;
}

// The locale files' addresses among the built assets: the server's only (Vite drops the imports
// from the browser's bundle); a page carries those of its language (`<PageMessages />`).
const localeFiles: Record<string, string> = import.meta.env.SSR
  ? import.meta.glob<string>("../../locales/*/*.json", { query: "?url", import: "default", eager: true })
  : {};

/** `lang`'s locale files: namespace → URL (server only; empty in the browser). */
export function localeFilesOf(lang: string): Record<string, string> {
  const prefix = `../../locales/${lang}/`;
  const files: Record<string, string> = {};
  for (const [file, url] of Object.entries(localeFiles)) if (file.startsWith(prefix)) files[file.slice(prefix.length, -".json".length)] = url;
  return files;
}

/** Flat entries (`"ns:a.b"`) → one tree per namespace (`{ ns: { a: { b } } }`): shorter, and no key reads as text. */
export function nestMessages(entries: PageMessageMap): Record<string, MessageTree> {
  const trees: Record<string, MessageTree> = {};
  for (const [fullKey, value] of Object.entries(entries)) {
    const [ns, key] = splitKey(fullKey);
    const parts = key.split(".");
    let node = (trees[ns] ??= {});
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      node = typeof next === "object" ? next : (node[part] = {});
    }
    node[parts[parts.length - 1]!] = value;
  }
  return trees;
}

/**
 * The translator of one render: `language`, `dir()`, `t`. `used()`: the entries the render looked
 * up (recording translators), for `<PageMessages />`. `subscribe`/`version`: components re-render
 * when a namespace arrives in the browser (constant on the server).
 */
export interface Translator {
  language: string;
  t: Translate;
  dir(lng?: string): "ltr" | "rtl";
  used(): PageMessageMap;
  subscribe(listener: () => void): () => void;
  version(): number;
  /** Adds every entry whose `ns:key` starts with `prefix` to what the page carries (server renders). */
  carry(prefix: string): void;
}

const noSubscription = () => () => {};
const zero = () => 0;

/**
 * A server render's translator for `lang` over `lookup` (the locale files). `record`: remember
 * every entry found, keyed `ns:key` (an English fallback under the same key), for the page to carry;
 * `entriesUnder(lang, prefix)`: the entries `carry(prefix)` adds.
 */
export function createTranslator(
  lang: string,
  lookup: Lookup,
  options: { record?: boolean; entriesUnder?: (lang: string, prefix: string) => PageMessageMap } = {},
): Translator {
  const used: PageMessageMap = {};
  const read: Lookup = options.record
    ? (code, ns, key) => {
        const value = lookup(code, ns, key);
        if (value !== undefined) used[`${ns}:${key}`] ??= value;
        return value;
      }
    : lookup;
  return {
    language: lang,
    t: (key, opts) => translate(read, lang, key, opts),
    dir: (lng) => textDirection(lng ?? lang),
    used: () => used,
    subscribe: noSubscription,
    version: zero,
    carry(prefix) {
      if (!options.record || !options.entriesUnder) return;
      for (const [key, value] of Object.entries(options.entriesUnder(lang, prefix))) used[key] ??= value;
    },
  };
}

const TranslatorContext = createContext<Translator | null>(null);

/** Hands `translator` to every `useTranslation()` below. */
export function TranslatorProvider({ translator, children }: { translator: Translator; children: React.ReactNode }) {
  return <TranslatorContext.Provider value={translator}>{children}</TranslatorContext.Provider>;
}

/** The components' hook (react-i18next's shape, as they use it): `{ t, i18n: { language, dir() } }`. */
export function useTranslation(): { t: Translate; i18n: Translator } {
  const translator = useContext(TranslatorContext);
  if (!translator) throw new Error("useTranslation() outside a TranslatorProvider");
  // Re-renders when a namespace arrives (browser); never on the server.
  useSyncExternalStore(translator.subscribe, translator.version, zero);
  return { t: translator.t, i18n: translator };
}

/**
 * Makes the page carry every string under these prefixes (`"common:errors."`): for text the
 * browser shows without a server render, such as validation messages. No effect in the browser.
 */
export function useCarriedMessages(prefixes: readonly string[]): void {
  const translator = useContext(TranslatorContext);
  if (import.meta.env.SSR) for (const prefix of prefixes) translator?.carry(prefix);
}

let beforeNavigation: (() => Promise<void>) | undefined;

/** What must happen before a client-side navigation renders (set by app/entry.client.tsx). */
export function setBeforeNavigation(work: () => Promise<void>): void {
  beforeNavigation = work;
}

/** Runs it (app/root.tsx's client middleware): the next page's strings are there when it renders. */
export async function prepareNavigation(): Promise<void> {
  await beforeNavigation?.();
}

/** The id of the script element that carries a page's messages. */
export const PAGE_MESSAGES_ID = "page-messages";

/** JSON safe inside a `<script>` element (no `</script>`, no `<!--`). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

let hydratedMessages: string | undefined;

/**
 * The page's messages as JSON text, read from the document (browser, before hydrating); the same
 * text is rendered again by `<PageMessages />` so hydration matches.
 */
export function readPageMessages(): PageMessages | undefined {
  const element = document.getElementById(PAGE_MESSAGES_ID);
  hydratedMessages = element?.textContent ?? undefined;
  if (!hydratedMessages) return undefined;
  try {
    return JSON.parse(hydratedMessages) as PageMessages;
  } catch {
    return undefined;
  }
}

/**
 * The strings this page's render used, for the browser to hydrate with. Rendered last in the
 * body: by then (no component suspends) every component above has looked up its strings.
 */
export function PageMessages({ nonce }: { nonce?: string }) {
  const translator = useContext(TranslatorContext);
  const lang = translator?.language ?? "en";
  // import.meta.env.SSR, not a runtime check: the browser's bundle leaves the server's branch out.
  const json = import.meta.env.SSR ? scriptJson({ lang, messages: nestMessages(translator?.used() ?? {}), files: localeFilesOf(lang) } satisfies PageMessages) : (hydratedMessages ?? "");
  return <script id={PAGE_MESSAGES_ID} type="application/json" nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: json }} />;
}
