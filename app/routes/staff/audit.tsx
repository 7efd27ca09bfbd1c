import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, Form, Link, useNavigation } from "react-router";
import { z } from "zod";
import { AdminAuditTable, KNOWN_AUDIT_ACTIONS } from "~/components/staff/admin-audit-table";
import { Pagination } from "~/components/pagination";
import { AdminVerifyResult, type AdminVerification } from "~/components/staff/admin-verify-result";
import { PageHeader } from "~/components/page-header";
import { verifyAudit } from "~/domain/audit.server";
import { ACTION_PREFIX_MAX, AUDIT_ACTOR_TYPES, listAuditEntries, parseAuditFilter } from "~/domain/staff-admin.server";
import { listStaff } from "~/domain/staff.server";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { dateFor, formatNumber } from "~/utils/format.server";
import { readForm } from "~/utils/forms.server";
import type { Route } from "./+types/audit";

const VerifySchema = z.object({ intent: z.literal("verify") });

export async function loader({ request, context }: Route.LoaderArgs) {
  requireStaff(context, request, "audit.view");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const filter = parseAuditFilter(new URL(request.url).searchParams);
  const { entries, total, page, pageCount } = await listAuditEntries(db, filter);
  return {
    filter: { action: filter.action ?? "", actor: filter.actor ?? "" },
    total,
    totalText: formatNumber(total, lang),
    page,
    pageCount,
    rows: entries.map(({ createdAt, hash: _hash, ...entry }) => ({ ...entry, time: dateFor(createdAt, lang) })),
    staffOptions: (await listStaff(db)).map((s) => ({ value: `staff:${s.id}`, name: s.name })),
    otherActors: AUDIT_ACTOR_TYPES.filter((type) => type !== "staff"),
    actionPrefixMax: ACTION_PREFIX_MAX,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  requireStaff(context, request, "audit.view");
  const { db } = context.get(servicesContext);
  const submission = parseWithZod(await readForm(request), { schema: VerifySchema });
  if (submission.status !== "success") return data({ verification: null }, { status: 400 });
  const result = await verifyAudit(db);
  const entriesText = formatNumber(result.entries, getLang(context));
  const verification: AdminVerification = { ...result, entriesText };
  return { verification };
}

export default function AuditLog({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { filter, rows, page, pageCount, staffOptions, otherActors } = loaderData;
  const filtered = Boolean(filter.action || filter.actor);
  return (
    <div className="stack-lg">
      <PageHeader title={t("admin:audit.title")} lead={t("admin:audit.lead")} />

      <section className="card stack" aria-labelledby="verify-title">
        <h2 id="verify-title">{t("admin:audit.verifyTitle")}</h2>
        <p>{t("admin:audit.verifyLead")}</p>
        <Form method="post">
          <input type="hidden" name="intent" value="verify" />
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {t("admin:audit.verify")}
          </button>
        </Form>
        {actionData?.verification ? <AdminVerifyResult result={actionData.verification} /> : null}
      </section>

      <section className="stack" aria-labelledby="filters-title">
        <h2 id="filters-title">{t("admin:audit.filtersTitle")}</h2>
        <Form method="get" className="toolbar">
          <div className="field">
            <label htmlFor="audit-action">{t("admin:audit.actionFilter")}</label>
            <p className="field__hint" id="audit-action-hint">{t("admin:audit.actionFilterHint")}</p>
            <input
              type="text"
              id="audit-action"
              name="action"
              defaultValue={filter.action}
              list="audit-action-codes"
              maxLength={loaderData.actionPrefixMax}
              autoComplete="off"
              spellCheck={false}
              aria-describedby="audit-action-hint"
            />
            <datalist id="audit-action-codes">
              {KNOWN_AUDIT_ACTIONS.map((code) => (
                <option key={code} value={code}>{t(`admin:actions.${code}`)}</option>
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor="audit-actor">{t("admin:audit.actorFilter")}</label>
            <select id="audit-actor" name="actor" defaultValue={filter.actor}>
              <option value="">{t("admin:audit.actorAll")}</option>
              <optgroup label={t("admin:audit.actorStaffGroup")}>
                {staffOptions.map((s) => (
                  <option key={s.value} value={s.value}>{s.name}</option>
                ))}
              </optgroup>
              <optgroup label={t("admin:audit.actorOtherGroup")}>
                {otherActors.map((type) => (
                  <option key={type} value={type}>{t(`admin:actors.${type}`)}</option>
                ))}
              </optgroup>
            </select>
          </div>
          <button type="submit" className="button button--secondary">{t("admin:audit.apply")}</button>
          {filtered ? <Link to="/staff/audit">{t("admin:audit.clear")}</Link> : null}
        </Form>
      </section>

      <section className="stack" aria-labelledby="entries-title">
        <h2 id="entries-title">{t("admin:audit.count", { count: loaderData.total, entries: loaderData.totalText })}</h2>
        {rows.length ? (
          <AdminAuditTable rows={rows} />
        ) : (
          <p className="muted">{t("admin:audit.empty")}</p>
        )}
        <Pagination page={page} pageCount={pageCount} basePath="/staff/audit" />
      </section>
    </div>
  );
}
