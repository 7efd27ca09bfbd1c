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
export const MessageSchema = z.object({
  intent: z.literal("message"),
  revision,
  visibility: z.enum(["public", "internal"], { error: msg("chooseOne") }),
  body: text({ max: REPLY_MAX }),
});

export const CaseActionSchema = z.discriminatedUnion("intent", [ClaimSchema, AssignSchema, PrioritySchema, KindSchema, IncidentSchema, StatusSchema, MessageSchema]);
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

/** Claim, assignment, priority, kind and the serious-incident flag. */
export function CaseAssignmentForms({
  state,
  viewerId,
  canAssign,
  staff,
  actionData,
}: {
  state: CaseState;
  viewerId: number;
  canAssign: boolean;
  staff: { id: number; name: string }[];
  actionData: CaseActionData | undefined;
}) {
  const { t } = useTranslation();
  const [claimForm] = useForm({ id: "case-claim", lastResult: resultFor(actionData, "claim") });
  const [incidentForm] = useForm({ id: "case-incident", lastResult: resultFor(actionData, "incident") });
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
          options={[{ value: "none", label: t("queue:table.unassigned") }, ...staff.map((s) => ({ value: String(s.id), label: s.name }))]}
          submit={t("queue:case.assign")}
          revision={state.revision}
          actionData={actionData}
          schema={AssignSchema}
        />
      ) : null}
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
      {canAssign ? (
        <Form method="post" {...getFormProps(incidentForm)} className="stack-sm">
          <Hidden intent="incident" revision={state.revision} />
          <input type="hidden" name="flag" value={state.seriousIncident ? "off" : "on"} />
          <p className="muted">{t("queue:case.incidentHelp")}</p>
          <button type="submit" className="button button--secondary">
            {t(state.seriousIncident ? "queue:case.incidentClear" : "queue:case.incidentFlag")}
          </button>
          <FieldErrors id={incidentForm.errorId} errors={incidentForm.errors} t={t} />
        </Form>
      ) : null}
    </div>
  );
}

/** Status change: only the moves the status machine allows from here; a resolution needs an outcome and a reason. */
export function CaseStatusForm({
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

/** Reply to the customer or add an internal note; canned replies in the concern's language fill the text. */
export function CaseMessageForm({
  state,
  canned,
  cannedBody,
  cannedId,
  actionData,
  internalOnly = false,
}: {
  state: CaseState;
  canned: { id: number; title: string; body: string }[];
  cannedBody: string | null;
  cannedId: string;
  actionData: CaseActionData | undefined;
  /** A staff-only case (a permission breach): notes, no replies to the customer. */
  internalOnly?: boolean;
}) {
  const { t } = useTranslation();
  const visibilities = internalOnly ? (["internal"] as const) : (["public", "internal"] as const);
  const [form, fields] = useForm({
    id: "case-message",
    lastResult: resultFor(actionData, "message"),
    defaultValue: { visibility: visibilities[0], body: cannedBody ?? "" },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MessageSchema }),
  });
  const formProps = getFormProps(form);
  const submission = useSubmission(formProps.onSubmit);
  return (
    <div className="stack">
      {canned.length > 0 && !internalOnly ? (
        // Without JavaScript "Use" reloads the page with the reply filled in; with it, it fills directly.
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
              form.update({ name: fields.visibility.name, value: "public" });
              document.getElementById(fields.body.id)?.focus();
            }}
          >
            {t("queue:case.useCanned")}
          </button>
        </Form>
      ) : null}
      <Form method="post" {...formProps} onSubmit={submission.onSubmit} className="stack">
        <Hidden intent="message" revision={state.revision} />
        <FieldErrors id={form.errorId} errors={form.errors} t={t} />
        <fieldset className="stack">
          <legend>{t("queue:case.visibility")}</legend>
          <div className="radio-list">
            {visibilities.map((v) => (
              <label key={v} className="radio">
                <input type="radio" name={fields.visibility.name} value={v} defaultChecked={(fields.visibility.initialValue ?? visibilities[0]) === v} />
                <span>
                  <span className="radio__label">{t(`queue:case.visibilityOption.${v}`)}</span>
                  <span className="radio__hint">{t(`queue:case.visibilityHint.${v}`)}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldErrors id={`${fields.visibility.id}-error`} errors={fields.visibility.errors} t={t} />
        </fieldset>
        <Field id={fields.body.id} label={t("queue:case.body")} hint={t("queue:case.bodyHint", { max: REPLY_MAX })} errors={fields.body.errors}>
          <textarea {...getTextareaProps(fields.body, { ariaDescribedBy: `${fields.body.id}-hint` })} rows={8} />
        </Field>
        <div className="form-actions">
          <button type="submit" className="button" disabled={submission.pending}>{t("queue:case.send")}</button>
        </div>
      </Form>
    </div>
  );
}
