/**
 * The bulk writer of `npm run seed:scale` (db/seed-scale.ts): one column list per table, rows as
 * arrays, written per batch in one transaction — on SQLite through prepared inserts, on PostgreSQL
 * as one `insert … select * from unnest($1::type[], …)` per table, the array types read from
 * db/schema.pg.ts.
 */
import { getTableColumns, getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import type { AnyDatabase } from "../app/utils/db.server";
import * as pgSchema from "./schema.pg";

interface TableSpec {
  name: string;
  columns: string[];
  /** Columns holding booleans (SQLite stores 0/1). */
  booleans: Set<string>;
}

function spec(name: string, columns: string[], booleans: string[] = []): TableSpec {
  return { name, columns, booleans: new Set(booleans) };
}

const T = {
  customers: spec("customers", ["id", "email", "locale", "preference_version", "created_at", "updated_at", "time_zone"]),
  preferences: spec("preferences", ["customer_id", "choice_key", "value", "notice_version", "method", "updated_at", "limits"]),
  consentEvents: spec("consent_events", ["id", "receipt_id", "customer_id", "choice_key", "value", "previous_value", "notice_version", "lang", "method", "limits", "created_at"]),
  interactions: spec("interactions", ["id", "customer_id", "source", "ref", "channel", "subject", "occurred_at", "created_at"]),
  interactionAi: spec("interaction_ai", ["id", "interaction_id", "system_id", "role", "action_key", "action_detail", "human_reviewed", "training_eligible", "decision_id", "training_reported"], ["human_reviewed", "training_eligible", "training_reported"]),
  decisions: spec("decisions", ["id", "customer_id", "action_key", "ai_system_slug", "interaction_id", "decision", "reason", "preference_version", "context", "created_at"]),
  concerns: spec("concerns", [
    "id", "ref", "customer_id", "contact_email", "contact_method", "lang", "kind", "interaction_id", "system_id", "description", "desired_outcome", "origin", "search_text",
    "status", "priority", "outcome_code", "outcome_reason", "assignee_id", "serious_incident", "sla_paused_at", "sla_due_at", "statutory_due_at", "first_response_at", "resolved_at", "closed_at",
    "revision", "created_at", "updated_at",
  ], ["serious_incident"]),
  concernEvents: spec("concern_events", ["concern_id", "from_status", "to_status", "actor", "staff_id", "created_at"]),
  concernMessages: spec("concern_messages", ["concern_id", "author", "staff_id", "author_name", "visibility", "body", "created_at"]),
  confirmations: spec("confirmations", ["id", "customer_id", "action_key", "ai_system_slug", "interaction_id", "summary", "amount_hundredths", "currency", "channel", "expires_at", "created_at"]),
  confirmationAnswers: spec("confirmation_answers", ["confirmation_id", "customer_id", "answer", "method", "lang", "created_at"]),
  breaches: spec("permission_breaches", ["interaction_ai_id", "interaction_id", "customer_id", "system_id", "action_key", "decision_id", "reason", "concern_id", "detected_at"]),
} satisfies Record<string, TableSpec>;
type TableKey = keyof typeof T;
/** A batch's rows, per table, each row in its table's column order. */
export type ScaleRows = Record<TableKey, unknown[][]>;
/** Insertion order (parents first). */
const ORDER: TableKey[] = ["customers", "preferences", "consentEvents", "interactions", "decisions", "interactionAi", "concerns", "concernEvents", "concernMessages", "confirmations", "confirmationAnswers", "breaches"];

/** PostgreSQL array types of every column, read from the PostgreSQL DDL (db/schema.pg.ts). */
function pgColumnTypes(): Map<string, Map<string, string>> {
  const types = new Map<string, Map<string, string>>();
  for (const table of Object.values(pgSchema)) {
    if (!is(table, PgTable)) continue;
    const name = getTableName(table);
    const columns = new Map<string, string>();
    for (const column of Object.values(getTableColumns(table))) columns.set(column.name, column.getSQLType());
    types.set(name, columns);
  }
  return types;
}


/** An empty batch. */
export function emptyRows(): ScaleRows {
  return Object.fromEntries(ORDER.map((key) => [key, []])) as unknown as ScaleRows;
}

export interface BulkWriter {
  /** Writes the buffered rows of every table in one transaction. */
  flush(rows: ScaleRows): Promise<void>;
  close(): Promise<void>;
}

/**
 * A writer for `database` (migrated). On SQLite it relaxes `synchronous` to NORMAL for the load (a
 * crash means seeding again) and restores FULL on `close`; on PostgreSQL it holds one pooled
 * connection with `synchronous_commit = off` until `close`. Throws when db/schema.pg.ts lacks a
 * table or column the bulk writes.
 */
export async function bulkWriter(database: AnyDatabase): Promise<BulkWriter> {
  if (database.engine === "sqlite") {
    const client = database.client;
    // A bulk load: commits need not wait for the disk (a crash means seeding again); restored after.
    client.pragma("synchronous = NORMAL");
    client.pragma("cache_size = -262144");
    const statements = new Map(ORDER.map((key) => {
      const { name, columns } = T[key];
      return [key, client.prepare(`insert into ${name} (${columns.join(", ")}) values (${columns.map(() => "?").join(", ")})`)];
    }));
    const booleanIndexes = new Map(ORDER.map((key) => [key, T[key].columns.flatMap((c, i) => (T[key].booleans.has(c) ? [i] : []))]));
    const write = client.transaction((rows: ScaleRows) => {
      for (const key of ORDER) {
        const statement = statements.get(key)!;
        const bools = booleanIndexes.get(key)!;
        for (const row of rows[key]) {
          for (const i of bools) row[i] = row[i] ? 1 : 0;
          statement.run(row);
        }
      }
    });
    return {
      async flush(rows) {
        write.immediate(rows);
      },
      async close() {
        client.pragma("synchronous = FULL");
      },
    };
  }
  const types = pgColumnTypes();
  const client = await database.pool.connect();
  await client.query("set synchronous_commit = off");
  const statements = new Map(ORDER.map((key) => {
    const { name, columns } = T[key];
    const columnTypes = types.get(name);
    if (!columnTypes) throw new Error(`db/schema.pg.ts has no table ${name}`);
    const casts = columns.map((c, i) => {
      const type = columnTypes.get(c);
      if (!type) throw new Error(`db/schema.pg.ts has no column ${name}.${c}`);
      return `$${i + 1}::${type}[]`;
    });
    return [key, `insert into ${name} (${columns.join(", ")}) select * from unnest(${casts.join(", ")})`];
  }));
  return {
    async flush(rows) {
      await client.query("begin");
      try {
        for (const key of ORDER) {
          const batch = rows[key];
          if (batch.length === 0) continue;
          const columns = T[key].columns.map((_, i) => batch.map((row) => row[i]));
          await client.query(statements.get(key)!, columns);
        }
        await client.query("commit");
      } catch (error) {
        await client.query("rollback");
        throw error;
      }
    },
    async close() {
      client.release();
    },
  };
}
