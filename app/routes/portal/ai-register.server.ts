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
  return {
    slug: system.slug,
    provider: system.provider,
    riskClass: system.riskClass,
    autonomy: system.autonomy,
    channels: system.channels,
    status: system.status,
    contactEmail: system.contactEmail,
    lastReviewedAt: dateFor(system.lastReviewedAt, lang, "date"),
    actions: system.actionKeys.map((key) => ({
      key,
      label: choices.find((c) => c.key === key)?.label ?? key,
      value: preferences?.find((p) => p.key === key)?.value ?? null,
    })),
    texts: { name: system.texts.name, shortDescription: system.texts.shortDescription, riskReason: system.texts.riskReason },
    textLang: system.textLang,
    fallback: system.textLang !== lang,
  };
}
