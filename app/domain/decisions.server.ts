/**
 * Decision checks (SPEC §5.2): the check an AI agent makes before a proactive action, and what it
 * reads first (the customer's current choices). The rules are written once (`applyRules`,
 * `preferenceSnapshot`); the queries once (`factsQuery`, `insertQuery`, `preferencesQuery`, as
 * drizzle SQL). They run three ways, with the same answers:
 * - `decide(db)`: the domain's async handle (or a transaction), on either engine;
 * - the agents' hot path (`decisionCheck(database)`, `preferencesRead(database)`): the same SQL
 *   compiled once into prepared statements per engine — better-sqlite3 statements on the embedded
 *   engine, named node-postgres statements on PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { inArray, sql, type Placeholder, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type pg from "pg";
import { decisions } from "../../db/schema";
import { executeSql, type AnyDatabase, type Db } from "../utils/db.server";
import type { DecisionContext } from "./vocabulary";
import type { SqliteDatabase } from "../utils/db-sqlite.server";

export type DecisionValue = "allow" | "ask" | "deny";
export type Decision = typeof decisions.$inferSelect;

export interface DecideInput {
  customerId: string;
  actionKey: string;
  aiSystemSlug: string;
  interactionRef?: string | null;
  /** An approved confirmation the agent presents (SPEC §11.1). */
  confirmationId?: string | null;
  /** What the agent says about the action (SPEC §11.2, §11.3). */
  context?: DecisionContext;
  now?: number;
}

const DECISION_FOR_PREFERENCE: Record<string, DecisionValue> = { allow: "allow", ask: "ask", never: "deny" };

/** Everything the rules need, read by ONE statement (one consistent snapshot). */
export interface Facts {
  hasCustomer: boolean;
  preferenceVersion: number | null;
  hasDefinition: boolean;
  defaultValue: string | null;
  definitionNoticeVersion: number | null;
  hasSystem: boolean;
  systemStatus: string | null;
  registered: boolean;
  value: string | null;
  preferenceNoticeVersion: number | null;
  interactionId: number | null;
}

type FactsParams = Record<"customerId" | "actionKey" | "aiSystemSlug" | "interactionRef", unknown>;

/**
 * The facts of one check. Valid on both engines: quoted aliases (PostgreSQL folds unquoted ones
 * to lower case), an aliased derived table, a typed NULL test of the optional interaction ref.
 */
function factsQuery(p: FactsParams): SQL {
  return sql`
SELECT
  c.id IS NOT NULL AS "hasCustomer",
  c.preference_version AS "preferenceVersion",
  d.key IS NOT NULL AS "hasDefinition",
  d.default_value AS "defaultValue",
  d.notice_version AS "definitionNoticeVersion",
  s.id IS NOT NULL AS "hasSystem",
  s.status AS "systemStatus",
  (SELECT 1 FROM ai_system_actions a WHERE a.system_id = s.id AND a.choice_key = d.key) AS "registered",
  p.value AS "value",
  p.notice_version AS "preferenceNoticeVersion",
  CASE WHEN CAST(${p.interactionRef} AS TEXT) IS NULL OR c.id IS NULL THEN NULL ELSE
    (SELECT i.id FROM interactions i WHERE i.customer_id = c.id AND i.ref = ${p.interactionRef} LIMIT 1) END AS "interactionId"
FROM (SELECT 1) AS one
LEFT JOIN customers c ON c.id = ${p.customerId} AND c.erased_at IS NULL
LEFT JOIN choice_definitions d ON d.key = ${p.actionKey} AND d.kind = 'action'
LEFT JOIN ai_systems s ON s.slug = ${p.aiSystemSlug}
LEFT JOIN preferences p ON p.customer_id = c.id AND p.choice_key = d.key`;
}

/** The decision record (append-only). */
function insertQuery(p: Record<keyof Decision, unknown>): SQL {
  return sql`INSERT INTO decisions
  (id, customer_id, action_key, ai_system_slug, interaction_id, decision, reason, preference_version, confirmation_id, context, retry_after, created_at)
  VALUES (${p.id}, ${p.customerId}, ${p.actionKey}, ${p.aiSystemSlug}, ${p.interactionId}, ${p.decision}, ${p.reason}, ${p.preferenceVersion}, ${p.confirmationId}, ${p.context}, ${p.retryAfter}, ${p.createdAt})`;
}

const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const textOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

/** A facts row as either engine returns it (0/1 or booleans; int8 as number or text). */
function factsOf(row: Record<string, unknown>): Facts {
  return {
    hasCustomer: Boolean(row.hasCustomer),
    preferenceVersion: numberOrNull(row.preferenceVersion),
    hasDefinition: Boolean(row.hasDefinition),
    defaultValue: textOrNull(row.defaultValue),
    definitionNoticeVersion: numberOrNull(row.definitionNoticeVersion),
    hasSystem: Boolean(row.hasSystem),
    systemStatus: textOrNull(row.systemStatus),
    registered: Boolean(row.registered),
    value: textOrNull(row.value),
    preferenceNoticeVersion: numberOrNull(row.preferenceNoticeVersion),
    interactionId: numberOrNull(row.interactionId),
  };
}

/**
 * The rules, in one place. Fails closed: an unknown customer, action or AI system — or a system
 * not registered for that action — is a "deny" with a reason; an "allow" given under an older
 * notice of the choice is only an "ask" until reconfirmed.
 */
export function applyRules(f: Facts): { decision: DecisionValue; reason: string } {
  if (!f.hasCustomer) return { decision: "deny", reason: "unknown_customer" };
  if (!f.hasDefinition) return { decision: "deny", reason: "unknown_action" };
  if (!f.hasSystem || f.systemStatus !== "active") return { decision: "deny", reason: "unknown_ai_system" };
  if (!f.registered) return { decision: "deny", reason: "action_not_registered" };
  const value = f.value ?? f.defaultValue ?? "never";
  const decision = DECISION_FOR_PREFERENCE[value] ?? "deny";
  if (f.value !== null && decision === "allow" && (f.preferenceNoticeVersion ?? 0) < (f.definitionNoticeVersion ?? 0)) {
    return { decision: "ask", reason: "needs_reconfirmation" };
  }
  return { decision, reason: f.value !== null ? `preference_${value}` : `default_${value}` };
}

/** The record of one check: the rules applied to its facts. */
function decisionRecord(input: DecideInput, facts: Facts): Decision {
  const { decision, reason } = applyRules(facts);
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
    retryAfter: null,
    createdAt: input.now ?? Date.now(),
  };
}

const factsParams = (input: DecideInput): FactsParams => ({
  customerId: input.customerId,
  actionKey: input.actionKey,
  aiSystemSlug: input.aiSystemSlug,
  interactionRef: input.interactionRef ?? null,
});

/**
 * The check an AI agent makes before a proactive action (see `applyRules`), async, on either
 * engine; `db` may be a transaction. Every answer is recorded (append-only), in the same
 * transaction as the facts it was made from. The API's hot path runs the same SQL and rules as
 * prepared statements (`decisionCheck`).
 */
export async function decide(db: Db, input: DecideInput): Promise<Decision> {
  return db.transaction(async (tx) => {
    const [row] = await executeSql(tx, factsQuery(factsParams(input)));
    const record = decisionRecord(input, factsOf(row!));
    await tx.insert(decisions).values(record);
    return record;
  });
}

/** The decision checks made for these interactions (async), for the customer's timeline. */
export async function decisionsForInteractions(db: Db, interactionIds: number[]): Promise<Decision[]> {
  if (interactionIds.length === 0) return [];
  return db.select().from(decisions).where(inArray(decisions.interactionId, interactionIds));
}

// ── What an agent reads before deciding: the customer's current choices ──────────────────────

/** One choice of a customer as the agents' API reports it; `updatedAt` in epoch ms. */
export interface PreferenceSnapshotChoice {
  key: string;
  kind: "action" | "training" | "human_first";
  value: string;
  isDefault: boolean;
  noticeVersion: number;
  needsReconfirmation: boolean;
  method: string | null;
  updatedAt: number | null;
}

export interface PreferenceSnapshot {
  customerId: string;
  preferenceVersion: number;
  choices: PreferenceSnapshotChoice[];
}

/** Every choice (in position order) with the customer's value, or no row for an unknown or erased customer. */
function preferencesQuery(p: { customerId: unknown }): SQL {
  return sql`
SELECT c.preference_version AS "version", d.key AS "key", d.kind AS "kind", d.default_value AS "defaultValue",
       d.notice_version AS "definitionNoticeVersion", p.value AS "value", p.notice_version AS "preferenceNoticeVersion",
       p.method AS "method", p.updated_at AS "updatedAt"
FROM customers c
LEFT JOIN choice_definitions d ON 1 = 1
LEFT JOIN preferences p ON p.customer_id = c.id AND p.choice_key = d.key
WHERE c.id = ${p.customerId} AND c.erased_at IS NULL
ORDER BY d.position`;
}

/**
 * The customer's choices from the rows of `preferencesQuery`: the value in force (their own or the
 * default) and whether an own value was given under an older notice (then it needs reconfirmation).
 * Undefined for an unknown or erased customer.
 */
function preferenceSnapshot(customerId: string, rows: Record<string, unknown>[]): PreferenceSnapshot | undefined {
  if (rows.length === 0) return undefined;
  return {
    customerId,
    preferenceVersion: Number(rows[0]!.version),
    choices: rows
      .filter((r) => r.key !== null)
      .map((r) => {
        const value = textOrNull(r.value);
        const definitionNoticeVersion = Number(r.definitionNoticeVersion);
        const preferenceNoticeVersion = numberOrNull(r.preferenceNoticeVersion);
        return {
          key: String(r.key),
          kind: r.kind as PreferenceSnapshotChoice["kind"],
          value: value ?? String(r.defaultValue),
          isDefault: value === null,
          noticeVersion: preferenceNoticeVersion ?? definitionNoticeVersion,
          needsReconfirmation: value !== null && (preferenceNoticeVersion ?? 0) < definitionNoticeVersion,
          method: textOrNull(r.method),
          updatedAt: numberOrNull(r.updatedAt),
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
const FACTS_PLACEHOLDERS = placeholders("customerId", "actionKey", "aiSystemSlug", "interactionRef");
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
    insert.run(...insertSql.values(record));
    return record;
  });
  return async (input) => database.exclusive(() => check.immediate(input));
}

/**
 * PostgreSQL: the facts statement (one snapshot), then the insert, as named prepared statements
 * (prepared once per pooled connection). A failed insert throws: no answer without its record.
 */
function postgresDecisionCheck(pool: pg.Pool): DecideFn {
  const factsSql = compile(pgDialect, factsQuery(FACTS_PLACEHOLDERS));
  const insertSql = compile(pgDialect, insertQuery(INSERT_PLACEHOLDERS));
  return async (input) => {
    const { rows } = await pool.query<Record<string, unknown>>({ name: "candor_decision_facts", text: factsSql.text, values: factsSql.values(factsParams(input)) });
    const record = decisionRecord(input, factsOf(rows[0]!));
    await pool.query({ name: "candor_decision_insert", text: insertSql.text, values: insertSql.values(record) });
    return record;
  };
}

function sqlitePreferencesRead(database: SqliteDatabase): PreferencesReadFn {
  const compiled = compile(sqliteDialect, preferencesQuery(PREFERENCES_PLACEHOLDERS));
  const statement = database.client.prepare<unknown[], Record<string, unknown>>(compiled.text);
  return async (customerId) => preferenceSnapshot(customerId, await database.exclusive(() => statement.all(...compiled.values({ customerId }))));
}

function postgresPreferencesRead(pool: pg.Pool): PreferencesReadFn {
  const compiled = compile(pgDialect, preferencesQuery(PREFERENCES_PLACEHOLDERS));
  return async (customerId) => {
    const { rows } = await pool.query<Record<string, unknown>>({ name: "candor_preferences_read", text: compiled.text, values: compiled.values({ customerId }) });
    return preferenceSnapshot(customerId, rows);
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
