import { useTranslation } from "~/utils/i18n";
import { Link } from "react-router";
import { PageHeader } from "~/components/page-header";
import { Time } from "~/components/time";
import { listConcernsForCustomer } from "~/domain/concerns/index.server";
import { requireCustomer } from "~/middleware/customer.server";
import { getLang } from "~/middleware/i18n.server";
import { servicesContext } from "~/context";
import { dateFor } from "~/utils/format.server";
import type { Route } from "./+types/concerns";
import { TableRegion } from "~/components/table-region";
import { usePortalHref } from "~/components/portal-link";

export async function loader({ context }: Route.LoaderArgs) {
  const { db } = context.get(servicesContext);
  const customer = requireCustomer(context);
  const lang = getLang(context);
  return {
    lang,
    concerns: (await listConcernsForCustomer(db, customer.id)).map((c) => ({
      ref: c.ref,
      kind: c.kind,
      status: c.customerStatus,
      createdAt: dateFor(c.createdAt, lang, "date"),
      updatedAt: dateFor(c.updatedAt, lang),
    })),
  };
}

export default function Concerns({ loaderData }: Route.ComponentProps) {
  const href = usePortalHref();
  const { t } = useTranslation();
  const { concerns, lang } = loaderData;
  return (
    <div className="stack-lg">
      <PageHeader title={t("concerns.title")} lead={t("concerns.lead")}>
        <p><Link className="button" to={href(`/${lang}/me/concerns/new`)}>{t("concerns.new")}</Link></p>
      </PageHeader>
      {concerns.length === 0 ? (
        <p className="card">{t("concerns.empty")}</p>
      ) : (
        <TableRegion label={t("concerns.title")} className="card">
          {/* On a phone each row stacks, every cell under its column's name (app.css .table-stack). */}
          <table className="table-stack">
            <caption className="visually-hidden">{t("concerns.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("concerns.ref")}</th>
                <th scope="col">{t("concerns.kind")}</th>
                <th scope="col">{t("concerns.status")}</th>
                <th scope="col">{t("concerns.filed")}</th>
                <th scope="col">{t("concerns.updated")}</th>
              </tr>
            </thead>
            <tbody>
              {concerns.map((c) => (
                <tr key={c.ref}>
                  <td data-label={t("concerns.ref")}><Link to={href(`/${lang}/me/concerns/${c.ref}`)} className="ref">{c.ref}</Link></td>
                  <td data-label={t("concerns.kind")}>{t(`concernKinds.${c.kind}`)}</td>
                  <td data-label={t("concerns.status")}><span className={`status status--${c.status}`}>{t(`customerStatus.${c.status}`)}</span></td>
                  <td data-label={t("concerns.filed")}><Time value={c.createdAt} /></td>
                  <td data-label={t("concerns.updated")}><Time value={c.updatedAt} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </div>
  );
}
