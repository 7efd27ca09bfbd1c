import { useTranslation } from "~/utils/i18n";
import { PageHeader } from "~/components/page-header";
import { TranslationCoverageTable } from "~/components/staff/translation-coverage";
import { translationCoverage } from "~/domain/translation-coverage.server";
import { can } from "~/domain/permissions";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { formatNumber } from "~/utils/format.server";
import type { Route } from "./+types/translations";

/** GET /staff/translations (register.edit): which systems, notices and canned replies lack which languages. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = requireStaff(context, request, "register.edit");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const coverage = await translationCoverage(db, lang);
  const total = coverage.languages.length;
  const present = (missing: readonly string[]) => formatNumber(total - missing.length, lang);
  return {
    total: formatNumber(total, lang),
    systems: coverage.systems.map((r) => ({ ...r, present: present(r.missing), href: `/staff/ai-systems/${r.key}` })),
    notices: coverage.notices.map((r) => ({ ...r, version: formatNumber(r.version, lang), present: present(r.missing), href: can(staff.role, "settings.manage") ? `/staff/choices/${r.key}` : null })),
    cannedReplies: coverage.cannedReplies.map((r) => ({ ...r, present: present(r.missing), href: can(staff.role, "concerns.assign") ? `/staff/canned-replies?key=${r.key}` : null })),
  };
}

export default function StaffTranslations({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { total, systems, notices, cannedReplies } = loaderData;
  return (
    <div className="stack-lg">
      <PageHeader title={t("translations:title")} lead={t("translations:lead", { total })} />
      <TranslationCoverageTable id="systems" title={t("translations:systems")} rows={systems} total={total} linkFor={(row, l) => `${row.href}?lang=${l}`} />
      <TranslationCoverageTable id="notices" title={t("translations:notices")} rows={notices} total={total} linkFor={(row) => row.href} />
      <TranslationCoverageTable id="canned" title={t("translations:cannedReplies")} rows={cannedReplies} total={total} linkFor={(row, l) => (row.href ? `${row.href}&lang=${l}` : null)} />
    </div>
  );
}
