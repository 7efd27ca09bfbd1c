import "./utils/zod-client";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { HydratedRouter } from "react-router/dom";
import { DEFAULT_LANG, isLang } from "./utils/languages";

// One chunk per language and namespace; only the page's language is fetched.
const localeFiles = import.meta.glob<{ default: Record<string, unknown> }>("../locales/*/*.json");

/** Customer pages need only the common namespace; the staff console needs them all. */
async function loadLanguage(lang: string) {
  const staffConsole = window.location.pathname.startsWith("/staff");
  const entries = Object.entries(localeFiles).filter(
    ([file]) => file.includes(`/locales/${lang}/`) && (staffConsole || file.endsWith("/common.json")),
  );
  const namespaces = await Promise.all(
    entries.map(async ([file, load]) => [file.replace(/^.*\/([^/]+)\.json$/, "$1"), (await load()).default] as const),
  );
  return Object.fromEntries(namespaces);
}

async function hydrate() {
  const htmlLang = document.documentElement.lang;
  const lang = isLang(htmlLang) ? htmlLang : DEFAULT_LANG;
  // Load the page's language before hydrating, so the first client render matches the server's.
  const resources = { [lang]: await loadLanguage(lang) };
  await i18next.use(initReactI18next).init({
    lng: lang,
    fallbackLng: DEFAULT_LANG,
    defaultNS: "common",
    resources,
    interpolation: { escapeValue: false },
  });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <HydratedRouter />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();
