import { useEffect } from "react";
import { useRouteLoaderData } from "react-router";
import type { loader as rootLoader } from "~/root";
import { useTranslation } from "~/utils/i18n";

/**
 * One page, one language. The browser's translator keeps the language the document was loaded in,
 * while a client-side navigation brings data rendered in the language the server picks for the
 * next page. In the staff console the two can differ: the sign-in page follows the browser, the
 * console the account's language (app/middleware/i18n.server.ts), and a sign-in, a sign-out or a
 * language change in another tab crosses from one to the other. When the server's language for
 * the page (the root loader's `lang`) is not the one the page renders with, the page is loaded
 * again as a whole document, so menus, dates, names and messages all speak one language. Sign-in,
 * sign-out and a change of one's own language already answer with a document redirect; this
 * catches the rest (a session that ended, a change made in another tab). Browser only.
 */
export function useDocumentLanguage(): void {
  const serverLang = useRouteLoaderData<typeof rootLoader>("root")?.lang;
  const { i18n } = useTranslation();
  const renderedLang = i18n.language;
  useEffect(() => {
    if (serverLang && serverLang !== renderedLang) window.location.reload();
  }, [serverLang, renderedLang]);
}
