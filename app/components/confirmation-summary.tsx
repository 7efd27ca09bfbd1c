import { useTranslation } from "~/utils/i18n";
import { isolate } from "~/utils/bidi";

/** The agent's summary as shown: text in `lang`; `fallbackLanguage` names it when not the page's. */
export interface ShownSummary {
  text: string;
  lang: string;
  fallbackLanguage: string | null;
}

/** The visible "shown in <language>" note of a summary not in the page's language (else nothing). */
export function SummaryFallbackNote({ summary }: { summary: ShownSummary }) {
  const { t } = useTranslation();
  if (!summary.fallbackLanguage) return null;
  return <p className="fallback-note">{t("confirmations.shownIn", { language: isolate(summary.fallbackLanguage) })}</p>;
}

/** The agent's text (SPEC §11.1): plain text in its own language and direction, never HTML. */
export function ShownSummaryText({ summary }: { summary: ShownSummary }) {
  return (
    <>
      <p className="user-text" dir="auto" lang={summary.lang}>{summary.text}</p>
      <SummaryFallbackNote summary={summary} />
    </>
  );
}
