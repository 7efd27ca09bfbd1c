/**
 * The limit fields of one action kind in the "My choices" form (SPEC §11.2), by name: all the page's
 * first JavaScript needs of preferences-fields.ts (whose parsing loads with the validator).
 */
export const LIMIT_FIELDS = ["amount", "currency", "channels", "quietFrom", "quietTo", "days"] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];
/** A choice's limits as the form shows them (strings, as typed). */
export type LimitsFormValues = { amount: string; currency: string; channels: string[]; quietFrom: string; quietTo: string; days: string };
