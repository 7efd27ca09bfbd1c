import { useTranslation } from "~/utils/i18n";
import { Form, useNavigation } from "react-router";
import { Time } from "~/components/time";

export interface MonitoringAlertRow {
  id: number;
  systemName: string;
  metric: string;
  /** The week's first day, formatted on the server. */
  weekText: string;
  valueText: string;
  thresholdText: string;
  raised: { iso: string; text: string };
}

/** Open alerts (a week crossed a threshold), each with its own acknowledge form (one POST, works without JavaScript). */
export function MonitoringAlerts({ alerts }: { alerts: MonitoringAlertRow[] }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card stack" aria-labelledby="monitoring-alerts-title">
      <h2 id="monitoring-alerts-title">{t("monitoring:alerts.title")}</h2>
      {alerts.length === 0 ? <p className="muted">{t("monitoring:alerts.none")}</p> : null}
      <ul className="plain-list stack">
        {alerts.map((a) => (
          <li key={a.id} className="stack-sm">
            <p>
              <strong>{a.systemName}</strong>
              {t("monitoring:separator")}
              {t(`monitoring:alerts.text.${a.metric}`, { week: a.weekText, value: a.valueText, threshold: a.thresholdText, defaultValue: a.metric })}
            </p>
            <p className="muted">
              {t("monitoring:alerts.raised")} <Time value={a.raised} />
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="acknowledge" />
              <input type="hidden" name="alertId" value={a.id} />
              <button type="submit" className="button button--secondary" disabled={busy}>
                {t("monitoring:alerts.acknowledge")}
                <span className="visually-hidden">{t("monitoring:alerts.acknowledgeWhich", { system: a.systemName, week: a.weekText })}</span>
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </section>
  );
}
