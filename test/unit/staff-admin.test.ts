import fs from "node:fs";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, staffUsers } from "../../db/schema";
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
import type { Connection } from "../../app/utils/db.server";
import { KNOWN_AUDIT_ACTIONS } from "../../app/components/staff/admin-audit-table";
import { freshDatabase } from "../support/database";

let db: Connection;
let admin: number;
let supervisor: number;
let agent: number;
beforeEach(() => {
  db = freshDatabase();
  admin = findStaffByEmail(db, "admin@nordlys.example")!.id;
  supervisor = findStaffByEmail(db, "supervisor@nordlys.example")!.id;
  agent = findStaffByEmail(db, "agent@nordlys.example")!.id;
});

const asAdmin = () => ({ type: "staff" as const, id: admin });
const auditCount = () => db.$client.prepare("select count(*) from audit_log").pluck().get() as number;
const lastAudit = () => db.select().from(auditLog).orderBy(auditLog.id).all().at(-1)!;

function refusal(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (error instanceof AdminRuleError) return error.code;
    throw error;
  }
}

describe("guards", () => {
  it("nobody disables themselves, and nothing is written", () => {
    const before = auditCount();
    expect(refusal(() => disableStaff(db, asAdmin(), admin))).toBe("self_disable");
    expect(findStaff(db, admin)!.disabledAt).toBeNull();
    expect(auditCount()).toBe(before);
  });

  it("nobody changes their own role (a demotion)", () => {
    expect(refusal(() => changeStaffRole(db, asAdmin(), admin, "agent"))).toBe("self_demote");
    expect(refusal(() => changeStaffRole(db, asAdmin(), admin, "supervisor"))).toBe("self_demote");
    expect(findStaff(db, admin)!.role).toBe("admin");
    // Asking for the role one already has changes nothing and is not refused.
    expect(changeStaffRole(db, asAdmin(), admin, "admin")).toBe(false);
  });

  it("the last active admin can be neither demoted nor disabled, even from the command line", () => {
    expect(activeAdminCount(db)).toBe(1);
    const before = auditCount();
    expect(refusal(() => changeStaffRole(db, { type: "cli" }, admin, "supervisor"))).toBe("last_admin");
    expect(refusal(() => disableStaff(db, { type: "cli" }, admin))).toBe("last_admin");
    expect(findStaff(db, admin)).toMatchObject({ role: "admin", disabledAt: null });
    expect(auditCount()).toBe(before);
  });

  it("a disabled admin does not count: the remaining active one is still the last", () => {
    changeStaffRole(db, asAdmin(), supervisor, "admin");
    expect(activeAdminCount(db)).toBe(2);
    disableStaff(db, asAdmin(), supervisor);
    expect(activeAdminCount(db)).toBe(1);
    expect(refusal(() => disableStaff(db, { type: "cli" }, admin))).toBe("last_admin");
  });

  it("with a second active admin, one admin may demote or disable the other", () => {
    changeStaffRole(db, asAdmin(), supervisor, "admin");
    const other = { type: "staff" as const, id: supervisor };
    expect(changeStaffRole(db, other, admin, "supervisor")).toBe(true);
    expect(findStaff(db, admin)!.role).toBe("supervisor");
    // Now the other admin is the last active one.
    expect(refusal(() => changeStaffRole(db, { type: "cli" }, supervisor, "agent"))).toBe("last_admin");
  });

  it("unknown staff ids are refused as not found", () => {
    expect(refusal(() => disableStaff(db, asAdmin(), 999_999))).toBe("not_found");
    expect(refusal(() => enableStaff(db, asAdmin(), 999_999))).toBe("not_found");
    expect(refusal(() => changeStaffRole(db, asAdmin(), 999_999, "agent"))).toBe("not_found");
  });
});

describe("changes", () => {
  it("a role change is audited with codes only", () => {
    expect(changeStaffRole(db, asAdmin(), agent, "supervisor")).toBe(true);
    expect(findStaff(db, agent)!.role).toBe("supervisor");
    const entry = lastAudit();
    expect(entry).toMatchObject({ action: "staff.role_changed", actorType: "staff", actorId: String(admin), targetType: "staff", targetId: String(agent) });
    expect(JSON.parse(entry.details)).toEqual({ from: "agent", to: "supervisor" });
    expect(verifyAudit(db).ok).toBe(true);
  });

  it("disabling ends every session at once and blocks sign-in; enabling lets them back in", async () => {
    const user = findStaff(db, agent)!;
    const first = startStaffSession(db, user, true);
    const second = startStaffSession(db, user, true);
    expect(resolveStaffSession(db, first)).toBeDefined();
    expect(disableStaff(db, asAdmin(), agent)).toBe(true);
    expect(resolveStaffSession(db, first)).toBeUndefined();
    expect(resolveStaffSession(db, second)).toBeUndefined();
    expect(db.$client.prepare("select count(*) from staff_sessions where staff_id = ? and revoked_at is null").pluck().get(agent)).toBe(0);
    expect(JSON.parse(lastAudit().details)).toEqual({ sessionsEnded: 2 });
    expect((await checkPassword(db, "agent@nordlys.example", "demo-agent-password", "198.18.9.1")).ok).toBe(false);
    // Disabling twice writes nothing more.
    const before = auditCount();
    expect(disableStaff(db, asAdmin(), agent)).toBe(false);
    expect(auditCount()).toBe(before);

    expect(enableStaff(db, asAdmin(), agent)).toBe(true);
    expect(findStaff(db, agent)!.disabledAt).toBeNull();
    expect(lastAudit()).toMatchObject({ action: "staff.enabled", details: "{}" });
    // Old sessions stay ended; a new sign-in works.
    expect(resolveStaffSession(db, first)).toBeUndefined();
    expect((await checkPassword(db, "agent@nordlys.example", "demo-agent-password", "198.18.9.2")).ok).toBe(true);
    expect(enableStaff(db, asAdmin(), agent)).toBe(false);
  });

  it("creates an account with a generated password that is stored only as a hash, audited without personal data", async () => {
    const { user, password } = await createStaffAccount(db, asAdmin(), { name: " Robin Reviewer ", email: "Robin@Example.com", role: "supervisor" });
    expect(user).toMatchObject({ name: "Robin Reviewer", email: "robin@example.com", role: "supervisor" });
    expect(password.length).toBeGreaterThanOrEqual(20);
    const row = db.select().from(staffUsers).where(eq(staffUsers.id, user.id)).get()!;
    expect(row.passwordHash).not.toContain(password);
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    const entry = lastAudit();
    expect(entry).toMatchObject({ action: "staff.created", actorType: "staff", actorId: String(admin), targetId: String(user.id) });
    expect(entry.details).toBe('{"role":"supervisor"}');
    expect(entry.details + entry.targetId).not.toMatch(/robin/i);
    expect((await checkPassword(db, "robin@example.com", password, "198.18.9.3")).ok).toBe(true);
    await expect(createStaffAccount(db, asAdmin(), { name: "Again", email: "robin@example.com", role: "agent" })).rejects.toThrow(StaffInputError);
    await expect(createStaffAccount(db, asAdmin(), { name: "   ", email: "blank@example.com", role: "agent" })).rejects.toThrow(StaffInputError);
  });

  it("the staff overview never carries password hashes or TOTP secrets", () => {
    const rows = listStaffOverview(db);
    expect(rows.map((r) => r.email)).toEqual(expect.arrayContaining(["admin@nordlys.example", "agent@nordlys.example"]));
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(["disabledAt", "email", "id", "lastLoginAt", "name", "role", "totpEnabled"]);
    }
  });
});

describe("audit listing", () => {
  it("lists newest first, paginates, and filters by action prefix and actor", () => {
    // The demo seed has entries of its own: counts below are relative to it.
    const agentBefore = listAuditEntries(db, { actor: `staff:${agent}` }).total;
    const apiBefore = listAuditEntries(db, { actor: "api" }).total;
    for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i++) {
      appendAudit(db, { actor: { type: "staff", id: agent }, action: "zz_test.note_added", target: { type: "concern", id: `C-0000-${String(i).padStart(4, "0")}` }, details: { n: i } });
    }
    appendAudit(db, { actor: { type: "api" }, action: "zz_test.erased", target: { type: "customer", id: "x" } });
    const total = auditCount();
    const first = listAuditEntries(db, {});
    expect(first.total).toBe(total);
    expect(first.entries).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.entries[0]!.action).toBe("zz_test.erased");
    expect(first.entries.map((e) => e.id)).toEqual([...first.entries.map((e) => e.id)].sort((a, b) => b - a));

    const notes = listAuditEntries(db, { action: "zz_test.note" });
    expect(notes.total).toBe(AUDIT_PAGE_SIZE + 5);
    expect(notes.pageCount).toBe(2);
    const page2 = listAuditEntries(db, { action: "zz_test.note", page: 2 });
    expect(page2.entries).toHaveLength(5);
    expect(page2.entries.at(-1)!.details).toEqual([["n", "0"]]);
    expect(page2.entries[0]!.actorName).toBe("Alex Agent");

    const byApi = listAuditEntries(db, { actor: "api" });
    expect(byApi.total).toBe(apiBefore + 1);
    expect(byApi.entries[0]!.action).toBe("zz_test.erased");
    expect(byApi.entries.every((e) => e.actorType === "api")).toBe(true);
    const byAgent = listAuditEntries(db, { actor: `staff:${agent}` });
    expect(byAgent.total).toBe(agentBefore + AUDIT_PAGE_SIZE + 5);
    expect(byAgent.entries.every((e) => e.actorType === "staff" && e.actorId === String(agent))).toBe(true);
    expect(listAuditEntries(db, { actor: `staff:${admin}`, action: "zz_test." }).total).toBe(0);
    // A page past the end shows the last page, not an error.
    expect(listAuditEntries(db, { action: "zz_test.note", page: 99 }).page).toBe(2);
  });

  it("treats a prefix as a prefix, not a pattern", () => {
    appendAudit(db, { actor: { type: "system" }, action: "staffXlogin" });
    expect(listAuditEntries(db, { action: "staff." }).entries.some((e) => e.action === "staffXlogin")).toBe(false);
    expect(listAuditEntries(db, { action: "staff_" }).total).toBe(0);
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
