import type { AiSystemSummaryView } from "~/components/ai-system-summary";
import type { AiSystemSummary } from "~/domain/ai-register.server";
import type { Choice, CurrentPreference } from "~/domain/preferences.server";
import { dateFor } from "~/utils/format.server";

/** Shapes a register entry for the summary component, with the visitor's own choices when signed in. */
export function toSummaryView(
  system: AiSystemSummary,
  lang: string,
  choices: Choice[],
  preferences: CurrentPreference[] | null,
): AiSystemSummaryView {
  const { slug, provider, riskClass, autonomy, channels, status, contactEmail, textLang } = system;
  return {
    slug,
    provider,
    riskClass,
    autonomy,
    channels,
    status,
    contactEmail,
    textLang,
    lastReviewedAt: dateFor(system.lastReviewedAt, lang, "date"),
    actions: system.actionKeys.map((key) => ({
      key,
      label: choices.find((c) => c.key === key)?.label ?? key,
      value: preferences?.find((p) => p.key === key)?.value ?? null,
    })),
    texts: { name: system.texts.name, shortDescription: system.texts.shortDescription, riskReason: system.texts.riskReason },
    fallback: textLang !== lang,
  };
}
