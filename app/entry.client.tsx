import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { HydratedRouter } from "react-router/dom";
import { readPageMessages, setBeforeNavigation, TranslatorProvider } from "./utils/i18n";
import { createBrowserTranslator, ensurePageNamespaces, setBrowserTranslator } from "./utils/i18n-browser";
import { DEFAULT_LANG, isLang } from "./utils/languages";

async function hydrate() {
  const htmlLang = document.documentElement.lang;
  const lang = isLang(htmlLang) ? htmlLang : DEFAULT_LANG;
  // The strings the server rendered this page with: the first client render matches the server's.
  const translator = createBrowserTranslator(readPageMessages() ?? { lang, messages: {} });
  setBrowserTranslator(translator);
  setBeforeNavigation(ensurePageNamespaces);
  // The staff console's pages change much of their text in place (filters, dialogs): it loads
  // every namespace of its language before hydrating. Customer pages load theirs only if needed.
  if (window.location.pathname.startsWith("/staff")) await translator.ensure(translator.allNamespaces());
  startTransition(() => {
    hydrateRoot(
      document,
      <TranslatorProvider translator={translator}>
        <StrictMode>
          <HydratedRouter />
        </StrictMode>
      </TranslatorProvider>,
    );
  });
}

void hydrate();
