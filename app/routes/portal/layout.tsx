import { useTranslation } from "~/utils/i18n";
import { data, isRouteErrorResponse, Link, NavLink, Outlet, redirect, useRouteLoaderData } from "react-router";
import { ErrorPage, errorTitleKey } from "~/components/error-page";
import { LanguageSwitcher } from "~/components/language-switcher";
import { customerContext, servicesContext } from "~/context";
import { companyLogoPath, getSetting } from "~/domain/settings.server";
import { isLang, matchLanguage } from "~/utils/languages";
import type { Route } from "./+types/layout";

export async function loader({ params, context, request }: Route.LoaderArgs) {
  if (!isLang(params.lang)) {
    // A regional variant in the URL (`/fr-CA/ai-systems`, `/de_AT`): the same page in its language.
    const match = matchLanguage(params.lang);
    if (!match) throw data(null, { status: 404 });
    const url = new URL(request.url);
    throw redirect(["", match, ...url.pathname.split("/").slice(2)].join("/") + url.search, 302);
  }
  const { db } = context.get(servicesContext);
  const customer = context.get(customerContext);
  return {
    signedIn: Boolean(customer),
    companyName: await getSetting(db, "companyName"),
    logoPath: await companyLogoPath(db),
  };
}

function Chrome({ children }: { children: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  const layout = useRouteLoaderData<typeof loader>("routes/portal/layout");
  const lang = i18n.language;
  const signedIn = layout?.signedIn ?? false;
  return (
    <>
      <a className="skip-link" href="#main">
        {t("layout.skipToContent")}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to={`/${lang}`} className="brand">
            {/* The company's name follows: the logo needs no text of its own. */}
            {layout?.logoPath ? <img src={layout.logoPath} alt="" height={32} /> : <span className="brand__mark" aria-hidden="true" />}
            <span>
              <span className="brand__company">{layout?.companyName}</span>
              <span className="brand__product">{t("layout.product")}</span>
            </span>
          </Link>
          <LanguageSwitcher />
        </div>
        <nav aria-label={t("layout.mainNav")} className="main-nav">
          <ul>
            <li><NavLink to={`/${lang}`} end>{t("nav.overview")}</NavLink></li>
            <li><NavLink to={`/${lang}/ai-systems`}>{t("nav.aiSystems")}</NavLink></li>
            {signedIn ? (
              <>
                <li><NavLink to={`/${lang}/me/interactions`}>{t("nav.interactions")}</NavLink></li>
                <li><NavLink to={`/${lang}/me/preferences`}>{t("nav.preferences")}</NavLink></li>
                <li><NavLink to={`/${lang}/me/concerns`}>{t("nav.concerns")}</NavLink></li>
                <li><NavLink to={`/${lang}/me/data`}>{t("nav.data")}</NavLink></li>
                <li>
                  <form method="post" action={`/${lang}/sign-out`} className="inline-form">
                    <button type="submit" className="link-button">{t("nav.signOut")}</button>
                  </form>
                </li>
              </>
            ) : (
              <li><NavLink to={`/${lang}/me/concerns/new`}>{t("nav.raiseConcern")}</NavLink></li>
            )}
          </ul>
        </nav>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>{t("layout.footer")}</p>
        <p><Link to={`/${lang}/statistics`}>{t("statistics.title")}</Link></p>
      </footer>
    </>
  );
}

export default function PortalLayout() {
  return (
    <Chrome>
      <Outlet />
    </Chrome>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const reason = isRouteErrorResponse(error) ? (error.data as { reason?: string } | null)?.reason : undefined;
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <Chrome>
      <title>{t(errorTitleKey(status, reason))}</title>
      <ErrorPage status={status} reason={reason} />
    </Chrome>
  );
}
