import { useTranslation } from "~/utils/i18n";
import { Link } from "react-router";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { usePortalHref } from "~/components/portal-link";
import { Time } from "~/components/time";
import { TimelineEvent } from "~/components/timeline-event";
import { gpcContext, servicesContext } from "~/context";
import { pageOfInteraction } from "~/domain/interactions.server";
import { requireCustomer } from "~/middleware/customer.server";
import { getLang } from "~/middleware/i18n.server";
import { isolate } from "~/utils/bidi";
import type { Route } from "./+types/interactions";
import { handleContest, QuerySchema, timelinePageData } from "./timeline.server";

export async function loader({ request, context }: Route.LoaderArgs) {
  const customer = requireCustomer(context);
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const query = QuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = query.page ?? (query.focus ? await pageOfInteraction(db, customer.id, query.focus) : null) ?? 1;
  return {
    lang,
    focus: query.focus ?? null,
    ...(await timelinePageData(db, customer, lang, query, { gpc: context.get(gpcContext), page })),
  };
}

/** "Contest this action" (SPEC §11.5); the embed page reuses it. */
export async function action({ request, context }: Route.ActionArgs) {
  const customer = requireCustomer(context);
  const { db } = context.get(servicesContext);
  return handleContest(request, db, customer, getLang(context));
}

export default function Interactions({ loaderData }: Route.ComponentProps) {
  const href = usePortalHref();
  const { t } = useTranslation();
  const { items, lang, page, pageCount, focus, contested } = loaderData;
  return (
    <div className="stack-lg">
      <PageHeader title={t("interactions.title")} lead={t("interactions.lead")} />
      {contested ? (
        <div id="contested">
          <Notice tone="success" title={contested.already ? t("breaches.alreadyTitle") : t("breaches.filedTitle")}>
            <p>{contested.already ? t("breaches.alreadyBody", { ref: isolate(contested.ref) }) : t("breaches.filedBody", { ref: isolate(contested.ref) })}</p>
            <p>
              <Link to={href(`/${lang}/me/concerns/${contested.ref}`)}>{t("breaches.openConcern", { ref: isolate(contested.ref) })}</Link>
            </p>
          </Notice>
        </div>
      ) : null}
      {items.length === 0 ? (
        <p className="card">{t("interactions.empty")}</p>
      ) : (
        <ol className="stack interaction-list">
          {items.map((item) => (
            <li
              key={item.id}
              id={`interaction-${item.ref}`}
              className={`card stack interaction${item.ref === focus ? " interaction--focus" : ""}`}
              tabIndex={-1}
            >
              <div className="card__head">
                <h2 dir="auto">{item.subject}</h2>
              </div>
              <p className="muted">
                {t(`channels.${item.channel}`)} · <Time value={item.occurredAt} /> · {t("interactions.reference", { ref: isolate(item.ref) })}
              </p>
              {item.hasAi ? null : <p>{t("interactions.noAi")}</p>}
              {item.events.length > 0 ? (
                <div className="stack-sm">
                  <h3>{t("interactions.whatHappened")}</h3>
                  <ol className="timeline">
                    {item.events.map((event) => (
                      <li key={event.key}>
                        <TimelineEvent event={event} lang={lang} interactionRef={item.ref} href={href} />
                      </li>
                    ))}
                  </ol>
                </div>
              ) : null}
              {item.usedForTrainingButStopped ? <p>{t("trainingUses.cannotUndo")}</p> : null}
              <p>
                <Link to={href(`/${lang}/me/concerns/new?interaction=${encodeURIComponent(item.ref)}`)}>
                  {t("interactions.raiseConcern")}
                </Link>
              </p>
            </li>
          ))}
        </ol>
      )}
      <Pagination page={page} pageCount={pageCount} hrefFor={(target) => href(`/${lang}/me/interactions?page=${target}`)} />
    </div>
  );
}
