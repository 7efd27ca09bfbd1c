import fs from "node:fs";
import path from "node:path";
import type { Resource } from "i18next";
import { LANGUAGES } from "./languages";

/**
 * The locale files of some namespaces in every shipped language, read from `locales/<lang>/<ns>.json`
 * (for code that also runs outside the bundled server, e.g. emails queued by the CLI or the seed).
 * A file a language does not have (a console namespace in a customer-only language) is left out,
 * so i18next falls back to English for it. Output: i18next `resources`. Throws on invalid JSON.
 */
export function readLocaleResources(namespaces: readonly string[], languages: readonly string[] = LANGUAGES): Resource {
  return Object.fromEntries(
    languages.map((lang) => [
      lang,
      Object.fromEntries(
        namespaces.flatMap((ns) => {
          const file = path.resolve("locales", lang, `${ns}.json`);
          return fs.existsSync(file) ? [[ns, JSON.parse(fs.readFileSync(file, "utf8"))]] : [];
        }),
      ),
    ]),
  );
}
