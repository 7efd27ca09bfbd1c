import type { useTranslation } from "~/utils/i18n";

/** A choice's limits in words, formatted on the server (amount in the page's language). */
export interface LimitsSummary {
  maxAmount: string | null;
  channels: string[];
  quietHours: { from: string; to: string } | null;
  allowedForDays: number | null;
}

/** Short phrases for the limits that are set ("up to €50.00", "quiet 22:00–07:00"). */
export function limitsInWords(summary: LimitsSummary, t: ReturnType<typeof useTranslation>["t"]): string[] {
  const parts: string[] = [];
  if (summary.maxAmount) parts.push(t("preferences.limits.inWords.maxAmount", { amount: summary.maxAmount }));
  if (summary.channels.length) parts.push(t("preferences.limits.inWords.channels", { channels: summary.channels.map((c) => t(`channels.${c}`)).join(", ") }));
  if (summary.quietHours) parts.push(t("preferences.limits.inWords.quietHours", summary.quietHours));
  if (summary.allowedForDays) parts.push(t("preferences.limits.inWords.allowedFor", { count: summary.allowedForDays }));
  return parts;
}
