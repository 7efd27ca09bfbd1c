import fs from "node:fs";
import { and, count, eq, isNull } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLog, staffSessions, staffUsers } from "../../db/schema";
import { appendAudit, AUDIT_PAGE_SIZE, verifyAudit } from "../../app/domain/audit.server";
import {
  activeAdminCount,
  AdminRuleError,
  changeStaffRole,
  createStaffAccount,
  disableStaff,
  enableStaff,
  listAuditEntries,
  listStaffOverview,
  parseAuditFilter,
  StaffInputError,
} from "../../app/domain/staff-admin.server";
import { checkPassword, findStaff, findStaffByEmail, resolveStaffSession, startStaffSession } from "../../app/domain/staff.server";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { KNOWN_AUDIT_ACTIONS } from "../../app/components/staff/admin-audit-table";
import { createRateLimits, type RateLimits } from "../../app/utils/rate-limit.server";
import { freshTestDatabase } from "../support/database";

let database: AnyDatabase;
let db: Db;
let limits: RateLimits;
let admin: number;
let supervisor: number;
let agent: number;
beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
  limits = await createRateLimits(database, { enabled: true, apiCallsPerMinute: 6000 });
  admin = (await findStaffByEmail(db, "admin@nordlys.example"))!.id;
  supervisor = (await findStaffByEmail(db, "supervisor@nordlys.example"))!.id;
  agent = (await findStaffByEmail(db, "agent@nordlys.example"))!.id;
});

afterEach(async () => {
  await database.close();
});

const asAdmin = () => ({ type: "staff" as const, id: admin });
const auditCount = async () => (await db.select({ n: count() }).from(auditLog))[0]!.n;
const lastAudit = async () => (await db.select().from(auditLog).orderBy(auditLog.id)).at(-1)!;

async function refusal(fn: () => Promise<unknown>): Promise<string | null> {
  try {
    await fn();
    return null;
  } catch (error) {
    if (error instanceof AdminRuleError) return error.code;
    throw error;
  }
}

describe("guards", () => {
  it("nobody disables themselves, and nothing is written", async () => {
    const before = await auditCount();
    expect(await refusal(() => disableStaff(db, asAdmin(), admin))).toBe("self_disable");
    expect((await findStaff(db, admin))!.disabledAt).toBeNull();
    expect(await auditCount()).toBe(before);
  });

  it("nobody changes their own role (a demotion)", async () => {
    expect(await refusal(() => changeStaffRole(db, asAdmin(), admin, "agent"))).toBe("self_demote");
    expect(await refusal(() => changeStaffRole(db, asAdmin(), admin, "supervisor"))).toBe("self_demote");
    expect((await findStaff(db, admin))!.role).toBe("admin");
    // Asking for the role one already has changes nothing and is not refused.
    expect(await changeStaffRole(db, asAdmin(), admin, "admin")).toBe(false);
  });

  it("the last active admin can be neither demoted nor disabled, even from the command line", async () => {
    expect(await activeAdminCount(db)).toBe(1);
    const before = await auditCount();
    expect(await refusal(() => changeStaffRole(db, { type: "cli" }, admin, "supervisor"))).toBe("last_admin");
    expect(await refusal(() => disableStaff(db, { type: "cli" }, admin))).toBe("last_admin");
    expect(await findStaff(db, admin)).toMatchObject({ role: "admin", disabledAt: null });
    expect(await auditCount()).toBe(before);
  });

  it("a disabled admin does not count: the remaining active one is still the last", async () => {
    await changeStaffRole(db, asAdmin(), supervisor, "admin");
    expect(await activeAdminCount(db)).toBe(2);
    await disableStaff(db, asAdmin(), supervisor);
    expect(await activeAdminCount(db)).toBe(1);
    expect(await refusal(() => disableStaff(db, { type: "cli" }, admin))).toBe("last_admin");
  });

  it("with a second active admin, one admin may demote or disable the other", async () => {
    await changeStaffRole(db, asAdmin(), supervisor, "admin");
    const other = { type: "staff" as const, id: supervisor };
    expect(await changeStaffRole(db, other, admin, "supervisor")).toBe(true);
    expect((await findStaff(db, admin))!.role).toBe("supervisor");
    // Now the other admin is the last active one.
    expect(await refusal(() => changeStaffRole(db, { type: "cli" }, supervisor, "agent"))).toBe("last_admin");
  });

  it("unknown staff ids are refused as not found", async () => {
    expect(await refusal(() => disableStaff(db, asAdmin(), 999_999))).toBe("not_found");
    expect(await refusal(() => enableStaff(db, asAdmin(), 999_999))).toBe("not_found");
    expect(await refusal(() => changeStaffRole(db, asAdmin(), 999_999, "agent"))).toBe("not_found");
  });
});

describe("changes", () => {
  it("a role change is audited with codes only", async () => {
    expect(await changeStaffRole(db, asAdmin(), agent, "supervisor")).toBe(true);
    expect((await findStaff(db, agent))!.role).toBe("supervisor");
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "staff.role_changed", actorType: "staff", actorId: String(admin), targetType: "staff", targetId: String(agent) });
    expect(JSON.parse(entry.details)).toEqual({ from: "agent", to: "supervisor" });
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it("disabling ends every session at once and blocks sign-in; enabling lets them back in", async () => {
    const user = (await findStaff(db, agent))!;
    const first = await startStaffSession(db, user, true);
    const second = await startStaffSession(db, user, true);
    expect(await resolveStaffSession(db, first)).toBeDefined();
    expect(await disableStaff(db, asAdmin(), agent)).toBe(true);
    expect(await resolveStaffSession(db, first)).toBeUndefined();
    expect(await resolveStaffSession(db, second)).toBeUndefined();
    const [open] = await db
      .select({ n: count() })
      .from(staffSessions)
      .where(and(eq(staffSessions.staffId, agent), isNull(staffSessions.revokedAt)));
    expect(open!.n).toBe(0);
    expect(JSON.parse((await lastAudit()).details)).toEqual({ sessionsEnded: 2 });
    expect((await checkPassword(db, limits, "agent@nordlys.example", "demo-agent-password", "198.18.9.1")).ok).toBe(false);
    // Disabling twice writes nothing more.
    const before = await auditCount();
    expect(await disableStaff(db, asAdmin(), agent)).toBe(false);
    expect(await auditCount()).toBe(before);

    expect(await enableStaff(db, asAdmin(), agent)).toBe(true);
    expect((await findStaff(db, agent))!.disabledAt).toBeNull();
    expect(await lastAudit()).toMatchObject({ action: "staff.enabled", details: "{}" });
    // Old sessions stay ended; a new sign-in works.
    expect(await resolveStaffSession(db, first)).toBeUndefined();
    expect((await checkPassword(db, limits, "agent@nordlys.example", "demo-agent-password", "198.18.9.2")).ok).toBe(true);
    expect(await enableStaff(db, asAdmin(), agent)).toBe(false);
  });

  it("creates an account with a generated password that is stored only as a hash, audited without personal data", async () => {
    const { user, password } = await createStaffAccount(db, asAdmin(), { name: " Robin Reviewer ", email: "Robin@Example.com", role: "supervisor" });
    expect(user).toMatchObject({ name: "Robin Reviewer", email: "robin@example.com", role: "supervisor" });
    expect(password.length).toBeGreaterThanOrEqual(20);
    const [row] = await db.select().from(staffUsers).where(eq(staffUsers.id, user.id)).limit(1);
    if (!row) throw new Error("expected the new account");
    expect(row.passwordHash).not.toContain(password);
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "staff.created", actorType: "staff", actorId: String(admin), targetId: String(user.id) });
    expect(entry.details).toBe('{"role":"supervisor"}');
    expect(entry.details + entry.targetId).not.toMatch(/robin/i);
    expect((await checkPassword(db, limits, "robin@example.com", password, "198.18.9.3")).ok).toBe(true);
    await expect(createStaffAccount(db, asAdmin(), { name: "Again", email: "robin@example.com", role: "agent" })).rejects.toThrow(StaffInputError);
    await expect(createStaffAccount(db, asAdmin(), { name: "   ", email: "blank@example.com", role: "agent" })).rejects.toThrow(StaffInputError);
  });

  it("two admins adding the same email at once: one account, the other is told the email is taken", async () => {
    const add = () => createStaffAccount(db, asAdmin(), { name: "Twin", email: "twin@example.com", role: "agent" });
    const results = await Promise.allSettled([add(), add()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [refused] = results.filter((r) => r.status === "rejected");
    expect(refused?.reason).toBeInstanceOf(StaffInputError);
    expect((refused?.reason as StaffInputError).message).toBe("email_taken");
  });

  it("the staff overview never carries password hashes or TOTP secrets", async () => {
    const rows = await listStaffOverview(db);
    expect(rows.map((r) => r.email)).toEqual(expect.arrayContaining(["admin@nordlys.example", "agent@nordlys.example"]));
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(["disabledAt", "email", "id", "lastLoginAt", "name", "role", "totpEnabled"]);
    }
  });
});

describe("audit listing", () => {
  it("lists newest first, paginates, and filters by action prefix and actor", async () => {
    // The demo seed has entries of its own: counts below are relative to it.
    const agentBefore = (await listAuditEntries(db, { actor: `staff:${agent}` })).total;
    const apiBefore = (await listAuditEntries(db, { actor: "api" })).total;
    for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i++) {
      await appendAudit(db, { actor: { type: "staff", id: agent }, action: "zz_test.note_added", target: { type: "concern", id: `C-0000-${String(i).padStart(4, "0")}` }, details: { n: i } });
    }
    await appendAudit(db, { actor: { type: "api" }, action: "zz_test.erased", target: { type: "customer", id: "x" } });
    const total = await auditCount();
    const first = await listAuditEntries(db, {});
    expect(first.total).toBe(total);
    expect(first.entries).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.entries[0]!.action).toBe("zz_test.erased");
    expect(first.entries.map((e) => e.id)).toEqual([...first.entries.map((e) => e.id)].sort((a, b) => b - a));

    const notes = await listAuditEntries(db, { action: "zz_test.note" });
    expect(notes.total).toBe(AUDIT_PAGE_SIZE + 5);
    expect(notes.pageCount).toBe(2);
    const page2 = await listAuditEntries(db, { action: "zz_test.note", page: 2 });
    expect(page2.entries).toHaveLength(5);
    expect(page2.entries.at(-1)!.details).toEqual([["n", "0"]]);
    expect(page2.entries[0]!.actorName).toBe("Alex Agent");

    const byApi = await listAuditEntries(db, { actor: "api" });
    expect(byApi.total).toBe(apiBefore + 1);
    expect(byApi.entries[0]!.action).toBe("zz_test.erased");
    expect(byApi.entries.every((e) => e.actorType === "api")).toBe(true);
    const byAgent = await listAuditEntries(db, { actor: `staff:${agent}` });
    expect(byAgent.total).toBe(agentBefore + AUDIT_PAGE_SIZE + 5);
    expect(byAgent.entries.every((e) => e.actorType === "staff" && e.actorId === String(agent))).toBe(true);
    expect((await listAuditEntries(db, { actor: `staff:${admin}`, action: "zz_test." })).total).toBe(0);
    // A page past the end shows the last page, not an error.
    expect((await listAuditEntries(db, { action: "zz_test.note", page: 99 })).page).toBe(2);
  });

  it("treats a prefix as a prefix, not a pattern", async () => {
    await appendAudit(db, { actor: { type: "system" }, action: "staffXlogin" });
    expect((await listAuditEntries(db, { action: "staff." })).entries.some((e) => e.action === "staffXlogin")).toBe(false);
    expect((await listAuditEntries(db, { action: "staff_" })).total).toBe(0);
  });

  it("drops malformed filters from the URL instead of failing", () => {
    const parsed = parseAuditFilter(new URLSearchParams("action=%25'or 1=1&actor=staff:abc&page=-3"));
    expect(parsed).toEqual({ action: undefined, actor: undefined, page: 1 });
    expect(parseAuditFilter(new URLSearchParams("action=Staff.&actor=staff:7&page=2"))).toEqual({ action: "staff.", actor: "staff:7", page: 2 });
    expect(parseAuditFilter(new URLSearchParams("actor=customer")).actor).toBe("customer");
    expect(parseAuditFilter(new URLSearchParams("actor=robot")).actor).toBeUndefined();
  });
});

describe("audit labels", () => {
  it("every action code the console claims to know has an English label", () => {
    const actions = JSON.parse(fs.readFileSync("locales/en/admin.json", "utf8")).actions as Record<string, Record<string, string>>;
    const missing = KNOWN_AUDIT_ACTIONS.filter((code) => {
      const [area, name] = code.split(".") as [string, string];
      return typeof actions[area]?.[name] !== "string";
    });
    expect(missing).toEqual([]);
  });
});
