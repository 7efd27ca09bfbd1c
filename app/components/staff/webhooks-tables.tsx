import { useTranslation } from "~/utils/i18n";
import { Form } from "react-router";
import { Notice } from "~/components/notice";
import { Time } from "~/components/time";
import { TableRegion } from "~/components/table-region";

type When = { iso: string; text: string };

/** One endpoint as the page shows it (never its secret; dates formatted by the loader). */
export interface WebhookEndpointView {
  id: number;
  url: string;
  events: string[];
  created: When;
  disabled: When | null;
}

/** One delivery of the log (dates formatted by the loader). */
export interface WebhookDeliveryView {
  id: number;
  endpointId: number;
  url: string;
  event: string;
  status: string;
  attempts: string;
  lastStatusCode: number | null;
  lastError: string | null;
  created: When;
  nextAttempt: When | null;
  delivered: When | null;
  canRetry: boolean;
}

export function WebhookStatusPill({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`pill webhooks-status webhooks-status--${status}`}>{t(`webhooks:statuses.${status}`, { defaultValue: status })}</span>;
}

/** The endpoints, newest first, each with its "disable" form. */
export function WebhooksEndpointsTable({ rows, busy }: { rows: WebhookEndpointView[]; busy: boolean }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <p className="muted">{t("webhooks:endpoints.empty")}</p>;
  return (
    <TableRegion label={t("webhooks:endpoints.caption")}>
      <table className="data-table webhooks-table">
        <caption className="visually-hidden">{t("webhooks:endpoints.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("webhooks:endpoints.url")}</th>
            <th scope="col">{t("webhooks:endpoints.events")}</th>
            <th scope="col">{t("webhooks:endpoints.created")}</th>
            <th scope="col">{t("webhooks:endpoints.state")}</th>
            <th scope="col">{t("webhooks:endpoints.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td className="webhooks-url"><code>{row.url}</code></td>
              <td>
                <ul className="webhooks-events">
                  {row.events.map((e) => (
                    <li key={e}><code>{e}</code></li>
                  ))}
                </ul>
              </td>
              <td><Time value={row.created} /></td>
              <td>
                {row.disabled ? (
                  <span>{t("webhooks:endpoints.disabledOn")} <Time value={row.disabled} /></span>
                ) : (
                  <span className="pill webhooks-status webhooks-status--delivered">{t("webhooks:endpoints.active")}</span>
                )}
              </td>
              <td>
                {row.disabled ? null : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="disable" />
                    <input type="hidden" name="endpointId" value={row.id} />
                    <button type="submit" className="button button--secondary" disabled={busy} aria-label={t("webhooks:endpoints.disableLabel", { id: row.id })}>
                      {t("webhooks:endpoints.disable")}
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

/** The most recent deliveries with their status, attempts and last answer; "retry now" for failed ones. */
export function WebhooksDeliveriesTable({ rows, busy }: { rows: WebhookDeliveryView[]; busy: boolean }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <p className="muted">{t("webhooks:deliveries.empty")}</p>;
  const none = <span className="muted">{t("webhooks:deliveries.none")}</span>;
  return (
    <TableRegion label={t("webhooks:deliveries.caption")}>
      <table className="data-table webhooks-table">
        <caption className="visually-hidden">{t("webhooks:deliveries.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("webhooks:deliveries.created")}</th>
            <th scope="col">{t("webhooks:deliveries.event")}</th>
            <th scope="col">{t("webhooks:deliveries.endpoint")}</th>
            <th scope="col">{t("webhooks:deliveries.status")}</th>
            <th scope="col">{t("webhooks:deliveries.attempts")}</th>
            <th scope="col">{t("webhooks:deliveries.lastStatusCode")}</th>
            <th scope="col">{t("webhooks:deliveries.lastError")}</th>
            <th scope="col">{t("webhooks:deliveries.nextAttempt")}</th>
            <th scope="col">{t("webhooks:deliveries.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td><Time value={row.created} /></td>
              <td><code>{row.event}</code></td>
              <td className="webhooks-url" dir="auto">{row.url}</td>
              <td><WebhookStatusPill status={row.status} /></td>
              <td>{row.attempts}</td>
              <td>{row.lastStatusCode ?? none}</td>
              <td className="webhooks-error">{row.lastError ?? none}</td>
              <td>{row.nextAttempt ? <Time value={row.nextAttempt} /> : row.delivered ? <Time value={row.delivered} /> : none}</td>
              <td>
                {row.canRetry ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="retry" />
                    <input type="hidden" name="deliveryId" value={row.id} />
                    <button type="submit" className="button button--secondary" disabled={busy} aria-label={t("webhooks:deliveries.retryLabel", { id: row.id })}>
                      {t("webhooks:deliveries.retry")}
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

/** The signing secret of a new endpoint, shown this once. */
export function WebhooksCreatedSecret({ url, secret }: { url: string; secret: string }) {
  const { t } = useTranslation();
  return (
    <Notice tone="success" title={t("webhooks:created.title")}>
      <p>{t("webhooks:created.body", { url })}</p>
      <dl className="facts">
        <div>
          <dt>{t("webhooks:created.secret")}</dt>
          <dd>
            <code className="tracking-url webhooks-secret">{secret}</code>
          </dd>
        </div>
      </dl>
    </Notice>
  );
}
