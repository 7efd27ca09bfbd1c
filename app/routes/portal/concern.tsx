import { useTranslation } from "~/utils/i18n";
import { data, Link } from "react-router";
import { ConcernStatus } from "~/components/concern-status";
import { PageTitle } from "~/components/page-title";
import { OutcomeAuthorities } from "~/components/settings-outcome-authorities";
import { findCustomerConcern } from "~/domain/concerns/index.server";
import { requireCustomer } from "~/middleware/customer.server";
import { getLang } from "~/middleware/i18n.server";
import { servicesContext } from "~/context";
import type { Db } from "~/utils/db.server";
import { normaliseConcernRef } from "~/utils/tokens.server";
import type { Route } from "./+types/concern";
import { concernStatusData, handleConcernAction } from "./concern-status.server";
import { usePortalHref } from "~/components/portal-link";

/** Only the customer's own concern; another customer's ref is a 404, not a 403 (no oracle). */
async function loadOwnConcern(db: Db, params: Route.LoaderArgs["params"], context: Route.LoaderArgs["context"]) {
  const customer = requireCustomer(context);
  const ref = normaliseConcernRef(params.ref);
  const concern = ref ? await findCustomerConcern(db, customer.id, ref) : undefined;
  if (!concern) throw data(null, { status: 404 });
  return { customer, concern };
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { db } = context.get(servicesContext);
  const { concern } = await loadOwnConcern(db, params, context);
  const lang = getLang(context);
  const url = new URL(request.url);
  return {
    lang,
    concern: await concernStatusData(db, concern, lang),
    justFiled: url.searchParams.has("new"),
    done: url.searchParams.get("done")?.match(/^(reply|reopen|withdraw)$/)?.[0] ?? null,
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { db } = context.get(servicesContext);
  const { customer, concern } = await loadOwnConcern(db, params, context);
  const lang = getLang(context);
  return handleConcernAction(request, db, context.get(servicesContext).rateLimits, concern, customer.id, `/${lang}/me/concerns/${concern.ref}`);
}

export default function ConcernPage({ loaderData, actionData }: Route.ComponentProps) {
  const href = usePortalHref();
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <PageTitle>{t("concernStatus.title", { ref: loaderData.concern.ref })}</PageTitle>
      <p><Link to={href(`/${loaderData.lang}/me/concerns`)}>{t("concernStatus.back")}</Link></p>
      <ConcernStatus
        concern={loaderData.concern}
        lang={loaderData.lang}
        justFiled={loaderData.justFiled}
        done={loaderData.done}
        trackingUrl={null}
        lastResult={actionData?.result}
      />
      <OutcomeAuthorities authorities={loaderData.concern.authorities} />
    </div>
  );
}
