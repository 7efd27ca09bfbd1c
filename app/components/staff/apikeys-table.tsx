import { useTranslation } from "~/utils/i18n";
import { Form } from "react-router";
import { Notice } from "~/components/notice";
import { Time } from "~/components/time";
import { TableRegion } from "~/components/table-region";

type When = { iso: string; text: string };

/** One key as the page shows it (never its hash; dates formatted by the loader). */
export interface ApikeysRowView {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  created: When;
  lastUsed: When | null;
  revoked: When | null;
}

/** The keys, newest first; an active key has a "revoke" form that needs its confirm box ticked. */
export function ApikeysTable({ rows, busy }: { rows: ApikeysRowView[]; busy: boolean }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <p className="muted">{t("apikeys:list.empty")}</p>;
  return (
    <TableRegion label={t("apikeys:list.caption")}>
      <table className="data-table apikeys-table">
        <caption className="visually-hidden">{t("apikeys:list.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("apikeys:list.name")}</th>
            <th scope="col">{t("apikeys:list.prefix")}</th>
            <th scope="col">{t("apikeys:list.scopes")}</th>
            <th scope="col">{t("apikeys:list.created")}</th>
            <th scope="col">{t("apikeys:list.lastUsed")}</th>
            <th scope="col">{t("apikeys:list.state")}</th>
            <th scope="col">{t("apikeys:list.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td dir="auto">{row.name}</td>
              <td><code>{row.prefix}</code></td>
              <td>
                <ul className="apikeys-scopes">
                  {row.scopes.map((scope) => (
                    <li key={scope}><code>{scope}</code></li>
                  ))}
                </ul>
              </td>
              <td><Time value={row.created} /></td>
              <td>{row.lastUsed ? <Time value={row.lastUsed} /> : <span className="muted">{t("apikeys:list.never")}</span>}</td>
              <td>
                {row.revoked ? (
                  <span>{t("apikeys:list.revokedOn")} <Time value={row.revoked} /></span>
                ) : (
                  <span className="pill">{t("apikeys:list.active")}</span>
                )}
              </td>
              <td>
                {row.revoked ? null : (
                  <Form method="post" className="apikeys-revoke">
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="keyId" value={row.id} />
                    <label className="apikeys-confirm">
                      <input type="checkbox" name="confirm" value="yes" required />
                      <span>{t("apikeys:list.confirm", { name: row.name })}</span>
                    </label>
                    <button type="submit" className="button button--secondary" disabled={busy} aria-label={t("apikeys:list.revokeLabel", { name: row.name })}>
                      {t("apikeys:list.revoke")}
                    </button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

/** The new key, shown this once: it is stored only as a hash. */
export function ApikeysCreatedKey({ name, secret }: { name: string; secret: string }) {
  const { t } = useTranslation();
  return (
    <Notice tone="success" title={t("apikeys:created.title")}>
      <p>{t("apikeys:created.body", { name })}</p>
      <p>
        <code className="tracking-url apikeys-secret">{secret}</code>
      </p>
      <p className="muted">{t("apikeys:created.copyHint")}</p>
    </Notice>
  );
}
