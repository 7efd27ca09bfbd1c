import { useTranslation } from "~/utils/i18n";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { TRAINING_KEY } from "~/domain/vocabulary";
import type { FormResult } from "~/utils/light-form";
import type { Route } from "./+types/preferences";
import type { ScriptsAfterPaintHandle } from "~/components/page-scripts";
import { ChoiceHistory, ChoicesForm, loadChoiceParts, ReconfirmChoice, useChoicePartsOnDemand } from "./preferences-later";
import { handlePreferencesPost, preferencesPageData } from "./preferences-page.server";

// Its forms post without JavaScript, and their code loads on the first touch (preferences-later.tsx): it paints first.
export const handle: ScriptsAfterPaintHandle = { scriptsAfterPaint: true };

export async function loader(args: Route.LoaderArgs) {
  return preferencesPageData(args);
}

/** A client-side navigation to the page, or new data after a post: the code of its later parts (preferences-later.tsx) loads beside the data. */
export async function clientLoader({ serverLoader }: Route.ClientLoaderArgs) {
  const [data] = await Promise.all([serverLoader(), loadChoiceParts()]);
  return data;
}

/** The main form saves what changed; a choice awaiting reconfirmation is confirmed in its own form. */
export async function action(args: Route.ActionArgs) {
  return handlePreferencesPost(args);
}

export default function Preferences({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { choices, history, historyTotal, lang, saved, confirmed, gpc, options, timeZone, timeZoneLabel, currencies } = loaderData;
  useChoicePartsOnDemand();
  const confirmResult = (actionData?.confirm ?? null) as (FormResult & { initialValue?: { choice?: unknown } | null }) | null;
  const pending = choices.filter((c) => c.needsReconfirmation);
  const training = choices.find((c) => c.key === TRAINING_KEY);
  const gpcApplied = gpc && training?.gpcApplied;
  // The customer chose the training value themselves: the signal was received but does not decide.
  const gpcOverridden = gpc && training !== undefined && !training.isDefault && !training.gpcApplied;
  const confirmErrorsFor = (key: string) =>
    confirmResult?.initialValue?.choice === key ? Object.values(confirmResult.error ?? {}).flatMap((m) => m ?? []) : undefined;
  return (
    <div className="stack-lg">
      <PageHeader title={t("preferences.title")} lead={t("preferences.lead")} />

      {saved !== null ? (
        <div id="saved">
          <Notice tone="success" title={t(confirmed ? "preferences.confirm.doneTitle" : "preferences.savedTitle")}>
            <p>
              {confirmed
                ? t("preferences.confirm.doneBody", { choice: confirmed.label })
                : saved > 0
                  ? t("preferences.savedBody", { count: saved })
                  : t("preferences.savedNothing")}
            </p>
          </Notice>
        </div>
      ) : null}
      {gpcApplied ? (
        <Notice tone="info" title={t("preferences.gpcTitle")}>
          <p>{t("preferences.gpcBody")}</p>
        </Notice>
      ) : gpcOverridden ? (
        <Notice tone="info" title={t("preferences.gpcOverriddenTitle")}>
          <p>{t("preferences.gpcOverriddenBody")}</p>
        </Notice>
      ) : null}
      {pending.length > 0 ? (
        <section className="card stack" aria-labelledby="reconfirm-title">
          <h2 id="reconfirm-title">{t("preferences.reconfirmTitle")}</h2>
          <p>{t("preferences.reconfirmBody", { count: pending.length })}</p>
          {pending.map((choice) => (
            <ReconfirmChoice key={choice.key} choice={choice} lang={lang} errors={confirmErrorsFor(choice.key)} />
          ))}
        </section>
      ) : null}
      <ChoicesForm
        choices={choices}
        lang={lang}
        options={options}
        result={(actionData?.result ?? null) as FormResult | null}
        currencies={currencies}
        timeZone={timeZone}
        timeZoneLabel={timeZoneLabel}
        pendingCount={pending.length}
      />

      <ChoiceHistory lang={lang} history={history} total={historyTotal} />
    </div>
  );
}
