import { parseWithZod } from "@conform-to/zod/v4";
import { data, Link, redirect } from "react-router";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { Time } from "~/components/time";
import { AuditsAuditForm, AuditsIntervalForm } from "~/components/staff/audits-forms";
import { AuditsCard, type AuditCardView } from "~/components/staff/audits-list";
import { AuditsSchema, emptySummaries, SUMMARY_LANGS, summariesFromForm, summaryField } from "~/components/staff/audits-schema";
import { servicesContext } from "~/context";
import {
  addAuditAction,
  AuditInputError,
  auditStaffChoices,
  completeAuditAction,
  correctAudit,
  getSystemAudits,
  recordAudit,
  setAuditInterval,
  type AuditErrorCode,
} from "~/domain/audits.server";
import { aiSystemNames } from "~/domain/ai-register.server";
import { companyTimeZone } from "~/domain/settings.server";
import { once } from "~/domain/submissions.server";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { can } from "~/domain/permissions";
import { dayStart } from "~/utils/calendar";
import { dateFor } from "~/utils/format.server";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { useTranslation } from "~/utils/i18n";
import type { Route } from "./+types/ai-system-audits";

const DONE = ["recorded", "corrected", "actionAdded", "actionDone", "interval"] as const;

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const staff = requireStaff(context, request, "register.edit");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const now = Date.now();
  const audits = await getSystemAudits(db, params.slug, now);
  if (!audits) throw data(null, { status: 404 });
  const zone = companyTimeZone();
  const day = (d: string) => dateFor(dayStart(d, zone), lang, "date");
  const name = (await aiSystemNames(db, lang)).get(audits.system.id)?.name ?? audits.system.slug;
  const done = new URL(request.url).searchParams.get("done");
  const cards: AuditCardView[] = audits.audits.map((a) => ({
    id: a.id,
    auditedOn: day(a.auditedOn),
    auditorName: a.auditorName,
    result: a.result,
    scope: a.scope,
    findings: a.findings,
    summaries: Object.entries(a.summaries).map(([l, text]) => ({ lang: l, text: text ?? "" })),
    actions: a.actions.map((x) => ({ id: x.id, text: x.text, ownerName: x.ownerName, dueOn: day(x.dueOn), done: x.doneAt ? dateFor(x.doneAt, lang, "date") : null, overdue: x.overdue })),
    values: {
      auditedOn: a.auditedOn,
      auditorName: a.auditorName,
      auditorStaffId: a.auditorStaffId ? String(a.auditorStaffId) : "",
      scope: a.scope,
      findings: a.findings,
      result: a.result,
      ...Object.fromEntries(SUMMARY_LANGS.map((l) => [summaryField(l), a.summaries[l] ?? ""])),
    },
  }));
  return {
    slug: audits.system.slug,
    name,
    lang,
    retired: audits.system.status === "retired",
    intervalMonths: audits.system.auditIntervalMonths,
    lastAuditedOn: audits.lastAuditedOn ? day(audits.lastAuditedOn) : null,
    nextDueOn: day(audits.nextDueOn),
    overdue: audits.overdue,
    audits: cards,
    staff: await auditStaffChoices(db),
    canRecord: can(staff.role, "audits.record"),
    done: (DONE as readonly (string | null)[]).includes(done) ? (done as (typeof DONE)[number]) : null,
  };
}

const ERROR_FIELD: Record<AuditErrorCode, string> = {
  notFound: "",
  englishSummaryRequired: "summaryEn",
  ownerUnknown: "ownerId",
  auditorUnknown: "auditorStaffId",
  invalidDay: "",
  alreadyDone: "",
};

export async function action({ request, params, context }: Route.ActionArgs) {
  const staff = requireStaff(context, request, "audits.record");
  const { db } = context.get(servicesContext);
  const actor = { staffId: staff.id };
  const base = `/staff/ai-systems/${encodeURIComponent(params.slug)}/audits`;
  const submission = parseWithZod(await readForm(request), { schema: AuditsSchema });
  const payload = submission.payload as Record<string, unknown>;
  const intent = String(payload.intent ?? "");
  const target = String(payload.auditId ?? payload.actionId ?? "");
  const fail = (result: ReturnType<typeof submission.reply>, status: number) => data({ intent, target, result }, { status });
  if (submission.status !== "success") return fail(submission.reply(), 400);
  const v = submission.value;
  try {
    switch (v.intent) {
      case "record":
      case "correct": {
        const input = {
          auditedOn: v.auditedOn,
          auditorName: v.auditorName,
          auditorStaffId: v.auditorStaffId ?? null,
          scope: v.scope,
          findings: v.findings,
          result: v.result,
          summaries: summariesFromForm(v),
        };
        if (v.intent === "correct") {
          await correctAudit(db, params.slug, v.auditId, input, actor);
          return redirect(`${base}?done=corrected#audit-${v.auditId}`, 303);
        }
        const id = await once(db, { actor: `staff:${staff.id}`, action: "ai_system_audit.record", content: { slug: params.slug, ...input } }, (tx) => recordAudit(tx, params.slug, input, [], actor));
        return redirect(`${base}?done=recorded#audit-${id}`, 303);
      }
      case "addAction": {
        const input = { text: v.text, ownerId: v.ownerId ?? null, dueOn: v.dueOn };
        await once(db, { actor: `staff:${staff.id}`, action: "ai_system_audit.action_add", content: { slug: params.slug, auditId: v.auditId, ...input } }, (tx) =>
          addAuditAction(tx, params.slug, v.auditId, input, actor),
        );
        return redirect(`${base}?done=actionAdded#audit-${v.auditId}`, 303);
      }
      case "completeAction":
        await completeAuditAction(db, params.slug, v.actionId, actor);
        return redirect(`${base}?done=actionDone`, 303);
      case "interval":
        await setAuditInterval(db, params.slug, v.months, actor);
        return redirect(`${base}?done=interval`, 303);
    }
  } catch (error) {
    if (!(error instanceof AuditInputError)) throw error;
    if (error.code === "notFound" && v.intent !== "completeAction" && v.intent !== "addAction" && v.intent !== "correct") throw data(null, { status: 404 });
    const field = ERROR_FIELD[error.code];
    const message = msg(`audits:errors.${error.code}`);
    return fail(submission.reply(field ? { fieldErrors: { [field]: [message] } } : { formErrors: [message] }), error.code === "notFound" ? 404 : 400);
  }
}

export default function AiSystemAudits({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { slug, name, audits, staff, canRecord, done } = loaderData;
  const action = `/staff/ai-systems/${slug}/audits`;
  const resultFor = (intent: string, target?: number) =>
    actionData && actionData.intent === intent && (target === undefined || actionData.target === String(target)) ? actionData.result : undefined;
  const rowError = actionData?.intent === "completeAction" ? (actionData.result.error?.[""] ?? []) : [];
  return (
    <div className="stack-lg">
      <p>
        <Link to={`/staff/ai-systems/${slug}`}>{t("audits:back", { name })}</Link>
      </p>
      <PageHeader title={t("audits:title", { name })} lead={t("audits:lead")}>
        <dl className="facts">
          <div>
            <dt>{t("audits:lastAudited")}</dt>
            <dd>{loaderData.lastAuditedOn ? <Time value={loaderData.lastAuditedOn} /> : t("audits:never")}</dd>
          </div>
          <div>
            <dt>{t("audits:nextDue")}</dt>
            <dd>
              {loaderData.retired ? (
                t("audits:retired")
              ) : (
                <>
                  <Time value={loaderData.nextDueOn} /> {loaderData.overdue ? <span className="pill badge-overdue">{t("audits:overdue")}</span> : null}
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>{t("audits:interval.label")}</dt>
            <dd>{t("audits:interval.value", { count: loaderData.intervalMonths })}</dd>
          </div>
        </dl>
      </PageHeader>
      {done && !actionData ? <Notice tone="success" title={t(`audits:done.${done}`)} /> : null}
      {rowError.length ? (
        <Notice tone="error" title={t("errors.formTitle")}>
          <p>{rowError.map((e) => t(e.split("?")[0]!)).join(" ")}</p>
        </Notice>
      ) : null}
      <section className="stack" aria-labelledby="audits-list-title">
        <h2 id="audits-list-title">{t("audits:list.title")}</h2>
        {audits.length === 0 ? <p className="muted">{t("audits:list.empty")}</p> : null}
        {audits.map((audit) => (
          <AuditsCard
            key={audit.id}
            audit={audit}
            staff={staff}
            action={action}
            canRecord={canRecord}
            actionResult={resultFor("addAction", audit.id)}
            correctResult={resultFor("correct", audit.id)}
          />
        ))}
      </section>
      {canRecord ? (
        <>
          <section className="card stack" aria-labelledby="audits-record-title">
            <h2 id="audits-record-title">{t("audits:record.title")}</h2>
            <p className="muted">{t("audits:record.lead")}</p>
            <AuditsAuditForm
              formId="audit-record"
              values={{ auditedOn: "", auditorName: "", auditorStaffId: "", scope: "", findings: "", result: "", ...emptySummaries() }}
              staff={staff}
              lastResult={resultFor("record")}
              action={action}
            />
          </section>
          <section className="card stack" aria-labelledby="audits-interval-title">
            <h2 id="audits-interval-title">{t("audits:interval.title")}</h2>
            <AuditsIntervalForm months={loaderData.intervalMonths} lastResult={resultFor("interval")} action={action} />
          </section>
        </>
      ) : null}
    </div>
  );
}
