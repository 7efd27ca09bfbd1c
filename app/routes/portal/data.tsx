import { useTranslation } from "~/utils/i18n";
import { PageHeader } from "~/components/page-header";
import { Time } from "~/components/time";
import { listChoices, listConsentEvents } from "~/domain/preferences.server";
import { requireCustomer } from "~/middleware/customer.server";
import { getLang } from "~/middleware/i18n.server";
import { servicesContext } from "~/context";
import { dateFor } from "~/utils/format.server";
import type { Route } from "./+types/data";
import { usePortalHref } from "~/components/portal-link";

export async function loader({ context }: Route.LoaderArgs) {
  const customer = requireCustomer(context);
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const labels = Object.fromEntries((await listChoices(db, lang)).map((c) => [c.key, c.label]));
  return {
    lang,
    receipts: (await listConsentEvents(db, customer.id)).map((e) => ({
      receiptId: e.receiptId,
      label: labels[e.choiceKey] ?? e.choiceKey,
      value: e.value,
      createdAt: dateFor(e.createdAt, lang),
    })),
  };
}

export default function MyData({ loaderData }: Route.ComponentProps) {
  const href = usePortalHref();
  const { t } = useTranslation();
  const { lang, receipts } = loaderData;
  return (
    <div className="stack-lg">
      <PageHeader title={t("data.title")} lead={t("data.lead")} />
      <section className="card stack" aria-labelledby="export-title">
        <h2 id="export-title">{t("data.exportTitle")}</h2>
        <p>{t("data.exportBody")}</p>
        <ul className="plain-list">
          {(["choices", "consents", "interactions", "concerns", "permission"] as const).map((part) => (
            <li key={part}>{t(`data.includes.${part}`)}</li>
          ))}
        </ul>
        <p>
          <a className="button" href={href(`/${lang}/me/data/export.json`)} download="candor-my-data.json">
            {t("data.download")}
          </a>
        </p>
      </section>
      <section className="card stack" aria-labelledby="receipts-title">
        <h2 id="receipts-title">{t("data.receiptsTitle")}</h2>
        <p>{t("data.receiptsBody")}</p>
        {receipts.length === 0 ? (
          <p>{t("data.noReceipts")}</p>
        ) : (
          <ul className="plain-list receipts">
            {receipts.map((r) => (
              <li key={r.receiptId}>
                <a href={href(`/${lang}/me/data/receipts/${r.receiptId}.json`)} download>
                  {t("data.receipt", { choice: r.label, value: t(`choiceValues.${r.value}`) })}
                </a>{" "}
                <span className="muted"><Time value={r.createdAt} /> · <code>{r.receiptId}</code></span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
