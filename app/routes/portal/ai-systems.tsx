import { useTranslation } from "~/utils/i18n";
import { AiSystemSummary } from "~/components/ai-system-summary";
import { PageHeader } from "~/components/page-header";
import { customerContext, servicesContext } from "~/context";
import { listAiSystems } from "~/domain/ai-register.server";
import { getPreferences, listChoices } from "~/domain/preferences.server";
import { getLang } from "~/middleware/i18n.server";
import type { Route } from "./+types/ai-systems";
import type { ScriptsAfterPaintHandle } from "~/components/page-scripts";
import { toSummaryView } from "./ai-register.server";

// A page to read: it paints before its JavaScript loads.
export const handle: ScriptsAfterPaintHandle = { scriptsAfterPaint: true };

export async function loader({ context }: Route.LoaderArgs) {
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const customer = context.get(customerContext);
  const choices = await listChoices(db, lang);
  const preferences = customer ? await getPreferences(db, customer.id) : null;
  return { lang, signedIn: Boolean(customer), systems: (await listAiSystems(db, lang)).map((s) => toSummaryView(s, lang, choices, preferences)) };
}

export default function AiSystems({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <PageHeader title={t("register.title")} lead={t("register.lead")} />
      {loaderData.systems.length === 0 ? (
        <p>{t("register.empty")}</p>
      ) : (
        <div className="stack">
          {loaderData.systems.map((system) => (
            <AiSystemSummary key={system.slug} system={system} lang={loaderData.lang} signedIn={loaderData.signedIn} />
          ))}
        </div>
      )}
    </div>
  );
}
