import { createHash } from "node:crypto";
import { asc, desc, eq } from "drizzle-orm";
import { auditLog, settings } from "../../db/schema";
import type { SyncDb } from "../utils/db.server";

export type AuditActor = { type: "staff" | "customer" | "system" | "cli" | "api"; id?: string | number | null };

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
 * Appends an entry. Call it inside the transaction that makes the change, so the change and its
 * record commit together (or not at all).
 */
export function appendAudit(db: SyncDb, input: AuditEntryInput): Row {
  const last = db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1).get();
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
  db.insert(auditLog).values(row).run();
  const head = { id: row.id, hash: row.hash };
  db.insert(settings)
    .values({ key: HEAD_KEY, value: head, updatedAt: row.createdAt })
    .onConflictDoUpdate({ target: settings.key, set: { value: head, updatedAt: row.createdAt } })
    .run();
  return row;
}

export type AuditVerification =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; problem: "edited" | "deleted" | "reordered" | "truncated"; atId: number | null };

/** Recomputes the whole chain: detects an edited, deleted, inserted or truncated entry. */
export function verifyAudit(db: SyncDb): AuditVerification {
  const rows = db.select().from(auditLog).orderBy(asc(auditLog.id)).all();
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
  const head = db.select().from(settings).where(eq(settings.key, HEAD_KEY)).get()?.value as { id: number; hash: string } | undefined;
  const last = rows.at(-1);
  if (head && (!last || head.id !== last.id || head.hash !== last.hash)) {
    return { ok: false, entries: rows.length, problem: "truncated", atId: last ? last.id + 1 : 1 };
  }
  return { ok: true, entries: rows.length, head: prevHash };
}

export const AUDIT_PAGE_SIZE = 50;

export function listAudit(db: SyncDb, page = 1) {
  return db
    .select()
    .from(auditLog)
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((Math.max(1, page) - 1) * AUDIT_PAGE_SIZE)
    .all();
}
