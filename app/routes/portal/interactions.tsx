import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { z } from "zod";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { Time } from "~/components/time";
import { gpcContext, servicesContext } from "~/context";
import { listInteractions, pageOfInteraction } from "~/domain/interactions.server";
import { getPreferences, listChoices } from "~/domain/preferences.server";
import { TRAINING_KEY } from "~/domain/vocabulary";
import { requireCustomer } from "~/middleware/customer.server";
import { getLang } from "~/middleware/i18n.server";
import { dateFor } from "~/utils/format.server";
import type { Route } from "./+types/interactions";
import { isolate } from "~/utils/bidi";
import { usePortalHref } from "~/components/portal-link";

const QuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  focus: z.string().max(200).optional().catch(undefined),
});

export async function loader({ request, context }: Route.LoaderArgs) {
  const customer = requireCustomer(context);
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const query = QuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = query.page ?? (query.focus ? await pageOfInteraction(db, customer.id, query.focus) : null) ?? 1;
  const timeline = await listInteractions(db, customer.id, lang, page);
  const actionLabels = Object.fromEntries((await listChoices(db, lang)).map((c) => [c.key, c.label]));
  // Eligibility is stored as it was at each interaction's time (SPEC §11.4); today's choice only
  // tells whether an eligible one may still be used from now on.
  const trainingAllowedNow =
    (await getPreferences(db, customer.id, { gpc: context.get(gpcContext) })).find((p) => p.key === TRAINING_KEY)?.value === "yes";
  return {
    lang,
    focus: query.focus ?? null,
    page: timeline.page,
    pageCount: timeline.pageCount,
    items: timeline.items.map((i) => ({
      ...i,
      occurredAt: dateFor(i.occurredAt, lang),
      decisions: i.decisions.map((d) => ({
        ...d,
        actionLabel: actionLabels[d.actionKey] ?? d.actionKey,
        createdAt: dateFor(d.createdAt, lang),
      })),
      ai: i.ai.map((a) => ({
        ...a,
        trainingStoppedSince: a.trainingEligible && !trainingAllowedNow,
        actionLabel: a.actionKey ? (actionLabels[a.actionKey] ?? a.actionKey) : null,
      })),
    })),
  };
}

export default function Interactions({ loaderData }: Route.ComponentProps) {
  const href = usePortalHref();
  const { t } = useTranslation();
  const { items, lang, page, pageCount, focus } = loaderData;
  return (
    <div className="stack-lg">
      <PageHeader title={t("interactions.title")} lead={t("interactions.lead")} />
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
              {item.ai.length === 0 ? (
                <p>{t("interactions.noAi")}</p>
              ) : (
                <ul className="stack ai-involvement">
                  {item.ai.map((a, index) => (
                    <li key={index}>
                      <p>
                        <Link to={href(`/${lang}/ai-systems/${a.systemSlug}`)}>{a.systemName}</Link>{" "}
                        <span className="pill">{t(`aiRoles.${a.role}`)}</span>
                      </p>
                      {a.actionLabel ? (
                        <p>{t("interactions.action", { action: a.actionLabel, detail: isolate(a.actionDetail ?? "") })}</p>
                      ) : null}
                      <ul className="tags">
                        <li className={a.humanReviewed ? "tag tag--yes" : "tag"}>
                          {a.humanReviewed ? t("interactions.humanReviewed") : t("interactions.noHumanReview")}
                        </li>
                        <li className={a.trainingEligible ? "tag" : "tag tag--yes"}>
                          {a.trainingEligible ? t("interactions.trainingEligible") : t("interactions.notTrainingEligible")}
                        </li>
                        {a.trainingStoppedSince ? <li className="tag tag--yes">{t("interactions.trainingStoppedSince")}</li> : null}
                      </ul>
                    </li>
                  ))}
                </ul>
              )}
              {item.decisions.length > 0 ? (
                <div className="stack-sm">
                  <h3>{t("interactions.checksTitle")}</h3>
                  <ul className="plain-list">
                    {item.decisions.map((d) => (
                      <li key={d.id}>
                        <span className={`pill pill--decision-${d.decision}`}>{t(`decisions.${d.decision}`)}</span>{" "}
                        {t("interactions.check", { action: d.actionLabel })} · <Time value={d.createdAt} />
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
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
