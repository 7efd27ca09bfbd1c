import type { Resource, ResourceLanguage } from "i18next";
import { LANGUAGES } from "./utils/languages";

// Every namespace of every language, bundled into the server build.
const files = import.meta.glob<{ default: Record<string, unknown> }>("../locales/*/*.json", {
  eager: true,
});

export const resources: Resource = Object.fromEntries(
  LANGUAGES.map((lang) => {
    const namespaces: ResourceLanguage = {};
    for (const [file, mod] of Object.entries(files)) {
      const match = file.match(/locales\/([^/]+)\/([^/]+)\.json$/);
      if (match && match[1] === lang) namespaces[match[2]!] = mod.default;
    }
    return [lang, namespaces];
  }),
);

export const NAMESPACES = Object.keys(resources.en ?? {});
