import { Form, Link } from "react-router";
import { useTranslation } from "~/utils/i18n";
import { TableRegion } from "~/components/table-region";
import { Time } from "~/components/time";

type When = { iso: string; text: string };
export type TrainingStatusView = "current" | "expiring" | "expired" | "none";

/** One active staff member's standing, dates formatted by the loader. */
export interface TrainingsPersonView {
  staffId: number;
  name: string;
  role: string;
  status: TrainingStatusView;
  validUntil: When | null;
  count: number;
}

/** One recorded training as the page shows it. */
export interface TrainingsRowView {
  id: number;
  staffName: string;
  course: string;
  completedOn: When;
  validUntil: When | null;
  evidenceNote: string;
}

/** A training's or expiry's end as the "upcoming expiries" list shows it. */
export interface TrainingsExpiryView {
  staffName: string;
  course: string;
  /** The last day it counts. */
  lastDay: When;
  expired: boolean;
}

const STATUS_TONE: Record<TrainingStatusView, string> = { current: "pill--yes", expiring: "pill--warning", expired: "pill--no", none: "pill--no" };

export function TrainingsStatus({ status }: { status: TrainingStatusView }) {
  const { t } = useTranslation();
  return <span className={`pill ${STATUS_TONE[status]}`}>{t(`trainings:status.${status}`)}</span>;
}

/** Every active staff member with their status (SPEC §12: the console shows coverage). */
export function TrainingsPeopleTable({ people }: { people: TrainingsPersonView[] }) {
  const { t } = useTranslation();
  return (
    <TableRegion label={t("trainings:people.caption")}>
      <table className="data-table">
        <caption className="visually-hidden">{t("trainings:people.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("trainings:people.name")}</th>
            <th scope="col">{t("trainings:people.role")}</th>
            <th scope="col">{t("trainings:people.status")}</th>
            <th scope="col">{t("trainings:people.validUntil")}</th>
          </tr>
        </thead>
        <tbody>
          {people.map((person) => (
            <tr key={person.staffId}>
              <td dir="auto">{person.name}</td>
              <td>{t(`staff:roles.${person.role}`, { defaultValue: person.role })}</td>
              <td><TrainingsStatus status={person.status} /></td>
              <td>
                {person.validUntil ? <Time value={person.validUntil} /> : <span className="muted">{t(person.status === "none" ? "trainings:people.noTraining" : "trainings:people.noEnd")}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

/** Trainings whose validity ends within the warning window, expired ones first. */
export function TrainingsExpiryList({ items }: { items: TrainingsExpiryView[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return <p className="muted">{t("trainings:expiries.none")}</p>;
  return (
    <ul className="stack-sm">
      {items.map((item, i) => (
        <li key={i}>
          <span dir="auto">{item.staffName}</span>
          {t("trainings:expiries.separator")}
          <span dir="auto">{item.course}</span>
          {t("trainings:expiries.separator")}
          {item.expired ? t("trainings:expiries.expiredOn") : t("trainings:expiries.validUntil")} <Time value={item.lastDay} />
        </li>
      ))}
    </ul>
  );
}

/** The recorded trainings; admins get "correct" links and delete forms (confirm box, no JavaScript needed). */
export function TrainingsRecordsTable({ rows, canManage, busy }: { rows: TrainingsRowView[]; canManage: boolean; busy: boolean }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <p className="muted">{t("trainings:records.empty")}</p>;
  return (
    <TableRegion label={t("trainings:records.caption")}>
      <table className="data-table">
        <caption className="visually-hidden">{t("trainings:records.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("trainings:records.person")}</th>
            <th scope="col">{t("trainings:records.course")}</th>
            <th scope="col">{t("trainings:records.completedOn")}</th>
            <th scope="col">{t("trainings:records.validUntil")}</th>
            <th scope="col">{t("trainings:records.evidence")}</th>
            {canManage ? <th scope="col">{t("trainings:records.actions")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td dir="auto">{row.staffName}</td>
              <td dir="auto">{row.course}</td>
              <td><Time value={row.completedOn} /></td>
              <td>{row.validUntil ? <Time value={row.validUntil} /> : <span className="muted">{t("trainings:people.noEnd")}</span>}</td>
              <td dir="auto">{row.evidenceNote || <span className="muted">{t("trainings:records.noEvidence")}</span>}</td>
              {canManage ? (
                <td className="stack-sm">
                  <Link to={`/staff/trainings?edit=${row.id}#training-form`} aria-label={t("trainings:records.editLabel", { course: row.course, name: row.staffName })}>
                    {t("trainings:records.edit")}
                  </Link>
                  <Form method="post">
                    <input type="hidden" name="intent" value="delete" />
                    <input type="hidden" name="trainingId" value={row.id} />
                    <label>
                      <input type="checkbox" name="confirm" value="yes" required /> <span>{t("trainings:records.confirmDelete")}</span>
                    </label>{" "}
                    <button type="submit" className="button button--secondary" disabled={busy} aria-label={t("trainings:records.deleteLabel", { course: row.course, name: row.staffName })}>
                      {t("trainings:records.delete")}
                    </button>
                  </Form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
