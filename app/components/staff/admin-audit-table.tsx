import { useTranslation } from "~/utils/i18n";
import { Time } from "~/components/time";
import { TableRegion } from "~/components/table-region";

/** Action codes with a translated label (locales/<lng>/admin.json "actions"); others show their code. */
export const KNOWN_AUDIT_ACTIONS = [
  "concern.filed",
  "concern.claimed",
  "concern.assigned",
  "concern.unassigned",
  "concern.kind_changed",
  "concern.priority_changed",
  "concern.status_changed",
  "concern.note_added",
  "concern.replied",
  "concern.serious_incident_flagged",
  "concern.serious_incident_cleared",
  "concern.opened_for_breach",
  "breach.detected",
  "ai_system.created",
  "ai_system.updated",
  "choice.notice_published",
  "canned_reply.created",
  "canned_reply.updated",
  "outbox.retry_requested",
  "staff.created",
  "staff.login",
  "staff.logout",
  "staff.totp_enabled",
  "staff.language_changed",
  "staff.signed_out_everywhere",
  "staff.role_changed",
  "staff.disabled",
  "staff.enabled",
  "customer.viewed",
  "ai_system.audit_interval",
  "ai_system_audit.record",
  "ai_system_audit.correct",
  "ai_system_audit.action_add",
  "ai_system_audit.action_done",
  "choice.default_changed",
  "choice.defined",
  "choice.notice_wording_fixed",
  "concern.reported_by_staff",
  "monitoring.alert_acknowledged",
  "monitoring.threshold_removed",
  "monitoring.threshold_set",
  "retention.purged",
  "settings.changed",
  "settings.logo_changed",
  "staff.notifications_changed",
  "staff.password_changed",
  "staff.access_reset",
  "training.recorded",
  "training.corrected",
  "training.deleted",
] as const;

/** Target types with a translated label ("targets"); actor types are all translated ("actors"). */
const KNOWN_TARGET_TYPES: readonly string[] = ["staff", "concern", "customer", "ai_system", "canned_reply", "choice", "outbox_email"];
const KNOWN_ACTOR_TYPES: readonly string[] = ["customer", "employee", "system", "cli", "api"];

export interface AdminAuditRow {
  id: number;
  time: { iso: string; text: string };
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  details: [string, string][];
}

/** The audit entries as a table: codes are shown with a translated label where one exists. */
export function AdminAuditTable({ rows }: { rows: AdminAuditRow[] }) {
  const { t } = useTranslation();
  const actorLabel = (row: AdminAuditRow) => {
    if (row.actorType === "staff") return row.actorName ?? t("admin:audit.unknownStaff", { id: row.actorId ?? "" });
    return KNOWN_ACTOR_TYPES.includes(row.actorType) ? t(`admin:actors.${row.actorType}`) : row.actorType;
  };
  const targetLabel = (row: AdminAuditRow) => {
    if (!row.targetType) return t("admin:audit.none");
    if (row.targetType === "staff" && row.targetName) return t("admin:audit.targetStaff", { name: row.targetName, id: row.targetId ?? "" });
    const type = KNOWN_TARGET_TYPES.includes(row.targetType) ? t(`admin:targets.${row.targetType}`) : row.targetType;
    return t("admin:audit.target", { type, id: row.targetId ?? "" });
  };
  return (
    <TableRegion label={t("admin:audit.tableCaption")}>
      <table className="data-table admin-audit">
        <caption className="visually-hidden">{t("admin:audit.tableCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("admin:audit.columns.id")}</th>
            <th scope="col">{t("admin:audit.columns.time")}</th>
            <th scope="col">{t("admin:audit.columns.actor")}</th>
            <th scope="col">{t("admin:audit.columns.action")}</th>
            <th scope="col">{t("admin:audit.columns.target")}</th>
            <th scope="col">{t("admin:audit.columns.details")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} id={`audit-${row.id}`}>
              <td>{row.id}</td>
              <td className="admin-nowrap"><Time value={row.time} /></td>
              <td>{actorLabel(row)}</td>
              <td>
                {(KNOWN_AUDIT_ACTIONS as readonly string[]).includes(row.action) ? (
                  <>
                    <span>{t(`admin:actions.${row.action}`)}</span>
                    <br />
                    <code className="muted">{row.action}</code>
                  </>
                ) : (
                  <code>{row.action}</code>
                )}
              </td>
              <td>{targetLabel(row)}</td>
              <td>
                {row.details.length ? (
                  <ul className="plain-list admin-details">
                    {row.details.map(([key, value]) => (
                      <li key={key}>
                        <code>{t("admin:audit.detail", { key, value })}</code>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="muted">{t("admin:audit.none")}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
