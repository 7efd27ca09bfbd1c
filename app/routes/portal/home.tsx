import { useTranslation } from "~/utils/i18n";
import { Link } from "react-router";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { Time } from "~/components/time";
import { customerContext, gpcContext, servicesContext } from "~/context";
import { countAiSystems } from "~/domain/ai-register.server";
import { listConcernsForCustomer, isOpen } from "~/domain/concerns/index.server";
import { recentAiInteractions } from "~/domain/interactions.server";
import { getPreferences, listChoices } from "~/domain/preferences.server";
import { getLang } from "~/middleware/i18n.server";
import { dateFor, formatNumber } from "~/utils/format.server";
import { limitsInWords } from "~/components/limits-in-words";
import { limitsSummary } from "./limits-summary.server";
import type { Route } from "./+types/home";
import type { ScriptsAfterPaintHandle } from "~/components/page-scripts";
import { usePortalHref } from "~/components/portal-link";
import { ConfirmationsWaiting } from "~/components/confirmation-waiting";
import { pendingConfirmationItems } from "./confirmation.server";

// A page to read: it paints before its JavaScript loads.
export const handle: ScriptsAfterPaintHandle = { scriptsAfterPaint: true };

export async function loader({ request, context }: Route.LoaderArgs) {
  const { db } = context.get(servicesContext);
  const signedOut = new URL(request.url).searchParams.has("signedOut");
  const lang = getLang(context);
  const customer = context.get(customerContext);
  const count = await countAiSystems(db);
  const systemCount = { count, text: formatNumber(count, lang) };
  if (!customer) return { lang, systemCount, signedOut, summary: null };
  const choices = await listChoices(db, lang);
  const preferences = await getPreferences(db, customer.id, { gpc: context.get(gpcContext) });
  const recent = await recentAiInteractions(db, customer.id, lang, 3);
  const openConcerns = (await listConcernsForCustomer(db, customer.id)).filter((c) => isOpen(c.status));
  return {
    lang,
    systemCount,
    signedOut: false,
    summary: {
      // "Waiting for your answer" (SPEC §11.1): the AI's requests the customer has not answered yet.
      waiting: await pendingConfirmationItems(db, customer, lang),
      choices: choices.map((c) => {
        const p = preferences.find((x) => x.key === c.key)!;
        return { key: c.key, label: c.label, value: p.value, needsReconfirmation: p.needsReconfirmation, limits: limitsSummary(p.limits, lang) };
      }),
      recent: recent.map((i) => ({
        ref: i.ref,
        subject: i.subject,
        occurredAt: dateFor(i.occurredAt, lang, "date"),
        systems: i.systemNames,
      })),
      openConcerns: openConcerns.map((c) => ({ ref: c.ref, kind: c.kind, status: c.customerStatus, createdAt: dateFor(c.createdAt, lang, "date") })),
    },
  };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const href = usePortalHref();
  const { t } = useTranslation();
  const { lang, summary, systemCount, signedOut } = loaderData;
  return (
    <div className="stack-lg">
      {signedOut ? <Notice tone="success" title={t("home.signedOut")} /> : null}
      <PageHeader title={t("home.title")} lead={t("home.lead")} />

      {summary ? (
        <>
          <ConfirmationsWaiting items={summary.waiting} lang={lang} />
          <section className="card stack" aria-labelledby="home-choices">
            <h2 id="home-choices">{t("home.yourChoices")}</h2>
            {summary.choices.some((c) => c.needsReconfirmation) ? (
              <div className="notice notice--warning stack-sm">
                <p>{t("home.reconfirm", { count: summary.choices.filter((c) => c.needsReconfirmation).length })}</p>
                <ul>
                  {summary.choices
                    .filter((c) => c.needsReconfirmation)
                    .map((c) => (
                      <li key={c.key}>
                        <Link to={href(`/${lang}/me/preferences#choice-${c.key}`)}>{c.label}</Link>
                      </li>
                    ))}
                </ul>
              </div>
            ) : null}
            <dl className="summary-list">
              {summary.choices.map((c) => (
                <div key={c.key}>
                  <dt>{c.label}</dt>
                  <dd>
                    <span className={`pill pill--${c.value}`}>{t(`choiceValues.${c.value}`)}</span>
                    {c.needsReconfirmation ? <> <span className="muted">{t("home.needsConfirming")}</span></> : null}
                    {c.limits ? <> <span className="muted">{limitsInWords(c.limits, t).join(" · ")}</span></> : null}
                  </dd>
                </div>
              ))}
            </dl>
            <p><Link className="button" to={href(`/${lang}/me/preferences`)}>{t("home.changeChoices")}</Link></p>
          </section>

          <section className="card stack" aria-labelledby="home-recent">
            <h2 id="home-recent">{t("home.recent")}</h2>
            {summary.recent.length === 0 ? (
              <p>{t("home.noRecent")}</p>
            ) : (
              <ul className="plain-list">
                {summary.recent.map((i) => (
                  <li key={i.ref}>
                    <Link to={href(`/${lang}/me/interactions#interaction-${i.ref}`)}><bdi>{i.subject}</bdi></Link>{" "}
                    <span className="muted">
                      <Time value={i.occurredAt} /> · {i.systems.join(", ")}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            <p><Link to={href(`/${lang}/me/interactions`)}>{t("home.allInteractions")}</Link></p>
          </section>

          <section className="card stack" aria-labelledby="home-concerns">
            <h2 id="home-concerns">{t("home.openConcerns")}</h2>
            {summary.openConcerns.length === 0 ? (
              <p>{t("home.noOpenConcerns")}</p>
            ) : (
              <ul className="plain-list">
                {summary.openConcerns.map((c) => (
                  <li key={c.ref}>
                    <Link to={href(`/${lang}/me/concerns/${c.ref}`)}>{c.ref}</Link>{" "}
                    <span className="muted">{t(`concernKinds.${c.kind}`)} · <Time value={c.createdAt} /></span>{" "}
                    <span className={`status status--${c.status}`}>{t(`customerStatus.${c.status}`)}</span>
                  </li>
                ))}
              </ul>
            )}
            <p><Link className="button button--secondary" to={href(`/${lang}/me/concerns/new`)}>{t("home.raiseConcern")}</Link></p>
          </section>
        </>
      ) : (
        <div className="grid-3">
          <section className="card stack" aria-labelledby="home-see">
            <h2 id="home-see">{t("home.seeTitle")}</h2>
            <p>{t("home.seeBody", { count: systemCount.count, formatted: systemCount.text })}</p>
            <p><Link to={href(`/${lang}/ai-systems`)}>{t("home.seeLink")}</Link></p>
          </section>
          <section className="card stack" aria-labelledby="home-choose">
            <h2 id="home-choose">{t("home.chooseTitle")}</h2>
            <p>{t("home.chooseBody")}</p>
          </section>
          <section className="card stack" aria-labelledby="home-concern">
            <h2 id="home-concern">{t("home.concernTitle")}</h2>
            <p>{t("home.concernBody")}</p>
            <p><Link to={href(`/${lang}/me/concerns/new`)}>{t("home.raiseConcern")}</Link></p>
          </section>
        </div>
      )}
    </div>
  );
}
