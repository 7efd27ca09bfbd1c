import { useTranslation } from "~/utils/i18n";
import { Form } from "react-router";
import { Time } from "~/components/time";
import { STAFF_ROLES } from "~/domain/permissions";
import { TableRegion } from "~/components/table-region";

export interface AdminStaffRow {
  id: number;
  name: string;
  email: string;
  role: string;
  totpEnabled: boolean;
  lastLogin: { iso: string; text: string } | null;
  disabled: { iso: string; text: string } | null;
}

/**
 * Staff members with a role form and a disable/enable button per row. Every form posts plain
 * fields (intent, staffId); the server checks the permission and the rules again.
 */
export function AdminStaffTable({ rows, currentId, busy }: { rows: AdminStaffRow[]; currentId: number; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <TableRegion label={t("admin:users.tableCaption")}>
      <table className="data-table admin-staff">
        <caption className="visually-hidden">{t("admin:users.tableCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("admin:users.columns.name")}</th>
            <th scope="col">{t("admin:users.columns.email")}</th>
            <th scope="col">{t("admin:users.columns.role")}</th>
            <th scope="col">{t("admin:users.columns.totp")}</th>
            <th scope="col">{t("admin:users.columns.lastLogin")}</th>
            <th scope="col">{t("admin:users.columns.status")}</th>
            <th scope="col">{t("admin:users.columns.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const self = row.id === currentId;
            return (
              <tr key={row.id}>
                <th scope="row" dir="auto">{row.name}</th>
                <td dir="auto">{row.email}</td>
                <td>{t(`staff:roles.${row.role}`, { defaultValue: row.role })}</td>
                <td>
                  <span className={row.totpEnabled ? "pill pill--yes" : "pill"}>{row.totpEnabled ? t("admin:users.totpOn") : t("admin:users.totpOff")}</span>
                </td>
                <td className="admin-nowrap">{row.lastLogin ? <Time value={row.lastLogin} /> : t("admin:users.never")}</td>
                <td>
                  {row.disabled ? (
                    <span className="pill pill--no">{t("admin:users.disabledSince", { date: row.disabled.text })}</span>
                  ) : (
                    <span className="pill">{t("admin:users.active")}</span>
                  )}
                </td>
                <td>
                  {self ? (
                    <span className="muted">{t("admin:users.you")}</span>
                  ) : (
                    <div className="admin-row-actions">
                      <Form method="post" className="admin-inline-form">
                        <input type="hidden" name="intent" value="role" />
                        <input type="hidden" name="staffId" value={row.id} />
                        <label htmlFor={`role-${row.id}`} className="visually-hidden">{t("admin:users.roleFor", { name: row.name })}</label>
                        <select id={`role-${row.id}`} name="role" defaultValue={row.role}>
                          {STAFF_ROLES.map((role) => (
                            <option key={role} value={role}>{t(`staff:roles.${role}`)}</option>
                          ))}
                        </select>
                        <button type="submit" className="button button--secondary" disabled={busy}>
                          {t("admin:users.changeRole")}{" "}
                          <span className="visually-hidden">{t("admin:users.rowName", { name: row.name })}</span>
                        </button>
                      </Form>
                      <Form method="post" className="admin-inline-form">
                        <input type="hidden" name="intent" value={row.disabled ? "enable" : "disable"} />
                        <input type="hidden" name="staffId" value={row.id} />
                        <button type="submit" className="button button--secondary" disabled={busy}>
                          {row.disabled ? t("admin:users.enable") : t("admin:users.disable")}{" "}
                          <span className="visually-hidden">{t("admin:users.rowName", { name: row.name })}</span>
                        </button>
                      </Form>
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableRegion>
  );
}
