import { useTranslation } from "~/utils/i18n";
import { Link } from "react-router";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { RegisterTable } from "~/components/staff/register-table";
import { listRegisterForStaff } from "~/domain/ai-register-editor.server";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { dateFor, formatNumber } from "~/utils/format.server";
import type { Route } from "./+types/ai-systems";

export async function loader({ request, context }: Route.LoaderArgs) {
  requireStaff(context, request, "register.edit");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const rows = await listRegisterForStaff(db, lang);
  return {
    rows: rows.map((r) => ({
      slug: r.slug,
      name: r.name,
      nameLang: r.nameLang,
      status: r.status,
      riskClass: r.riskClass,
      currentVersion: formatNumber(r.currentVersion, lang),
      lastReviewedAt: dateFor(r.lastReviewedAt, lang, "date"),
      languages: r.languages,
      languagesPresent: formatNumber(r.languages.filter((l) => l.present).length, lang),
      languagesTotal: formatNumber(r.languages.length, lang),
    })),
    missing: rows.filter((r) => r.languages.some((l) => !l.present)).length,
  };
}

export default function StaffAiSystems({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { rows, missing } = loaderData;
  return (
    <div className="stack-lg">
      <PageHeader title={t("registerEditor:list.title")} lead={t("registerEditor:list.lead")}>
        <p>
          <Link className="button" to="/staff/ai-systems/new">{t("registerEditor:list.new")}</Link>
        </p>
      </PageHeader>
      {missing > 0 ? (
        <Notice tone="warning" title={t("registerEditor:list.missingTitle", { count: missing })}>
          <p>{t("registerEditor:list.missingBody")}</p>
        </Notice>
      ) : null}
      {rows.length === 0 ? <p>{t("registerEditor:list.empty")}</p> : <RegisterTable rows={rows} />}
    </div>
  );
}
