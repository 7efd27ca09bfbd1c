/**
 * The product's shared vocabulary: codes and limits used by the domain (server) and by forms
 * and pages (client). No logic, no data access.
 */
export const CHOICE_VALUES = {
  action: ["allow", "ask", "never"],
  training: ["yes", "no"],
  human_first: ["yes", "no"],
} as const;
export type ChoiceKind = keyof typeof CHOICE_VALUES;
export const TRAINING_KEY = "training";

export const CONCERN_KINDS = [
  "explanation",
  "human_review",
  "unwanted_action",
  "wrong_information",
  "privacy",
  "unfair_treatment",
  "not_told_ai",
  "other",
] as const;
export type ConcernKind = (typeof CONCERN_KINDS)[number];

const OPEN_CONCERN_STATUSES: readonly string[] = ["new", "in_progress", "waiting_customer", "waiting_third_party", "escalated"];
/** A concern that still awaits work (by staff or by the customer). */
export const isOpen = (status: string) => OPEN_CONCERN_STATUSES.includes(status);

/** Staff passwords (argon2id-hashed). */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export const DESCRIPTION_MIN = 10;
export const DESCRIPTION_MAX = 4000;
export const DESIRED_OUTCOME_MAX = 1000;
export const REPLY_MAX = 4000;

export const RISK_CLASSES = ["minimal", "limited", "high"] as const;
export const AUTONOMY_LEVELS = ["answers", "drafts", "decides", "acts"] as const;
export const CHANNELS = ["chat", "email", "phone", "app", "web", "sms"] as const;
export const AI_ROLES = ["answered", "drafted", "summarised", "routed", "predicted", "acted"] as const;
export type AiRole = (typeof AI_ROLES)[number];

// ── Staff queue codes ──
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
export const BULK_STATUSES = ["in_progress", "waiting_customer", "waiting_third_party", "escalated", "closed"] as const;

export const QUEUE_PAGE_SIZE = 25;
export const QUEUE_SEARCH_MAX = 200;
export const CANNED_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{1,59}$/;
export const CANNED_TITLE_MAX = 120;

/** Scopes an integration API key may hold (SPEC §5). */
export const API_SCOPES = ["links", "customers", "interactions", "decisions", "concerns"] as const;
export type ApiScope = (typeof API_SCOPES)[number];
/** Characters of an API key's name (grapheme clusters). */
export const API_KEY_NAME_MAX = 100;

/** Events a webhook endpoint can subscribe to. */
export const WEBHOOK_EVENTS = ["concern.created", "concern.updated", "preferences.changed"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** Characters of a webhook endpoint's URL. */
export const WEBHOOK_URL_MAX = 2000;

/** States of a notification email in the outbox. */
export const OUTBOX_STATUSES = ["pending", "sent", "failed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Characters of a staff member's display name. */
export const STAFF_NAME_MAX = 100;

/** Query parameter of embed URLs carrying a short-lived session handle when no cookie comes back. */
export const EMBED_HANDLE_PARAM = "h";
