import { type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, useNavigation } from "react-router";
import { FieldErrors } from "~/components/field";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { TrainingsForm } from "~/components/staff/trainings-form";
import { TrainingsSchema } from "~/components/staff/trainings-schema";
import { TrainingsExpiryList, TrainingsPeopleTable, TrainingsRecordsTable } from "~/components/staff/trainings-tables";
import { servicesContext } from "~/context";
import { can } from "~/domain/permissions";
import { companyTimeZone, getSetting } from "~/domain/settings.server";
import {
  correctTraining,
  deleteTraining,
  EXPIRY_WARNING_DAYS,
  expiringTrainings,
  findTraining,
  recordTraining,
  TrainingError,
  trainingOverview,
} from "~/domain/trainings.server";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { addDays, dayStart, localDay } from "~/utils/calendar";
import { dateFor, formatNumber } from "~/utils/format.server";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { useTranslation } from "~/utils/i18n";
import type { Route } from "./+types/trainings";

const DAY_MS = 24 * 60 * 60 * 1000;
const DONE = ["recorded", "corrected", "deleted"] as const;
/** Which field a refused change points at. */
const ERROR_FIELD: Record<string, string> = {
  invalid_date: "completedOn",
  completed_in_future: "completedOn",
  ends_before_completed: "validUntil",
  unknown_staff: "staffId",
};

type ActionResult = { intent: string; result: SubmissionResult<string[]> };

export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = requireStaff(context, request, "trainings.view");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const zone = companyTimeZone();
  const now = Date.now();
  const day = (iso: string) => dateFor(dayStart(iso, zone), lang, "date");
  const url = new URL(request.url);
  const canManage = can(staff.role, "trainings.manage");
  const [overview, expiring, required] = await Promise.all([
    trainingOverview(db, now),
    expiringTrainings(db, now, EXPIRY_WARNING_DAYS * DAY_MS),
    getSetting(db, "requireTraining"),
  ]);
  const editId = Number(url.searchParams.get("edit"));
  const editing = canManage && Number.isSafeInteger(editId) && editId > 0 ? await findTraining(db, editId) : undefined;
  const names = new Map(overview.people.map((p) => [p.staffId, p.name]));
  const done = url.searchParams.get("done");
  return {
    canManage,
    required,
    warningDays: EXPIRY_WARNING_DAYS,
    done: (DONE as readonly string[]).includes(done ?? "") ? (done as (typeof DONE)[number]) : null,
    coverage: {
      trained: overview.coverage.trained,
      total: overview.coverage.total,
      trainedText: formatNumber(overview.coverage.trained, lang),
      totalText: formatNumber(overview.coverage.total, lang),
      percentText: overview.coverage.total === 0 ? null : formatNumber(Math.floor((overview.coverage.trained * 100) / overview.coverage.total), lang),
    },
    people: overview.people.map((p) => ({ staffId: p.staffId, name: p.name, role: p.role, status: p.status, validUntil: p.validUntil ? day(p.validUntil) : null, count: p.trainings.length })),
    expiries: expiring.map((e) => ({ staffName: e.staffName, course: e.course, lastDay: day(addDays(localDay(e.validUntil, zone), -1)), expired: e.expired })),
    records: overview.people.flatMap((p) =>
      p.trainings.map((tr) => ({ id: tr.id, staffName: p.name, course: tr.course, completedOn: day(tr.completedOn), validUntil: tr.validUntil ? day(tr.validUntil) : null, evidenceNote: tr.evidenceNote })),
    ),
    staffOptions: canManage ? overview.people.map((p) => ({ id: p.staffId, name: p.name })) : [],
    editing: editing
      ? { id: editing.id, staffName: names.get(editing.staffId) ?? "", course: editing.course, completedOn: editing.completedOn, validUntil: editing.validUntil, evidenceNote: editing.evidenceNote }
      : null,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const admin = requireStaff(context, request, "trainings.manage");
  const { db } = context.get(servicesContext);
  const submission = parseWithZod(await readForm(request), { schema: TrainingsSchema });
  const intent = String((submission.payload as Record<string, unknown>).intent ?? "");
  const fail = (result: SubmissionResult<string[]>, status: number) => data<ActionResult>({ intent, result }, { status });
  if (submission.status !== "success") return fail(submission.reply(), 400);
  const value = submission.value;
  const actor = { id: admin.id, role: admin.role };
  const input = { course: value.intent === "delete" ? "" : value.course, completedOn: "", validUntil: null as string | null, evidenceNote: "" };
  if (value.intent !== "delete") Object.assign(input, { completedOn: value.completedOn, validUntil: value.validUntil ?? null, evidenceNote: value.evidenceNote ?? "" });
  try {
    if (value.intent === "record") await recordTraining(db, { staffId: value.staffId, ...input }, actor);
    else if (value.intent === "correct") await correctTraining(db, value.trainingId, input, actor);
    else await deleteTraining(db, value.trainingId, actor);
  } catch (error) {
    if (!(error instanceof TrainingError)) throw error;
    if (error.code === "forbidden") throw data({ reason: "no_permission" as const }, { status: 403 });
    const message = msg(`trainings:errors.${error.code}`);
    const field = ERROR_FIELD[error.code];
    return fail(submission.reply(field ? { fieldErrors: { [field]: [message] } } : { formErrors: [message] }), error.code === "not_found" ? 404 : 400);
  }
  const done = value.intent === "record" ? "recorded" : value.intent === "correct" ? "corrected" : "deleted";
  return redirect(`/staff/trainings?done=${done}`, 303);
}

export default function StaffTrainings({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const { coverage } = loaderData;
  const formResult = actionData && actionData.intent !== "delete" ? actionData.result : undefined;
  const rowErrors = actionData?.intent === "delete" ? Object.values(actionData.result.error ?? {}).flatMap((e) => e ?? []) : [];
  return (
    <div className="stack-lg">
      <PageHeader title={t("trainings:title")} lead={t("trainings:lead")} />
      {loaderData.done && !actionData ? <Notice tone="success" title={t(`trainings:done.${loaderData.done}`)} /> : null}
      {rowErrors.length ? (
        <Notice tone="error" title={t("errors.formTitle")}>
          <FieldErrors id="trainings-row-error" errors={rowErrors} t={t} />
        </Notice>
      ) : null}
      <section className="card stack" aria-labelledby="trainings-coverage-title">
        <h2 id="trainings-coverage-title">{t("trainings:coverage.title")}</h2>
        <p className="trainings-coverage">
          {coverage.percentText === null
            ? t("trainings:coverage.nobody")
            : t("trainings:coverage.figure", { count: coverage.total, trained: coverage.trainedText, total: coverage.totalText, percent: coverage.percentText })}
        </p>
        <p>{loaderData.required ? t("trainings:coverage.ruleOn") : t("trainings:coverage.ruleOff")}</p>
      </section>

      <section className="stack" aria-labelledby="trainings-expiries-title">
        <h2 id="trainings-expiries-title">{t("trainings:expiries.title", { count: loaderData.warningDays })}</h2>
        <TrainingsExpiryList items={loaderData.expiries} />
      </section>

      <section className="stack" aria-labelledby="trainings-people-title">
        <h2 id="trainings-people-title">{t("trainings:people.title")}</h2>
        <TrainingsPeopleTable people={loaderData.people} />
      </section>

      <section className="stack" aria-labelledby="trainings-records-title">
        <h2 id="trainings-records-title">{t("trainings:records.title")}</h2>
        <TrainingsRecordsTable rows={loaderData.records} canManage={loaderData.canManage} busy={busy} />
      </section>

      {loaderData.canManage ? (
        <TrainingsForm key={loaderData.editing?.id ?? "new"} staff={loaderData.staffOptions} editing={loaderData.editing} lastResult={formResult} busy={busy} />
      ) : (
        <p className="muted">{t("trainings:form.adminsOnly")}</p>
      )}
    </div>
  );
}
