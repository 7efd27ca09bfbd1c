import { Link } from "react-router";
import { useTranslation } from "~/utils/i18n";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { AttentionBlock, AttentionCaseItem } from "~/components/staff/attention-block";
import { Time } from "~/components/time";
import { attentionFor, type AttentionBlock as Block, type AttentionCase } from "~/domain/staff-attention.server";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { dateFor, formatNumber } from "~/utils/format.server";
import type { Route } from "./+types/index";
import { MONITORING_METRICS, type MetricUnit } from "~/domain/monitoring-metrics";

/** The unit an alert's value and threshold are in (percent, per 1,000, count). */
const metricUnit = (metric: string): MetricUnit => (MONITORING_METRICS as Record<string, { unit: MetricUnit }>)[metric]?.unit ?? "count";

/** The console's start page (SPEC §12): what needs the signed-in staff member's attention now. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = requireStaff(context, request);
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const now = Date.now();
  const attention = await attentionFor(db, staff, now, lang);
  const countOf = (block: Block<unknown>) => (block.capped ? `${formatNumber(block.count, lang)}+` : formatNumber(block.count, lang));
  const cases = (block: Block<AttentionCase> | undefined) =>
    block && block.count > 0
      ? {
          count: countOf(block),
          items: block.items.map((item) => ({
            ref: item.ref,
            kind: item.kind,
            due: item.dueAt === null ? null : dateFor(item.dueAt, lang),
            overdue: item.dueAt !== null && item.dueAt < now,
            reportDue: item.reportDueAt ? dateFor(item.reportDueAt, lang, "date") : undefined,
          })),
        }
      : null;
  const trainings =
    attention.trainings.count > 0
      ? {
          count: countOf(attention.trainings),
          items: attention.trainings.items.map((item) => ({
            key: `${item.staffId}:${item.course ?? ""}`,
            name: item.staffName,
            course: item.course,
            expired: item.expired,
            // The last day it counts: validUntil is the start of the day after it.
            lastDay: item.validUntil === null ? null : dateFor(item.validUntil - 1, lang, "date"),
          })),
        }
      : null;
  const number = (value: number) => new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(value);
  const audits =
    attention.audits && attention.audits.count > 0
      ? {
          count: countOf(attention.audits),
          items: attention.audits.items.map((a) => ({ slug: a.slug, name: a.name, overdue: a.overdue, due: dateFor(a.nextDueAt, lang, "date") })),
        }
      : null;
  const auditActions =
    attention.auditActions.count > 0
      ? {
          count: countOf(attention.auditActions),
          items: attention.auditActions.items.map((a) => ({ id: a.actionId, slug: a.systemSlug, text: a.text, due: dateFor(a.dueAt, lang, "date") })),
        }
      : null;
  const alerts =
    attention.alerts && attention.alerts.count > 0
      ? {
          count: countOf(attention.alerts),
          items: attention.alerts.items.map((a) => ({ id: a.id, name: a.systemName, metric: a.metric, unit: metricUnit(a.metric), value: number(a.value), threshold: number(a.threshold), week: dateFor(a.weekStart, lang, "date") })),
        }
      : null;
  return {
    name: staff.name,
    audits,
    auditActions,
    alerts,
    myOverdue: cases(attention.myOverdue),
    myDueSoon: cases(attention.myDueSoon),
    unassignedNew: cases(attention.unassignedNew),
    seriousIncidents: cases(attention.seriousIncidents),
    breaches: cases(attention.breaches),
    trainings,
    seesEveryonesTrainings: staff.role !== "agent",
  };
}

export default function StaffStart({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { myOverdue, myDueSoon, unassignedNew, seriousIncidents, breaches, trainings } = loaderData;
  const caseBlocks = [
    { id: "my-overdue", data: myOverdue, tone: "error" as const, href: "/staff/concerns?assignee=me&overdue=1", key: "myOverdue" },
    { id: "serious-incidents", data: seriousIncidents, tone: "error" as const, href: "/staff/concerns", key: "seriousIncidents" },
    { id: "breaches", data: breaches, tone: "error" as const, href: "/staff/concerns?origin=breach&status=new", key: "breaches" },
    { id: "my-due-soon", data: myDueSoon, tone: "warning" as const, href: "/staff/concerns?assignee=me", key: "myDueSoon" },
    { id: "unassigned-new", data: unassignedNew, tone: "info" as const, href: "/staff/concerns?status=new&assignee=none", key: "unassignedNew" },
  ];
  const { audits, auditActions, alerts } = loaderData;
  const allClear = caseBlocks.every((block) => !block.data) && !trainings && !audits && !auditActions && !alerts;
  return (
    <div className="stack-lg">
      <PageHeader title={t("attention:title")} lead={t("attention:lead", { name: loaderData.name })} />
      {allClear ? (
        <Notice tone="success" title={t("attention:allClear.title")}>
          <p>{t("attention:allClear.body")}</p>
        </Notice>
      ) : (
        <div className="grid-3">
          {caseBlocks.map(({ id, data, tone, href, key }) =>
            data ? (
              <AttentionBlock key={id} id={id} title={t(`attention:blocks.${key}.title`)} count={data.count} tone={tone} href={href} linkLabel={t(`attention:blocks.${key}.link`)}>
                {data.items.map((item) => (
                  <AttentionCaseItem key={item.ref} item={item} />
                ))}
              </AttentionBlock>
            ) : null,
          )}
          {trainings ? (
            <AttentionBlock
              id="trainings"
              title={t(loaderData.seesEveryonesTrainings ? "attention:blocks.trainings.title" : "attention:blocks.trainings.titleOwn")}
              count={trainings.count}
              tone="warning"
              href={loaderData.seesEveryonesTrainings ? "/staff/trainings" : "/staff/account"}
              linkLabel={t(loaderData.seesEveryonesTrainings ? "attention:blocks.trainings.link" : "attention:blocks.trainings.linkOwn")}
            >
              {trainings.items.map((item) => (
                <li key={item.key}>
                  {item.name}
                  {" · "}
                  {item.course && item.lastDay ? (
                    <span>
                      {t(item.expired ? "attention:item.trainingEnded" : "attention:item.trainingEnds", { course: item.course })} <Time value={item.lastDay} />
                    </span>
                  ) : (
                    <span>{t("attention:item.noTraining")}</span>
                  )}
                </li>
              ))}
            </AttentionBlock>
          ) : null}
          {audits ? (
            <AttentionBlock id="audits" title={t("attention:blocks.audits.title")} count={audits.count} tone="warning" href="/staff/ai-systems" linkLabel={t("attention:blocks.audits.link")}>
              {audits.items.map((item) => (
                <li key={item.slug}>
                  <Link to={`/staff/ai-systems/${item.slug}/audits`}>{item.name}</Link>
                  {" · "}
                  <span>{t(item.overdue ? "attention:item.auditOverdue" : "attention:item.auditDue")} <Time value={item.due} /></span>
                </li>
              ))}
            </AttentionBlock>
          ) : null}
          {auditActions ? (
            <AttentionBlock id="audit-actions" title={t("attention:blocks.auditActions.title")} count={auditActions.count} tone="error" href="/staff/ai-systems" linkLabel={t("attention:blocks.auditActions.link")}>
              {auditActions.items.map((item) => (
                <li key={item.id}>
                  <Link to={`/staff/ai-systems/${item.slug}/audits`}>{item.text}</Link>
                  {" · "}
                  <span>{t("attention:item.actionDue")} <Time value={item.due} /></span>
                </li>
              ))}
            </AttentionBlock>
          ) : null}
          {alerts ? (
            <AttentionBlock id="alerts" title={t("attention:blocks.alerts.title")} count={alerts.count} tone="error" href="/staff/monitoring" linkLabel={t("attention:blocks.alerts.link")}>
              {alerts.items.map((item) => (
                <li key={item.id}>
                  {item.name}
                  {" · "}
                  <span>
                    {t("attention:item.alert", { metric: t(`monitoring:metrics.${item.metric}`, { defaultValue: item.metric }), value: t(`monitoring:${item.unit}`, { value: item.value }), threshold: t(`monitoring:${item.unit}`, { value: item.threshold }) })} <Time value={item.week} />
                  </span>
                </li>
              ))}
            </AttentionBlock>
          ) : null}
        </div>
      )}
    </div>
  );
}
