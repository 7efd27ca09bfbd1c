import { useTranslation } from "~/utils/i18n";
import { AiSystemSummary } from "~/components/ai-system-summary";
import { AuditPublicLine } from "~/components/audit-public";
import { PageHeader } from "~/components/page-header";
import { customerContext, servicesContext } from "~/context";
import { listAiSystems } from "~/domain/ai-register.server";
import { publicAuditSummaries } from "~/domain/audits.server";
import { dateFor } from "~/utils/format.server";
import { getPreferences, listChoices } from "~/domain/preferences.server";
import { getLang } from "~/middleware/i18n.server";
import type { Route } from "./+types/ai-systems";
import type { ScriptsAfterPaintHandle } from "~/components/page-scripts";
import { toSummaryView } from "./ai-register.server";

// A page to read: it paints before its JavaScript loads.
export const handle: ScriptsAfterPaintHandle = { scriptsAfterPaint: true };

export async function loader({ context }: Route.LoaderArgs) {
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const customer = context.get(customerContext);
  const choices = await listChoices(db, lang);
  const preferences = customer ? await getPreferences(db, customer.id) : null;
  const list = await listAiSystems(db, lang);
  const audits = await publicAuditSummaries(db, list.map((s) => s.id), lang);
  const systems = list.map((s) => {
    const audit = audits.get(s.id);
    return { ...toSummaryView(s, lang, choices, preferences), audit: audit ? { ...audit, auditedAt: dateFor(audit.auditedAt, lang, "date") } : null };
  });
  return { lang, signedIn: Boolean(customer), systems };
}

export default function AiSystems({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <PageHeader title={t("register.title")} lead={t("register.lead")} />
      {loaderData.systems.length === 0 ? (
        <p>{t("register.empty")}</p>
      ) : (
        <div className="stack">
          {loaderData.systems.map((system) => (
            <div key={system.slug} className="stack">
              <AiSystemSummary system={system} lang={loaderData.lang} signedIn={loaderData.signedIn} />
              <AuditPublicLine audit={system.audit} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
