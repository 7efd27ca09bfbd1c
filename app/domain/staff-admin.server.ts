/**
 * Staff administration and the audit log page (SPEC §4 "Settings: staff users", "Audit log").
 * Framework-free: the route modules check the permission, this module keeps the rules —
 * nobody disables or demotes themselves, and the last active admin stays an admin.
 */
import { and, count, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { auditLog, staffUsers } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { fitsLength } from "../utils/text";
import { AUDIT_PAGE_SIZE, appendAudit } from "./audit.server";
import { isStaffRole, type StaffRole } from "./permissions";
import { createStaffUser, endAllStaffSessions, findStaff, listStaff, StaffInputError, type StaffUser } from "./staff.server";
import { STAFF_NAME_MAX } from "./vocabulary";

export { AUDIT_PAGE_SIZE, StaffInputError };

/** Who makes an admin change: a signed-in staff member, or an operator at the command line. */
export type AdminActor = { type: "staff"; id: number } | { type: "cli" | "system"; id?: null };

export type AdminRefusal = "not_found" | "self_disable" | "self_demote" | "last_admin";

/** A change the rules refuse (a 409 in the console); `code` is a translation key suffix. */
export class AdminRuleError extends Error {
  constructor(readonly code: AdminRefusal) {
    super(code);
    this.name = "AdminRuleError";
  }
}

export { STAFF_NAME_MAX };

// ── Staff users ────────────────────────────────────────────────────────────

/** What the staff list shows: never the password hash or the TOTP secret. */
export interface StaffOverview {
  id: number;
  name: string;
  email: string;
  role: string;
  totpEnabled: boolean;
  lastLoginAt: number | null;
  disabledAt: number | null;
}

export async function listStaffOverview(db: Db): Promise<StaffOverview[]> {
  return (await listStaff(db)).map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    totpEnabled: Boolean(u.totpSecret),
    lastLoginAt: u.lastLoginAt,
    disabledAt: u.disabledAt,
  }));
}

export async function activeAdminCount(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(staffUsers)
    .where(and(eq(staffUsers.role, "admin"), isNull(staffUsers.disabledAt)))
    .limit(1);
  return row?.n ?? 0;
}

function isSelf(actor: AdminActor, target: StaffUser): boolean {
  return actor.type === "staff" && actor.id === target.id;
}

async function isLastActiveAdmin(db: Db, target: StaffUser): Promise<boolean> {
  return target.role === "admin" && !target.disabledAt && (await activeAdminCount(db)) <= 1;
}

/** A unique index refused the write, on either engine (drizzle wraps the driver's error as `cause`). */
function isUniqueViolation(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && typeof e === "object" && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function auditActor(actor: AdminActor) {
  return actor.type === "staff" ? { type: "staff" as const, id: actor.id } : { type: actor.type };
}

/**
 * Creates a staff account with a generated password, returned once for the confirmation page
 * (only its argon2id hash is stored). Audited as `staff.created` with the role only.
 * Throws StaffInputError("email" | "email_taken" | "role" | "name").
 */
export async function createStaffAccount(
  db: Db,
  actor: AdminActor,
  input: { name: string; email: string; role: StaffRole; locale?: string },
): Promise<{ user: StaffUser; password: string }> {
  const name = input.name.trim();
  if (!name || !fitsLength(name, STAFF_NAME_MAX)) throw new StaffInputError("name");
  try {
    return await createStaffUser(db, { name, email: input.email, role: input.role, locale: input.locale }, auditActor(actor));
  } catch (error) {
    // Two admins adding the same email at once: the unique index decides, not a 500.
    if (isUniqueViolation(error)) throw new StaffInputError("email_taken");
    throw error;
  }
}

/**
 * Changes a staff member's role; it applies from their next request (sessions read the user
 * afresh each time). Nobody demotes themselves; the last active admin stays an admin.
 * Resolves to false when the role was already that one (nothing written).
 */
export async function changeStaffRole(db: Db, actor: AdminActor, staffId: number, role: StaffRole, now = Date.now()): Promise<boolean> {
  if (!isStaffRole(role)) throw new StaffInputError("role");
  return db.transaction(async (tx) => {
    const target = await findStaff(tx, staffId);
    if (!target) throw new AdminRuleError("not_found");
    if (target.role === role) return false;
    if (isSelf(actor, target)) throw new AdminRuleError("self_demote");
    if (role !== "admin" && (await isLastActiveAdmin(tx, target))) throw new AdminRuleError("last_admin");
    await tx.update(staffUsers).set({ role, updatedAt: now }).where(eq(staffUsers.id, target.id));
    await appendAudit(tx, { actor: auditActor(actor), action: "staff.role_changed", target: { type: "staff", id: target.id }, details: { from: target.role, to: role }, now });
    return true;
  });
}

/**
 * Disables an account: every session it has ends at once, and it can no longer sign in.
 * Nobody disables themselves; the last active admin cannot be disabled.
 * Resolves to false when it was already disabled (nothing written).
 */
export async function disableStaff(db: Db, actor: AdminActor, staffId: number, now = Date.now()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const target = await findStaff(tx, staffId);
    if (!target) throw new AdminRuleError("not_found");
    if (target.disabledAt) return false;
    if (isSelf(actor, target)) throw new AdminRuleError("self_disable");
    if (await isLastActiveAdmin(tx, target)) throw new AdminRuleError("last_admin");
    await tx.update(staffUsers).set({ disabledAt: now, updatedAt: now }).where(eq(staffUsers.id, target.id));
    const sessionsEnded = await endAllStaffSessions(tx, target.id, now);
    await appendAudit(tx, { actor: auditActor(actor), action: "staff.disabled", target: { type: "staff", id: target.id }, details: { sessionsEnded }, now });
    return true;
  });
}

/** Re-enables an account (they sign in again with their password). Resolves to false if it was active. */
export async function enableStaff(db: Db, actor: AdminActor, staffId: number, now = Date.now()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const target = await findStaff(tx, staffId);
    if (!target) throw new AdminRuleError("not_found");
    if (!target.disabledAt) return false;
    await tx.update(staffUsers).set({ disabledAt: null, updatedAt: now }).where(eq(staffUsers.id, target.id));
    await appendAudit(tx, { actor: auditActor(actor), action: "staff.enabled", target: { type: "staff", id: target.id }, now });
    return true;
  });
}

// ── Audit log ──────────────────────────────────────────────────────────────

export const AUDIT_ACTOR_TYPES = ["staff", "customer", "system", "cli", "api"] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

export const ACTION_PREFIX_MAX = 64;
const ACTION_PREFIX = /^[a-z0-9_.]{1,64}$/;

/** Filters as they travel in the URL: `?action=staff.&actor=staff:3&page=2`. */
export interface AuditFilter {
  /** A prefix of the action code ("staff." or "concern.status"). */
  action?: string;
  /** "staff:<id>" for one staff member, or an actor type ("customer", "system", …). */
  actor?: string;
  page?: number;
}

/** Reads the filters from URL search params; anything malformed is dropped (never an error). */
export function parseAuditFilter(params: URLSearchParams): Required<Pick<AuditFilter, "page">> & AuditFilter {
  const action = params.get("action")?.trim().toLowerCase() ?? "";
  const actor = params.get("actor")?.trim() ?? "";
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return {
    action: ACTION_PREFIX.test(action) ? action : undefined,
    actor: parseActor(actor) ? actor : undefined,
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

function parseActor(value: string): { type: AuditActorType; id?: string } | null {
  const staff = /^staff:(\d{1,12})$/.exec(value);
  if (staff) return { type: "staff", id: String(Number(staff[1])) };
  return (AUDIT_ACTOR_TYPES as readonly string[]).includes(value) ? { type: value as AuditActorType } : null;
}

export interface AuditEntryView {
  id: number;
  createdAt: number;
  actorType: string;
  actorId: string | null;
  /** The staff member's name for staff actors (null when unknown or not staff). */
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** For staff targets, their name. */
  targetName: string | null;
  details: [string, string][];
  hash: string;
}

function detailPairs(json: string): [string, string][] {
  try {
    const parsed: unknown = JSON.parse(json);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return [];
    return Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, v === null ? "null" : typeof v === "object" ? JSON.stringify(v) : String(v)]);
  } catch {
    return [];
  }
}

/** One page of the log, newest first, with the filters applied (async). */
export async function listAuditEntries(db: Db, filter: AuditFilter = {}) {
  const conditions: SQL[] = [];
  if (filter.action && ACTION_PREFIX.test(filter.action)) {
    conditions.push(sql`substr(${auditLog.action}, 1, ${filter.action.length}) = ${filter.action}`);
  }
  const actor = filter.actor ? parseActor(filter.actor) : null;
  if (actor) {
    conditions.push(eq(auditLog.actorType, actor.type));
    if (actor.id) conditions.push(eq(auditLog.actorId, actor.id));
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const [counted] = await db.select({ n: count() }).from(auditLog).where(where).limit(1);
  const total = counted?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(Math.max(1, filter.page ?? 1), pageCount);
  const rows = await db
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((page - 1) * AUDIT_PAGE_SIZE);
  const names = new Map((await listStaff(db)).map((s) => [String(s.id), s.name]));
  const entries: AuditEntryView[] = rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt,
    actorType: row.actorType,
    actorId: row.actorId,
    actorName: row.actorType === "staff" && row.actorId ? (names.get(row.actorId) ?? null) : null,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    targetName: row.targetType === "staff" && row.targetId ? (names.get(row.targetId) ?? null) : null,
    details: detailPairs(row.details),
    hash: row.hash,
  }));
  return { entries, total, page, pageCount };
}
