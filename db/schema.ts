/**
 * Candor's data model. Timestamps are integer milliseconds since the epoch (UTC).
 * Append-only tables (consent_events, decisions, link_redemptions, concern_messages,
 * concern_events) are never updated or deleted by the application.
 */
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "number" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

// ── Customers ──────────────────────────────────────────────────────────────
export const customers = sqliteTable("customers", {
  /** The company's own customer id (e.g. CRM id); opaque to Candor. */
  id: text("id").primaryKey(),
  email: text("email"),
  locale: text("locale").notNull().default("en"),
  /** Bumped on every preference change; returned to agents with each decision. */
  preferenceVersion: integer("preference_version").notNull().default(0),
  createdAt: createdAt(),
  updatedAt: integer("updated_at").notNull(),
  /** IANA time zone (e.g. "Europe/Paris") for quiet hours; null → the company's (DISPLAY_TIME_ZONE). */
  timeZone: text("time_zone"),
  /** GDPR erasure leaves the row as a tombstone without personal data. */
  erasedAt: integer("erased_at"),
});

// ── AI register ────────────────────────────────────────────────────────────
export const aiSystems = sqliteTable("ai_systems", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  provider: text("provider").notNull(),
  /** minimal | limited | high — the AI Act risk tier as the company assessed it. */
  riskClass: text("risk_class").notNull(),
  /** answers | drafts | decides | acts */
  autonomy: text("autonomy").notNull(),
  /** JSON array of channel codes: chat, email, phone, app, web, sms. */
  channels: text("channels", { mode: "json" }).$type<string[]>().notNull(),
  /** active | paused | retired */
  status: text("status").notNull().default("active"),
  contactEmail: text("contact_email").notNull(),
  lastReviewedAt: integer("last_reviewed_at").notNull(),
  currentVersion: integer("current_version").notNull().default(1),
  /** Calendar months between audits (SPEC §12); the next is due this long after the last one. */
  auditIntervalMonths: integer("audit_interval_months").notNull().default(12),
  createdAt: createdAt(),
  updatedAt: integer("updated_at").notNull(),
  /**
   * Who receives the data (SPEC §12): JSON array of {name, role: provider | sub_processor,
   * country (ISO 3166-1 alpha-2), safeguard: eu_eea | adequacy | sccs}; [] for an in-house system.
   */
  dataRecipients: text("data_recipients", { mode: "json" }).$type<unknown[]>().notNull().default(sql`'[]'`),
  /** May the provider use the data for itself or to train its own models: no | yes | contractually_excluded. */
  providerDataUse: text("provider_data_use").notNull().default("no"),
  /** Whether protected characteristics (or proxies for them) are used. */
  usesProtectedCharacteristics: integer("uses_protected_characteristics", { mode: "boolean" }).notNull().default(false),
  /** The last bias and accuracy test (midnight UTC of its day, ms), or null when none is recorded. */
  fairnessTestedAt: integer("fairness_tested_at"),
});

/** Per-language texts of an AI system; a missing language falls back to English, visibly. */
export const aiSystemTexts = sqliteTable(
  "ai_system_texts",
  {
    systemId: integer("system_id")
      .notNull()
      .references(() => aiSystems.id, { onDelete: "cascade" }),
    lang: text("lang").notNull(),
    name: text("name").notNull(),
    shortDescription: text("short_description").notNull(),
    riskReason: text("risk_reason").notNull(),
    purpose: text("purpose").notNull(),
    notFor: text("not_for").notNull(),
    howItWorks: text("how_it_works").notNull(),
    limitations: text("limitations").notNull(),
    dataOperating: text("data_operating").notNull(),
    dataTraining: text("data_training").notNull(),
    legalBasis: text("legal_basis").notNull(),
    oversight: text("oversight").notNull(),
    risks: text("risks").notNull(),
    impactAssessment: text("impact_assessment").notNull(),
    retention: text("retention").notNull(),
    /** Data and fairness in plain words (SPEC §12); "" until written. */
    providerUseClause: text("provider_use_clause").notNull().default(""),
    protectedCharacteristicsNote: text("protected_characteristics_note").notNull().default(""),
    fairnessTestMethod: text("fairness_test_method").notNull().default(""),
    fairnessTestResult: text("fairness_test_result").notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.systemId, t.lang] })],
);

export const aiSystemVersions = sqliteTable(
  "ai_system_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    systemId: integer("system_id")
      .notNull()
      .references(() => aiSystems.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** Change note per language: {"en": "...", "fr": "..."}. */
    changeNote: text("change_note", { mode: "json" }).$type<Record<string, string>>().notNull(),
    /** A material change re-asks the choices that depend on this system. */
    material: integer("material", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("ai_system_versions_system_version").on(t.systemId, t.version)],
);

// ── Choices (what a customer can allow or refuse) ──────────────────────────
/**
 * kind "action": values allow | ask | never (per proactive action kind)
 * kind "training" and "human_first": values yes | no
 */
export const choiceDefinitions = sqliteTable("choice_definitions", {
  key: text("key").primaryKey(),
  kind: text("kind").notNull(),
  defaultValue: text("default_value").notNull(),
  /** Bumped when the company changes what the choice means; older consents are re-asked. */
  noticeVersion: integer("notice_version").notNull().default(1),
  position: integer("position").notNull().default(0),
  /**
   * Kind "action": its actions can involve an amount of money (a plan change, an order), so a
   * maximum amount is a limit that means something (SPEC §11.2). False for kinds that never do
   * (a disclosure, a contact); true by default, so a new kind never hides a limit that may matter.
   */
  involvesAmount: integer("involves_amount", { mode: "boolean" }).notNull().default(true),
  createdAt: createdAt(),
});

/** The notice text shown for a choice, per version and language. */
export const choiceNotices = sqliteTable(
  "choice_notices",
  {
    choiceKey: text("choice_key")
      .notNull()
      .references(() => choiceDefinitions.key, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    lang: text("lang").notNull(),
    label: text("label").notNull(),
    explanation: text("explanation").notNull(),
    /** What changed with this version, shown with the re-ask (e.g. the register change note). */
    changeNote: text("change_note"),
    /** The AI system whose material change published this version, if any (ai_systems.id). */
    causeSystemId: integer("cause_system_id"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.choiceKey, t.version, t.lang] })],
);

/** Which action kinds an AI system can perform (the register's "actions it can take"). */
export const aiSystemActions = sqliteTable(
  "ai_system_actions",
  {
    systemId: integer("system_id")
      .notNull()
      .references(() => aiSystems.id, { onDelete: "cascade" }),
    choiceKey: text("choice_key")
      .notNull()
      .references(() => choiceDefinitions.key),
  },
  (t) => [primaryKey({ columns: [t.systemId, t.choiceKey] })],
);

/** The customer's current value per choice (absent row → the definition's default). */
export const preferences = sqliteTable(
  "preferences",
  {
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    choiceKey: text("choice_key")
      .notNull()
      .references(() => choiceDefinitions.key),
    value: text("value").notNull(),
    noticeVersion: integer("notice_version").notNull(),
    /** portal | embed | api | gpc */
    method: text("method").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** Limits on an "allowed" action kind (SPEC §11.2): PermissionLimits as JSON text, or null (none). */
    limits: text("limits"),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.choiceKey] })],
);

/** Append-only consent record, shaped after ISO/IEC TS 27560 / the Kantara Consent Receipt. */
export const consentEvents = sqliteTable(
  "consent_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    receiptId: text("receipt_id").notNull().unique(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    choiceKey: text("choice_key").notNull(),
    value: text("value").notNull(),
    previousValue: text("previous_value"),
    noticeVersion: integer("notice_version").notNull(),
    lang: text("lang").notNull(),
    method: text("method").notNull(),
    /** The limits given with this value (PermissionLimits as JSON text), or null. */
    limits: text("limits"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("consent_events_customer").on(t.customerId, t.createdAt)],
);

// ── Interactions and AI involvement ────────────────────────────────────────
export const interactions = sqliteTable(
  "interactions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    /** The integrating system that reported it (e.g. "crm", "contact-center"). */
    source: text("source").notNull(),
    /** The customer-visible reference, unique per source. */
    ref: text("ref").notNull(),
    /** chat | email | phone | app | web | sms */
    channel: text("channel").notNull(),
    subject: text("subject").notNull(),
    occurredAt: integer("occurred_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("interactions_source_ref").on(t.source, t.ref),
    index("interactions_customer_time").on(t.customerId, t.occurredAt),
  ],
);

export const interactionAi = sqliteTable(
  "interaction_ai",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    interactionId: integer("interaction_id")
      .notNull()
      .references(() => interactions.id, { onDelete: "cascade" }),
    systemId: integer("system_id")
      .notNull()
      .references(() => aiSystems.id),
    /** answered | drafted | summarised | routed | predicted | acted */
    role: text("role").notNull(),
    /** The action kind (a choice key) when the AI acted on the account. */
    actionKey: text("action_key"),
    actionDetail: text("action_detail"),
    humanReviewed: integer("human_reviewed", { mode: "boolean" }).notNull(),
    /**
     * Eligible for training at the time of the interaction (SPEC §11.4): the reporting system's
     * flag AND the customer's training choice then. Stored once; a later opt-out never rewrites it.
     */
    trainingEligible: integer("training_eligible", { mode: "boolean" }).notNull(),
    /** The flag as the reporting system sent it (before the customer's choice was applied). */
    /** The decision check that allowed this action (role "acted"), as the agent named it (SPEC §11.5). */
    decisionId: text("decision_id"),
    trainingReported: integer("training_reported", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("interaction_ai_interaction").on(t.interactionId), index("interaction_ai_decision").on(t.decisionId)],
);

/** Append-only: every answer to an agent's "may I?" check. */
export const decisions = sqliteTable(
  "decisions",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull(),
    actionKey: text("action_key").notNull(),
    aiSystemSlug: text("ai_system_slug").notNull(),
    interactionId: integer("interaction_id"),
    /** allow | ask | deny */
    decision: text("decision").notNull(),
    /** A reason code: preference_allow, preference_ask, preference_never, unknown_customer, … */
    reason: text("reason").notNull(),
    preferenceVersion: integer("preference_version").notNull(),
    /** The confirmation the agent presented (SPEC §11.1), if any. */
    confirmationId: text("confirmation_id"),
    /** What the agent said it would do (DecisionContext as JSON text: amount, currency, channel, at, identity), or null. */
    context: text("context"),
    /** For reason quiet_hours: when the agent may try again (ms). */
    retryAfter: integer("retry_after"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("decisions_customer").on(t.customerId, t.createdAt),
    index("decisions_interaction").on(t.interactionId),
    // Monitoring folds decisions in by (created_at, id) after the fact (app/domain/monitoring.server.ts).
    index("decisions_created").on(t.createdAt, t.id),
    // An approval is single-use: at most one decision may spend it.
    uniqueIndex("decisions_confirmation_use").on(t.confirmationId).where(sql`reason = 'confirmed_by_customer'`),
  ],
);

// ── Personal links and customer sessions ───────────────────────────────────
export const linkTokens = sqliteTable(
  "link_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tokenHash: text("token_hash").notNull().unique(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    lang: text("lang"),
    interactionRef: text("interaction_ref"),
    /** Opens on this concern's status page (links in notification emails). */
    concernRef: text("concern_ref"),
    /** Opens on this confirmation request (the "ask me first" email). */
    confirmationId: text("confirmation_id"),
    /** cli | api | staff | seed | email */
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("link_tokens_customer").on(t.customerId)],
);

export const linkRedemptions = sqliteTable("link_redemptions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  linkId: integer("link_id")
    .notNull()
    .references(() => linkTokens.id, { onDelete: "cascade" }),
  createdAt: integer("created_at").notNull(),
});

export const customerSessions = sqliteTable(
  "customer_sessions",
  {
    /** SHA-256 of the session token held in the cookie. */
    idHash: text("id_hash").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    linkId: integer("link_id").references(() => linkTokens.id, { onDelete: "set null" }),
    /** Slug of the embed site that started it: valid only under /embed/<slug>/; null = the portal's. */
    embedSite: text("embed_site"),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("customer_sessions_customer").on(t.customerId)],
);

// ── Concerns ───────────────────────────────────────────────────────────────
/**
 * The statuses of an open concern (vocabulary.ts isOpen), as the queue's partial indexes state
 * them; queue.server.ts OPEN_SQL writes the same list in the same order (a planner uses a partial
 * index only when the query repeats its predicate; test/integration/query-plans.test.ts checks it).
 */
export const OPEN_CONCERN_PREDICATE = sql.raw(`"status" in ('new', 'in_progress', 'waiting_customer', 'waiting_third_party', 'escalated')`);

/** The other statuses (resolved, closed, merged, withdrawn, spam), as concerns_finished_due states them. */
export const FINISHED_CONCERN_PREDICATE = sql.raw(`"status" not in ('new', 'in_progress', 'waiting_customer', 'waiting_third_party', 'escalated')`);

export const concerns = sqliteTable(
  "concerns",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** C-XXXX-XXXX, Crockford base32. */
    ref: text("ref").notNull().unique(),
    customerId: text("customer_id").references(() => customers.id, { onDelete: "set null" }),
    /** Anonymous filers follow their concern through a private link (hash stored). */
    trackingTokenHash: text("tracking_token_hash").unique(),
    contactEmail: text("contact_email"),
    /** email | portal */
    contactMethod: text("contact_method").notNull(),
    lang: text("lang").notNull(),
    kind: text("kind").notNull(),
    interactionId: integer("interaction_id").references(() => interactions.id, {
      onDelete: "set null",
    }),
    systemId: integer("system_id").references(() => aiSystems.id, { onDelete: "set null" }),
    description: text("description").notNull(),
    desiredOutcome: text("desired_outcome").notNull(),
    /**
     * customer (filed by a customer or visitor) | breach (opened by Candor for a permission breach;
     * staff only) | employee (an employee's report, SPEC §12: from the console or /:lang/report)
     */
    origin: text("origin").notNull().default("customer"),
    /** An employee report filed from the console: the reporting staff account (shown only with `reporters.view`). */
    reporterStaffId: integer("reporter_staff_id"),
    /** An employee report from the public form: the name the reporter chose to give, if any (shown only with `reporters.view`). */
    reporterName: text("reporter_name"),
    /**
     * The searched text (reference, description, desired outcome) folded by `searchKey`: case,
     * accents and compatibility forms removed, so `überweisung` finds "Überweisung" on SQLite and
     * PostgreSQL alike. Written with the texts (fileConcern, erasure); NULL until backfilled.
     */
    searchText: text("search_text"),
    /**
     * new | in_progress | waiting_customer | waiting_third_party | escalated | resolved |
     * closed | merged | withdrawn | spam
     */
    status: text("status").notNull().default("new"),
    /** low | normal | high | urgent */
    priority: text("priority").notNull().default("normal"),
    /** upheld | partly_upheld | not_upheld | explained | action_reversed */
    outcomeCode: text("outcome_code"),
    outcomeReason: text("outcome_reason"),
    assigneeId: integer("assignee_id"),
    seriousIncident: integer("serious_incident", { mode: "boolean" }).notNull().default(false),
    /** When the serious-incident flag was raised: starts the AI Act Art. 73 reporting clock. */
    seriousIncidentAt: integer("serious_incident_at"),
    /** Set while "waiting on customer": the SLA clock is paused from then. */
    slaPausedAt: integer("sla_paused_at"),
    mergedIntoId: integer("merged_into_id"),
    slaDueAt: integer("sla_due_at"),
    statutoryDueAt: integer("statutory_due_at"),
    /**
     * The queue's sort key, kept by the database (a generated column: no writer can forget it):
     * the nearer of the SLA and statutory due dates; while the SLA is paused (waiting on the
     * customer) its clock is stopped, so the statutory date alone — unless the SLA was already
     * missed when the pause began (sla_due_at < sla_paused_at), which stays overdue. So for an
     * open case `due_at < now` is exactly "overdue" (isOverdue). 8.64e15 (NO_DUE_DATE) when no
     * date applies. The due date shown is computed exactly (effectiveSlaDueAt), not read here.
     */
    dueAt: integer("due_at")
      .notNull()
      .generatedAlwaysAs(
        sql`min(coalesce("statutory_due_at", 8640000000000000), case when "sla_paused_at" is null or "sla_due_at" < "sla_paused_at" then coalesce("sla_due_at", 8640000000000000) else 8640000000000000 end)`, { mode: "virtual" },
      ),
    firstResponseAt: integer("first_response_at"),
    resolvedAt: integer("resolved_at"),
    closedAt: integer("closed_at"),
    /** Optimistic concurrency: two editors must not overwrite each other silently. */
    revision: integer("revision").notNull().default(1),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("concerns_customer").on(t.customerId, t.createdAt),
    // The queue (app/domain/concerns/queue.server.ts): one finished status, by due date, and its
    // count (partial, so the open cases' IN-list never picks it over concerns_open_due).
    index("concerns_finished_due").on(t.status, t.dueAt, t.createdAt, t.id).where(FINISHED_CONCERN_PREDICATE),
    index("concerns_created").on(t.createdAt),
    // Every status ("all"), by due date.
    index("concerns_due").on(t.dueAt, t.createdAt, t.id),
    // The open cases (partial: the queue's WHERE states OPEN_CONCERN_PREDICATE literally): the
    // default page and "overdue" (due_at < now), sorted by filing time, and the common filters.
    index("concerns_open_due").on(t.dueAt, t.createdAt, t.id).where(OPEN_CONCERN_PREDICATE),
    index("concerns_open_created").on(t.createdAt, t.id).where(OPEN_CONCERN_PREDICATE),
    index("concerns_open_assignee").on(t.assigneeId, t.dueAt, t.createdAt, t.id).where(OPEN_CONCERN_PREDICATE),
    index("concerns_open_system").on(t.systemId, t.dueAt, t.createdAt, t.id).where(OPEN_CONCERN_PREDICATE),
    // Counts per status under each filter (one range read each, finished statuses included);
    // the rare breach cases' pages too.
    index("concerns_assignee_status").on(t.assigneeId, t.status),
    index("concerns_system_status").on(t.systemId, t.status),
    // "AI system + assigned to me/a person", the queue's common pair: an exact range per status.
    index("concerns_assignee_system_status").on(t.assigneeId, t.systemId, t.status),
    index("concerns_origin_status").on(t.origin, t.status),
    index("concerns_kind_status").on(t.kind, t.status),
    index("concerns_lang_status").on(t.lang, t.status),
    index("concerns_priority_status").on(t.priority, t.status),
    // The rows backfillSearchText must fold: none, almost always (a start reads one index page).
    index("concerns_search_pending").on(t.id).where(sql`${t.searchText} is null`),
    // The start page's open serious incidents (staff-attention.server.ts): a handful, never a scan.
    index("concerns_serious_incident").on(t.seriousIncidentAt, t.id).where(sql`${t.seriousIncidentAt} is not null`),
  ],
);

/**
 * How many concerns are in each status, kept exact by triggers on `concerns` in the same
 * transaction as every insert, delete and status change (migration 0020_concern_status_counts):
 * the queue's unfiltered counts read ten rows instead of counting cases (SPEC §10 "Growth").
 */
export const concernStatusCounts = sqliteTable("concern_status_counts", {
  status: text("status").primaryKey(),
  n: integer("n").notNull().default(0),
});

export const concernMessages = sqliteTable(
  "concern_messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    concernId: integer("concern_id")
      .notNull()
      .references(() => concerns.id, { onDelete: "cascade" }),
    /** customer | staff | system */
    author: text("author").notNull(),
    staffId: integer("staff_id"),
    /** Display name a staff member signs with (e.g. "Sam from Customer Care"). */
    authorName: text("author_name"),
    /** public (customer sees it) | internal (staff note) */
    visibility: text("visibility").notNull(),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("concern_messages_concern").on(t.concernId, t.createdAt)],
);

/** Every status change of a concern, by whom and when. */
export const concernEvents = sqliteTable(
  "concern_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    concernId: integer("concern_id")
      .notNull()
      .references(() => concerns.id, { onDelete: "cascade" }),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    /** customer | staff | system */
    actor: text("actor").notNull(),
    staffId: integer("staff_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("concern_events_concern").on(t.concernId, t.createdAt)],
);

// ── Settings ───────────────────────────────────────────────────────────────
/** Company-wide settings (link lifetime, SLA hours, reopen grace); JSON values. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
  updatedAt: integer("updated_at").notNull(),
});

// ── Staff ──────────────────────────────────────────────────────────────────
export const staffUsers = sqliteTable("staff_users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** Stored lower-cased. */
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  /** agent | supervisor | admin */
  role: text("role").notNull(),
  /** argon2id (OWASP parameters), from @node-rs/argon2. */
  passwordHash: text("password_hash").notNull(),
  /** Base32 TOTP secret once the second factor is set up (RFC 6238). */
  totpSecret: text("totp_secret"),
  /** Base32 TOTP secret shown during setup, kept until confirmed (then moved to totp_secret) so it does not change on reload. */
  pendingTotpSecret: text("pending_totp_secret"),
  /** The last accepted TOTP time step: a code is never accepted twice. */
  totpLastStep: integer("totp_last_step"),
  /** The language the console is shown in. */
  locale: text("locale").notNull().default("en"),
  disabledAt: integer("disabled_at"),
  lastLoginAt: integer("last_login_at"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const staffSessions = sqliteTable(
  "staff_sessions",
  {
    /** SHA-256 of the session token held in the cookie. */
    idHash: text("id_hash").primaryKey(),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    /** False between password and TOTP code when the second factor is on. */
    verified: integer("verified", { mode: "boolean" }).notNull(),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("staff_sessions_staff").on(t.staffId)],
);

/**
 * AI-literacy trainings per staff member (AI Act Art. 4, SPEC §12). Dates are calendar days in the
 * company's time zone (YYYY-MM-DD); `valid_until` is the last day the training counts, null when it
 * does not expire.
 */
export const staffTrainings = sqliteTable(
  "staff_trainings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    course: text("course").notNull(),
    completedOn: text("completed_on").notNull(),
    validUntil: text("valid_until"),
    evidenceNote: text("evidence_note").notNull().default(""),
    recordedBy: integer("recorded_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("staff_trainings_staff").on(t.staffId, t.validUntil)],
);

/**
 * One row per company-zone day the retention purge job ran (SPEC §7): inserting the day's row is
 * the claim, so the daily job runs at most once a day across instances.
 */
export const retentionRuns = sqliteTable("retention_runs", {
  day: text("day").primaryKey(),
  startedAt: integer("started_at").notNull(),
  finishedAt: integer("finished_at"),
  /** JSON counts per kind of data removed. */
  counts: text("counts"),
});

/** Replies staff can start from, per language. */
export const cannedReplies = sqliteTable(
  "canned_replies",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Groups the translations of one reply. */
    key: text("key").notNull(),
    lang: text("lang").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("canned_replies_key_lang").on(t.key, t.lang)],
);

/**
 * Append-only, hash-chained audit log. The chained fields carry no personal data (ids, codes,
 * references only), so erasing a customer never breaks the chain.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
  id: integer("id").primaryKey(),
  createdAt: integer("created_at").notNull(),
  /** staff | customer | system | cli | api */
  actorType: text("actor_type").notNull(),
  actorId: text("actor_id"),
  /** e.g. concern.status_changed, staff.login, ai_system.updated */
  action: text("action").notNull(),
  targetType: text("target_type"),
  targetId: text("target_id"),
  /** JSON: codes and ids only, never free text or personal data. */
  details: text("details").notNull(),
  prevHash: text("prev_hash").notNull(),
  hash: text("hash").notNull().unique(),
  },
  (t) => [index("audit_log_target").on(t.targetType, t.targetId)],
);

/** Durable outbox of notification emails: written in the same transaction as the change. */
export const outboxEmails = sqliteTable(
  "outbox_emails",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    concernId: integer("concern_id").references(() => concerns.id, { onDelete: "set null" }),
    toAddress: text("to_address").notNull(),
    lang: text("lang").notNull(),
    /** concern_received | concern_reply | concern_resolved */
    template: text("template").notNull(),
    subject: text("subject").notNull(),
    bodyText: text("body_text").notNull(),
    /** pending | sent | failed (gave up after the last retry) */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
    /** While a worker delivers the row: the end of its lease (ms). Cleared when the attempt is recorded; "retry now" leaves a row alone while it is in the future. */
    claimedUntil: integer("claimed_until"),
  },
  (t) => [index("outbox_emails_due").on(t.status, t.nextAttemptAt)],
);

// ── Staff notifications (SPEC §12 "Staff are told"; staff-notifications.server.ts) ──────────
/** A staff member's choice per notification kind; no row: the role's default applies. */
export const staffNotificationChoices = sqliteTable(
  "staff_notification_choices",
  {
    staffId: integer("staff_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    /** new_concern | employee_report | assigned | deadline_soon | deadline_passed | serious_incident | breach | audit_overdue | training_expiring | monitoring_alert */
    kind: text("kind").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.kind] })],
);

/** Each staff email once: the unique (staff, kind, subject) is inserted with its outbox row. */
export const staffNotifications = sqliteTable(
  "staff_notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    /** What it is about, e.g. a case reference and due date, a breach id. */
    subject: text("subject").notNull(),
    outboxEmailId: integer("outbox_email_id").references(() => outboxEmails.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("staff_notifications_once").on(t.staffId, t.kind, t.subject)],
);

/** How far each source of staff notifications has been scanned (a time and/or the last id). */
export const staffNotificationCursors = sqliteTable("staff_notification_cursors", {
  source: text("source").primaryKey(),
  at: integer("at").notNull(),
  lastId: integer("last_id").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

// ── Integration API, webhooks, embedding (SPEC §5, §6) ─────────────────────
/** API keys: shown once, stored as SHA-256 hashes, scoped. */
export const apiKeys = sqliteTable("api_keys", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  /** The first characters of the key, to recognise it in lists (never enough to use it). */
  prefix: text("prefix").notNull(),
  keyHash: text("key_hash").notNull().unique(),
  /** JSON array of scopes: links, customers, interactions, decisions, concerns. */
  scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
  createdAt: integer("created_at").notNull(),
  lastUsedAt: integer("last_used_at"),
  revokedAt: integer("revoked_at"),
});

/** Idempotency records for API writes that SPEC §5 makes idempotent by key. */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    apiKeyId: integer("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    response: text("response").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] })],
);

/**
 * Recent form submissions, for de-duplicating a double click or a resent form: the same actor,
 * action and normalised content within a short window get the first result (rows older than the
 * window are deleted on the next submission).
 */
export const formSubmissions = sqliteTable(
  "form_submissions",
  {
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    contentHash: text("content_hash").notNull(),
    result: text("result").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.actor, t.action, t.contentHash] }), index("form_submissions_created_idx").on(t.createdAt)],
);

export const webhookEndpoints = sqliteTable("webhook_endpoints", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  url: text("url").notNull(),
  /** HMAC-SHA256 signing secret. */
  secret: text("secret").notNull(),
  /** JSON array: concern.created, concern.updated, preferences.changed */
  events: text("events", { mode: "json" }).$type<string[]>().notNull(),
  createdAt: integer("created_at").notNull(),
  disabledAt: integer("disabled_at"),
});

/** Durable webhook outbox and delivery log. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    endpointId: integer("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    /** The JSON body sent (ids and codes; no free text). */
    payload: text("payload").notNull(),
    /** pending | delivered | failed */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    deliveredAt: integer("delivered_at"),
    /** While a worker delivers the row: the end of its lease (ms). Cleared when the attempt is recorded; "retry now" leaves a row alone while it is in the future. */
    claimedUntil: integer("claimed_until"),
  },
  (t) => [index("webhook_deliveries_due").on(t.status, t.nextAttemptAt)],
);

/** Help centers allowed to embed the portal (SPEC §6). */
export const embedSites = sqliteTable("embed_sites", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** Used as the JWT audience and in /embed URLs. */
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  /** JSON array of allowed origins, e.g. ["https://help.example.com"]. */
  origins: text("origins", { mode: "json" }).$type<string[]>().notNull(),
  accentColor: text("accent_color"),
  logoUrl: text("logo_url"),
  defaultLang: text("default_lang").notNull().default("en"),
  /** HS256 secret for site-signed customer tokens; null = anonymous embeds only. */
  signingSecret: text("signing_secret"),
  createdAt: integer("created_at").notNull(),
  disabledAt: integer("disabled_at"),
});

/** `jti`s of site-signed customer tokens already used (each opens one session), kept until `exp`. */
export const embedTokenUses = sqliteTable(
  "embed_token_uses",
  {
    siteId: integer("site_id")
      .notNull()
      .references(() => embedSites.id, { onDelete: "cascade" }),
    jti: text("jti").notNull(),
    /** The token's exp (ms) plus the accepted clock skew: after it the token is refused anyway. */
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.jti] }), index("embed_token_uses_expiry").on(t.expiresAt)],
);

// ── Permission (SPEC §11) ──────────────────────────────────────────────────
/** An AI agent's "ask me first" request to a customer (SPEC §11.1). Never updated; see confirmation_answers. */
export const confirmations = sqliteTable(
  "confirmations",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    actionKey: text("action_key").notNull(),
    aiSystemSlug: text("ai_system_slug").notNull(),
    interactionId: integer("interaction_id").references(() => interactions.id, { onDelete: "set null" }),
    /** The agent's plain-language summary per language: JSON text {"en": "…", "fr": "…"} (first key = first given). */
    summary: text("summary").notNull(),
    /** The amount asked for, in hundredths of `currency` (2000 = 20.00 EUR), or null. */
    amountHundredths: integer("amount_hundredths"),
    /** ISO 4217 code, upper case. */
    currency: text("currency"),
    channel: text("channel"),
    effectiveAt: integer("effective_at"),
    expiresAt: integer("expires_at").notNull(),
    /** The API key that asked. */
    apiKeyId: integer("api_key_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("confirmations_customer").on(t.customerId, t.createdAt),
    index("confirmations_expiry").on(t.expiresAt),
    // The customer's timeline reads the requests of the interactions on its page.
    index("confirmations_interaction").on(t.interactionId),
  ],
);

/** Append-only: the customer's answer to a confirmation request (one per request). */
export const confirmationAnswers = sqliteTable(
  "confirmation_answers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    confirmationId: text("confirmation_id")
      .notNull()
      .unique()
      .references(() => confirmations.id, { onDelete: "cascade" }),
    customerId: text("customer_id").notNull(),
    /** approved | declined | expired (nobody answered in time: recorded by the expiry sweep, a decline) */
    answer: text("answer").notNull(),
    /** portal | embed | system */
    method: text("method").notNull(),
    lang: text("lang").notNull(),
    createdAt: integer("created_at").notNull(),
  },
);

/** Append-only: interactions that went into a training or evaluation dataset (SPEC §11.4). */
export const trainingUses = sqliteTable(
  "training_uses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    interactionId: integer("interaction_id")
      .notNull()
      .references(() => interactions.id, { onDelete: "cascade" }),
    dataset: text("dataset").notNull(),
    usedAt: integer("used_at").notNull(),
    apiKeyId: integer("api_key_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("training_uses_interaction_dataset").on(t.interactionId, t.dataset)],
);

/** An AI action recorded without a valid permission (SPEC §11.5). */
export const permissionBreaches = sqliteTable(
  "permission_breaches",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    interactionAiId: integer("interaction_ai_id")
      .notNull()
      .unique()
      .references(() => interactionAi.id, { onDelete: "cascade" }),
    interactionId: integer("interaction_id")
      .notNull()
      .references(() => interactions.id, { onDelete: "cascade" }),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    systemId: integer("system_id").notNull(),
    actionKey: text("action_key").notNull(),
    /** The decision the agent named, or null when it named none. */
    decisionId: text("decision_id"),
    /** decision_missing | decision_unknown | decision_not_allow | decision_other_customer | decision_other_action | decision_other_ai_system | decision_too_old | decision_already_used */
    reason: text("reason").notNull(),
    /** The staff case opened for it (origin "breach"). */
    concernId: integer("concern_id").references(() => concerns.id, { onDelete: "set null" }),
    /** The customer's own "contest this action" concern, once filed. */
    contestConcernId: integer("contest_concern_id").references(() => concerns.id, { onDelete: "set null" }),
    detectedAt: integer("detected_at").notNull(),
  },
  (t) => [
    index("permission_breaches_customer").on(t.customerId),
    // The breach report reads (detected_at, system_id) of a range from this index alone, never the table.
    index("permission_breaches_detected_system").on(t.detectedAt, t.systemId),
    // The customer's timeline reads the breaches of the interactions on its page.
    index("permission_breaches_interaction").on(t.interactionId),
  ],
);

// ── Audits of AI systems (SPEC §12; app/domain/audits.server.ts) ──────────
/** One audit of an AI system. `audited_on` is a calendar day in the company's time zone (YYYY-MM-DD). */
export const aiSystemAudits = sqliteTable(
  "ai_system_audits",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    systemId: integer("system_id")
      .notNull()
      .references(() => aiSystems.id, { onDelete: "cascade" }),
    auditedOn: text("audited_on").notNull(),
    auditorName: text("auditor_name").notNull(),
    /** The auditor's staff account, when the auditor is a staff member. */
    auditorStaffId: integer("auditor_staff_id").references(() => staffUsers.id, { onDelete: "set null" }),
    scope: text("scope").notNull(),
    findings: text("findings").notNull(),
    /** passed | passed_with_actions | failed */
    result: text("result").notNull(),
    recordedBy: integer("recorded_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("ai_system_audits_system_day").on(t.systemId, t.auditedOn),
    index("ai_system_audits_day").on(t.auditedOn),
  ],
);

/** The one-paragraph public summary of an audit, per language (a missing language falls back to English, visibly). */
export const aiSystemAuditSummaries = sqliteTable(
  "ai_system_audit_summaries",
  {
    auditId: integer("audit_id")
      .notNull()
      .references(() => aiSystemAudits.id, { onDelete: "cascade" }),
    lang: text("lang").notNull(),
    summary: text("summary").notNull(),
  },
  (t) => [primaryKey({ columns: [t.auditId, t.lang] })],
);

/** What an audit asks to be done: an owner (staff member), a due day (company zone, YYYY-MM-DD), done or not. */
export const aiSystemAuditActions = sqliteTable(
  "ai_system_audit_actions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    auditId: integer("audit_id")
      .notNull()
      .references(() => aiSystemAudits.id, { onDelete: "cascade" }),
    systemId: integer("system_id")
      .notNull()
      .references(() => aiSystems.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    ownerId: integer("owner_id").references(() => staffUsers.id, { onDelete: "set null" }),
    dueOn: text("due_on").notNull(),
    doneAt: integer("done_at"),
    doneBy: integer("done_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("ai_system_audit_actions_audit").on(t.auditId),
    // Open actions by due day (the start page and reminders read only these).
    index("ai_system_audit_actions_open").on(t.doneAt, t.dueOn),
  ],
);

// ── Public statistics (SPEC §12 "Public accountability"; public-statistics.server.ts) ──
// Pre-aggregated per local day of filing and AI system, so /:lang/statistics never reads concerns.
// Triggers on concerns (custom migration) queue every change; the refresh folds the queue in.

/** One row (id 1): the time zone the figures were built for (null → rebuild them all) and their version. */
export const publicStatisticsState = sqliteTable("public_statistics_state", {
  id: integer("id").primaryKey(),
  timeZone: text("time_zone"),
  builtAt: integer("built_at").notNull().default(0),
});

/** Queue: the filing time of every concern changed in a way the public statistics see (old and new). */
export const publicConcernChanges = sqliteTable("public_concern_changes", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  filedAt: integer("filed_at").notNull(),
});

/** Concerns per local day of filing and AI system (system id, "" none): received, resolved now, upheld. */
export const publicConcernDays = sqliteTable(
  "public_concern_days",
  {
    day: text("day").notNull(),
    systemKey: text("system_key").notNull(),
    received: integer("received").notNull(),
    resolved: integer("resolved").notNull(),
    upheld: integer("upheld").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.systemKey] })],
);

/** Time to first answer per local day of filing and AI system, in whole seconds: how many concerns took each. */
export const publicFirstAnswers = sqliteTable(
  "public_first_answers",
  {
    day: text("day").notNull(),
    systemKey: text("system_key").notNull(),
    seconds: integer("seconds").notNull(),
    concerns: integer("concerns").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.systemKey, t.seconds] })],
);

// ── Report figures (SPEC §4 "Reports"; reports.server.ts) ─────────────────
// Pre-aggregated so a report's cost does not grow with customers or concerns. Triggers on
// concerns, preferences and customers (migration 0014) queue every change; the report module folds
// the queues into the figures before a report is read and on the delivery worker's tick.

/** One row (id 1): the display time zone the day figures were built for; null → rebuild them all. */
export const reportFiguresState = sqliteTable("report_figures_state", {
  id: integer("id").primaryKey(),
  timeZone: text("time_zone"),
  /** The figures' version: raised (to the time of the change in ms, or by one) whenever a figure changes. */
  builtAt: integer("built_at").notNull().default(0),
});

/** Queue: the filing time of every concern changed in a way the reports see (old and new). */
export const reportConcernChanges = sqliteTable("report_concern_changes", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  filedAt: integer("filed_at").notNull(),
});

/** Concerns counted per local day of filing and dimension: system (id, "" none) | kind | outcome (resolved now). */
export const reportConcernDays = sqliteTable(
  "report_concern_days",
  {
    dimension: text("dimension").notNull(),
    /** YYYY-MM-DD in the display time zone. */
    day: text("day").notNull(),
    key: text("key").notNull(),
    concerns: integer("concerns").notNull(),
  },
  (t) => [primaryKey({ columns: [t.dimension, t.day, t.key] })],
);

/** Time to first response / to resolution per local day of filing, in whole seconds: how many concerns took each. */
export const reportConcernDurations = sqliteTable(
  "report_concern_durations",
  {
    /** first_response | resolution */
    measure: text("measure").notNull(),
    day: text("day").notNull(),
    seconds: integer("seconds").notNull(),
    concerns: integer("concerns").notNull(),
  },
  (t) => [primaryKey({ columns: [t.measure, t.day, t.seconds] })],
);

/** Queue: +1/-1 per (choice, value) of customers not erased; choice_key "" counts the customers themselves. */
export const reportChoiceChanges = sqliteTable("report_choice_changes", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  choiceKey: text("choice_key").notNull(),
  value: text("value").notNull(),
  delta: integer("delta").notNull(),
});

/** Customers (not erased) per explicit (choice, value); the row ("", "") is the number of customers. */
export const reportChoiceFigures = sqliteTable(
  "report_choice_figures",
  {
    choiceKey: text("choice_key").notNull(),
    value: text("value").notNull(),
    customers: integer("customers").notNull(),
  },
  (t) => [primaryKey({ columns: [t.choiceKey, t.value] })],
);

// ── Monitoring of AI behaviour (SPEC §12; AI Act Art. 26(5), 72; app/domain/monitoring.server.ts) ──
// Weekly figures per AI system, folded in incrementally from the append-only records (decisions,
// confirmation answers, permission breaches, AI involvements: a watermark each) and from a queue
// of changed concerns (a trigger, migration monitoring_concern_triggers).

/** One row (id 1): the time zone the weeks were built for (null → rebuild) and the watermarks. */
export const monitoringState = sqliteTable("monitoring_state", {
  id: integer("id").primaryKey(),
  timeZone: text("time_zone"),
  /** Decisions folded in: everything before (created_at, id) in that order. */
  decisionsCreatedAt: integer("decisions_created_at").notNull().default(0),
  decisionsId: text("decisions_id").notNull().default(""),
  /** Last confirmation_answers / permission_breaches / interaction_ai id folded in. */
  answersId: integer("answers_id").notNull().default(0),
  breachesId: integer("breaches_id").notNull().default(0),
  involvementsId: integer("involvements_id").notNull().default(0),
  /** When a refresh last changed a figure (ms): the figures' version. */
  builtAt: integer("built_at").notNull().default(0),
});

/** Queue: the filing time of every concern changed in a way monitoring counts (old and new). */
export const monitoringConcernChanges = sqliteTable("monitoring_concern_changes", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  filedAt: integer("filed_at").notNull(),
});

/**
 * Counts per AI system and ISO week (Monday 00:00 in the display time zone, ms) and key:
 * decision:<allow|ask|deny>, reason:<decision>:<reason>, answer:<approved|declined|expired>,
 * breaches, interactions, reviewed, concerns, upheld.
 */
export const monitoringFigures = sqliteTable(
  "monitoring_figures",
  {
    systemId: integer("system_id").notNull(),
    weekStart: integer("week_start").notNull(),
    key: text("key").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.weekStart, t.systemId, t.key] })],
);

/** Thresholds set by admins: per metric, for one AI system or (system_id 0) for all of them. */
export const monitoringThresholds = sqliteTable(
  "monitoring_thresholds",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The AI system, or 0 for every system without its own threshold for the metric. */
    systemId: integer("system_id").notNull(),
    /** deny_share | breaches | concerns_per_1000 | reviewed_share | expired_share | upheld */
    metric: text("metric").notNull(),
    /** In hundredths of the metric's unit (percent, count, concerns per 1,000 interactions). */
    valueHundredths: integer("value_hundredths").notNull(),
    updatedBy: integer("updated_by"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("monitoring_thresholds_system_metric").on(t.systemId, t.metric)],
);

/** A week that crossed a threshold: raised once per system, metric and week; acknowledged by staff. */
export const monitoringAlerts = sqliteTable(
  "monitoring_alerts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    systemId: integer("system_id").notNull(),
    metric: text("metric").notNull(),
    weekStart: integer("week_start").notNull(),
    /** The week's value and the threshold crossed, in hundredths of the metric's unit. */
    valueHundredths: integer("value_hundredths").notNull(),
    thresholdHundredths: integer("threshold_hundredths").notNull(),
    raisedAt: integer("raised_at").notNull(),
    acknowledgedAt: integer("acknowledged_at"),
    acknowledgedBy: integer("acknowledged_by"),
  },
  (t) => [
    uniqueIndex("monitoring_alerts_system_metric_week").on(t.systemId, t.metric, t.weekStart),
    index("monitoring_alerts_open").on(t.raisedAt).where(sql`${t.acknowledgedAt} is null`),
  ],
);
