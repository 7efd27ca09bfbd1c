/**
 * The queue's codes, shared by the domain (app/domain/concern-workflow.server.ts) and the staff
 * forms (client and server validate with the same Zod schemas). No logic, no data access.
 * (These belong with the other shared codes in app/domain/vocabulary.ts.)
 */
export const CONCERN_STATUSES = [
  "new",
  "in_progress",
  "waiting_customer",
  "waiting_third_party",
  "escalated",
  "resolved",
  "closed",
  "merged",
  "withdrawn",
  "spam",
] as const;
export type ConcernStatus = (typeof CONCERN_STATUSES)[number];

export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const OUTCOME_CODES = ["upheld", "partly_upheld", "not_upheld", "explained", "action_reversed"] as const;
export type OutcomeCode = (typeof OUTCOME_CODES)[number];
export const OUTCOME_REASON_MAX = 4000;

/** Statuses a bulk action may set: the ones that need no outcome, reason or merge target. */
export const BULK_STATUSES = ["in_progress", "waiting_customer", "waiting_third_party", "escalated", "closed", "withdrawn"] as const;

export const QUEUE_PAGE_SIZE = 25;
export const QUEUE_SEARCH_MAX = 200;
export const CANNED_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{1,59}$/;
export const CANNED_TITLE_MAX = 120;
