import type { SubmissionResult } from "@conform-to/react";
import { Form } from "react-router";
import { TableRegion } from "~/components/table-region";
import { Time } from "~/components/time";
import { useTranslation } from "~/utils/i18n";
import { LANGUAGE_NAMES, isLang, textDirection } from "~/utils/languages";
import { AuditsActionForm, AuditsAuditForm, type AuditFormValues, type StaffChoice } from "./audits-forms";

type DateText = { iso: string; text: string };

/** One recorded audit as the page shows it (dates formatted by the loader). */
export interface AuditCardView {
  id: number;
  auditedOn: DateText;
  auditorName: string;
  result: string;
  scope: string;
  findings: string;
  summaries: { lang: string; text: string }[];
  actions: { id: number; text: string; ownerName: string | null; dueOn: DateText; done: DateText | null; overdue: boolean }[];
  /** The correction form's starting values. */
  values: AuditFormValues;
}

const resultClass: Record<string, string> = { passed: "pill pill--yes", passed_with_actions: "pill pill--warning", failed: "pill pill--no" };

/** An audit: facts, public summaries, actions (mark done, add one) and the correction form. */
export function AuditsCard({
  audit,
  staff,
  action,
  canRecord,
  actionResult,
  correctResult,
}: {
  audit: AuditCardView;
  staff: StaffChoice[];
  action: string;
  canRecord: boolean;
  actionResult: SubmissionResult<string[]> | undefined;
  correctResult: SubmissionResult<string[]> | undefined;
}) {
  const { t } = useTranslation();
  const titleId = `audit-${audit.id}-title`;
  return (
    <article className="card stack" id={`audit-${audit.id}`} aria-labelledby={titleId}>
      <h3 id={titleId}>
        {t("audits:list.auditOf")} <Time value={audit.auditedOn} /> <span className={resultClass[audit.result] ?? "pill"}>{t(`audits:results.${audit.result}`)}</span>
      </h3>
      <dl className="facts">
        <div>
          <dt>{t("audits:fields.auditorName")}</dt>
          <dd><bdi>{audit.auditorName}</bdi></dd>
        </div>
        <div>
          <dt>{t("audits:fields.scope")}</dt>
          <dd className="user-text">{audit.scope}</dd>
        </div>
        <div>
          <dt>{t("audits:fields.findings")}</dt>
          <dd className="user-text">{audit.findings}</dd>
        </div>
      </dl>
      <details>
        <summary>{t("audits:list.summaries", { count: audit.summaries.length })}</summary>
        <dl className="facts">
          {audit.summaries.map((s) => (
            <div key={s.lang}>
              <dt>{isLang(s.lang) ? LANGUAGE_NAMES[s.lang] : s.lang}</dt>
              <dd lang={s.lang} dir={textDirection(s.lang)}>{s.text}</dd>
            </div>
          ))}
        </dl>
      </details>
      <section className="stack" aria-labelledby={`audit-${audit.id}-actions`}>
        <h4 id={`audit-${audit.id}-actions`}>{t("audits:actions.title")}</h4>
        {audit.actions.length === 0 ? (
          <p className="muted">{t("audits:actions.none")}</p>
        ) : (
          <TableRegion label={t("audits:actions.caption")}>
            <table>
              <caption className="visually-hidden">{t("audits:actions.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("audits:fields.actionText")}</th>
                  <th scope="col">{t("audits:fields.owner")}</th>
                  <th scope="col">{t("audits:fields.dueOn")}</th>
                  <th scope="col">{t("audits:actions.state")}</th>
                </tr>
              </thead>
              <tbody>
                {audit.actions.map((a) => (
                  <tr key={a.id}>
                    <td><bdi>{a.text}</bdi></td>
                    <td>{a.ownerName ? <bdi>{a.ownerName}</bdi> : t("audits:fields.noOwner")}</td>
                    <td>
                      <Time value={a.dueOn} /> {a.overdue ? <span className="pill badge-overdue">{t("audits:overdue")}</span> : null}
                    </td>
                    <td>
                      {a.done ? (
                        <>
                          {t("audits:actions.doneOn")} <Time value={a.done} />
                        </>
                      ) : canRecord ? (
                        <Form method="post" action={action}>
                          <input type="hidden" name="intent" value="completeAction" />
                          <input type="hidden" name="actionId" value={a.id} />
                          <button type="submit" className="button button--secondary">
                            {t("audits:actions.complete")}
                            <span className="visually-hidden">: {a.text}</span>
                          </button>
                        </Form>
                      ) : (
                        t("audits:actions.open")
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
        {canRecord ? (
          <details open={Boolean(actionResult)}>
            <summary>{t("audits:actions.addTitle")}</summary>
            <AuditsActionForm auditId={audit.id} staff={staff} lastResult={actionResult} action={action} />
          </details>
        ) : null}
      </section>
      {canRecord ? (
        <details open={Boolean(correctResult)}>
          <summary>{t("audits:correct.title")}</summary>
          <AuditsAuditForm formId={`audit-${audit.id}-correct`} auditId={audit.id} values={audit.values} staff={staff} lastResult={correctResult} action={action} />
        </details>
      ) : null}
    </article>
  );
}
