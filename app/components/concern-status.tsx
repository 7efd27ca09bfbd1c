import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { Form, Link } from "react-router";
import { z } from "zod";
import { REPLY_MAX } from "~/domain/vocabulary";
import { msg, text } from "~/utils/forms";
import { Field, FieldErrors } from "./field";
import { FormErrorSummary } from "./form-error-summary";
import { Notice } from "./notice";
import { Time } from "./time";
import { isolate } from "~/utils/bidi";
import { usePortalHref } from "~/components/portal-link";
import { useSubmission } from "./use-submission";

export const ConcernActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("reply"),
    body: text({ max: REPLY_MAX }),
  }),
  z.object({ intent: z.literal("reopen") }),
  // Withdrawing closes the concern for good: a ticked "I understand" box confirms it (works without JavaScript).
  z.object({ intent: z.literal("withdraw"), confirm: z.literal("yes", { error: msg("confirmWithdraw") }) }),
]);

type DateText = { iso: string; text: string };
export interface ConcernStatusView {
  ref: string;
  kind: string;
  status: string;
  description: string;
  desiredOutcome: string;
  createdAt: DateText;
  outcomeCode: string | null;
  outcomeReason: string | null;
  resolvedAt: DateText | null;
  interaction: { ref: string; subject: string } | null;
  system: { slug: string; name: string } | null;
  messages: { id: number; author: string; authorName: string | null; body: string; createdAt: DateText }[];
  history: { status: string; createdAt: DateText }[];
  canReply: boolean;
  canWithdraw: boolean;
  canReopen: boolean;
  reopenUntil: DateText | null;
}

const STEPS = ["received", "being_reviewed", "resolved"] as const;

/** The customer's view of one concern: status, conversation, outcome, reply/reopen/withdraw. */
export function ConcernStatus({
  concern,
  lang,
  justFiled,
  done,
  trackingUrl,
  lastResult,
}: {
  concern: ConcernStatusView;
  lang: string;
  justFiled: boolean;
  done: string | null;
  trackingUrl: string | null;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const href = usePortalHref();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ConcernActionSchema }),
    shouldValidate: "onSubmit",
  });
  const replyFields = fields as unknown as { body: typeof fields.intent; confirm: typeof fields.intent };
  const formProps = getFormProps(form);
  const reply = useSubmission(formProps.onSubmit);
  const stepIndex = STEPS.indexOf(concern.status as (typeof STEPS)[number]);
  return (
    <div className="stack-lg">
      {justFiled ? (
        <Notice tone="success" title={t("concernStatus.filedTitle")}>
          <p>{t("concernStatus.filedBody", { ref: concern.ref })}</p>
          {trackingUrl ? (
            <>
              <p>{t("concernStatus.trackingBody")}</p>
              <p className="tracking-url"><code>{trackingUrl}</code></p>
            </>
          ) : null}
        </Notice>
      ) : null}
      {done ? <Notice tone="success" title={t(`concernStatus.done.${done}`)} /> : null}

      <section className="stack">
        <p className="muted">{t("concernStatus.reference")}</p>
        <h1 className="ref">{concern.ref}</h1>
        <p>
          <span className={`status status--${concern.status}`}>{t(`customerStatus.${concern.status}`)}</span>{" "}
          <span className="muted">{t(`concernKinds.${concern.kind}`)} · <Time value={concern.createdAt} /></span>
        </p>
        <p>{t(`customerStatusHelp.${concern.status}`)}</p>
        {concern.status !== "closed" ? (
          <ol className="steps" aria-label={t("concernStatus.progress")}>
            {STEPS.map((step, i) => (
              <li key={step} className={i <= stepIndex || (concern.status === "waiting_for_you" && i === 0) ? "steps__done" : undefined} aria-current={step === concern.status ? "step" : undefined}>
                {t(`customerStatus.${step}`)}
              </li>
            ))}
          </ol>
        ) : null}
      </section>

      {concern.outcomeCode ? (
        <section className="card stack outcome" aria-labelledby="outcome-title">
          <h2 id="outcome-title">{t("concernStatus.outcomeTitle")}</h2>
          <p><strong>{t(`outcomes.${concern.outcomeCode}`)}</strong>{concern.resolvedAt ? <> · <Time value={concern.resolvedAt} /></> : null}</p>
          {concern.outcomeReason ? <p className="user-text" dir="auto">{concern.outcomeReason}</p> : null}
          <p className="muted">{t("concernStatus.remedies")}</p>
        </section>
      ) : null}

      <section className="card stack" aria-labelledby="what-title">
        <h2 id="what-title">{t("concernStatus.whatYouWrote")}</h2>
        {concern.system || concern.interaction ? (
          <p className="muted">
            {concern.system ? <>{t("concernStatus.aboutSystem")} <Link to={href(`/${lang}/ai-systems/${concern.system.slug}`)}>{concern.system.name}</Link></> : null}
            {concern.system && concern.interaction ? " · " : null}
            {concern.interaction ? t("concernStatus.aboutInteraction", { subject: isolate(concern.interaction.subject), ref: isolate(concern.interaction.ref) }) : null}
          </p>
        ) : null}
        <p className="user-text" dir="auto">{concern.description}</p>
        {concern.desiredOutcome ? (
          <>
            <h3>{t("concernStatus.desiredOutcome")}</h3>
            <p className="user-text" dir="auto">{concern.desiredOutcome}</p>
          </>
        ) : null}
      </section>

      <section className="card stack" aria-labelledby="conversation-title">
        <h2 id="conversation-title">{t("concernStatus.conversation")}</h2>
        {concern.messages.length === 0 ? (
          <p>{t("concernStatus.noMessages")}</p>
        ) : (
          <ol className="conversation">
            {concern.messages.map((m) => (
              <li key={m.id} className={`message message--${m.author}`}>
                <p className="message__meta">
                  <strong>{m.author === "customer" ? t("concernStatus.you") : (m.authorName ?? t("concernStatus.staff"))}</strong>{" "}
                  · <Time value={m.createdAt} />
                </p>
                <p className="user-text" dir="auto">{m.body}</p>
              </li>
            ))}
          </ol>
        )}
        <FormErrorSummary form={form} labels={{ body: t("concernStatus.replyLabel"), confirm: t("concernStatus.withdraw") }} />
        {concern.canReply ? (
          <Form method="post" {...formProps} onSubmit={reply.onSubmit} className="stack">
            <Field id={replyFields.body.id} label={t("concernStatus.replyLabel")} errors={replyFields.body.errors}>
              <textarea {...getTextareaProps(replyFields.body)} rows={5} />
            </Field>
            <div className="form-actions">
              <button type="submit" name="intent" value="reply" className="button" disabled={reply.pending}>{t("concernStatus.send")}</button>
            </div>
          </Form>
        ) : concern.status !== "resolved" ? (
          <p className="muted">{t("concernStatus.closedNoReply")}</p>
        ) : null}
      </section>

      {concern.canReopen || concern.canWithdraw ? (
        <section className="card stack" aria-labelledby="actions-title">
          <h2 id="actions-title">{t("concernStatus.actionsTitle")}</h2>
          {concern.canReopen ? (
            <Form method="post" className="stack-sm">
              <p>{t("concernStatus.reopenHelp", { date: concern.reopenUntil?.text ?? "" })}</p>
              <button type="submit" name="intent" value="reopen" className="button button--secondary">{t("concernStatus.reopen")}</button>
            </Form>
          ) : null}
          {concern.canWithdraw ? (
            <Form
              method="post"
              className="stack-sm"
              onSubmit={(event) => {
                // With JavaScript, a confirmation dialog can stand in for the box.
                const box = event.currentTarget.elements.namedItem("confirm");
                if (!(box instanceof HTMLInputElement) || box.checked) return;
                if (window.confirm(t("concernStatus.withdrawConfirmPrompt"))) box.checked = true;
                else event.preventDefault();
              }}
            >
              <p>{t("concernStatus.withdrawHelp")}</p>
              <div className={replyFields.confirm.errors ? "field field--invalid" : "field"}>
                <label className="radio">
                  <input
                    type="checkbox"
                    id={replyFields.confirm.id}
                    name="confirm"
                    value="yes"
                    aria-invalid={replyFields.confirm.errors ? true : undefined}
                    aria-describedby={replyFields.confirm.errors ? `${replyFields.confirm.id}-error` : undefined}
                  />
                  <span className="radio__label">{t("concernStatus.withdrawConfirm")}</span>
                </label>
                <FieldErrors id={`${replyFields.confirm.id}-error`} errors={replyFields.confirm.errors} t={t} />
              </div>
              <button type="submit" name="intent" value="withdraw" className="button button--secondary">{t("concernStatus.withdraw")}</button>
            </Form>
          ) : null}
        </section>
      ) : null}

      <section className="stack" aria-labelledby="history-title">
        <h2 id="history-title">{t("concernStatus.history")}</h2>
        <ol className="timeline">
          {concern.history.map((h, i) => (
            <li key={i}>
              <Time value={h.createdAt} /> — {t(`customerStatus.${h.status}`)}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
