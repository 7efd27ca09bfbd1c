import { useTranslation } from "~/utils/i18n";
import { data, Link } from "react-router";
import { AiSystemSummary } from "~/components/ai-system-summary";
import { RegisterDataDetails } from "~/components/register-data";
import { PageTitle } from "~/components/page-title";
import { Time } from "~/components/time";
import { customerContext, servicesContext } from "~/context";
import { AuditPublicSection } from "~/components/audit-public";
import { getAiSystem } from "~/domain/ai-register.server";
import { publicAuditSummaries } from "~/domain/audits.server";
import { getPreferences, listChoices } from "~/domain/preferences.server";
import { getLang } from "~/middleware/i18n.server";
import { dateFor, formatNumber } from "~/utils/format.server";
import type { Route } from "./+types/ai-system";
import type { ScriptsAfterPaintHandle } from "~/components/page-scripts";
import { toDataView, toSummaryView } from "./ai-register.server";
import { usePortalHref } from "~/components/portal-link";

const DETAIL_FIELDS = [
  "purpose",
  "notFor",
  "howItWorks",
  "limitations",
  "dataOperating",
  "dataTraining",
  "legalBasis",
  "oversight",
  "risks",
  "impactAssessment",
  "retention",
] as const;

// A page to read: it paints before its JavaScript loads.
export const handle: ScriptsAfterPaintHandle = { scriptsAfterPaint: true };

export async function loader({ params, context }: Route.LoaderArgs) {
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const system = await getAiSystem(db, params.slug, lang);
  if (!system) throw data(null, { status: 404 });
  const customer = context.get(customerContext);
  const preferences = customer ? await getPreferences(db, customer.id) : null;
  const audit = (await publicAuditSummaries(db, [system.id], lang)).get(system.id);
  return {
    lang,
    signedIn: Boolean(customer),
    summary: toSummaryView(system, lang, await listChoices(db, lang), preferences),
    audit: audit ? { ...audit, auditedAt: dateFor(audit.auditedAt, lang, "date") } : null,
    details: DETAIL_FIELDS.map((field) => ({ field, text: system.texts[field] })),
    data: toDataView(system, lang),
    versions: system.versions.map((v) => ({ ...v, createdAt: dateFor(v.createdAt, lang, "date") })),
    // Each count with its own plural form (French "1 résolu", Arabic dual…), then one sentence.
    stats: Object.fromEntries(
      (["total", "open", "resolved"] as const).map((k) => [k, { count: system.concernStats[k], formatted: formatNumber(system.concernStats[k], lang) }]),
    ) as Record<"total" | "open" | "resolved", { count: number; formatted: string }>,
  };
}

export default function AiSystemPage({ loaderData }: Route.ComponentProps) {
  const href = usePortalHref();
  const { t } = useTranslation();
  const { summary, details, data: dataFacts, versions, stats, lang } = loaderData;
  const textLang = summary.fallback ? summary.textLang : undefined;
  return (
    <div className="stack-lg">
      <PageTitle>{summary.texts.name}</PageTitle>
      <p><Link to={href(`/${lang}/ai-systems`)}>{t("register.back")}</Link></p>
      <AiSystemSummary system={summary} lang={lang} signedIn={loaderData.signedIn} headingLevel={1} />
      <section className="card stack" aria-labelledby="details-title">
        <h2 id="details-title">{t("register.detailsTitle")}</h2>
        <dl className="details-list">
          {details.map((d) => (
            <div key={d.field}>
              <dt>{t(`register.fields.${d.field}`)}</dt>
              <dd lang={textLang}>{d.text}</dd>
            </div>
          ))}
          <div>
            <dt>{t("register.fields.concernStats")}</dt>
            <dd>
              {t("register.concernStats", {
                total: t("register.concernTotal", stats.total),
                open: t("register.concernOpen", stats.open),
                resolved: t("register.concernResolved", stats.resolved),
              })}
            </dd>
          </div>
        </dl>
      </section>
      <section className="card stack" aria-labelledby="data-title">
        <h2 id="data-title">{t("registerData.title")}</h2>
        <RegisterDataDetails data={dataFacts} textLang={textLang} />
      </section>
      <AuditPublicSection audit={loaderData.audit} lang={lang} />
      <section className="card stack" aria-labelledby="history-title">
        <h2 id="history-title">{t("register.historyTitle")}</h2>
        <ol className="timeline">
          {versions.map((v) => (
            <li key={v.version}>
              <p>
                <strong>{t("register.version", { version: v.version })}</strong> · <Time value={v.createdAt} />
                {v.material ? <> · <span className="pill pill--warning">{t("register.material")}</span></> : null}
              </p>
              <p>{v.note}</p>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
