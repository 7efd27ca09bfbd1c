import { useTranslation } from "~/utils/i18n";
import type { AiSystemSummary } from "~/domain/ai-register.server";
import { Link } from "react-router";
import { Time } from "./time";
import { usePortalHref } from "~/components/portal-link";

export type AiSystemSummaryView = Pick<
  AiSystemSummary,
  "slug" | "provider" | "riskClass" | "autonomy" | "channels" | "status" | "contactEmail" | "textLang"
> & {
  lastReviewedAt: { iso: string; text: string };
  actions: { key: string; label: string; value: string | null }[];
  texts: Pick<AiSystemSummary["texts"], "name" | "shortDescription" | "riskReason">;
  fallback: boolean;
};

/** The register's summary layer for one AI system (SPEC §3.2). */
export function AiSystemSummary({
  system,
  lang,
  signedIn,
  headingLevel = 2,
}: {
  system: AiSystemSummaryView;
  lang: string;
  /** Without a personal link, "my choices" would be a 401: say how to get there instead. */
  signedIn: boolean;
  headingLevel?: 1 | 2;
}) {
  const href = usePortalHref();
  const { t } = useTranslation();
  const Heading = headingLevel === 1 ? "h1" : "h2";
  const headingId = `system-${system.slug}`;
  return (
    <article className="card stack" aria-labelledby={headingId}>
      <div className="card__head">
        <Heading id={headingId} lang={system.fallback ? system.textLang : undefined}>
          {headingLevel === 2 ? <Link to={href(`/${lang}/ai-systems/${system.slug}`)}>{system.texts.name}</Link> : system.texts.name}
        </Heading>
        <span className={`pill pill--risk-${system.riskClass}`}>{t(`register.risk.${system.riskClass}`)}</span>
        <span className="pill">{t(`register.status.${system.status}`)}</span>
      </div>
      {system.fallback ? <p className="fallback-note">{t("register.shownInEnglish")}</p> : null}
      <p lang={system.fallback ? system.textLang : undefined}>{system.texts.shortDescription}</p>
      <dl className="facts">
        <div>
          <dt>{t("register.whereYouMeetIt")}</dt>
          <dd>{system.channels.map((c) => t(`channels.${c}`)).join(", ")}</dd>
        </div>
        <div>
          <dt>{t("register.role")}</dt>
          <dd>{t(`register.autonomy.${system.autonomy}`)}</dd>
        </div>
        <div>
          <dt>{t("register.actions")}</dt>
          <dd>
            {system.actions.length === 0 ? (
              t("register.noActions")
            ) : (
              <ul className="plain-list">
                {system.actions.map((a) => (
                  <li key={a.key}>
                    {a.label}
                    {a.value ? (
                      <>
                        {" — "}
                        <span className="muted">{t("register.yourChoice")}</span>{" "}
                        <span className={`pill pill--${a.value}`}>{t(`choiceValues.${a.value}`)}</span>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt>{t("register.riskClass")}</dt>
          <dd lang={system.fallback ? system.textLang : undefined}>{system.texts.riskReason}</dd>
        </div>
        <div>
          <dt>{t("register.provider")}</dt>
          <dd>{system.provider}</dd>
        </div>
        <div>
          <dt>{t("register.lastReviewed")}</dt>
          <dd><Time value={system.lastReviewedAt} /></dd>
        </div>
        <div>
          <dt>{t("register.contact")}</dt>
          <dd>
            <a href={`mailto:${system.contactEmail}`}>{system.contactEmail}</a>
            {" · "}
            <Link to={href(`/${lang}/me/concerns/new?system=${system.slug}`)}>{t("register.complain")}</Link>
          </dd>
        </div>
      </dl>
      {system.actions.length > 0 ? (
        signedIn ? (
          <p><Link to={href(`/${lang}/me/preferences`)}>{t("register.manageChoices")}</Link></p>
        ) : (
          <p className="muted">{t("register.manageChoicesSignedOut")}</p>
        )
      ) : null}
    </article>
  );
}
