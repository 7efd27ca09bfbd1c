import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { Form, Link } from "react-router";
import { z } from "zod";
import type { ConfirmationStatus } from "~/domain/vocabulary";
import { isolate } from "~/utils/bidi";
import { msg } from "~/utils/forms";
import { FormErrorSummary } from "./form-error-summary";
import { Notice } from "./notice";
import { PageHeader } from "./page-header";
import { usePortalHref } from "./portal-link";
import { Time } from "./time";
import { useSubmission } from "./use-submission";
import { ShownSummaryText, type ShownSummary } from "./confirmation-summary";

/** The answer form: one form, two submit buttons (`intent=approve|decline`), client and server. */
export const ConfirmationAnswerSchema = z.object({
  intent: z.enum(["approve", "decline"], { error: msg("chooseOne") }),
});

type DateText = { iso: string; text: string; relative?: string };

/** One confirmation request as the customer sees it (formatted on the server). */
export interface ConfirmationView {
  id: string;
  status: ConfirmationStatus;
  summary: ShownSummary;
  system: { slug: string; name: string };
  action: { key: string; label: string };
  /** The customer's current value for the action kind (why it asks), null when it is no choice. */
  why: { value: string; isDefault: boolean } | null;
  /** Formatted with its currency in the page's language. */
  amount: string | null;
  channel: string | null;
  effectiveAt: DateText | null;
  createdAt: DateText;
  expiresAt: DateText;
  /** The request's time ran out (an unused approval is void from then on too). */
  expired: boolean;
  answer: { answer: "approved" | "declined" | "expired"; method: string; at: DateText } | null;
  usedAt: DateText | null;
}

const STATUS_PILL: Record<ConfirmationStatus, string> = {
  pending: "pill pill--ask",
  approved: "pill pill--allow",
  declined: "pill pill--never",
  expired: "pill pill--never",
  used: "pill",
};

/**
 * The customer's page for one request of an AI agent (SPEC §11.1): what, which AI system, the
 * details, why it asks, when it expires; Approve / Decline while pending, else the stored outcome.
 */
export function ConfirmationPage({
  confirmation: c,
  lang,
  done,
  lastResult,
}: {
  confirmation: ConfirmationView;
  lang: string;
  done: "answered" | "closed" | null;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const { t } = useTranslation();
  const href = usePortalHref();
  const pending = c.status === "pending";
  return (
    <div className="stack-lg">
      <PageHeader title={t("confirmations.title")} lead={t(pending ? "confirmations.leadPending" : "confirmations.leadClosed")} />
      <p><Link to={href(`/${lang}`)}>{t("confirmations.back")}</Link></p>

      <DoneNotice done={done} confirmation={c} />

      <section className="card stack" aria-labelledby="confirmation-what">
        <h2 id="confirmation-what">{t("confirmations.what")}</h2>
        <ShownSummaryText summary={c.summary} />
        <dl className="summary-list">
          <div>
            <dt>{t("confirmations.system")}</dt>
            <dd><Link to={href(`/${lang}/ai-systems/${c.system.slug}`)}>{c.system.name}</Link></dd>
          </div>
          <div>
            <dt>{t("confirmations.action")}</dt>
            <dd>{c.action.label}</dd>
          </div>
          {c.amount !== null ? (
            <div>
              <dt>{t("confirmations.amount")}</dt>
              <dd><bdi dir="ltr">{c.amount}</bdi></dd>
            </div>
          ) : null}
          {c.channel !== null ? (
            <div>
              <dt>{t("confirmations.channel")}</dt>
              <dd>{t(`channels.${c.channel}`, { defaultValue: c.channel })}</dd>
            </div>
          ) : null}
          {c.effectiveAt !== null ? (
            <div>
              <dt>{t("confirmations.effectiveAt")}</dt>
              <dd><Time value={c.effectiveAt} /></dd>
            </div>
          ) : null}
          <div>
            <dt>{t("confirmations.askedAt")}</dt>
            <dd><Time value={c.createdAt} /></dd>
          </div>
          <div>
            <dt>{t(pending ? "confirmations.answerBy" : c.status === "expired" ? "confirmations.expiredAt" : "confirmations.expiresAt")}</dt>
            <dd><Time value={c.expiresAt} /></dd>
          </div>
          <div>
            <dt>{t("confirmations.statusLabel")}</dt>
            <dd><span className={STATUS_PILL[c.status]}>{t(`confirmations.status.${c.status}`)}</span></dd>
          </div>
        </dl>
      </section>

      <section className="card stack" aria-labelledby="confirmation-why">
        <h2 id="confirmation-why">{t("confirmations.whyTitle")}</h2>
        <p>{whyText(t, c)}</p>
        <p><Link to={href(`/${lang}/me/preferences#choice-${c.action.key}`)}>{t("confirmations.reviewChoices")}</Link></p>
      </section>

      <section className="card stack" aria-labelledby="confirmation-answer">
        <h2 id="confirmation-answer">{t("confirmations.answerTitle")}</h2>
        {pending ? <AnswerForm lastResult={lastResult} /> : <p>{outcomeText(t, c)}</p>}
      </section>
    </div>
  );
}

type T = ReturnType<typeof useTranslation>["t"];

function whyText(t: T, c: ConfirmationView): string {
  const params = { action: isolate(c.action.label), ask: t("choiceValues.ask"), never: t("choiceValues.never") };
  if (!c.why) return t("confirmations.why.other");
  if (c.why.value === "never") return t("confirmations.why.never", params);
  if (c.why.value === "allow") return t("confirmations.why.allow", params);
  return t(c.why.isDefault ? "confirmations.why.askDefault" : "confirmations.why.ask", params);
}

/** The stored outcome, in plain words ("You approved this on …", "Expired: nothing was done"…). */
function outcomeText(t: T, c: ConfirmationView): string {
  const at = c.answer ? isolate(c.answer.at.text) : "";
  const expires = isolate(c.expiresAt.text);
  switch (c.status) {
    case "used":
      return t("confirmations.outcome.used", { date: at, used: isolate(c.usedAt?.text ?? "") });
    case "approved":
      return t(c.expired ? "confirmations.outcome.approvedUnused" : "confirmations.outcome.approved", { date: at, expires });
    case "declined":
      return t("confirmations.outcome.declined", { date: at });
    case "expired":
      return t("confirmations.outcome.expired", { expires });
    default:
      return "";
  }
}

/** After a POST: what was recorded, or that the request was already closed (the outcome below). */
function DoneNotice({ done, confirmation: c }: { done: "answered" | "closed" | null; confirmation: ConfirmationView }) {
  const { t } = useTranslation();
  if (done === "closed") {
    return (
      <div id="outcome">
        <Notice tone="info" title={t("confirmations.done.closedTitle")}>
          <p>{outcomeText(t, c)}</p>
        </Notice>
      </div>
    );
  }
  if (done !== "answered" || c.answer === null || c.answer.answer === "expired") return null;
  const approved = c.answer.answer === "approved";
  return (
    <div id="outcome">
      <Notice tone="success" title={t(approved ? "confirmations.done.approvedTitle" : "confirmations.done.declinedTitle")}>
        <p>{t(approved ? "confirmations.done.approvedBody" : "confirmations.done.declinedBody")}</p>
      </Notice>
    </div>
  );
}

function AnswerForm({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation();
  const [form] = useForm({
    id: "confirmation-answer-form",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ConfirmationAnswerSchema }),
    shouldValidate: "onSubmit",
  });
  const formProps = getFormProps(form);
  const submission = useSubmission(formProps.onSubmit);
  return (
    <>
      <p>{t("confirmations.answerHint")}</p>
      <FormErrorSummary form={form} />
      <Form method="post" {...formProps} onSubmit={submission.onSubmit} aria-labelledby="confirmation-answer">
        <div className="form-actions">
          <button type="submit" name="intent" value="approve" className="button" disabled={submission.pending}>
            {t("confirmations.approve")}
          </button>
          <button type="submit" name="intent" value="decline" className="button button--secondary" disabled={submission.pending}>
            {t("confirmations.decline")}
          </button>
        </div>
      </Form>
    </>
  );
}
