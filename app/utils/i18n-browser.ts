/**
 * The browser's translator (see app/utils/i18n.tsx): hydrates with the strings the page carries;
 * a key the page does not carry (a validation message shown only in the browser, the next page of
 * a client-side navigation) loads its namespace in the page's language once — one chunk per
 * language and namespace — and the components that asked re-render when it arrives. Until then
 * such a key reads as its `defaultValue` or empty, never as the raw key.
 */
import { leaf, resolve, splitKey, translate, type MessageTree, type PageMessages, type Translator } from "./i18n";
import { textDirection } from "./languages";

function loaderOf(url: string | undefined): (() => Promise<{ default: MessageTree }>) | undefined {
  if (!url) return undefined;
  return async () => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return { default: (await response.json()) as MessageTree };
  };
}

export interface BrowserTranslator extends Translator {
  /** The namespaces the page carries strings of. */
  namespaces(): string[];
  /** Every namespace of the page's language (the locale files the page names). */
  allNamespaces(): string[];
  /** Loads these namespaces of the page's language (once each); resolves when they are usable. */
  ensure(namespaces: readonly string[]): Promise<void>;
}

/** The browser's translator for `page` (its language and the strings it carries). */
export function createBrowserTranslator(page: PageMessages): BrowserTranslator {
  // The locale files' addresses come with the page (app/utils/i18n.tsx `<PageMessages />`).
  const { lang, messages, files = {} } = page;
  const loaded: Record<string, MessageTree> = {};
  const loading = new Map<string, Promise<void>>();
  const listeners = new Set<() => void>();
  let version = 0;

  function load(ns: string): Promise<void> {
    let pending = loading.get(ns);
    if (pending) return pending;
    const importer = loaderOf(files[ns]);
    pending = importer
      ? importer().then(
          (mod) => {
            loaded[ns] = mod.default;
            version += 1;
            for (const listener of listeners) listener();
          },
          // A failed download (offline): try again at the next key that needs it.
          () => void loading.delete(ns),
        )
      : Promise.resolve();
    loading.set(ns, pending);
    return pending;
  }

  // Only the page's language travels (fallback entries are carried under the same key).
  const lookup = (code: string, ns: string, key: string) => (code === lang ? (leaf(messages[ns], key) ?? leaf(loaded[ns], key)) : undefined);

  return {
    language: lang,
    dir: (lng) => textDirection(lng ?? lang),
    t(key, options) {
      const value = resolve(lookup, lang, key, options);
      if (value !== undefined) return value;
      const [ns] = splitKey(key);
      if (loaded[ns] || !files[ns]) return translate(lookup, lang, key, options);
      void load(ns);
      return options?.defaultValue ?? "";
    },
    used: () => ({}),
    namespaces: () => Object.keys(messages),
    allNamespaces: () => Object.keys(files),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    version: () => version,
    carry: () => {},
    async ensure(namespaces) {
      await Promise.all(namespaces.map(load));
    },
  };
}

let current: BrowserTranslator | undefined;

/** Remembers the translator the document hydrated with. */
export function setBrowserTranslator(translator: BrowserTranslator): void {
  current = translator;
}

/**
 * Before a client-side navigation renders the next page: the namespaces of the current page's
 * language it may use (every one the page already used, and `common`), so it never renders with
 * strings missing.
 */
export async function ensurePageNamespaces(): Promise<void> {
  if (!current) return;
  const namespaces = new Set(["common", ...current.namespaces()]);
  await current.ensure([...namespaces]);
}
