import { Time } from "~/components/time";
import { useTranslation } from "~/utils/i18n";
import { textDirection } from "~/utils/languages";

/**
 * What the public register says about an AI system's audits (SPEC §12): "last audited <date>"
 * and, on the system's page, the last audit's result and one-paragraph public summary — in the
 * page's language, or English marked as such. Plain props: the loader formats the date
 * (`dateFor(auditedAt, lang, "date")`) from `publicAuditSummaries`.
 */
export interface AuditPublicView {
  auditedAt: { iso: string; text: string };
  /** passed | passed_with_actions | failed */
  result: string;
  summary: string;
  summaryLang: string;
}

/** One line for the register list: "Last audited: 3 Mar 2026" or "Not audited yet". */
export function AuditPublicLine({ audit }: { audit: AuditPublicView | null }) {
  const { t } = useTranslation();
  if (!audit) return <p className="muted">{t("auditPublic.never")}</p>;
  return (
    <p>
      {t("auditPublic.lastAudited")} <Time value={audit.auditedAt} />
    </p>
  );
}

/** The section for a system's page: date, result and the public summary (fallback language marked). */
export function AuditPublicSection({ audit, lang }: { audit: AuditPublicView | null; lang: string }) {
  const { t } = useTranslation();
  return (
    <section className="card stack" aria-labelledby="audit-public-title">
      <h2 id="audit-public-title">{t("auditPublic.title")}</h2>
      {audit ? (
        <>
          <dl className="facts">
            <div>
              <dt>{t("auditPublic.lastAudited")}</dt>
              <dd>
                <Time value={audit.auditedAt} />
              </dd>
            </div>
            <div>
              <dt>{t("auditPublic.result")}</dt>
              <dd>{t(`auditPublic.results.${audit.result}`, { defaultValue: audit.result })}</dd>
            </div>
          </dl>
          {audit.summaryLang !== lang ? (
            <p className="muted">{t("auditPublic.shownInEnglish")}</p>
          ) : null}
          <p lang={audit.summaryLang} dir={textDirection(audit.summaryLang)}>
            {audit.summary}
          </p>
        </>
      ) : (
        <p>{t("auditPublic.never")}</p>
      )}
      <p className="muted">{t("auditPublic.explain")}</p>
    </section>
  );
}
