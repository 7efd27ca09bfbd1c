import type { LimitsSummary } from "~/components/choice-limits";
import type { PermissionLimits } from "~/domain/vocabulary";
import { formatMoney } from "~/utils/format.server";

/**
 * A choice's limits (SPEC §11.2) as pages show them in words (`limitsInWords`): the maximum amount
 * formatted as `lang` writes money, the rest as stored; null when none are set. Used by My choices,
 * the overview and the staff case's panel of the customer's choices.
 */
export function limitsSummary(limits: PermissionLimits | null, lang: string): LimitsSummary | null {
  if (!limits) return null;
  return {
    maxAmount: limits.maxAmount ? formatMoney(limits.maxAmount.hundredths, limits.maxAmount.currency, lang) : null,
    channels: limits.channels ?? [],
    quietHours: limits.quietHours ?? null,
    allowedForDays: limits.allowedForDays ?? null,
  };
}
