/**
 * The product's shared vocabulary: codes and limits used by the domain (server) and by forms
 * and pages (client). No logic, no data access.
 */
export const CHOICE_VALUES = {
  action: ["allow", "ask", "never"],
  training: ["yes", "no"],
  human_first: ["yes", "no"],
  /** "AI may act or share my account details only after it has verified that it is me" (SPEC §11.3). */
  identity: ["yes", "no"],
} as const;
export type ChoiceKind = keyof typeof CHOICE_VALUES;
export const TRAINING_KEY = "training";
/** The choice of kind human_first (SPEC §3.2, §11.3). */
export const HUMAN_FIRST_KEY = "human-first";
/** The choice of kind identity; when missing, its protective value "yes" applies (SPEC §11.3). */
export const IDENTITY_KEY = "identity-verification";

// ── Permission (SPEC §11) ──
/** Pseudo-action of a decision check: an AI answering the customer before a person (SPEC §11.3). */
export const AI_FIRST_CONTACT = "ai_first_contact";
/** The action kind of an AI sharing account details (SPEC §11.3): a choice of kind action. */
export const DISCLOSE_ACCOUNT_INFORMATION = "disclose_account_information";

/**
 * Every reason a decision check may give (SPEC §5.2, §11). `preference_*` / `default_*` name the
 * customer's own value or the shipped default; the limit reasons name the limit that turned an
 * "allowed" into "ask"; `confirmation_*` explain why a presented confirmation was not honoured.
 */
export const DECISION_REASONS = [
  "unknown_customer",
  "unknown_action",
  "unknown_ai_system",
  "action_not_registered",
  "preference_allow",
  "preference_ask",
  "preference_never",
  "default_allow",
  "default_ask",
  "default_never",
  "needs_reconfirmation",
  "human_first",
  "no_human_first",
  "identity_not_verified",
  "quiet_hours",
  "permission_expired",
  "amount_missing",
  "amount_over_limit",
  "currency_mismatch",
  "channel_not_allowed",
  "confirmed_by_customer",
  "confirmation_unknown",
  "confirmation_mismatch",
  "confirmation_pending",
  "confirmation_declined",
  "confirmation_expired",
  "confirmation_used",
] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

/**
 * Limits on an "allowed" action kind (SPEC §11.2), all optional; stored as JSON text with the
 * preference and its consent event. Amounts in hundredths of the currency unit (2000 = 20.00 EUR).
 */
export interface PermissionLimits {
  maxAmount?: { hundredths: number; currency: string };
  /** Channels the AI may use to act or make contact; absent = any. */
  channels?: Channel[];
  /** Local times "HH:MM" in the customer's time zone; `from` > `to` spans midnight (22:00–07:00). */
  quietHours?: { from: string; to: string };
  /** "Allowed" falls back to "ask me first" this many days after it was given. */
  allowedForDays?: number;
}
export const LIMIT_MAX_AMOUNT_HUNDREDTHS = 100_000_000_00;
export const LIMIT_ALLOWED_FOR_DAYS_MAX = 3650;
/** "HH:MM", 00:00–23:59. */
export const LOCAL_TIME_PATTERN = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
/** ISO 4217 alphabetic code. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

/** What an agent says about the action it asks about (POST /decisions `context`, `identity`). */
export interface DecisionContext {
  /** Hundredths of `currency`. */
  amountHundredths?: number;
  currency?: string;
  channel?: string;
  /** When the action would happen (ms); default: now. */
  at?: number;
  identity?: { verified: boolean; method?: string };
}

/** A confirmation request's state (SPEC §11.1); `expired` and `used` are derived. */
export const CONFIRMATION_STATUSES = ["pending", "approved", "declined", "expired", "used"] as const;
export type ConfirmationStatus = (typeof CONFIRMATION_STATUSES)[number];
export const CONFIRMATION_SUMMARY_MAX = 500;
export const CONFIRMATION_MINUTES_DEFAULT = 1440;
export const CONFIRMATION_MINUTES_MAX = 10080;

/** Why an AI action is a permission breach (SPEC §11.5). */
export const BREACH_REASONS = [
  "decision_missing",
  "decision_unknown",
  "decision_not_allow",
  "decision_other_customer",
  "decision_other_action",
  "decision_other_ai_system",
  "decision_too_old",
  "decision_already_used",
] as const;
export type BreachReason = (typeof BREACH_REASONS)[number];
/** A decision older than this (before the action's time) no longer covers it. */
export const DECISION_VALID_FOR_MS = 24 * 60 * 60 * 1000;

/** Characters of a training dataset's name (POST /training-uses). */
export const DATASET_NAME_MAX = 200;
/** Why a training use was refused for one interaction (SPEC §11.4). */
export const TRAINING_REFUSALS = ["unknown_interaction", "not_eligible_at_the_time", "opted_out_since", "customer_erased"] as const;
export type TrainingRefusal = (typeof TRAINING_REFUSALS)[number];

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
export type Channel = (typeof CHANNELS)[number];
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
export const API_SCOPES = ["links", "customers", "interactions", "decisions", "concerns", "training"] as const;
export type ApiScope = (typeof API_SCOPES)[number];
/** Characters of an API key's name (grapheme clusters). */
export const API_KEY_NAME_MAX = 100;

/** Events a webhook endpoint can subscribe to. */
export const WEBHOOK_EVENTS = [
  "concern.created",
  "concern.updated",
  "preferences.changed",
  "confirmation.created",
  "confirmation.answered",
  "breach.detected",
] as const;
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
