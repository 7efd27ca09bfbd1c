import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { inArray } from "drizzle-orm";
import { decisions } from "../../db/schema";
import type { SyncDb } from "../utils/db.server";

export type DecisionValue = "allow" | "ask" | "deny";
export type Decision = typeof decisions.$inferSelect;

export interface DecideInput {
  customerId: string;
  actionKey: string;
  aiSystemSlug: string;
  interactionRef?: string | null;
  now?: number;
}

const DECISION_FOR_PREFERENCE: Record<string, DecisionValue> = { allow: "allow", ask: "ask", never: "deny" };

/** Everything the rules need, read by ONE prepared statement (one consistent snapshot). */
interface Facts {
  hasCustomer: 0 | 1;
  preferenceVersion: number | null;
  hasDefinition: 0 | 1;
  defaultValue: string | null;
  definitionNoticeVersion: number | null;
  hasSystem: 0 | 1;
  systemStatus: string | null;
  registered: 0 | 1 | null;
  value: string | null;
  preferenceNoticeVersion: number | null;
  interactionId: number | null;
}

const FACTS_SQL = `
SELECT
  c.id IS NOT NULL AS hasCustomer,
  c.preference_version AS preferenceVersion,
  d.key IS NOT NULL AS hasDefinition,
  d.default_value AS defaultValue,
  d.notice_version AS definitionNoticeVersion,
  s.id IS NOT NULL AS hasSystem,
  s.status AS systemStatus,
  (SELECT 1 FROM ai_system_actions a WHERE a.system_id = s.id AND a.choice_key = d.key) AS registered,
  p.value AS value,
  p.notice_version AS preferenceNoticeVersion,
  CASE WHEN @interactionRef IS NULL OR c.id IS NULL THEN NULL ELSE
    (SELECT i.id FROM interactions i WHERE i.customer_id = c.id AND i.ref = @interactionRef LIMIT 1) END AS interactionId
FROM (SELECT 1)
LEFT JOIN customers c ON c.id = @customerId AND c.erased_at IS NULL
LEFT JOIN choice_definitions d ON d.key = @actionKey AND d.kind = 'action'
LEFT JOIN ai_systems s ON s.slug = @aiSystemSlug
LEFT JOIN preferences p ON p.customer_id = c.id AND p.choice_key = d.key`;

const INSERT_SQL = `INSERT INTO decisions
  (id, customer_id, action_key, ai_system_slug, interaction_id, decision, reason, preference_version, created_at)
  VALUES (@id, @customerId, @actionKey, @aiSystemSlug, @interactionId, @decision, @reason, @preferenceVersion, @createdAt)`;

/**
 * The rules, in one place. Fails closed: an unknown customer, action or AI system — or a system
 * not registered for that action — is a "deny" with a reason; an "allow" given under an older
 * notice of the choice is only an "ask" until reconfirmed.
 */
function applyRules(f: Facts): { decision: DecisionValue; reason: string } {
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

/** A decision check bound to one SQLite connection: two prepared statements in an IMMEDIATE transaction. */
export type DecideFn = (input: DecideInput) => Decision;

const compiled = new WeakMap<Database.Database, DecideFn>();

/**
 * Prepares the decision check on a raw better-sqlite3 connection (once per connection). Used by
 * `decide()` and by the API's lean handler, so both follow exactly the same rules.
 */
export function decisionCheck(client: Database.Database): DecideFn {
  let fn = compiled.get(client);
  if (fn) return fn;
  const facts = client.prepare<Record<string, unknown>, Facts>(FACTS_SQL);
  const insert = client.prepare(INSERT_SQL);
  const run = client.transaction((input: DecideInput): Decision => {
    const f = facts.get({
      customerId: input.customerId,
      actionKey: input.actionKey,
      aiSystemSlug: input.aiSystemSlug,
      interactionRef: input.interactionRef ?? null,
    })!;
    const { decision, reason } = applyRules(f);
    const row: Decision = {
      id: randomUUID(),
      customerId: input.customerId,
      actionKey: input.actionKey,
      aiSystemSlug: input.aiSystemSlug,
      interactionId: f.interactionId ?? null,
      decision,
      reason,
      preferenceVersion: f.preferenceVersion ?? 0,
      createdAt: input.now ?? Date.now(),
    };
    insert.run(row);
    return row;
  });
  fn = (input) => run.immediate(input);
  compiled.set(client, fn);
  return fn;
}

/** The raw better-sqlite3 client behind a drizzle database or transaction. */
export function rawClient(db: SyncDb): Database.Database {
  const handle = db as unknown as { $client?: Database.Database; session?: { client?: Database.Database } };
  const client = handle.$client ?? handle.session?.client;
  if (!client) throw new Error("No better-sqlite3 client behind this database handle");
  return client;
}

/**
 * The check an AI agent makes before a proactive action (see `applyRules`). Every answer is
 * recorded (append-only). The API's lean handler calls `decisionCheck()` on the same connection.
 */
export function decide(db: SyncDb, input: DecideInput): Decision {
  return decisionCheck(rawClient(db))(input);
}

export function decisionsForInteractions(db: SyncDb, interactionIds: number[]): Decision[] {
  if (interactionIds.length === 0) return [];
  return db.select().from(decisions).where(inArray(decisions.interactionId, interactionIds)).all();
}
