import type { AiSystemSummaryView } from "~/components/ai-system-summary";
import type { RegisterDataView } from "~/components/register-data";
import type { AiSystemSummary, getAiSystem } from "~/domain/ai-register.server";
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

/** Country names in the page's language (CLDR through Intl), the code itself when unknown. */
function countryName(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: "region", fallback: "code" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Shapes a system's data sharing and fairness (SPEC §12) for the details layer: country names, the test's day. */
export function toDataView(system: NonNullable<Awaited<ReturnType<typeof getAiSystem>>>, lang: string): RegisterDataView {
  const { data, texts } = system;
  return {
    recipients: data.recipients.map((r) => ({ ...r, countryName: countryName(r.country, lang) })),
    providerDataUse: data.providerDataUse,
    providerUseClause: texts.providerUseClause,
    usesProtectedCharacteristics: data.usesProtectedCharacteristics,
    protectedCharacteristicsNote: texts.protectedCharacteristicsNote,
    // The test's day is stored as midnight UTC: shown in UTC so it is the same day everywhere.
    lastTest:
      data.fairnessTestedAt === null
        ? null
        : { date: dateFor(data.fairnessTestedAt, lang, "date", "UTC"), method: texts.fairnessTestMethod, result: texts.fairnessTestResult },
  };
}
