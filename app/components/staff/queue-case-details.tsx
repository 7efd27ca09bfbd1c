import { useTranslation } from "~/utils/i18n";
import { Link } from "react-router";
import { Time } from "~/components/time";

type DateText = { iso: string; text: string };

export interface CaseDeadlinesView {
  slaTarget: "first_response" | "resolution";
  slaDueAt: DateText | null;
  slaPausedSince: DateText | null;
  statutoryDueAt: DateText | null;
  incidentReportDueAt: DateText | null;
  seriousIncidentAt: DateText | null;
  firstResponseAt: DateText | null;
  overdue: { sla: boolean; statutory: boolean; incident: boolean };
}

function OverdueMark({ show }: { show: boolean }) {
  const { t } = useTranslation();
  if (!show) return null;
  return (
    <>
      {" "}
      <span className="pill badge-overdue">
        <span aria-hidden="true">{t("queue:badges.overdueIcon")} </span>
        {t("queue:badges.overdue")}
      </span>
    </>
  );
}

/** SLA (first response, then resolution; paused while waiting on the customer), statutory and incident deadlines. */
export function CaseDeadlines({ deadlines }: { deadlines: CaseDeadlinesView }) {
  const { t } = useTranslation();
  return (
    <dl className="summary-list">
      <div>
        <dt>{t(`queue:deadlines.sla.${deadlines.slaTarget}`)}</dt>
        <dd>
          {deadlines.slaDueAt ? <Time value={deadlines.slaDueAt} /> : t("queue:table.none")}
          <OverdueMark show={deadlines.overdue.sla} />
          {deadlines.slaPausedSince ? (
            <p className="muted">{t("queue:deadlines.paused", { date: deadlines.slaPausedSince.text })}</p>
          ) : null}
        </dd>
      </div>
      <div>
        <dt>{t("queue:deadlines.firstResponse")}</dt>
        <dd>{deadlines.firstResponseAt ? <Time value={deadlines.firstResponseAt} /> : t("queue:deadlines.noResponseYet")}</dd>
      </div>
      <div>
        <dt>{t("queue:deadlines.statutory")}</dt>
        <dd>
          {deadlines.statutoryDueAt ? <Time value={deadlines.statutoryDueAt} /> : t("queue:deadlines.notRightsBased")}
          <OverdueMark show={deadlines.overdue.statutory} />
        </dd>
      </div>
      {deadlines.incidentReportDueAt ? (
        <div>
          <dt>{t("queue:deadlines.incident")}</dt>
          <dd>
            <Time value={deadlines.incidentReportDueAt} />
            <OverdueMark show={deadlines.overdue.incident} />
            {deadlines.seriousIncidentAt ? (
              <p className="muted">{t("queue:deadlines.incidentSince", { date: deadlines.seriousIncidentAt.text })}</p>
            ) : null}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

export type CaseTimelineEntry =
  | { type: "status"; id: string; at: DateText; from: string | null; to: string; actor: string; staffName: string | null }
  | { type: "message"; id: string; at: DateText; author: string; visibility: string; body: string; authorName: string | null }
  | { type: "change"; id: string; at: DateText; action: string; staffName: string | null; from: string | null; to: string | null };

export interface CaseBreachView {
  reason: string;
  actionKey: string;
  actionLabel: string;
  decisionId: string | null;
  decision: { decision: string; reason: string; createdAt: DateText; aiSystemSlug: string; actionKey: string } | null;
  detectedAt: DateText;
  contestConcernRef: string | null;
}

/**
 * A case Candor opened for a permission breach (SPEC §11.5): a *possible* serious incident. The
 * facts, and the way to the serious-incident flag (AI Act Art. 73) — staff decide.
 */
export function CaseBreach({
  breach,
  system,
  canFlag,
  flagged,
}: {
  breach: CaseBreachView;
  system: { slug: string; name: string } | null;
  canFlag: boolean;
  flagged: boolean;
}) {
  const { t } = useTranslation();
  return (
    <section className="card stack case-breach" aria-labelledby="case-breach-title">
      <h2 id="case-breach-title">
        <span aria-hidden="true">{t("queue:badges.breachIcon")} </span>
        {t("queue:breach.title")}
      </h2>
      <p>{t("queue:breach.intro")}</p>
      <dl className="summary-list">
        <div>
          <dt>{t("queue:breach.action")}</dt>
          <dd>
            {breach.actionLabel} <code>{breach.actionKey}</code>
          </dd>
        </div>
        <div>
          <dt>{t("queue:breach.system")}</dt>
          <dd>{system ? `${system.name} (${system.slug})` : t("queue:table.none")}</dd>
        </div>
        <div>
          <dt>{t("queue:breach.decision")}</dt>
          <dd>
            {breach.decisionId ? <code>{breach.decisionId}</code> : t("queue:breach.decisionNone")}
            {breach.decisionId ? (
              <p className="muted">
                {breach.decision
                  ? t("queue:breach.decisionAnswer", {
                      answer: t(`queue:breach.answers.${breach.decision.decision}`, { defaultValue: breach.decision.decision }),
                      reason: breach.decision.reason,
                      action: breach.decision.actionKey,
                      system: breach.decision.aiSystemSlug,
                      date: breach.decision.createdAt.text,
                    })
                  : t("queue:breach.decisionUnknown")}
              </p>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>{t("queue:breach.reason")}</dt>
          <dd>{t(`queue:breach.reasons.${breach.reason}`, { defaultValue: breach.reason })}</dd>
        </div>
        <div>
          <dt>{t("queue:breach.detected")}</dt>
          <dd><Time value={breach.detectedAt} /></dd>
        </div>
        <div>
          <dt>{t("queue:breach.contested")}</dt>
          <dd>
            {breach.contestConcernRef ? (
              <Link to={`/staff/concerns/${breach.contestConcernRef}`} className="ref">{breach.contestConcernRef}</Link>
            ) : (
              t("queue:breach.notContested")
            )}
          </dd>
        </div>
      </dl>
      {flagged ? null : (
        <>
          <p>{t("queue:breach.flagHelp")}</p>
          <p>{canFlag ? <a href="#case-incident">{t("queue:breach.flagLink")}</a> : t("queue:breach.flagSupervisor")}</p>
        </>
      )}
    </section>
  );
}

/** An employee report's reporter as caseView gives it (only to viewers with `reporters.view`). */
export interface CaseReporterView {
  name: string | null;
  staffName: string | null;
  staffEmail: string | null;
}

/**
 * The mark of an employee report (SPEC §12) on the case page, with who filed it for supervisors
 * and admins (`reporter`); others read that the reporter is known to supervisors only
 * (`hidden`). An anonymous public report says so.
 */
export function CaseEmployeeReport({ reporter, hidden }: { reporter: CaseReporterView | null; hidden: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="card stack case-employee-report" aria-labelledby="case-employee-title">
      <h2 id="case-employee-title">
        <span aria-hidden="true">{t("queue:badges.employeeIcon")} </span>
        {t("queue:badges.employee")}
      </h2>
      <p>{t("queue:employee.intro")}</p>
      {hidden ? (
        <p className="muted">{t("queue:employee.hidden")}</p>
      ) : (
        <dl className="summary-list">
          <div>
            <dt>{t("queue:employee.reporter")}</dt>
            <dd>
              {reporter?.staffName || reporter?.staffEmail ? (
                <>
                  {reporter.staffName ?? t("queue:employee.staffGone")}
                  {reporter.staffEmail ? (
                    <>
                      {" "}
                      <a href={`mailto:${reporter.staffEmail}`}>{reporter.staffEmail}</a>
                    </>
                  ) : null}
                  <p className="muted">{t("queue:employee.fromConsole")}</p>
                </>
              ) : reporter?.name ? (
                <>
                  <span dir="auto">{reporter.name}</span>
                  <p className="muted">{t("queue:employee.fromForm")}</p>
                </>
              ) : (
                t("queue:employee.anonymous")
              )}
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}
