/**
 * A date as `formatter` writes it, with the typography of `lang` that Intl leaves out: in French
 * the first day of a month is written "1er" (premier): "1er déc. 2026", "1er décembre 2026 à 09:00";
 * every other day, and numeric dates ("01/12/2026"), stay as Intl writes them. `ms`: ms since epoch.
 */
export function formatWithTypography(formatter: Intl.DateTimeFormat, ms: number, lang: string): string {
  if (lang !== "fr" && !lang.startsWith("fr-")) return formatter.format(ms);
  return formatter
    .formatToParts(ms)
    .map((part) => (part.type === "day" && part.value === "1" ? "1er" : part.value))
    .join("");
}
