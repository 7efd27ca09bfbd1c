import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, Link, redirect, type ShouldRevalidateFunctionArgs } from "react-router";
import { FormErrorSummary } from "~/components/form-error-summary";
import { Notice } from "~/components/notice";
import { PageTitle } from "~/components/page-title";
import { CaseBreach, CaseDeadlines, CaseEmployeeReport, type CaseTimelineEntry } from "~/components/staff/queue-case-details";
import {
  CaseActionPanel,
  CaseActionSchema,
  CaseNoteForm,
  CaseReplyForm,
  type CaseActionData,
  type CaseState,
  type ReplyRecipient,
} from "~/components/staff/queue-case-forms";
import { CaseTriageTimeline } from "~/components/staff/triage-timeline";
import { findCustomer } from "~/domain/customers.server";
import { QueueBadges } from "~/components/staff/queue-table";
import {
  assignableStaff,
  assignConcern,
  caseView,
  changeStatus,
  claimConcern,
  ConcernStateError,
  findConcernForStaff,
  isStaffOnlyCase,
  listCannedReplies,
  postStaffMessage,
  setKind,
  setPriority,
  setSeriousIncident,
} from "~/domain/concerns/index.server";
import { can } from "~/domain/permissions";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { once } from "~/domain/submissions.server";
import { limitsSummary } from "~/routes/portal/limits-summary.server";
import { dateFor } from "~/utils/format.server";
import { limitsInWords } from "~/components/choice-limits";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { languageNameIn } from "~/utils/language-names";
import { normaliseConcernRef } from "~/utils/tokens.server";
import type { Route } from "./+types/concern";
import type { Db } from "~/utils/db.server";
import { isolate } from "~/utils/bidi";

function refFrom(params: Route.LoaderArgs["params"]): string {
  const ref = normaliseConcernRef(params.ref ?? "");
  if (!ref) throw data(null, { status: 404 });
  return ref;
}

const DONE = ["claim", "assign", "priority", "kind", "incident", "status", "reply", "note"];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const staff = requireStaff(context, request, "concerns.work");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const concern = await findConcernForStaff(db, refFrom(params));
  if (!concern) throw data(null, { status: 404 });
  const now = Date.now();
  const view = await caseView(db, concern, lang, now, { id: staff.id, role: staff.role, name: staff.name });
  const date = (ms: number | null) => (ms === null ? null : dateFor(ms, lang));
  const url = new URL(request.url);
  const canned = (await listCannedReplies(db, concern.lang)).map((c) => ({ id: c.id, title: c.title, body: c.body }));
  const cannedId = url.searchParams.get("canned") ?? "";
  const done = url.searchParams.get("done");
  const state: CaseState = {
    ref: concern.ref,
    revision: concern.revision,
    status: concern.status,
    priority: concern.priority,
    kind: concern.kind,
    assigneeId: concern.assigneeId,
    seriousIncident: concern.seriousIncident,
  };
  return {
    lang,
    state,
    replyRecipient: await replyRecipient(db, concern),
    canViewCustomer: can(staff.role, "customers.view"),
    // An employee report (SPEC §12): everyone sees the mark; the reporter only with reporters.view.
    employeeReport: view.employeeReport ? { reporter: view.reporter, hidden: !can(staff.role, "reporters.view") } : null,
    staffOnly: isStaffOnlyCase(concern),
    viewerId: staff.id,
    canAssign: can(staff.role, "concerns.assign"),
    concern: {
      ref: concern.ref,
      lang: concern.lang,
      langName: languageNameIn(concern.lang, lang),
      customerId: concern.customerId,
      contactMethod: concern.contactMethod,
      description: concern.description,
      desiredOutcome: concern.desiredOutcome,
      createdAt: dateFor(concern.createdAt, lang),
      updatedAt: dateFor(concern.updatedAt, lang),
      outcomeCode: concern.outcomeCode,
      outcomeReason: concern.outcomeReason,
      resolvedAt: date(concern.resolvedAt),
      mergedInto: view.mergedInto,
    },
    breach: view.breach
      ? {
          reason: view.breach.reason,
          text: view.breach.text,
          actionKey: view.breach.actionKey,
          actionLabel: view.breach.actionLabel,
          decisionId: view.breach.decisionId,
          decision: view.breach.decision ? { ...view.breach.decision, createdAt: dateFor(view.breach.decision.createdAt, lang) } : null,
          detectedAt: dateFor(view.breach.detectedAt, lang),
          contestConcernRef: view.breach.contestConcernRef,
        }
      : null,
    assignee: view.assignee?.name ?? null,
    interaction: view.interaction ? { ...view.interaction, occurredAt: dateFor(view.interaction.occurredAt, lang) } : null,
    system: view.system,
    // The limits in force, in words (staff investigating an action need them, SPEC §11.2, §11.5).
    choices: view.choices?.map(({ limits, ...choice }) => ({
      ...choice,
      limits: limitsSummary(limits, lang),
    })) ?? null,
    overdue: view.deadlines.overdue.sla || view.deadlines.overdue.statutory,
    deadlines: {
      slaTarget: view.deadlines.slaTarget,
      slaDueAt: date(view.deadlines.slaDueAt),
      slaPausedSince: date(view.deadlines.slaPausedSince),
      statutoryDueAt: date(view.deadlines.statutoryDueAt),
      incidentReportDueAt: date(view.deadlines.incidentReportDueAt),
      seriousIncidentAt: date(concern.seriousIncidentAt),
      firstResponseAt: date(concern.firstResponseAt),
      overdue: view.deadlines.overdue,
    },
    transitions: [...view.transitions],
    timeline: view.timeline.map((e) => ({ ...e, at: dateFor(e.at, lang) })) as CaseTimelineEntry[],
    staff: (await assignableStaff(db)).map((s) => ({ id: s.id, name: s.name, trained: s.trained })),
    canned,
    cannedId: canned.some((c) => String(c.id) === cannedId) ? cannedId : String(canned[0]?.id ?? ""),
    cannedBody: canned.find((c) => String(c.id) === cannedId)?.body ?? null,
    done: done && DONE.includes(done) ? done : null,
  };
}

/** Codes that concern what was typed (400); the rest are conflicts with the case's state (409). */
const INPUT_ERRORS = new Set(["invalid", "invalid_message", "needs_outcome", "needs_merge_target", "unknown_merge_target", "unknown_assignee"]);

/**
 * Where a reply to this concern goes (the recipient line of the reply composer), as
 * queueConcernEmail decides it: by email when the filer chose email and an address is known,
 * else on the signed-in customer's concern page, else on the private tracking page.
 */
async function replyRecipient(db: Db, concern: { customerId: string | null; contactMethod: string; contactEmail: string | null }): Promise<ReplyRecipient> {
  const customer = concern.customerId ? await findCustomer(db, concern.customerId) : undefined;
  const address = concern.contactEmail ?? (customer?.erasedAt ? null : customer?.email) ?? null;
  if (concern.contactMethod === "email" && address) return { kind: "email", address };
  return concern.customerId ? { kind: "portal", customerId: concern.customerId } : { kind: "tracked" };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const staff = requireStaff(context, request, "concerns.work");
  const { db } = context.get(servicesContext);
  const ref = refFrom(params);
  const form = await readForm(request);
  const intent = form.get("intent");
  // Assigning to others and the serious-incident flag are for supervisors and admins.
  if (intent === "assign" || intent === "incident") requireStaff(context, request, "concerns.assign");
  const submission = parseWithZod(form, { schema: CaseActionSchema });
  if (submission.status !== "success") {
    return data({ intent: typeof intent === "string" ? intent.slice(0, 20) : "", result: submission.reply(), stale: false } satisfies CaseActionData, { status: 400 });
  }
  const value = submission.value;
  const options = { expectedRevision: value.revision };
  try {
    switch (value.intent) {
      case "claim":
        await claimConcern(db, ref, staff, options);
        break;
      case "assign":
        await assignConcern(db, ref, staff, value.assignee === "none" ? null : Number(value.assignee), options);
        break;
      case "priority":
        await setPriority(db, ref, staff, value.priority, options);
        break;
      case "kind":
        await setKind(db, ref, staff, value.kind, options);
        break;
      case "incident":
        await setSeriousIncident(db, ref, staff, value.flag === "on", options);
        break;
      case "status":
        await changeStatus(
          db,
          ref,
          staff,
          {
            to: value.to,
            outcomeCode: value.outcomeCode,
            outcomeReason: value.outcomeReason,
            mergeInto: value.mergeInto ? (normaliseConcernRef(value.mergeInto) ?? value.mergeInto) : null,
          },
          options,
        );
        break;
      case "reply":
      case "note": {
        // The intent alone decides who reads it: a note is never sent to the customer.
        const visibility = value.intent === "reply" ? "public" : "internal";
        // The same reply or note sent twice within the window is posted once.
        await once(db, { actor: `staff:${staff.id}`, action: `concern.message:${ref}`, content: { body: value.body, visibility } }, (tx) =>
          postStaffMessage(tx, ref, staff, { body: value.body, visibility }, options),
        );
        break;
      }
    }
  } catch (error) {
    if (!(error instanceof ConcernStateError)) throw error;
    if (error.code === "forbidden") throw data({ reason: "no_permission" as const }, { status: 403 });
    if (error.code === "not_found") throw data(null, { status: 404 });
    const message = msg(`queue:errors.${error.code}`);
    const field =
      error.code === "unknown_merge_target" ? "mergeInto" : error.code === "unknown_assignee" || error.code === "assignee_not_trained" ? "assignee" : null;
    return data(
      {
        intent: value.intent,
        result: submission.reply(field ? { fieldErrors: { [field]: [message] } } : { formErrors: [message] }),
        stale: error.code === "stale",
      } satisfies CaseActionData,
      { status: INPUT_ERRORS.has(error.code) ? 400 : 409 },
    );
  }
  return redirect(`/staff/concerns/${ref}?done=${value.intent}`, 303);
}

/** After a refused (4xx) change the case is re-read, so the page shows its current state. */
export function shouldRevalidate({ formMethod, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  return formMethod?.toUpperCase() === "POST" ? true : defaultShouldRevalidate;
}

/** The refused case form's errors, in the shape the error summary reads (form ids are `case-<intent>`). */
function summaryOf(failed: CaseActionData) {
  const { "": formErrors, ...fieldErrors } = failed.result.error ?? {};
  const id = `case-${failed.intent}`;
  return {
    id,
    errorId: `${id}-summary`,
    errors: formErrors ?? undefined,
    allErrors: Object.fromEntries(Object.entries(fieldErrors).filter((e): e is [string, string[]] => Array.isArray(e[1]))),
  };
}

export default function CasePage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { concern, state } = loaderData;
  const failed = actionData as CaseActionData | undefined;
  const title = t("queue:case.title", { ref: concern.ref });
  return (
    <div className="stack-lg">
      <PageTitle>{title}</PageTitle>
      <p><Link to="/staff/concerns">{t("queue:case.back")}</Link></p>
      <section className="stack page-header">
        <h1>{title}</h1>
        <p className="card__head">
          <span className="status">{t(`queue:status.${state.status}`)}</span>
          <span className="pill">{t("queue:case.priorityPill", { priority: t(`queue:priority.${state.priority}`) })}</span>
          <QueueBadges overdue={loaderData.overdue} seriousIncident={state.seriousIncident} breach={loaderData.breach !== null} />
        </p>
      </section>

      {failed?.stale ? (
        <Notice tone="warning" title={t("queue:errors.stale")}>
          <p>{t("queue:case.staleHelp")}</p>
        </Notice>
      ) : failed ? (
        <FormErrorSummary
          form={summaryOf(failed)}
          labels={{
            to: t("queue:case.statusTo"),
            outcomeCode: t("queue:case.outcome"),
            outcomeReason: t("queue:case.outcomeReason"),
            mergeInto: t("queue:case.mergeInto"),
            body: t(failed.intent === "note" ? "queue:triage.noteBody" : "queue:triage.replyBody"),
            assignee: t("queue:case.assignee"),
            priority: t("queue:case.priority"),
            kind: t("queue:case.kind"),
          }}
        />
      ) : loaderData.done ? (
        <Notice tone="success" title={t(`queue:case.done.${loaderData.done}`)} />
      ) : null}

      <div className="two-columns">
        <div className="stack-lg">
          {loaderData.breach ? (
            <CaseBreach breach={loaderData.breach} system={loaderData.system} canFlag={loaderData.canAssign} flagged={state.seriousIncident} />
          ) : null}
          {loaderData.employeeReport ? <CaseEmployeeReport reporter={loaderData.employeeReport.reporter} hidden={loaderData.employeeReport.hidden} /> : null}
          <section className="card stack" aria-labelledby="case-text-title">
            <h2 id="case-text-title">{t(loaderData.breach ? "queue:breach.textTitle" : "queue:case.textTitle")}</h2>
            {/* A breach case's text is Candor's, shown in the reader's language; a customer's text stays as written. */}
            <p className="user-text" lang={loaderData.breach ? undefined : concern.lang} dir="auto">{loaderData.breach ? loaderData.breach.text : concern.description}</p>
            {concern.desiredOutcome ? (
              <>
                <h3>{t("queue:case.desiredOutcome")}</h3>
                <p className="user-text" lang={concern.lang} dir="auto">{concern.desiredOutcome}</p>
              </>
            ) : null}
            {concern.outcomeCode ? (
              <>
                <h3>{t("queue:case.outcomeTitle", { outcome: t(`queue:outcome.${concern.outcomeCode}`) })}</h3>
                <p className="user-text" dir="auto">{concern.outcomeReason}</p>
              </>
            ) : null}
          </section>

          {loaderData.staffOnly ? null : (
            <CaseReplyForm
              key={`reply-${state.revision}-${loaderData.cannedBody ?? ""}`}
              state={state}
              canned={loaderData.canned}
              cannedBody={loaderData.cannedBody}
              cannedId={loaderData.cannedId}
              recipient={loaderData.replyRecipient}
              language={concern.langName}
              actionData={failed}
            />
          )}
          <CaseNoteForm key={`note-${state.revision}`} state={state} actionData={failed} staffOnly={loaderData.staffOnly ? (loaderData.breach ? "breach" : "employee") : null} />

          <section className="card stack" aria-labelledby="case-timeline-title">
            <h2 id="case-timeline-title">{t("queue:case.timelineTitle")}</h2>
            <CaseTriageTimeline entries={loaderData.timeline} />
          </section>
        </div>

        <div className="stack-lg">
          <CaseActionPanel
            key={state.revision}
            state={state}
            viewerId={loaderData.viewerId}
            canAssign={loaderData.canAssign}
            staff={loaderData.staff}
            assignee={loaderData.assignee}
            transitions={loaderData.transitions}
            actionData={failed}
          />
          <section className="card stack" aria-labelledby="case-details-title">
            <h2 id="case-details-title">{t("queue:case.detailsTitle")}</h2>
            <dl className="summary-list">
              <div>
                <dt>{t("queue:case.kind")}</dt>
                <dd>{t(`concernKinds.${state.kind}`)}</dd>
              </div>
              <div>
                <dt>{t("queue:case.language")}</dt>
                <dd lang={concern.lang}>{concern.langName}</dd>
              </div>
              <div>
                <dt>{t("queue:case.assignee")}</dt>
                <dd>{loaderData.assignee ?? t("queue:table.unassigned")}</dd>
              </div>
              <div>
                <dt>{t("queue:case.customer")}</dt>
                <dd>
                  {concern.customerId ? (
                    loaderData.canViewCustomer ? (
                      <Link to={`/staff/customers/${encodeURIComponent(concern.customerId)}`}>
                        <code>{concern.customerId}</code>
                        <span className="visually-hidden"> {t("queue:triage.customerLink")}</span>
                      </Link>
                    ) : (
                      <code>{concern.customerId}</code>
                    )
                  ) : (
                    t("queue:case.anonymous")
                  )}
                </dd>
              </div>
              <div>
                <dt>{t("queue:case.contact")}</dt>
                <dd>{t(`queue:case.contactMethod.${concern.contactMethod === "email" ? "email" : "portal"}`)}</dd>
              </div>
              <div>
                <dt>{t("queue:case.interaction")}</dt>
                <dd>
                  {loaderData.interaction ? (
                    t("queue:case.interactionValue", {
                      subject: isolate(loaderData.interaction.subject),
                      ref: isolate(loaderData.interaction.ref),
                      date: isolate(loaderData.interaction.occurredAt.text),
                    })
                  ) : (
                    t("queue:table.none")
                  )}
                </dd>
              </div>
              <div>
                <dt>{t("queue:case.system")}</dt>
                <dd>{loaderData.system ? <Link to={`/${loaderData.lang}/ai-systems/${loaderData.system.slug}`}>{loaderData.system.name}</Link> : t("queue:table.none")}</dd>
              </div>
              <div>
                <dt>{t("queue:case.filed")}</dt>
                <dd>{concern.createdAt.text}</dd>
              </div>
              {concern.mergedInto ? (
                <div>
                  <dt>{t("queue:case.mergedInto")}</dt>
                  <dd><Link to={`/staff/concerns/${concern.mergedInto}`} className="ref">{concern.mergedInto}</Link></dd>
                </div>
              ) : null}
            </dl>
          </section>

          <section className="card stack" aria-labelledby="case-deadlines-title">
            <h2 id="case-deadlines-title">{t("queue:case.deadlinesTitle")}</h2>
            <CaseDeadlines deadlines={loaderData.deadlines} />
          </section>

          <section className="card stack" aria-labelledby="case-choices-title">
            <h2 id="case-choices-title">{t("queue:case.choicesTitle")}</h2>
            {loaderData.choices ? (
              <dl className="summary-list">
                {loaderData.choices.map((c) => (
                  <div key={c.key}>
                    <dt>{c.label}</dt>
                    <dd>
                      {t(`choiceValues.${c.value}`)}
                      {c.isDefault ? <span className="muted">{t("queue:case.choiceDefault")}</span> : null}
                      {c.needsReconfirmation ? <span className="muted">{t("queue:case.choiceReconfirm")}</span> : null}
                      {c.limits ? <span className="muted"> · {limitsInWords(c.limits, t).join(" · ")}</span> : null}
                    </dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="muted">{t("queue:case.noChoices")}</p>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
