import { useTranslation } from "react-i18next";
import { Link } from "react-router";

/** The one error pattern for whole pages: a heading, what happened, what to do next. */
export function ErrorPage({ status, reason, home }: { status: number; reason?: string; home?: string }) {
  const { t, i18n } = useTranslation();
  const kind =
    reason === "signed_out" || status === 401
      ? "signedOut"
      : status === 404
        ? "notFound"
        : status === 403
          ? "forbidden"
          : status === 429
            ? "tooMany"
            : status >= 400 && status < 500
              ? "badRequest"
              : "server";
  return (
    <section className="stack" aria-labelledby="error-title">
      <h1 id="error-title">{t(`errors.${kind}Title`)}</h1>
      <p className="lead">{t(`errors.${kind}Body`)}</p>
      <p>
        <Link className="button button--secondary" to={home ?? `/${i18n.language}`}>
          {t("errors.backHome")}
        </Link>
      </p>
    </section>
  );
}
