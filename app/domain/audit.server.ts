import { createHash } from "node:crypto";
import { asc, desc, eq, is, sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { SQLiteTransaction } from "drizzle-orm/sqlite-core";
import { auditLog, settings } from "../../db/schema";
import { executeSql, forEngine, type Db } from "../utils/db.server";

/** "employee": an employee report's filer, never named in the log (SPEC §12: the reporter is shown only to supervisors and admins, on the case). */
export type AuditActor = { type: "staff" | "customer" | "employee" | "system" | "cli" | "api"; id?: string | number | null };

export interface AuditEntryInput {
  actor: AuditActor;
  action: string;
  target?: { type: string; id: string | number } | null;
  /** Codes, ids and references only — never free text or personal data (erasure keeps the chain valid). */
  details?: Record<string, string | number | boolean | null>;
  now?: number;
}

const GENESIS = "0".repeat(64);
/** The chain's head is also kept outside the log, so a truncated tail is detected. */
const HEAD_KEY = "auditHead";
/**
 * PostgreSQL advisory lock key of the chain: appends (and verification) of every instance take it
 * for their transaction, so the head read and the next entry's write cannot interleave.
 */
const AUDIT_CHAIN_LOCK = 7243102;

type Row = typeof auditLog.$inferSelect;

function entryHash(row: Omit<Row, "hash">): string {
  const canonical = JSON.stringify([
    row.id,
    row.createdAt,
    row.actorType,
    row.actorId,
    row.action,
    row.targetType,
    row.targetId,
    row.details,
    row.prevHash,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

/**
 * Runs `body` holding the chain: inside `db` when it is already a transaction, else in a new one.
 * On PostgreSQL the transaction first takes the chain's advisory lock (released at commit or
 * rollback); SQLite's write gate already serialises transactions.
 */
async function withChain<T>(db: Db, body: (tx: Db) => Promise<T>): Promise<T> {
  const run = async (tx: Db) => {
    await forEngine(tx, {
      sqlite: async () => undefined,
      postgres: async () => {
        await executeSql(tx, sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}::bigint)`);
      },
    });
    return body(tx);
  };
  const inTransaction = is(db as unknown, SQLiteTransaction) || is(db as unknown, PgTransaction);
  return inTransaction ? run(db) : db.transaction(run);
}

/**
 * Appends an entry (async). Call it with the transaction that makes the change, so the change and
 * its record commit together (or not at all); given the root handle, it opens its own. The chain
 * head is read and the next entry (id = head id + 1) written under the chain lock, so appends
 * from several instances (PostgreSQL) keep one unbroken chain.
 */
export async function appendAudit(db: Db, input: AuditEntryInput): Promise<Row> {
  return withChain(db, async (tx) => {
    const [last] = await tx.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    const sortedDetails = Object.fromEntries(Object.entries(input.details ?? {}).sort(([a], [b]) => a.localeCompare(b)));
    const base = {
      id: (last?.id ?? 0) + 1,
      createdAt: input.now ?? Date.now(),
      actorType: input.actor.type,
      actorId: input.actor.id === undefined || input.actor.id === null ? null : String(input.actor.id),
      action: input.action,
      targetType: input.target?.type ?? null,
      targetId: input.target ? String(input.target.id) : null,
      details: JSON.stringify(sortedDetails),
      prevHash: last?.hash ?? GENESIS,
    };
    const row = { ...base, hash: entryHash(base) };
    await tx.insert(auditLog).values(row);
    const head = { id: row.id, hash: row.hash };
    await tx
      .insert(settings)
      .values({ key: HEAD_KEY, value: head, updatedAt: row.createdAt })
      .onConflictDoUpdate({ target: settings.key, set: { value: head, updatedAt: row.createdAt } });
    return row;
  });
}

export type AuditVerification =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; problem: "edited" | "deleted" | "reordered" | "truncated"; atId: number | null };

/**
 * Recomputes the whole chain (async): detects an edited, deleted, inserted or truncated entry.
 * Reads the log and its head under the chain lock, so an append cannot land between the two reads.
 */
export async function verifyAudit(db: Db): Promise<AuditVerification> {
  const { rows, headRow } = await withChain(db, async (tx) => ({
    rows: await tx.select().from(auditLog).orderBy(asc(auditLog.id)),
    headRow: (await tx.select().from(settings).where(eq(settings.key, HEAD_KEY)).limit(1))[0],
  }));
  let prevHash = GENESIS;
  let expectedId = 1;
  for (const row of rows) {
    if (row.id !== expectedId) return { ok: false, entries: rows.length, problem: "deleted", atId: expectedId };
    if (row.prevHash !== prevHash) return { ok: false, entries: rows.length, problem: "reordered", atId: row.id };
    const { hash, ...rest } = row;
    if (entryHash(rest) !== hash) return { ok: false, entries: rows.length, problem: "edited", atId: row.id };
    prevHash = hash;
    expectedId += 1;
  }
  const head = headRow?.value as { id: number; hash: string } | undefined;
  const last = rows.at(-1);
  if (head && (!last || head.id !== last.id || head.hash !== last.hash)) {
    return { ok: false, entries: rows.length, problem: "truncated", atId: last ? last.id + 1 : 1 };
  }
  return { ok: true, entries: rows.length, head: prevHash };
}

export const AUDIT_PAGE_SIZE = 50;

/** One page of the log, newest first (async). */
export async function listAudit(db: Db, page = 1) {
  return await db
    .select()
    .from(auditLog)
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((Math.max(1, page) - 1) * AUDIT_PAGE_SIZE);
}
