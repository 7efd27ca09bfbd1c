import { useTranslation } from "~/utils/i18n";
import { Link } from "react-router";
import { Time } from "~/components/time";
import { TableRegion } from "~/components/table-region";

type When = { iso: string; text: string };

/** A template's name for admins: a customer email's own label, or "Staff email: <kind>" for the staff notifications (`staff_<kind>`). */
export function templateLabel(t: ReturnType<typeof useTranslation>["t"], template: string): string {
  const kind = template.startsWith("staff_") ? template.slice("staff_".length) : null;
  if (kind) return t("outbox:templates.staff", { kind: t(`notifications:kinds.${kind}.label`, { defaultValue: kind }) });
  return t(`outbox:templates.${template}`, { defaultValue: template });
}

/** One email as the outbox list shows it (dates formatted by the loader). */
export interface OutboxRowView {
  id: number;
  href: string;
  to: string;
  subject: string;
  template: string;
  language: string;
  status: string;
  attempts: string;
  created: When;
  nextAttempt: When | null;
  lastError: string | null;
}

export function OutboxStatusPill({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`pill outbox-status outbox-status--${status}`}>{t(`outbox:statuses.${status}`, { defaultValue: status })}</span>;
}

/** The list of emails, newest first; the subject opens the email. */
export function OutboxTable({ rows }: { rows: OutboxRowView[] }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <p className="muted">{t("outbox:table.empty")}</p>;
  return (
    <TableRegion label={t("outbox:table.caption")}>
      <table className="data-table outbox-table">
        <caption className="visually-hidden">{t("outbox:table.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("outbox:table.created")}</th>
            <th scope="col">{t("outbox:table.to")}</th>
            <th scope="col">{t("outbox:table.subject")}</th>
            <th scope="col">{t("outbox:table.template")}</th>
            <th scope="col">{t("outbox:table.language")}</th>
            <th scope="col">{t("outbox:table.status")}</th>
            <th scope="col">{t("outbox:table.attempts")}</th>
            <th scope="col">{t("outbox:table.nextAttempt")}</th>
            <th scope="col">{t("outbox:table.lastError")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td><Time value={row.created} /></td>
              <td className="outbox-address" dir="auto">{row.to}</td>
              <td><Link to={row.href} dir="auto">{row.subject}</Link></td>
              <td>{templateLabel(t, row.template)}</td>
              <td>{row.language}</td>
              <td><OutboxStatusPill status={row.status} /></td>
              <td>{row.attempts}</td>
              <td>{row.nextAttempt ? <Time value={row.nextAttempt} /> : <span className="muted">{t("outbox:email.none")}</span>}</td>
              <td className="outbox-error">{row.lastError ?? <span className="muted">{t("outbox:email.none")}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
