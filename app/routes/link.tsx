import { useTranslation } from "~/utils/i18n";
import { data, Form, isRouteErrorResponse, redirect } from "react-router";
import { ErrorPage } from "~/components/error-page";
import { LanguageSwitcher } from "~/components/language-switcher";
import { PageTitle } from "~/components/page-title";
import { clientIpContext, gpcContext, servicesContext } from "~/context";
import { pageOfInteraction } from "~/domain/interactions.server";
import { inspectLink, redeemLink, type LinkStatus } from "~/domain/links.server";
import { recordGlobalPrivacyControl } from "~/domain/preferences.server";
import { getLang } from "~/middleware/i18n.server";
import { customerSessionCookie } from "~/utils/cookies.server";
import type { Route } from "./+types/link";

const STATUS_CODE: Record<LinkStatus, number> = { valid: 200, expired: 410, revoked: 410, unknown: 404 };

/** A personal link's page is never stored, whatever its outcome (app/server.ts enforces it too). */
export const headers: Route.HeadersFunction = () => ({ "Cache-Control": "no-store" });

/**
 * GET only shows "Continue": email security scanners pre-open links, so opening must not sign
 * anyone in. The POST from this page redeems the link (SPEC §3.1).
 */
export async function loader({ params, context }: Route.LoaderArgs) {
  if ((await context.get(servicesContext).rateLimits.consume("linkOpen", context.get(clientIpContext))) !== null) throw data(null, { status: 429 });
  const { status } = await inspectLink(context.get(servicesContext).db, params.token);
  return data({ status }, { status: STATUS_CODE[status], headers: { "Cache-Control": "no-store" } });
}

export async function action({ params, context }: Route.ActionArgs) {
  const { db, rateLimits } = context.get(servicesContext);
  if ((await rateLimits.consume("linkOpen", context.get(clientIpContext))) !== null) throw data(null, { status: 429 });
  const result = await redeemLink(db, params.token);
  if (result.status !== "valid") return data({ status: result.status }, { status: STATUS_CODE[result.status] });
  // The page's language: the visitor's pick on this page, else the link's, else Accept-Language.
  const lang = getLang(context);
  // Signing in is a deliberate act: a browser's Global Privacy Control is recorded now, once.
  if (context.get(gpcContext)) await recordGlobalPrivacyControl(db, result.customerId, lang);
  let target = result.concernRef ? `/${lang}/me/concerns/${result.concernRef}` : `/${lang}`;
  if (result.confirmationId) {
    // The "ask me first" email opens the request itself (SPEC §11.1).
    target = `/${lang}/me/confirmations/${encodeURIComponent(result.confirmationId)}`;
  } else if (result.interactionRef) {
    const page = await pageOfInteraction(db, result.customerId, result.interactionRef);
    if (page) {
      target = `/${lang}/me/interactions?page=${page}&focus=${encodeURIComponent(result.interactionRef)}#interaction-${encodeURIComponent(result.interactionRef)}`;
    }
  }
  return redirect(target, {
    status: 303,
    headers: { "Set-Cookie": await customerSessionCookie.serialize(result.sessionToken) },
  });
}

export default function LinkPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const status = actionData?.status ?? loaderData.status;
  return (
    <>
      <header className="site-header">
        <div className="site-header__inner">
          <span className="brand">
            <span className="brand__mark" aria-hidden="true" />
            <span className="brand__product">{t("layout.product")}</span>
          </span>
          <LanguageSwitcher hrefFor={(lang) => `?lang=${lang}`} />
        </div>
      </header>
      <main id="main" className="page page--narrow">
        {status === "valid" ? (
          <section className="card stack" aria-labelledby="link-title">
            <PageTitle>{t("link.title")}</PageTitle>
            <h1 id="link-title">{t("link.title")}</h1>
            <p className="lead">{t("link.body")}</p>
            <Form method="post">
              <button type="submit" className="button button--large">{t("link.continue")}</button>
            </Form>
            <p className="muted">{t("link.privacy")}</p>
          </section>
        ) : (
          <section className="card stack" aria-labelledby="link-title">
            <PageTitle>{t(`link.${status}.title`)}</PageTitle>
            <h1 id="link-title">{t(`link.${status}.title`)}</h1>
            <p className="lead">{t(`link.${status}.body`)}</p>
            <p>{t("link.whatToDo")}</p>
          </section>
        )}
      </main>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <main id="main" className="page page--narrow">
      <ErrorPage status={isRouteErrorResponse(error) ? error.status : 500} />
    </main>
  );
}
