/**
 * Query plans in tests, on either engine: run some domain code on a database handle that records
 * every statement (with its parameters), then ask the engine how it runs each one — SQLite's
 * `EXPLAIN QUERY PLAN`, PostgreSQL's `EXPLAIN (FORMAT JSON)` — and report every full scan of a
 * large table (SPEC §10 "Growth": no full scans).
 *
 * What counts as a full scan:
 * - SQLite: `SCAN <table>` without an index; `SCAN <table> USING [COVERING] INDEX <i>` only
 *   when `i` is not a partial index and the statement has no LIMIT (an ordered walk that stops at
 *   a page, or a walk of a partial index, reads only what it returns or what is open);
 * - PostgreSQL: a `Seq Scan` node on the table.
 * Run ANALYZE (PostgreSQL: VACUUM ANALYZE) on a database with enough rows first, or the planner
 * rightly prefers scanning a tiny table.
 */
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { openSqliteDatabase } from "../../app/utils/db-sqlite.server";
import { openPostgresDatabase } from "../../app/utils/db-postgres.server";

/** Tables that grow with customers: never read whole. Small tables (choices, AI systems, staff, settings) may be. */
export const LARGE_TABLES = [
  "customers",
  "preferences",
  "consent_events",
  "interactions",
  "interaction_ai",
  "decisions",
  "concerns",
  "concern_messages",
  "concern_events",
  "confirmations",
  "permission_breaches",
  "audit_log",
] as const;

export interface RecordedStatement {
  text: string;
  params: unknown[];
}

export interface ObservedDatabase {
  database: AnyDatabase;
  /** Every statement run since the last `clear()`. */
  statements: RecordedStatement[];
  clear(): void;
  close(): Promise<void>;
}

/** A second handle on `database`'s data that records every statement it runs. */
export function observe(database: AnyDatabase): ObservedDatabase {
  const statements: RecordedStatement[] = [];
  const record = (text: string, params: unknown[]) => statements.push({ text, params: [...params] });
  const observed =
    database.engine === "sqlite" ? openSqliteDatabase(database.client.name, { observe: record }) : openPostgresDatabase(database.url, { max: 2, observe: record });
  return {
    database: observed,
    statements,
    clear: () => void statements.splice(0),
    close: () => observed.close(),
  };
}

const PLANNED = /^\s*(select|with|insert|update|delete)\b/i;

/** The plan of one statement: SQLite's EXPLAIN QUERY PLAN lines, PostgreSQL's plan nodes (type, relation, index) flattened. */
export async function explain(database: AnyDatabase, text: string, params: unknown[] = []): Promise<string[]> {
  if (database.engine === "sqlite") {
    const rows = database.client.prepare(`explain query plan ${text}`).all(...(params as never[])) as { detail: string }[];
    return rows.map((r) => r.detail);
  }
  const { rows } = await database.pool.query(`explain (format json) ${text}`, params);
  const lines: string[] = [];
  const walk = (node: Record<string, unknown>) => {
    lines.push([node["Node Type"], node["Relation Name"] ? `on ${String(node["Relation Name"])}` : "", node["Index Name"] ? `using ${String(node["Index Name"])}` : ""].filter(Boolean).join(" "));
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk((rows[0]["QUERY PLAN"] as { Plan: Record<string, unknown> }[])[0]!.Plan);
  return lines;
}

async function partialIndexes(database: AnyDatabase): Promise<Set<string>> {
  if (database.engine !== "sqlite") return new Set();
  const rows = database.client.prepare("select name from sqlite_master where type = 'index' and sql like '% where %'").all() as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/** The full scans of large `tables` in `plan` (from `explain`); `text` tells whether the statement has a LIMIT. */
export function fullScansIn(database: AnyDatabase, plan: string[], text: string, tables: readonly string[], partial: Set<string>): string[] {
  const watched = new Set(tables);
  return plan.filter((line) => {
    if (database.engine === "postgres") {
      const seq = /^Seq Scan on (\S+)/.exec(line);
      return seq !== null && watched.has(seq[1]!);
    }
    const scan = /^SCAN (\S+)(?: USING (?:COVERING )?INDEX (\S+))?/.exec(line);
    if (!scan || !watched.has(scan[1]!)) return false;
    const index = scan[2];
    if (index === undefined) return true;
    return !partial.has(index) && !/\blimit\b/i.test(text);
  });
}

export interface PlanReport {
  text: string;
  params: unknown[];
  plan: string[];
  fullScans: string[];
}

/**
 * Runs `work` on a recording handle of `database`, then explains every SELECT/INSERT/UPDATE/DELETE
 * it ran. Returns one report per distinct statement (text and parameters).
 */
export async function plansOf(database: AnyDatabase, work: (db: Db) => Promise<unknown>, tables: readonly string[] = LARGE_TABLES): Promise<PlanReport[]> {
  const observed = observe(database);
  try {
    await work(observed.database.db);
  } finally {
    await observed.close();
  }
  const partial = await partialIndexes(database);
  const seen = new Set<string>();
  const reports: PlanReport[] = [];
  for (const { text, params } of observed.statements) {
    const key = `${text}\u0000${JSON.stringify(params)}`;
    if (!PLANNED.test(text) || seen.has(key)) continue;
    seen.add(key);
    const plan = await explain(database, text, params);
    reports.push({ text, params, plan, fullScans: fullScansIn(database, plan, text, tables, partial) });
  }
  return reports;
}

/** The reports of `plansOf` that scan a large table, as readable text ("" when none). */
export function describeFullScans(reports: PlanReport[]): string {
  return reports
    .filter((r) => r.fullScans.length > 0)
    .map((r) => `${r.text}\n  params ${JSON.stringify(r.params)}\n  ${r.plan.join("\n  ")}`)
    .join("\n\n");
}
