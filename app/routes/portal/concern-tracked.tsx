import { useTranslation } from "~/utils/i18n";
import { data } from "react-router";
import { ConcernStatus } from "~/components/concern-status";
import { PageTitle } from "~/components/page-title";
import { OutcomeAuthorities } from "~/components/settings-outcome-authorities";
import { findTrackedConcern } from "~/domain/concerns/index.server";
import { getLang } from "~/middleware/i18n.server";
import { servicesContext } from "~/context";
import type { Db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import type { Route } from "./+types/concern-tracked";
import { concernStatusData, handleConcernAction } from "./concern-status.server";

async function loadTracked(db: Db, token: string) {
  const concern = await findTrackedConcern(db, token);
  if (!concern) throw data(null, { status: 404 });
  return concern;
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { db } = context.get(servicesContext);
  const concern = await loadTracked(db, params.token);
  const lang = getLang(context);
  const url = new URL(request.url);
  const justFiled = url.searchParams.has("new");
  return {
    lang,
    concern: await concernStatusData(db, concern, lang),
    justFiled,
    trackingUrl: justFiled ? `${env().PUBLIC_URL}/${lang}/concerns/track/${params.token}` : null,
    done: url.searchParams.get("done")?.match(/^(reply|reopen|withdraw)$/)?.[0] ?? null,
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { db } = context.get(servicesContext);
  const concern = await loadTracked(db, params.token);
  const lang = getLang(context);
  return handleConcernAction(request, db, context.get(servicesContext).rateLimits, concern, `tracked:${concern.id}`, `/${lang}/concerns/track/${params.token}`);
}

export default function TrackedConcernPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle>{t("concernStatus.title", { ref: loaderData.concern.ref })}</PageTitle>
      <ConcernStatus
        concern={loaderData.concern}
        lang={loaderData.lang}
        justFiled={loaderData.justFiled}
        done={loaderData.done}
        trackingUrl={loaderData.trackingUrl}
        lastResult={actionData?.result}
      />
      <OutcomeAuthorities authorities={loaderData.concern.authorities} />
    </>
  );
}
