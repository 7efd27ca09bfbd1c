/**
 * Candor's data model as PostgreSQL tables: the DDL source of db/migrations/postgres. The queries
 * on both engines are built from db/schema.ts (see app/utils/db-postgres.server.ts); this file
 * mirrors it column for column — integers as bigint (millisecond timestamps need 64 bits),
 * booleans as boolean, JSON as text — and test/unit/schema-parity.test.ts proves they match.
 * Change both files together. Timestamps are integer milliseconds since the epoch (UTC).
 * Append-only tables (consent_events, decisions, link_redemptions, concern_messages,
 * concern_events) are never updated or deleted by the application.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const createdAt = () =>
  bigint("created_at", { mode: "number" })
    .notNull()
    .default(sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`);

// ── Customers ──────────────────────────────────────────────────────────────
export const customers = pgTable("customers", {
  /** The company's own customer id (e.g. CRM id); opaque to Candor. */
  id: text("id").primaryKey(),
  email: text("email"),
  locale: text("locale").notNull().default("en"),
  /** Bumped on every preference change; returned to agents with each decision. */
  preferenceVersion: bigint("preference_version", { mode: "number" }).notNull().default(0),
  createdAt: createdAt(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  /** IANA time zone (e.g. "Europe/Paris") for quiet hours; null → the company's (DISPLAY_TIME_ZONE). */
  timeZone: text("time_zone"),
  /** GDPR erasure leaves the row as a tombstone without personal data. */
  erasedAt: bigint("erased_at", { mode: "number" }),
});

// ── AI register ────────────────────────────────────────────────────────────
export const aiSystems = pgTable("ai_systems", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  slug: text("slug").notNull().unique(),
  provider: text("provider").notNull(),
  /** minimal | limited | high — the AI Act risk tier as the company assessed it. */
  riskClass: text("risk_class").notNull(),
  /** answers | drafts | decides | acts */
  autonomy: text("autonomy").notNull(),
  /** JSON array of channel codes: chat, email, phone, app, web, sms. */
  channels: text("channels").$type<string[]>().notNull(),
  /** active | paused | retired */
  status: text("status").notNull().default("active"),
  contactEmail: text("contact_email").notNull(),
  lastReviewedAt: bigint("last_reviewed_at", { mode: "number" }).notNull(),
  currentVersion: bigint("current_version", { mode: "number" }).notNull().default(1),
  /** Calendar months between audits (SPEC §12); the next is due this long after the last one. */
  auditIntervalMonths: bigint("audit_interval_months", { mode: "number" }).notNull().default(12),
  createdAt: createdAt(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  /** Who receives the data (SPEC §12): JSON array of recipients; [] for an in-house system. */
  dataRecipients: text("data_recipients").$type<unknown[]>().notNull().default(sql`'[]'`),
  /** no | yes | contractually_excluded */
  providerDataUse: text("provider_data_use").notNull().default("no"),
  usesProtectedCharacteristics: boolean("uses_protected_characteristics").notNull().default(false),
  /** The last bias and accuracy test (midnight UTC, ms), or null. */
  fairnessTestedAt: bigint("fairness_tested_at", { mode: "number" }),
});

/** Per-language texts of an AI system; a missing language falls back to English, visibly. */
export const aiSystemTexts = pgTable(
  "ai_system_texts",
  {
    systemId: bigint("system_id", { mode: "number" })
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

export const aiSystemVersions = pgTable(
  "ai_system_versions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    systemId: bigint("system_id", { mode: "number" })
      .notNull()
      .references(() => aiSystems.id, { onDelete: "cascade" }),
    version: bigint("version", { mode: "number" }).notNull(),
    /** Change note per language: {"en": "...", "fr": "..."}. */
    changeNote: text("change_note").$type<Record<string, string>>().notNull(),
    /** A material change re-asks the choices that depend on this system. */
    material: boolean("material").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("ai_system_versions_system_version").on(t.systemId, t.version)],
);

// ── Choices (what a customer can allow or refuse) ──────────────────────────
/**
 * kind "action": values allow | ask | never (per proactive action kind)
 * kind "training" and "human_first": values yes | no
 */
export const choiceDefinitions = pgTable("choice_definitions", {
  key: text("key").primaryKey(),
  kind: text("kind").notNull(),
  defaultValue: text("default_value").notNull(),
  /** Bumped when the company changes what the choice means; older consents are re-asked. */
  noticeVersion: bigint("notice_version", { mode: "number" }).notNull().default(1),
  position: bigint("position", { mode: "number" }).notNull().default(0),
  /**
   * Kind "action": its actions can involve an amount of money (a plan change, an order), so a
   * maximum amount is a limit that means something (SPEC §11.2). False for kinds that never do
   * (a disclosure, a contact); true by default, so a new kind never hides a limit that may matter.
   */
  involvesAmount: boolean("involves_amount").notNull().default(true),
  createdAt: createdAt(),
});

/** The notice text shown for a choice, per version and language. */
export const choiceNotices = pgTable(
  "choice_notices",
  {
    choiceKey: text("choice_key")
      .notNull()
      .references(() => choiceDefinitions.key, { onDelete: "cascade" }),
    version: bigint("version", { mode: "number" }).notNull(),
    lang: text("lang").notNull(),
    label: text("label").notNull(),
    explanation: text("explanation").notNull(),
    /** What changed with this version, shown with the re-ask (e.g. the register change note). */
    changeNote: text("change_note"),
    /** The AI system whose material change published this version, if any (ai_systems.id). */
    causeSystemId: bigint("cause_system_id", { mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.choiceKey, t.version, t.lang] })],
);

/** Which action kinds an AI system can perform (the register's "actions it can take"). */
export const aiSystemActions = pgTable(
  "ai_system_actions",
  {
    systemId: bigint("system_id", { mode: "number" })
      .notNull()
      .references(() => aiSystems.id, { onDelete: "cascade" }),
    choiceKey: text("choice_key")
      .notNull()
      .references(() => choiceDefinitions.key),
  },
  (t) => [primaryKey({ columns: [t.systemId, t.choiceKey] })],
);

/** The customer's current value per choice (absent row → the definition's default). */
export const preferences = pgTable(
  "preferences",
  {
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    choiceKey: text("choice_key")
      .notNull()
      .references(() => choiceDefinitions.key),
    value: text("value").notNull(),
    noticeVersion: bigint("notice_version", { mode: "number" }).notNull(),
    /** portal | embed | api | gpc */
    method: text("method").notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
    /** Limits on an "allowed" action kind (SPEC §11.2): PermissionLimits as JSON text, or null (none). */
    limits: text("limits"),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.choiceKey] })],
);

/** Append-only consent record, shaped after ISO/IEC TS 27560 / the Kantara Consent Receipt. */
export const consentEvents = pgTable(
  "consent_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    receiptId: text("receipt_id").notNull().unique(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    choiceKey: text("choice_key").notNull(),
    value: text("value").notNull(),
    previousValue: text("previous_value"),
    noticeVersion: bigint("notice_version", { mode: "number" }).notNull(),
    lang: text("lang").notNull(),
    method: text("method").notNull(),
    /** The limits given with this value (PermissionLimits as JSON text), or null. */
    limits: text("limits"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [index("consent_events_customer").on(t.customerId, t.createdAt)],
);

// ── Interactions and AI involvement ────────────────────────────────────────
export const interactions = pgTable(
  "interactions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
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
    occurredAt: bigint("occurred_at", { mode: "number" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("interactions_source_ref").on(t.source, t.ref),
    index("interactions_customer_time").on(t.customerId, t.occurredAt),
  ],
);

export const interactionAi = pgTable(
  "interaction_ai",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    interactionId: bigint("interaction_id", { mode: "number" })
      .notNull()
      .references(() => interactions.id, { onDelete: "cascade" }),
    systemId: bigint("system_id", { mode: "number" })
      .notNull()
      .references(() => aiSystems.id),
    /** answered | drafted | summarised | routed | predicted | acted */
    role: text("role").notNull(),
    /** The action kind (a choice key) when the AI acted on the account. */
    actionKey: text("action_key"),
    actionDetail: text("action_detail"),
    humanReviewed: boolean("human_reviewed").notNull(),
    /**
     * Eligible for training at the time of the interaction (SPEC §11.4): the reporting system's
     * flag AND the customer's training choice then. Stored once; a later opt-out never rewrites it.
     */
    trainingEligible: boolean("training_eligible").notNull(),
    /** The flag as the reporting system sent it (before the customer's choice was applied). */
    /** The decision check that allowed this action (role "acted"), as the agent named it (SPEC §11.5). */
    decisionId: text("decision_id"),
    trainingReported: boolean("training_reported").notNull().default(false),
  },
  (t) => [index("interaction_ai_interaction").on(t.interactionId), index("interaction_ai_decision").on(t.decisionId)],
);

/** Append-only: every answer to an agent's "may I?" check. */
export const decisions = pgTable(
  "decisions",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull(),
    actionKey: text("action_key").notNull(),
    aiSystemSlug: text("ai_system_slug").notNull(),
    interactionId: bigint("interaction_id", { mode: "number" }),
    /** allow | ask | deny */
    decision: text("decision").notNull(),
    /** A reason code: preference_allow, preference_ask, preference_never, unknown_customer, … */
    reason: text("reason").notNull(),
    preferenceVersion: bigint("preference_version", { mode: "number" }).notNull(),
    /** The confirmation the agent presented (SPEC §11.1), if any. */
    confirmationId: text("confirmation_id"),
    /** What the agent said it would do (DecisionContext as JSON text: amount, currency, channel, at, identity), or null. */
    context: text("context"),
    /** For reason quiet_hours: when the agent may try again (ms). */
    retryAfter: bigint("retry_after", { mode: "number" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
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
export const linkTokens = pgTable(
  "link_tokens",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
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
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    revokedAt: bigint("revoked_at", { mode: "number" }),
  },
  (t) => [index("link_tokens_customer").on(t.customerId)],
);

export const linkRedemptions = pgTable("link_redemptions", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  linkId: bigint("link_id", { mode: "number" })
    .notNull()
    .references(() => linkTokens.id, { onDelete: "cascade" }),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
});

export const customerSessions = pgTable(
  "customer_sessions",
  {
    /** SHA-256 of the session token held in the cookie. */
    idHash: text("id_hash").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    linkId: bigint("link_id", { mode: "number" }).references(() => linkTokens.id, { onDelete: "set null" }),
    /** Slug of the embed site that started it: valid only under /embed/<slug>/; null = the portal's. */
    embedSite: text("embed_site"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    lastSeenAt: bigint("last_seen_at", { mode: "number" }).notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    revokedAt: bigint("revoked_at", { mode: "number" }),
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

export const concerns = pgTable(
  "concerns",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
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
    interactionId: bigint("interaction_id", { mode: "number" }).references(() => interactions.id, {
      onDelete: "set null",
    }),
    systemId: bigint("system_id", { mode: "number" }).references(() => aiSystems.id, { onDelete: "set null" }),
    description: text("description").notNull(),
    desiredOutcome: text("desired_outcome").notNull(),
    /**
     * customer (filed by a customer or visitor) | breach (opened by Candor for a permission breach;
     * staff only) | employee (an employee's report, SPEC §12: from the console or /:lang/report)
     */
    origin: text("origin").notNull().default("customer"),
    /** An employee report filed from the console: the reporting staff account (shown only with `reporters.view`). */
    reporterStaffId: bigint("reporter_staff_id", { mode: "number" }),
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
    assigneeId: bigint("assignee_id", { mode: "number" }),
    seriousIncident: boolean("serious_incident").notNull().default(false),
    /** When the serious-incident flag was raised: starts the AI Act Art. 73 reporting clock. */
    seriousIncidentAt: bigint("serious_incident_at", { mode: "number" }),
    /** Set while "waiting on customer": the SLA clock is paused from then. */
    slaPausedAt: bigint("sla_paused_at", { mode: "number" }),
    mergedIntoId: bigint("merged_into_id", { mode: "number" }),
    slaDueAt: bigint("sla_due_at", { mode: "number" }),
    statutoryDueAt: bigint("statutory_due_at", { mode: "number" }),
    /**
     * The queue's sort key, kept by the database (a generated column: no writer can forget it):
     * the nearer of the SLA and statutory due dates; while the SLA is paused (waiting on the
     * customer) its clock is stopped, so the statutory date alone — unless the SLA was already
     * missed when the pause began (sla_due_at < sla_paused_at), which stays overdue. So for an
     * open case `due_at < now` is exactly "overdue" (isOverdue). 8.64e15 (NO_DUE_DATE) when no
     * date applies. The due date shown is computed exactly (effectiveSlaDueAt), not read here.
     */
    dueAt: bigint("due_at", { mode: "number" })
      .notNull()
      .generatedAlwaysAs(
        sql`least(coalesce("statutory_due_at", 8640000000000000), case when "sla_paused_at" is null or "sla_due_at" < "sla_paused_at" then coalesce("sla_due_at", 8640000000000000) else 8640000000000000 end)`,
      ),
    firstResponseAt: bigint("first_response_at", { mode: "number" }),
    resolvedAt: bigint("resolved_at", { mode: "number" }),
    closedAt: bigint("closed_at", { mode: "number" }),
    /** Optimistic concurrency: two editors must not overwrite each other silently. */
    revision: bigint("revision", { mode: "number" }).notNull().default(1),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
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
 * transaction as every insert, delete and status change (migration 0010_concern_status_counts):
 * the queue's unfiltered counts read ten rows instead of counting cases (SPEC §10 "Growth").
 */
export const concernStatusCounts = pgTable("concern_status_counts", {
  status: text("status").primaryKey(),
  n: bigint("n", { mode: "number" }).notNull().default(0),
});

export const concernMessages = pgTable(
  "concern_messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    concernId: bigint("concern_id", { mode: "number" })
      .notNull()
      .references(() => concerns.id, { onDelete: "cascade" }),
    /** customer | staff | system */
    author: text("author").notNull(),
    staffId: bigint("staff_id", { mode: "number" }),
    /** Display name a staff member signs with (e.g. "Sam from Customer Care"). */
    authorName: text("author_name"),
    /** public (customer sees it) | internal (staff note) */
    visibility: text("visibility").notNull(),
    body: text("body").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [index("concern_messages_concern").on(t.concernId, t.createdAt)],
);

/** Every status change of a concern, by whom and when. */
export const concernEvents = pgTable(
  "concern_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    concernId: bigint("concern_id", { mode: "number" })
      .notNull()
      .references(() => concerns.id, { onDelete: "cascade" }),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    /** customer | staff | system */
    actor: text("actor").notNull(),
    staffId: bigint("staff_id", { mode: "number" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [index("concern_events_concern").on(t.concernId, t.createdAt)],
);

// ── Settings ───────────────────────────────────────────────────────────────
/** Company-wide settings (link lifetime, SLA hours, reopen grace); JSON values. */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});

// ── Staff ──────────────────────────────────────────────────────────────────
export const staffUsers = pgTable("staff_users", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
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
  totpLastStep: bigint("totp_last_step", { mode: "number" }),
  /** The language the console is shown in. */
  locale: text("locale").notNull().default("en"),
  disabledAt: bigint("disabled_at", { mode: "number" }),
  lastLoginAt: bigint("last_login_at", { mode: "number" }),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});

export const staffSessions = pgTable(
  "staff_sessions",
  {
    /** SHA-256 of the session token held in the cookie. */
    idHash: text("id_hash").primaryKey(),
    staffId: bigint("staff_id", { mode: "number" })
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    /** False between password and TOTP code when the second factor is on. */
    verified: boolean("verified").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    lastSeenAt: bigint("last_seen_at", { mode: "number" }).notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    revokedAt: bigint("revoked_at", { mode: "number" }),
  },
  (t) => [index("staff_sessions_staff").on(t.staffId)],
);

/**
 * AI-literacy trainings per staff member (AI Act Art. 4, SPEC §12). Dates are calendar days in the
 * company's time zone (YYYY-MM-DD); `valid_until` is the last day the training counts, null when it
 * does not expire.
 */
export const staffTrainings = pgTable(
  "staff_trainings",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    staffId: bigint("staff_id", { mode: "number" })
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    course: text("course").notNull(),
    completedOn: text("completed_on").notNull(),
    validUntil: text("valid_until"),
    evidenceNote: text("evidence_note").notNull().default(""),
    recordedBy: bigint("recorded_by", { mode: "number" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [index("staff_trainings_staff").on(t.staffId, t.validUntil)],
);

/**
 * One row per company-zone day the retention purge job ran (SPEC §7): inserting the day's row is
 * the claim, so the daily job runs at most once a day across instances.
 */
export const retentionRuns = pgTable("retention_runs", {
  day: text("day").primaryKey(),
  startedAt: bigint("started_at", { mode: "number" }).notNull(),
  finishedAt: bigint("finished_at", { mode: "number" }),
  /** JSON counts per kind of data removed. */
  counts: text("counts"),
});

/** Replies staff can start from, per language. */
export const cannedReplies = pgTable(
  "canned_replies",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    /** Groups the translations of one reply. */
    key: text("key").notNull(),
    lang: text("lang").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("canned_replies_key_lang").on(t.key, t.lang)],
);

/**
 * Append-only, hash-chained audit log. The chained fields carry no personal data (ids, codes,
 * references only), so erasing a customer never breaks the chain.
 */
export const auditLog = pgTable(
  "audit_log",
  {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
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
export const outboxEmails = pgTable(
  "outbox_emails",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    concernId: bigint("concern_id", { mode: "number" }).references(() => concerns.id, { onDelete: "set null" }),
    toAddress: text("to_address").notNull(),
    lang: text("lang").notNull(),
    /** concern_received | concern_reply | concern_resolved */
    template: text("template").notNull(),
    subject: text("subject").notNull(),
    bodyText: text("body_text").notNull(),
    /** pending | sent | failed (gave up after the last retry) */
    status: text("status").notNull().default("pending"),
    attempts: bigint("attempts", { mode: "number" }).notNull().default(0),
    nextAttemptAt: bigint("next_attempt_at", { mode: "number" }).notNull(),
    lastError: text("last_error"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    sentAt: bigint("sent_at", { mode: "number" }),
    /** While a worker delivers the row: the end of its lease (ms). Cleared when the attempt is recorded; "retry now" leaves a row alone while it is in the future. */
    claimedUntil: bigint("claimed_until", { mode: "number" }),
  },
  (t) => [index("outbox_emails_due").on(t.status, t.nextAttemptAt)],
);

// ── Staff notifications (SPEC §12 "Staff are told"; staff-notifications.server.ts) ──────────
/** A staff member's choice per notification kind; no row: the role's default applies. */
export const staffNotificationChoices = pgTable(
  "staff_notification_choices",
  {
    staffId: bigint("staff_id", { mode: "number" })
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    /** new_concern | employee_report | assigned | deadline_soon | deadline_passed | serious_incident | breach | audit_overdue | training_expiring | monitoring_alert */
    kind: text("kind").notNull(),
    enabled: boolean("enabled").notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.kind] })],
);

/** Each staff email once: the unique (staff, kind, subject) is inserted with its outbox row. */
export const staffNotifications = pgTable(
  "staff_notifications",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    staffId: bigint("staff_id", { mode: "number" })
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    /** What it is about, e.g. a case reference and due date, a breach id. */
    subject: text("subject").notNull(),
    outboxEmailId: bigint("outbox_email_id", { mode: "number" }).references(() => outboxEmails.id, { onDelete: "set null" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("staff_notifications_once").on(t.staffId, t.kind, t.subject)],
);

/** How far each source of staff notifications has been scanned (a time and/or the last id). */
export const staffNotificationCursors = pgTable("staff_notification_cursors", {
  source: text("source").primaryKey(),
  at: bigint("at", { mode: "number" }).notNull(),
  lastId: bigint("last_id", { mode: "number" }).notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});

// ── Integration API, webhooks, embedding (SPEC §5, §6) ─────────────────────
/** API keys: shown once, stored as SHA-256 hashes, scoped. */
export const apiKeys = pgTable("api_keys", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull(),
  /** The first characters of the key, to recognise it in lists (never enough to use it). */
  prefix: text("prefix").notNull(),
  keyHash: text("key_hash").notNull().unique(),
  /** JSON array of scopes: links, customers, interactions, decisions, concerns. */
  scopes: text("scopes").$type<string[]>().notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
  lastUsedAt: bigint("last_used_at", { mode: "number" }),
  revokedAt: bigint("revoked_at", { mode: "number" }),
});

/** Idempotency records for API writes that SPEC §5 makes idempotent by key. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    apiKeyId: bigint("api_key_id", { mode: "number" })
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: bigint("status", { mode: "number" }).notNull(),
    response: text("response").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] })],
);

/**
 * Recent form submissions, for de-duplicating a double click or a resent form: the same actor,
 * action and normalised content within a short window get the first result (rows older than the
 * window are deleted on the next submission).
 */
export const formSubmissions = pgTable(
  "form_submissions",
  {
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    contentHash: text("content_hash").notNull(),
    result: text("result").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.actor, t.action, t.contentHash] }), index("form_submissions_created_idx").on(t.createdAt)],
);

export const webhookEndpoints = pgTable("webhook_endpoints", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  url: text("url").notNull(),
  /** HMAC-SHA256 signing secret. */
  secret: text("secret").notNull(),
  /** JSON array: concern.created, concern.updated, preferences.changed */
  events: text("events").$type<string[]>().notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
  disabledAt: bigint("disabled_at", { mode: "number" }),
});

/** Durable webhook outbox and delivery log. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    endpointId: bigint("endpoint_id", { mode: "number" })
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    /** The JSON body sent (ids and codes; no free text). */
    payload: text("payload").notNull(),
    /** pending | delivered | failed */
    status: text("status").notNull().default("pending"),
    attempts: bigint("attempts", { mode: "number" }).notNull().default(0),
    nextAttemptAt: bigint("next_attempt_at", { mode: "number" }).notNull(),
    lastStatusCode: bigint("last_status_code", { mode: "number" }),
    lastError: text("last_error"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    deliveredAt: bigint("delivered_at", { mode: "number" }),
    /** While a worker delivers the row: the end of its lease (ms). Cleared when the attempt is recorded; "retry now" leaves a row alone while it is in the future. */
    claimedUntil: bigint("claimed_until", { mode: "number" }),
  },
  (t) => [index("webhook_deliveries_due").on(t.status, t.nextAttemptAt)],
);

/** Help centers allowed to embed the portal (SPEC §6). */
export const embedSites = pgTable("embed_sites", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  /** Used as the JWT audience and in /embed URLs. */
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  /** JSON array of allowed origins, e.g. ["https://help.example.com"]. */
  origins: text("origins").$type<string[]>().notNull(),
  accentColor: text("accent_color"),
  logoUrl: text("logo_url"),
  defaultLang: text("default_lang").notNull().default("en"),
  /** HS256 secret for site-signed customer tokens; null = anonymous embeds only. */
  signingSecret: text("signing_secret"),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
  disabledAt: bigint("disabled_at", { mode: "number" }),
});

/** `jti`s of site-signed customer tokens already used (each opens one session), kept until `exp`. */
export const embedTokenUses = pgTable(
  "embed_token_uses",
  {
    siteId: bigint("site_id", { mode: "number" })
      .notNull()
      .references(() => embedSites.id, { onDelete: "cascade" }),
    jti: text("jti").notNull(),
    /** The token's exp (ms) plus the accepted clock skew: after it the token is refused anyway. */
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.jti] }), index("embed_token_uses_expiry").on(t.expiresAt)],
);

// ── Permission (SPEC §11) ──────────────────────────────────────────────────
/** An AI agent's "ask me first" request to a customer (SPEC §11.1). Never updated; see confirmation_answers. */
export const confirmations = pgTable(
  "confirmations",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    actionKey: text("action_key").notNull(),
    aiSystemSlug: text("ai_system_slug").notNull(),
    interactionId: bigint("interaction_id", { mode: "number" }).references(() => interactions.id, { onDelete: "set null" }),
    /** The agent's plain-language summary per language: JSON text {"en": "…", "fr": "…"} (first key = first given). */
    summary: text("summary").notNull(),
    /** The amount asked for, in hundredths of `currency` (2000 = 20.00 EUR), or null. */
    amountHundredths: bigint("amount_hundredths", { mode: "number" }),
    /** ISO 4217 code, upper case. */
    currency: text("currency"),
    channel: text("channel"),
    effectiveAt: bigint("effective_at", { mode: "number" }),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    /** The API key that asked. */
    apiKeyId: bigint("api_key_id", { mode: "number" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [
    index("confirmations_customer").on(t.customerId, t.createdAt),
    index("confirmations_expiry").on(t.expiresAt),
    // The customer's timeline reads the requests of the interactions on its page.
    index("confirmations_interaction").on(t.interactionId),
  ],
);

/** Append-only: the customer's answer to a confirmation request (one per request). */
export const confirmationAnswers = pgTable(
  "confirmation_answers",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
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
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
);

/** Append-only: interactions that went into a training or evaluation dataset (SPEC §11.4). */
export const trainingUses = pgTable(
  "training_uses",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    interactionId: bigint("interaction_id", { mode: "number" })
      .notNull()
      .references(() => interactions.id, { onDelete: "cascade" }),
    dataset: text("dataset").notNull(),
    usedAt: bigint("used_at", { mode: "number" }).notNull(),
    apiKeyId: bigint("api_key_id", { mode: "number" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("training_uses_interaction_dataset").on(t.interactionId, t.dataset)],
);

/** An AI action recorded without a valid permission (SPEC §11.5). */
export const permissionBreaches = pgTable(
  "permission_breaches",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    interactionAiId: bigint("interaction_ai_id", { mode: "number" })
      .notNull()
      .unique()
      .references(() => interactionAi.id, { onDelete: "cascade" }),
    interactionId: bigint("interaction_id", { mode: "number" })
      .notNull()
      .references(() => interactions.id, { onDelete: "cascade" }),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    systemId: bigint("system_id", { mode: "number" }).notNull(),
    actionKey: text("action_key").notNull(),
    /** The decision the agent named, or null when it named none. */
    decisionId: text("decision_id"),
    /** decision_missing | decision_unknown | decision_not_allow | decision_other_customer | decision_other_action | decision_other_ai_system | decision_too_old | decision_already_used */
    reason: text("reason").notNull(),
    /** The staff case opened for it (origin "breach"). */
    concernId: bigint("concern_id", { mode: "number" }).references(() => concerns.id, { onDelete: "set null" }),
    /** The customer's own "contest this action" concern, once filed. */
    contestConcernId: bigint("contest_concern_id", { mode: "number" }).references(() => concerns.id, { onDelete: "set null" }),
    detectedAt: bigint("detected_at", { mode: "number" }).notNull(),
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
export const aiSystemAudits = pgTable(
  "ai_system_audits",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    systemId: bigint("system_id", { mode: "number" })
      .notNull()
      .references(() => aiSystems.id, { onDelete: "cascade" }),
    auditedOn: text("audited_on").notNull(),
    auditorName: text("auditor_name").notNull(),
    /** The auditor's staff account, when the auditor is a staff member. */
    auditorStaffId: bigint("auditor_staff_id", { mode: "number" }).references(() => staffUsers.id, { onDelete: "set null" }),
    scope: text("scope").notNull(),
    findings: text("findings").notNull(),
    /** passed | passed_with_actions | failed */
    result: text("result").notNull(),
    recordedBy: bigint("recorded_by", { mode: "number" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [
    index("ai_system_audits_system_day").on(t.systemId, t.auditedOn),
    index("ai_system_audits_day").on(t.auditedOn),
  ],
);

/** The one-paragraph public summary of an audit, per language (a missing language falls back to English, visibly). */
export const aiSystemAuditSummaries = pgTable(
  "ai_system_audit_summaries",
  {
    auditId: bigint("audit_id", { mode: "number" })
      .notNull()
      .references(() => aiSystemAudits.id, { onDelete: "cascade" }),
    lang: text("lang").notNull(),
    summary: text("summary").notNull(),
  },
  (t) => [primaryKey({ columns: [t.auditId, t.lang] })],
);

/** What an audit asks to be done: an owner (staff member), a due day (company zone, YYYY-MM-DD), done or not. */
export const aiSystemAuditActions = pgTable(
  "ai_system_audit_actions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    auditId: bigint("audit_id", { mode: "number" })
      .notNull()
      .references(() => aiSystemAudits.id, { onDelete: "cascade" }),
    systemId: bigint("system_id", { mode: "number" })
      .notNull()
      .references(() => aiSystems.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    ownerId: bigint("owner_id", { mode: "number" }).references(() => staffUsers.id, { onDelete: "set null" }),
    dueOn: text("due_on").notNull(),
    doneAt: bigint("done_at", { mode: "number" }),
    doneBy: bigint("done_by", { mode: "number" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
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
export const publicStatisticsState = pgTable("public_statistics_state", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  timeZone: text("time_zone"),
  builtAt: bigint("built_at", { mode: "number" }).notNull().default(0),
});

/** Queue: the filing time of every concern changed in a way the public statistics see (old and new). */
export const publicConcernChanges = pgTable("public_concern_changes", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  filedAt: bigint("filed_at", { mode: "number" }).notNull(),
});

/** Concerns per local day of filing and AI system (system id, "" none): received, resolved now, upheld. */
export const publicConcernDays = pgTable(
  "public_concern_days",
  {
    day: text("day").notNull(),
    systemKey: text("system_key").notNull(),
    received: bigint("received", { mode: "number" }).notNull(),
    resolved: bigint("resolved", { mode: "number" }).notNull(),
    upheld: bigint("upheld", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.systemKey] })],
);

/** Time to first answer per local day of filing and AI system, in whole seconds: how many concerns took each. */
export const publicFirstAnswers = pgTable(
  "public_first_answers",
  {
    day: text("day").notNull(),
    systemKey: text("system_key").notNull(),
    seconds: bigint("seconds", { mode: "number" }).notNull(),
    concerns: bigint("concerns", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.systemKey, t.seconds] })],
);

// ── Report figures (SPEC §4 "Reports"; reports.server.ts) ─────────────────
export const reportFiguresState = pgTable("report_figures_state", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  timeZone: text("time_zone"),
  builtAt: bigint("built_at", { mode: "number" }).notNull().default(0),
});

export const reportConcernChanges = pgTable("report_concern_changes", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  filedAt: bigint("filed_at", { mode: "number" }).notNull(),
});

export const reportConcernDays = pgTable(
  "report_concern_days",
  {
    dimension: text("dimension").notNull(),
    day: text("day").notNull(),
    key: text("key").notNull(),
    concerns: bigint("concerns", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.dimension, t.day, t.key] })],
);

export const reportConcernDurations = pgTable(
  "report_concern_durations",
  {
    measure: text("measure").notNull(),
    day: text("day").notNull(),
    seconds: bigint("seconds", { mode: "number" }).notNull(),
    concerns: bigint("concerns", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.measure, t.day, t.seconds] })],
);

export const reportChoiceChanges = pgTable("report_choice_changes", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  choiceKey: text("choice_key").notNull(),
  value: text("value").notNull(),
  delta: bigint("delta", { mode: "number" }).notNull(),
});

export const reportChoiceFigures = pgTable(
  "report_choice_figures",
  {
    choiceKey: text("choice_key").notNull(),
    value: text("value").notNull(),
    customers: bigint("customers", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.choiceKey, t.value] })],
);

// ── Monitoring of AI behaviour (SPEC §12; AI Act Art. 26(5), 72; app/domain/monitoring.server.ts) ──
// Weekly figures per AI system, folded in incrementally from the append-only records (decisions,
// confirmation answers, permission breaches, AI involvements: a watermark each) and from a queue
// of changed concerns (a trigger, migration monitoring_concern_triggers).

/** One row (id 1): the time zone the weeks were built for (null → rebuild) and the watermarks. */
export const monitoringState = pgTable("monitoring_state", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  timeZone: text("time_zone"),
  /** Decisions folded in: everything before (created_at, id) in that order. */
  decisionsCreatedAt: bigint("decisions_created_at", { mode: "number" }).notNull().default(0),
  decisionsId: text("decisions_id").notNull().default(""),
  /** Last confirmation_answers / permission_breaches / interaction_ai id folded in. */
  answersId: bigint("answers_id", { mode: "number" }).notNull().default(0),
  breachesId: bigint("breaches_id", { mode: "number" }).notNull().default(0),
  involvementsId: bigint("involvements_id", { mode: "number" }).notNull().default(0),
  /** When a refresh last changed a figure (ms): the figures' version. */
  builtAt: bigint("built_at", { mode: "number" }).notNull().default(0),
});

/** Queue: the filing time of every concern changed in a way monitoring counts (old and new). */
export const monitoringConcernChanges = pgTable("monitoring_concern_changes", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  filedAt: bigint("filed_at", { mode: "number" }).notNull(),
});

/**
 * Counts per AI system and ISO week (Monday 00:00 in the display time zone, ms) and key:
 * decision:<allow|ask|deny>, reason:<decision>:<reason>, answer:<approved|declined|expired>,
 * breaches, interactions, reviewed, concerns, upheld.
 */
export const monitoringFigures = pgTable(
  "monitoring_figures",
  {
    systemId: bigint("system_id", { mode: "number" }).notNull(),
    weekStart: bigint("week_start", { mode: "number" }).notNull(),
    key: text("key").notNull(),
    count: bigint("count", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.weekStart, t.systemId, t.key] })],
);

/** Thresholds set by admins: per metric, for one AI system or (system_id 0) for all of them. */
export const monitoringThresholds = pgTable(
  "monitoring_thresholds",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    /** The AI system, or 0 for every system without its own threshold for the metric. */
    systemId: bigint("system_id", { mode: "number" }).notNull(),
    /** deny_share | breaches | concerns_per_1000 | reviewed_share | expired_share | upheld */
    metric: text("metric").notNull(),
    /** In hundredths of the metric's unit (percent, count, concerns per 1,000 interactions). */
    valueHundredths: bigint("value_hundredths", { mode: "number" }).notNull(),
    updatedBy: bigint("updated_by", { mode: "number" }),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("monitoring_thresholds_system_metric").on(t.systemId, t.metric)],
);

/** A week that crossed a threshold: raised once per system, metric and week; acknowledged by staff. */
export const monitoringAlerts = pgTable(
  "monitoring_alerts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    systemId: bigint("system_id", { mode: "number" }).notNull(),
    metric: text("metric").notNull(),
    weekStart: bigint("week_start", { mode: "number" }).notNull(),
    /** The week's value and the threshold crossed, in hundredths of the metric's unit. */
    valueHundredths: bigint("value_hundredths", { mode: "number" }).notNull(),
    thresholdHundredths: bigint("threshold_hundredths", { mode: "number" }).notNull(),
    raisedAt: bigint("raised_at", { mode: "number" }).notNull(),
    acknowledgedAt: bigint("acknowledged_at", { mode: "number" }),
    acknowledgedBy: bigint("acknowledged_by", { mode: "number" }),
  },
  (t) => [
    uniqueIndex("monitoring_alerts_system_metric_week").on(t.systemId, t.metric, t.weekStart),
    index("monitoring_alerts_open").on(t.raisedAt).where(sql`${t.acknowledgedAt} is null`),
  ],
);
