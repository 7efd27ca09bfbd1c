import { useTranslation } from "~/utils/i18n";
import { Link } from "react-router";

/**
 * The one error pattern for whole pages: a heading, what happened, what to do next. A 401 is never
 * a dead end: it says how to get a personal link and offers what works without one. A staff role
 * denial (`reason: "no_permission"`) says so, not the cross-site refusal wording.
 */
export function ErrorPage({ status, reason, home }: { status: number; reason?: string; home?: string }) {
  const { t, i18n } = useTranslation();
  const kind =
    reason === "signed_out" || status === 401
      ? "signedOut"
      : status === 404
        ? "notFound"
        : reason === "no_permission"
          ? "noPermission"
          : status === 403
            ? "forbidden"
            : status === 429
              ? "tooMany"
              : status >= 400 && status < 500
                ? "badRequest"
                : "server";
  const base = home ?? `/${i18n.language}`;
  return (
    <section className="stack" aria-labelledby="error-title">
      <h1 id="error-title">{t(`errors.${kind}Title`)}</h1>
      <p className="lead">{t(`errors.${kind}Body`)}</p>
      {kind === "signedOut" ? (
        <>
          <p>{t("errors.signedOutNext")}</p>
          <ul>
            <li><Link to={`${base}/ai-systems`}>{t("errors.signedOutRegister")}</Link></li>
            {/* The embed frame's concern form lives at concerns/new; the portal's at me/concerns/new. */}
            <li><Link to={home ? `${base}/concerns/new` : `${base}/me/concerns/new`}>{t("errors.signedOutConcern")}</Link></li>
          </ul>
        </>
      ) : null}
      <p>
        <Link className="button button--secondary" to={base}>
          {t("errors.backHome")}
        </Link>
      </p>
    </section>
  );
}

/** The document title for an error page, same choice of wording as ErrorPage. */
export function errorTitleKey(status: number, reason?: string): string {
  if (reason === "signed_out" || status === 401) return "errors.signedOutTitle";
  if (status === 404) return "errors.notFoundTitle";
  if (reason === "no_permission") return "errors.noPermissionTitle";
  if (status === 403) return "errors.forbiddenTitle";
  return "errors.serverTitle";
}
