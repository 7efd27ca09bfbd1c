/**
 * Decision checks (SPEC §5.2, §11.1–§11.3): the check an AI agent makes before a proactive action,
 * and what it reads first (the customer's current choices). The rules are written once
 * (`applyRules` in decision-rules.ts, pure; `preferenceSnapshot`); the queries once (`factsQuery`, `insertQuery`,
 * `preferencesQuery`, as drizzle SQL). They run three ways, with the same answers:
 * - `decide(db)`: the domain's async handle (or a transaction), on either engine;
 * - the agents' hot path (`decisionCheck(database)`, `preferencesRead(database)`): the same SQL
 *   compiled once into prepared statements per engine — better-sqlite3 statements on the embedded
 *   engine, named node-postgres statements on PostgreSQL.
 * Every check is one facts statement and one insert.
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql, type Placeholder, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type pg from "pg";
import { decisions, interactionAi, interactions } from "../../db/schema";
import { executeSql, isUniqueViolation, type AnyDatabase, type Db } from "../utils/db.server";
import { companyTimeZone } from "./settings.server";
import { limitsProblem } from "./permission-limits";
import {
  HUMAN_FIRST_KEY,
  IDENTITY_KEY,
  type ChoiceKind,
  type PermissionLimits,
} from "./vocabulary";
import type { SqliteDatabase } from "../utils/db-sqlite.server";
import { applyRules, DAY_MS, type DecideInput, type Facts } from "./decision-rules";

export type { DecideInput } from "./decision-rules";

export type Decision = typeof decisions.$inferSelect;


type FactsParams = Record<"customerId" | "actionKey" | "aiSystemSlug" | "interactionRef" | "confirmationId", unknown>;

/** A constant key as an SQL literal (constants only: the hot path's statements take placeholders for inputs). */
const keyLiteral = (key: string) => {
  if (!/^[a-z_-]+$/.test(key)) throw new Error(`Not a literal key: ${key}`);
  return sql.raw(`'${key}'`);
};

/**
 * The facts of one check. Valid on both engines: quoted aliases (PostgreSQL folds unquoted ones
 * to lower case), an aliased derived table, a typed NULL test of the optional interaction ref.
 * Every join is by primary or unique key; "spent" reads the partial unique index
 * `decisions_confirmation_use` (same literal predicate).
 */
function factsQuery(p: FactsParams): SQL {
  return sql`
SELECT
  c.id IS NOT NULL AS "hasCustomer",
  c.preference_version AS "preferenceVersion",
  c.time_zone AS "timeZone",
  d.key IS NOT NULL AS "hasDefinition",
  d.default_value AS "defaultValue",
  d.notice_version AS "definitionNoticeVersion",
  s.id IS NOT NULL AS "hasSystem",
  s.status AS "systemStatus",
  (SELECT 1 FROM ai_system_actions a WHERE a.system_id = s.id AND a.choice_key = d.key) AS "registered",
  p.value AS "value",
  p.notice_version AS "preferenceNoticeVersion",
  p.updated_at AS "preferenceUpdatedAt",
  p.limits AS "limits",
  hp.value AS "humanFirstValue",
  hd.default_value AS "humanFirstDefault",
  ip.value AS "identityValue",
  id.default_value AS "identityDefault",
  CASE WHEN CAST(${p.interactionRef} AS TEXT) IS NULL OR c.id IS NULL THEN NULL ELSE
    (SELECT i.id FROM interactions i WHERE i.customer_id = c.id AND i.ref = ${p.interactionRef} LIMIT 1) END AS "interactionId",
  cf.id AS "confirmationId",
  cf.customer_id AS "confirmationCustomerId",
  cf.action_key AS "confirmationActionKey",
  cf.ai_system_slug AS "confirmationAiSystemSlug",
  cf.amount_hundredths AS "confirmationAmountHundredths",
  cf.currency AS "confirmationCurrency",
  cf.channel AS "confirmationChannel",
  cf.expires_at AS "confirmationExpiresAt",
  ca.answer AS "confirmationAnswer",
  (SELECT 1 FROM decisions u WHERE u.confirmation_id = cf.id AND u.reason = 'confirmed_by_customer') AS "confirmationSpent"
FROM (SELECT 1) AS one
LEFT JOIN customers c ON c.id = ${p.customerId} AND c.erased_at IS NULL
LEFT JOIN choice_definitions d ON d.key = ${p.actionKey} AND d.kind = 'action'
LEFT JOIN ai_systems s ON s.slug = ${p.aiSystemSlug}
LEFT JOIN preferences p ON p.customer_id = c.id AND p.choice_key = d.key
LEFT JOIN choice_definitions hd ON hd.key = ${keyLiteral(HUMAN_FIRST_KEY)}
LEFT JOIN preferences hp ON hp.customer_id = c.id AND hp.choice_key = hd.key
LEFT JOIN choice_definitions id ON id.key = ${keyLiteral(IDENTITY_KEY)}
LEFT JOIN preferences ip ON ip.customer_id = c.id AND ip.choice_key = id.key
LEFT JOIN confirmations cf ON cf.id = ${p.confirmationId}
LEFT JOIN confirmation_answers ca ON ca.confirmation_id = cf.id`;
}

/** The decision record (append-only). */
function insertQuery(p: Record<keyof Decision, unknown>): SQL {
  return sql`INSERT INTO decisions
  (id, customer_id, action_key, ai_system_slug, interaction_id, decision, reason, preference_version, confirmation_id, context, retry_after, created_at)
  VALUES (${p.id}, ${p.customerId}, ${p.actionKey}, ${p.aiSystemSlug}, ${p.interactionId}, ${p.decision}, ${p.reason}, ${p.preferenceVersion}, ${p.confirmationId}, ${p.context}, ${p.retryAfter}, ${p.createdAt})`;
}

const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const textOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

/**
 * Stored limits (PermissionLimits JSON text) as the rules read them, or null when none is set.
 * Throws on anything malformed (`limitsProblem`): unlike a page, which may show unreadable limits
 * as none, a check must not read them as "no limit" — the hot path then answers 503 "do not act".
 */
export function limitsInForce(text: string): PermissionLimits | null {
  const raw: unknown = JSON.parse(text);
  const problem = limitsProblem(raw);
  if (problem !== null) throw new Error(`Malformed limits: ${problem}`);
  const limits = raw as PermissionLimits | null;
  return limits && (limits.maxAmount || limits.channels || limits.quietHours || limits.allowedForDays !== undefined) ? limits : null;
}

/** A facts row as either engine returns it (0/1 or booleans; int8 as number or text). */
function factsOf(row: Record<string, unknown>): Facts {
  const limits = textOrNull(row.limits);
  return {
    hasCustomer: Boolean(row.hasCustomer),
    preferenceVersion: numberOrNull(row.preferenceVersion),
    timeZone: textOrNull(row.timeZone),
    hasDefinition: Boolean(row.hasDefinition),
    defaultValue: textOrNull(row.defaultValue),
    definitionNoticeVersion: numberOrNull(row.definitionNoticeVersion),
    hasSystem: Boolean(row.hasSystem),
    systemStatus: textOrNull(row.systemStatus),
    registered: Boolean(row.registered),
    value: textOrNull(row.value),
    preferenceNoticeVersion: numberOrNull(row.preferenceNoticeVersion),
    preferenceUpdatedAt: numberOrNull(row.preferenceUpdatedAt),
    limits: limits === null ? null : limitsInForce(limits),
    humanFirstValue: textOrNull(row.humanFirstValue),
    humanFirstDefault: textOrNull(row.humanFirstDefault),
    identityValue: textOrNull(row.identityValue),
    identityDefault: textOrNull(row.identityDefault),
    interactionId: numberOrNull(row.interactionId),
    confirmation:
      row.confirmationId === null || row.confirmationId === undefined
        ? null
        : {
            customerId: String(row.confirmationCustomerId),
            actionKey: String(row.confirmationActionKey),
            aiSystemSlug: String(row.confirmationAiSystemSlug),
            amountHundredths: numberOrNull(row.confirmationAmountHundredths),
            currency: textOrNull(row.confirmationCurrency),
            channel: textOrNull(row.confirmationChannel),
            expiresAt: Number(row.confirmationExpiresAt),
            answer: textOrNull(row.confirmationAnswer),
            spent: Boolean(row.confirmationSpent),
          },
  };
}


/** The record of one check: the rules applied to its facts. */
function decisionRecord(input: DecideInput, facts: Facts): Decision {
  const now = input.now ?? Date.now();
  const { decision, reason, retryAfter } = applyRules(facts, input, now);
  return {
    id: randomUUID(),
    customerId: input.customerId,
    actionKey: input.actionKey,
    aiSystemSlug: input.aiSystemSlug,
    interactionId: facts.interactionId,
    decision,
    reason,
    preferenceVersion: facts.preferenceVersion ?? 0,
    confirmationId: input.confirmationId ?? null,
    context: input.context ? JSON.stringify(input.context) : null,
    retryAfter,
    createdAt: now,
  };
}

/**
 * A concurrent check spent the approval first (PostgreSQL: both read it unused; the unique index
 * `decisions_confirmation_use` refused the second insert): this one is a deny confirmation_used.
 */
const alreadyUsed = (record: Decision): Decision => ({ ...record, decision: "deny", reason: "confirmation_used", retryAfter: null });
const spendsConfirmation = (record: Decision) => record.reason === "confirmed_by_customer";

const factsParams = (input: DecideInput): FactsParams => ({
  customerId: input.customerId,
  actionKey: input.actionKey,
  aiSystemSlug: input.aiSystemSlug,
  interactionRef: input.interactionRef ?? null,
  confirmationId: input.confirmationId ?? null,
});

/**
 * The check an AI agent makes before a proactive action (the rules: `applyRules`), async, on
 * either engine; `db` may be a transaction. Every answer is recorded (append-only), in the same
 * transaction as the facts it was made from; an approval is spent by at most one decision (the
 * loser of a race is recorded as deny confirmation_used). The API's hot path runs the same SQL and
 * rules as prepared statements (`decisionCheck`).
 */
export async function decide(db: Db, input: DecideInput): Promise<Decision> {
  return db.transaction(async (tx) => {
    const [row] = await executeSql(tx, factsQuery(factsParams(input)));
    const record = decisionRecord(input, factsOf(row!));
    if (!spendsConfirmation(record)) {
      await tx.insert(decisions).values(record);
      return record;
    }
    try {
      // A savepoint: on PostgreSQL a failed insert would otherwise abort the whole transaction.
      await tx.transaction(async (savepoint) => {
        await savepoint.insert(decisions).values(record);
      });
      return record;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const used = alreadyUsed(record);
      await tx.insert(decisions).values(used);
      return used;
    }
  });
}

/**
 * The decision checks made for these interactions (async), for the customer's timeline: those made
 * with the interaction's ref, and those an AI action of the interaction names as its permission
 * (an agent checks before the interaction is recorded, SPEC §11.5) — only when the decision is the
 * same customer's, so a breach naming another customer's decision never shows that decision.
 * `forInteractionId`: the interaction it is shown on (a check appears once per interaction it belongs to).
 */
export async function decisionsForInteractions(db: Db, interactionIds: number[]): Promise<(Decision & { forInteractionId: number })[]> {
  if (interactionIds.length === 0) return [];
  const direct = await db.select().from(decisions).where(inArray(decisions.interactionId, interactionIds));
  const named = await db
    .select({ decision: decisions, interactionId: interactionAi.interactionId })
    .from(interactionAi)
    .innerJoin(interactions, eq(interactions.id, interactionAi.interactionId))
    .innerJoin(decisions, and(eq(decisions.id, interactionAi.decisionId), eq(decisions.customerId, interactions.customerId)))
    .where(inArray(interactionAi.interactionId, interactionIds));
  // A check made during one conversation may permit an action recorded as another interaction: it shows on both.
  const found = new Map(direct.map((d) => [`${d.id}|${d.interactionId}`, { ...d, forInteractionId: d.interactionId! }]));
  for (const { decision, interactionId } of named) {
    const key = `${decision.id}|${interactionId}`;
    if (!found.has(key)) found.set(key, { ...decision, forInteractionId: interactionId });
  }
  return Array.from(found, ([, decision]) => decision);
}

// ── What an agent reads before deciding: the customer's current choices ──────────────────────

/**
 * The limits of a choice as the agents' API reports them (SPEC §11.2): as stored (amounts in
 * hundredths), with the time zone the quiet hours are in and, for `allowedForDays`, the instant
 * (ms) the value stops being "allowed".
 */
export interface ChoiceLimits extends Omit<PermissionLimits, "quietHours"> {
  quietHours?: { from: string; to: string; timeZone: string };
  allowedUntil?: number;
}

/** One choice of a customer as the agents' API reports it; `updatedAt` in epoch ms. */
export interface PreferenceSnapshotChoice {
  key: string;
  kind: ChoiceKind;
  value: string;
  isDefault: boolean;
  noticeVersion: number;
  /** Given under an older notice, or an "allow" whose `allowedForDays` ran out. */
  needsReconfirmation: boolean;
  method: string | null;
  updatedAt: number | null;
  limits: ChoiceLimits | null;
}

export interface PreferenceSnapshot {
  customerId: string;
  preferenceVersion: number;
  choices: PreferenceSnapshotChoice[];
}

/** Every choice (in position order) with the customer's value, or no row for an unknown or erased customer. */
function preferencesQuery(p: { customerId: unknown }): SQL {
  return sql`
SELECT c.preference_version AS "version", c.time_zone AS "timeZone", d.key AS "key", d.kind AS "kind", d.default_value AS "defaultValue",
       d.notice_version AS "definitionNoticeVersion", p.value AS "value", p.notice_version AS "preferenceNoticeVersion",
       p.method AS "method", p.updated_at AS "updatedAt", p.limits AS "limits"
FROM customers c
LEFT JOIN choice_definitions d ON 1 = 1
LEFT JOIN preferences p ON p.customer_id = c.id AND p.choice_key = d.key
WHERE c.id = ${p.customerId} AND c.erased_at IS NULL
ORDER BY d.position`;
}

/** Stored limits as reported: the quiet hours' zone (`timeZone`), `allowedUntil` from when the value was given. */
function choiceLimits(limits: PermissionLimits, timeZone: string, updatedAt: number | null): ChoiceLimits {
  const { quietHours, ...rest } = limits;
  return {
    ...rest,
    ...(quietHours ? { quietHours: { from: quietHours.from, to: quietHours.to, timeZone } } : {}),
    ...(limits.allowedForDays !== undefined ? { allowedUntil: (updatedAt ?? 0) + limits.allowedForDays * DAY_MS } : {}),
  };
}

/**
 * The customer's choices from the rows of `preferencesQuery` at `now` (ms): the value in force
 * (their own or the default), its limits, and whether the own value needs reconfirmation (given
 * under an older notice, or an "allow" past its `allowedForDays`). Undefined for an unknown or
 * erased customer.
 */
function preferenceSnapshot(customerId: string, rows: Record<string, unknown>[], now: number): PreferenceSnapshot | undefined {
  if (rows.length === 0) return undefined;
  const first = rows[0]!;
  return {
    customerId,
    preferenceVersion: Number(first.version),
    choices: rows
      .filter((r) => r.key !== null)
      .map((r) => {
        const value = textOrNull(r.value);
        const definitionNoticeVersion = Number(r.definitionNoticeVersion);
        const preferenceNoticeVersion = numberOrNull(r.preferenceNoticeVersion);
        const updatedAt = numberOrNull(r.updatedAt);
        const stored = r.limits === null || r.limits === undefined ? null : limitsInForce(String(r.limits));
        const limits = stored ? choiceLimits(stored, textOrNull(first.timeZone) ?? companyTimeZone(), updatedAt) : null;
        const expired = value === "allow" && limits?.allowedUntil !== undefined && now >= limits.allowedUntil;
        return {
          key: String(r.key),
          kind: r.kind as ChoiceKind,
          value: value ?? String(r.defaultValue),
          isDefault: value === null,
          noticeVersion: preferenceNoticeVersion ?? definitionNoticeVersion,
          needsReconfirmation: value !== null && ((preferenceNoticeVersion ?? 0) < definitionNoticeVersion || expired),
          method: textOrNull(r.method),
          updatedAt,
          limits,
        };
      }),
  };
}

// ── The agents' hot path: the same SQL as prepared statements, per engine ────────────────────

/** A decision check bound to one database's connection(s), as prepared statements. */
export type DecideFn = (input: DecideInput) => Promise<Decision>;
/** The customer's choices (`PreferenceSnapshot`) read by one prepared statement. */
export type PreferencesReadFn = (customerId: string) => Promise<PreferenceSnapshot | undefined>;

interface Compiled {
  text: string;
  /** The statement's positional values, from named inputs. */
  values(input: object): unknown[];
}

/** Renders a query written with `sql.placeholder`s in an engine's dialect, once. */
function compile(dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } }, query: SQL): Compiled {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const names = params.map((p) => (p as Placeholder).name);
  return { text, values: (input) => names.map((name) => (input as Record<string, unknown>)[name]) };
}

const placeholders = <K extends string>(...names: K[]) => Object.fromEntries(names.map((n) => [n, sql.placeholder(n)])) as Record<K, unknown>;
const FACTS_PLACEHOLDERS = placeholders("customerId", "actionKey", "aiSystemSlug", "interactionRef", "confirmationId");
const INSERT_PLACEHOLDERS = placeholders("id", "customerId", "actionKey", "aiSystemSlug", "interactionId", "decision", "reason", "preferenceVersion", "confirmationId", "context", "retryAfter", "createdAt");
const PREFERENCES_PLACEHOLDERS = placeholders("customerId");

const sqliteDialect = new SQLiteAsyncDialect();
const pgDialect = new PgDialect();

/** SQLite: the facts statement and the insert, in one IMMEDIATE transaction. */
function sqliteDecisionCheck(database: SqliteDatabase): DecideFn {
  const { client } = database;
  const factsSql = compile(sqliteDialect, factsQuery(FACTS_PLACEHOLDERS));
  const insertSql = compile(sqliteDialect, insertQuery(INSERT_PLACEHOLDERS));
  const facts = client.prepare<unknown[], Record<string, unknown>>(factsSql.text);
  const insert = client.prepare(insertSql.text);
  const check = client.transaction((input: DecideInput): Decision => {
    const record = decisionRecord(input, factsOf(facts.get(...factsSql.values(factsParams(input)))!));
    try {
      insert.run(...insertSql.values(record));
      return record;
    } catch (error) {
      // Serialised here, so only another process (CLI) could have spent it in between.
      if (!spendsConfirmation(record) || !isUniqueViolation(error)) throw error;
      const used = alreadyUsed(record);
      insert.run(...insertSql.values(used));
      return used;
    }
  });
  return async (input) => database.exclusive(() => check.immediate(input));
}

/**
 * PostgreSQL: the facts statement (one snapshot), then the insert, as named prepared statements
 * (prepared once per pooled connection). A failed insert throws: no answer without its record —
 * except the loser of a race for one approval, recorded and answered as deny confirmation_used.
 */
function postgresDecisionCheck(pool: pg.Pool): DecideFn {
  const factsSql = compile(pgDialect, factsQuery(FACTS_PLACEHOLDERS));
  const insertSql = compile(pgDialect, insertQuery(INSERT_PLACEHOLDERS));
  const insert = (record: Decision) => pool.query({ name: "candor_decision_insert", text: insertSql.text, values: insertSql.values(record) });
  return async (input) => {
    const { rows } = await pool.query<Record<string, unknown>>({ name: "candor_decision_facts", text: factsSql.text, values: factsSql.values(factsParams(input)) });
    const record = decisionRecord(input, factsOf(rows[0]!));
    try {
      await insert(record);
      return record;
    } catch (error) {
      if (!spendsConfirmation(record) || !isUniqueViolation(error)) throw error;
      const used = alreadyUsed(record);
      await insert(used);
      return used;
    }
  };
}

function sqlitePreferencesRead(database: SqliteDatabase): PreferencesReadFn {
  const compiled = compile(sqliteDialect, preferencesQuery(PREFERENCES_PLACEHOLDERS));
  const statement = database.client.prepare<unknown[], Record<string, unknown>>(compiled.text);
  return async (customerId) => preferenceSnapshot(customerId, await database.exclusive(() => statement.all(...compiled.values({ customerId }))), Date.now());
}

function postgresPreferencesRead(pool: pg.Pool): PreferencesReadFn {
  const compiled = compile(pgDialect, preferencesQuery(PREFERENCES_PLACEHOLDERS));
  return async (customerId) => {
    const { rows } = await pool.query<Record<string, unknown>>({ name: "candor_preferences_read", text: compiled.text, values: compiled.values({ customerId }) });
    return preferenceSnapshot(customerId, rows, Date.now());
  };
}

/**
 * The decision check of the agents' hot path (POST /api/v1/decisions), prepared once per
 * database: the SQL and rules of `decide()`, as prepared statements of the database's engine.
 * Built once per process by the composition root (`services.decide`).
 */
export function decisionCheck(database: AnyDatabase): DecideFn {
  return database.engine === "sqlite" ? sqliteDecisionCheck(database) : postgresDecisionCheck(database.pool);
}

/**
 * The customer's current choices for the agents' hot path (GET /api/v1/customers/:id/preferences),
 * one prepared statement per engine. Built once per process by the composition root
 * (`services.readPreferences`). Undefined for an unknown or erased customer.
 */
export function preferencesRead(database: AnyDatabase): PreferencesReadFn {
  return database.engine === "sqlite" ? sqlitePreferencesRead(database) : postgresPreferencesRead(database.pool);
}
