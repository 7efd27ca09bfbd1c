import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { Form } from "react-router";
import { z } from "zod";
import { Field, FieldErrors } from "~/components/field";
import { useSubmission } from "~/components/use-submission";
import { CONCERN_KINDS, REPLY_MAX } from "~/domain/vocabulary";
import { crossField, msg, optionalText, text } from "~/utils/forms";
import { CONCERN_STATUSES, OUTCOME_CODES, OUTCOME_REASON_MAX, PRIORITIES } from "~/domain/vocabulary";

// Every case form posts the revision it showed: a change made meanwhile by someone else is a 409.
const revision = z.number({ error: msg("queue:errors.stale") }).int().positive();

export const ClaimSchema = z.object({ intent: z.literal("claim"), revision });
export const AssignSchema = z.object({
  intent: z.literal("assign"),
  revision,
  assignee: z.string({ error: msg("chooseOne") }).regex(/^(none|[1-9]\d{0,8})$/, msg("chooseOne")),
});
export const PrioritySchema = z.object({ intent: z.literal("priority"), revision, priority: z.enum(PRIORITIES, { error: msg("chooseOne") }) });
export const KindSchema = z.object({ intent: z.literal("kind"), revision, kind: z.enum(CONCERN_KINDS, { error: msg("chooseKind") }) });
export const IncidentSchema = z.object({ intent: z.literal("incident"), revision, flag: z.enum(["on", "off"], { error: msg("chooseOne") }) });
export const StatusSchema = z
  .object({
    intent: z.literal("status"),
    revision,
    to: z.enum(CONCERN_STATUSES, { error: msg("chooseOne") }),
    outcomeCode: z.enum(OUTCOME_CODES, { error: msg("chooseOne") }).optional(),
    outcomeReason: optionalText(OUTCOME_REASON_MAX),
    mergeInto: z.string().trim().max(20, msg("tooLong", { max: 20 })).optional(),
  })
  .refine((v) => v.to !== "resolved" || v.outcomeCode, { path: ["outcomeCode"], message: msg("queue:errors.outcomeRequired"), when: crossField })
  .refine((v) => v.to !== "resolved" || v.outcomeReason, { path: ["outcomeReason"], message: msg("queue:errors.reasonRequired"), when: crossField })
  .refine((v) => v.to !== "merged" || v.mergeInto, { path: ["mergeInto"], message: msg("queue:errors.needs_merge_target"), when: crossField });
// Replies and internal notes are two intents, never one form with a switch: a note cannot reach the customer.
export const ReplySchema = z.object({ intent: z.literal("reply"), revision, body: text({ max: REPLY_MAX }) });
export const NoteSchema = z.object({ intent: z.literal("note"), revision, body: text({ max: REPLY_MAX }) });

export const CaseActionSchema = z.discriminatedUnion("intent", [ClaimSchema, AssignSchema, PrioritySchema, KindSchema, IncidentSchema, StatusSchema, ReplySchema, NoteSchema]);
export type CaseIntent = z.infer<typeof CaseActionSchema>["intent"];

export interface CaseActionData {
  intent: string;
  result: SubmissionResult<string[]>;
  stale: boolean;
}

const resultFor = (actionData: CaseActionData | undefined, intent: CaseIntent) => (actionData?.intent === intent ? actionData.result : undefined);

function Hidden({ intent, revision: value }: { intent: CaseIntent; revision: number }) {
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="revision" value={value} />
    </>
  );
}

/** One select and a button (priority, kind, assignee): the smallest case form. */
function SelectForm({
  intent,
  name,
  label,
  value,
  options,
  submit,
  revision: rev,
  actionData,
  schema,
}: {
  intent: CaseIntent;
  name: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  submit: string;
  revision: number;
  actionData: CaseActionData | undefined;
  schema: z.ZodType;
}) {
  const { t } = useTranslation();
  const [form, fields] = useForm<Record<string, string>>({
    id: `case-${intent}`,
    lastResult: resultFor(actionData, intent),
    defaultValue: { [name]: value },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: schema as z.ZodType<Record<string, string>> }),
  });
  const field = fields[name]!;
  return (
    <Form method="post" {...getFormProps(form)} className="toolbar queue-inline-form">
      <Hidden intent={intent} revision={rev} />
      <Field id={field.id} label={label} errors={field.errors}>
        <select {...getSelectProps(field)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>{o.label}</option>
          ))}
        </select>
      </Field>
      <button type="submit" className="button button--secondary">{submit}</button>
      <FieldErrors id={form.errorId} errors={form.errors} t={t} />
    </Form>
  );
}

export interface CaseState {
  ref: string;
  revision: number;
  status: string;
  priority: string;
  kind: string;
  assigneeId: number | null;
  seriousIncident: boolean;
}

/** Claim (for yourself) and assignment (supervisors and admins: to anyone, or nobody). */
function CaseAssignmentForms({
  state,
  viewerId,
  canAssign,
  staff,
  actionData,
}: {
  state: CaseState;
  viewerId: number;
  canAssign: boolean;
  staff: { id: number; name: string; trained: boolean }[];
  actionData: CaseActionData | undefined;
}) {
  const { t } = useTranslation();
  const [claimForm] = useForm({ id: "case-claim", lastResult: resultFor(actionData, "claim") });
  const canClaim = state.assigneeId !== viewerId && (state.assigneeId === null || canAssign);
  return (
    <div className="stack">
      {canClaim ? (
        <Form method="post" {...getFormProps(claimForm)}>
          <Hidden intent="claim" revision={state.revision} />
          <button type="submit" className="button">{t("queue:case.claim")}</button>
          <FieldErrors id={claimForm.errorId} errors={claimForm.errors} t={t} />
        </Form>
      ) : null}
      {canAssign ? (
        <SelectForm
          intent="assign"
          name="assignee"
          label={t("queue:case.assignee")}
          value={state.assigneeId === null ? "none" : String(state.assigneeId)}
          options={[{ value: "none", label: t("queue:table.unassigned") }, ...staff.map((s) => ({ value: String(s.id), label: s.trained ? s.name : t("queue:training.untrainedOption", { name: s.name }) }))]}
          submit={t("queue:case.assign")}
          revision={state.revision}
          actionData={actionData}
          schema={AssignSchema}
        />
      ) : null}
    </div>
  );
}

/** Status change: only the moves the status machine allows from here; a resolution needs an outcome and a reason. */
function CaseStatusForm({
  state,
  transitions,
  actionData,
}: {
  state: CaseState;
  transitions: readonly string[];
  actionData: CaseActionData | undefined;
}) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "case-status",
    lastResult: resultFor(actionData, "status"),
    defaultValue: { to: transitions[0] ?? "" },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: StatusSchema }),
  });
  if (transitions.length === 0) return <p className="muted">{t("queue:case.noTransitions")}</p>;
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <Hidden intent="status" revision={state.revision} />
      <FieldErrors id={form.errorId} errors={form.errors} t={t} />
      <Field id={fields.to.id} label={t("queue:case.statusTo")} errors={fields.to.errors}>
        <select {...getSelectProps(fields.to)}>
          {transitions.map((s) => (
            <option key={s} value={s}>{t(`queue:status.${s}`)}</option>
          ))}
        </select>
      </Field>
      {transitions.includes("resolved") ? (
        <fieldset className="stack">
          <legend>{t("queue:case.resolutionTitle")}</legend>
          <p className="muted">{t("queue:case.resolutionHelp")}</p>
          <Field id={fields.outcomeCode.id} label={t("queue:case.outcome")} errors={fields.outcomeCode.errors}>
            <select {...getSelectProps(fields.outcomeCode)}>
              <option value="">{t("queue:case.chooseOutcome")}</option>
              {OUTCOME_CODES.map((o) => (
                <option key={o} value={o}>{t(`queue:outcome.${o}`)}</option>
              ))}
            </select>
          </Field>
          <Field id={fields.outcomeReason.id} label={t("queue:case.outcomeReason")} hint={t("queue:case.outcomeReasonHint")} errors={fields.outcomeReason.errors}>
            <textarea {...getTextareaProps(fields.outcomeReason, { ariaDescribedBy: `${fields.outcomeReason.id}-hint` })} rows={4} />
          </Field>
        </fieldset>
      ) : null}
      {transitions.includes("merged") ? (
        <Field id={fields.mergeInto.id} label={t("queue:case.mergeInto")} hint={t("queue:case.mergeIntoHint")} errors={fields.mergeInto.errors}>
          <input {...getInputProps(fields.mergeInto, { type: "text", ariaDescribedBy: `${fields.mergeInto.id}-hint` })} maxLength={20} className="ref" autoComplete="off" />
        </Field>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button">{t("queue:case.changeStatus")}</button>
      </div>
    </Form>
  );
}

/**
 * The case's one action panel (SPEC §4 "Case"): owner (claim or assign), priority, kind, status
 * with its outcome, and the serious-incident flag — each part saves on its own (one intent, one
 * button), all post the revision shown, so a change made meanwhile is refused, not overwritten.
 */
export function CaseActionPanel({
  state,
  viewerId,
  canAssign,
  staff,
  assignee,
  transitions,
  actionData,
}: {
  state: CaseState;
  viewerId: number;
  canAssign: boolean;
  staff: { id: number; name: string; trained: boolean }[];
  assignee: string | null;
  transitions: readonly string[];
  actionData: CaseActionData | undefined;
}) {
  const { t } = useTranslation();
  return (
    <section className="card stack case-panel" aria-labelledby="case-panel-title">
      <h2 id="case-panel-title">{t("queue:triage.panelTitle")}</h2>
      <div className="stack-sm">
        <h3 id="case-owner-title">{t("queue:triage.ownerTitle")}</h3>
        <p>{t("queue:triage.ownerNow", { name: assignee ?? t("queue:table.unassigned") })}</p>
        <CaseAssignmentForms state={state} viewerId={viewerId} canAssign={canAssign} staff={staff} actionData={actionData} />
      </div>
      <div className="stack-sm">
        <h3 id="case-status-title">{t("queue:case.statusTitle")}</h3>
        <CaseStatusForm state={state} transitions={transitions} actionData={actionData} />
      </div>
      <div className="stack-sm">
        <h3 id="case-sorting-title">{t("queue:triage.sortingTitle")}</h3>
        <SelectForm
          intent="priority"
          name="priority"
          label={t("queue:case.priority")}
          value={state.priority}
          options={PRIORITIES.map((p) => ({ value: p, label: t(`queue:priority.${p}`) }))}
          submit={t("queue:case.savePriority")}
          revision={state.revision}
          actionData={actionData}
          schema={PrioritySchema}
        />
        <SelectForm
          intent="kind"
          name="kind"
          label={t("queue:case.kind")}
          value={state.kind}
          options={CONCERN_KINDS.map((k) => ({ value: k, label: t(`concernKinds.${k}`) }))}
          submit={t("queue:case.saveKind")}
          revision={state.revision}
          actionData={actionData}
          schema={KindSchema}
        />
      </div>
      {canAssign ? (
        <div className="stack-sm">
          <h3 id="case-incident-title">{t("queue:triage.incidentTitle")}</h3>
          <CaseIncidentForm state={state} actionData={actionData} />
        </div>
      ) : null}
    </section>
  );
}

/** The serious-incident flag (AI Act Art. 73): raising it starts the reporting clock. */
function CaseIncidentForm({ state, actionData }: { state: CaseState; actionData: CaseActionData | undefined }) {
  const { t } = useTranslation();
  const [incidentForm] = useForm({ id: "case-incident", lastResult: resultFor(actionData, "incident") });
  return (
    <Form method="post" {...getFormProps(incidentForm)} className="stack-sm">
      <Hidden intent="incident" revision={state.revision} />
      <input type="hidden" name="flag" value={state.seriousIncident ? "off" : "on"} />
      <p className="muted">{t("queue:case.incidentHelp")}</p>
      <button type="submit" className="button button--secondary">
        {t(state.seriousIncident ? "queue:case.incidentClear" : "queue:case.incidentFlag")}
      </button>
      <FieldErrors id={incidentForm.errorId} errors={incidentForm.errors} t={t} />
    </Form>
  );
}

/** Who a reply reaches: by email to an address, on the signed-in customer's concern page, or on the private tracking page. */
export type ReplyRecipient = { kind: "email"; address: string } | { kind: "portal"; customerId: string } | { kind: "tracked" };

/**
 * The reply composer: text the customer will read, in their language, where the recipient line
 * says. Canned replies in the concern's language fill the text (without JavaScript "Use" reloads
 * the page with it filled in).
 */
export function CaseReplyForm({
  state,
  canned,
  cannedBody,
  cannedId,
  recipient,
  language,
  actionData,
}: {
  state: CaseState;
  canned: { id: number; title: string; body: string }[];
  cannedBody: string | null;
  cannedId: string;
  recipient: ReplyRecipient;
  language: string;
  actionData: CaseActionData | undefined;
}) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "case-reply",
    lastResult: resultFor(actionData, "reply"),
    defaultValue: { body: cannedBody ?? "" },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReplySchema }),
  });
  const formProps = getFormProps(form);
  const submission = useSubmission(formProps.onSubmit);
  return (
    <section className="card stack case-compose case-compose--reply queue-timeline__message--public" aria-labelledby="case-reply-title">
      <h2 id="case-reply-title">
        <span aria-hidden="true">{t("queue:triage.replyIcon")} </span>
        {t("queue:triage.replyTitle")}
      </h2>
      <p className="case-compose__recipient">
        <strong>{t("queue:triage.recipientLabel")}</strong>{" "}
        {recipient.kind === "email"
          ? t("queue:triage.recipient.email", { address: recipient.address, language })
          : recipient.kind === "portal"
            ? t("queue:triage.recipient.portal", { customer: recipient.customerId, language })
            : t("queue:triage.recipient.tracked", { language })}
      </p>
      {canned.length > 0 ? (
        <Form method="get" className="toolbar" preventScrollReset>
          <div className="field">
            <label htmlFor="canned">{t("queue:case.canned")}</label>
            <select id="canned" name="canned" defaultValue={cannedId}>
              {canned.map((c) => (
                <option key={c.id} value={String(c.id)}>{c.title}</option>
              ))}
            </select>
          </div>
          <button
            type="submit"
            className="button button--secondary"
            onClick={(event) => {
              const select = event.currentTarget.form?.elements.namedItem("canned");
              const chosen = canned.find((c) => select instanceof HTMLSelectElement && String(c.id) === select.value);
              if (!chosen) return;
              event.preventDefault();
              form.update({ name: fields.body.name, value: chosen.body });
              document.getElementById(fields.body.id)?.focus();
            }}
          >
            {t("queue:case.useCanned")}
          </button>
        </Form>
      ) : null}
      <Form method="post" {...formProps} onSubmit={submission.onSubmit} className="stack">
        <Hidden intent="reply" revision={state.revision} />
        <FieldErrors id={form.errorId} errors={form.errors} t={t} />
        <Field id={fields.body.id} label={t("queue:triage.replyBody")} hint={t("queue:case.bodyHint", { max: REPLY_MAX })} errors={fields.body.errors}>
          <textarea {...getTextareaProps(fields.body, { ariaDescribedBy: `${fields.body.id}-hint` })} rows={7} />
        </Field>
        <div className="form-actions">
          <button type="submit" className="button" disabled={submission.pending}>{t("queue:triage.sendReply")}</button>
        </div>
      </Form>
    </section>
  );
}

/** The internal-note composer: staff only, never sent or shown to the customer (its own intent). */
export function CaseNoteForm({ state, actionData, staffOnly = null }: { state: CaseState; actionData: CaseActionData | undefined; staffOnly?: "breach" | "employee" | null }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "case-note",
    lastResult: resultFor(actionData, "note"),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NoteSchema }),
  });
  const formProps = getFormProps(form);
  const submission = useSubmission(formProps.onSubmit);
  return (
    <section className="card stack case-compose case-compose--note queue-timeline__message--internal" aria-labelledby="case-note-title">
      <h2 id="case-note-title">
        <span aria-hidden="true">{t("queue:triage.noteIcon")} </span>
        {t("queue:triage.noteTitle")}
      </h2>
      <p>{t(staffOnly === "breach" ? "queue:breach.notesOnly" : staffOnly === "employee" ? "queue:triage.employeeNotesOnly" : "queue:triage.noteHelp")}</p>
      <Form method="post" {...formProps} onSubmit={submission.onSubmit} className="stack">
        <Hidden intent="note" revision={state.revision} />
        <FieldErrors id={form.errorId} errors={form.errors} t={t} />
        <Field id={fields.body.id} label={t("queue:triage.noteBody")} hint={t("queue:case.bodyHint", { max: REPLY_MAX })} errors={fields.body.errors}>
          <textarea {...getTextareaProps(fields.body, { ariaDescribedBy: `${fields.body.id}-hint` })} rows={4} />
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button--secondary" disabled={submission.pending}>{t("queue:triage.addNote")}</button>
        </div>
      </Form>
    </section>
  );
}
