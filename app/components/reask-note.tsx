import { Link } from "react-router";
import { useTranslation } from "~/utils/i18n";
import { usePortalHref } from "./portal-link";
import { Time } from "./time";

/** What changed in a choice since the customer chose, as the page's loader formats it. */
export interface Reask {
  changes: { version: number; publishedAt: { iso: string; text: string }; note: string | null; system: { slug: string; name: string } | null; textChanged: boolean }[];
  earlierExplanation: string | null;
}

/**
 * The re-ask of one choice (SPEC §3.2): each newer notice version with its change note and the
 * AI system that caused it, and the text the customer agreed to, so they know what they confirm.
 */
export function ReaskNote({ id, reask, lang }: { id: string; reask: Reask; lang: string }) {
  const { t } = useTranslation();
  const href = usePortalHref();
  return (
    <div id={id} className="choice__change stack-sm">
      <p className="choice__reconfirm">{t("preferences.reconfirmChoice")}</p>
      <p>{t("preferences.whatChanged")}</p>
      <ul>
        {reask.changes.map((change) => (
          <li key={change.version}>
            <Time value={change.publishedAt} />
            {" — "}
            {change.system ? (
              <>
                <Link to={href(`/${lang}/ai-systems/${change.system.slug}`)}>{t("preferences.changeBySystem", { system: change.system.name })}</Link>
                {change.note ? ": " : ". "}
              </>
            ) : null}
            {change.note ? <><q>{change.note}</q>{" "}</> : null}
            {change.textChanged ? t("preferences.textChanged") : t(change.note ? "preferences.textUnchanged" : "preferences.noNote")}
          </li>
        ))}
      </ul>
      {reask.earlierExplanation ? (
        <details>
          <summary>{t("preferences.earlierText")}</summary>
          <p>{reask.earlierExplanation}</p>
        </details>
      ) : null}
    </div>
  );
}
