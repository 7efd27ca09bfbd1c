import * as argon2 from "@node-rs/argon2";
import { TOTP } from "otpauth";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// The real argon2, wrapped so a test can count how often a password was hashed or verified.
vi.mock("@node-rs/argon2", async (importOriginal) => {
  const real = await importOriginal<typeof import("@node-rs/argon2")>();
  return { ...real, verify: vi.fn(real.verify), hash: vi.fn(real.hash) };
});
import { can, PERMISSIONS, STAFF_ROLES } from "../../app/domain/permissions";
import {
  checkPassword,
  completeTotpLogin,
  createStaffUser,
  enableTotp,
  endAllStaffSessions,
  findStaffByEmail,
  newTotpSecret,
  resolveStaffSession,
  STAFF_SESSION_IDLE_MS,
  StaffInputError,
  startStaffSession,
  totpFor,
} from "../../app/domain/staff.server";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { staffUsers } from "../../db/schema";
import { createRateLimits, type RateLimits } from "../../app/utils/rate-limit.server";
import { freshTestDatabase } from "../support/database";

let database: AnyDatabase;
let db: Db;
let limits: RateLimits;
beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
  limits = await createRateLimits(database, { enabled: true, apiCallsPerMinute: 6000 });
});
afterEach(async () => {
  await database.close();
});

let ipCounter = 0;
const ip = () => `198.18.0.${++ipCounter}`;

describe("roles", () => {
  it("gives agents queue work only, supervisors assignment/reports/register, admins everything", () => {
    expect(STAFF_ROLES.filter((r) => can(r, "concerns.work"))).toEqual(["agent", "supervisor", "admin"]);
    for (const permission of ["concerns.assign", "register.edit", "reports.view", "audit.view"] as const) {
      expect(can("agent", permission)).toBe(false);
      expect(can("supervisor", permission)).toBe(true);
    }
    expect(can("supervisor", "admin.manage")).toBe(false);
    for (const permission of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) expect(can("admin", permission)).toBe(true);
    expect(can("intruder", "concerns.work")).toBe(false);
  });
});

describe("staff accounts", () => {
  it("stores argon2id hashes and generates a password when none is given", async () => {
    const { user, password } = await createStaffUser(db, { email: " New.Person@Example.com ", name: "New", role: "agent" });
    expect(user.email).toBe("new.person@example.com");
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect((await checkPassword(db, limits, "new.person@example.com", password, ip())).ok).toBe(true);
    await expect(createStaffUser(db, { email: "new.person@example.com", name: "Again", role: "agent" })).rejects.toThrow(StaffInputError);
    await expect(createStaffUser(db, { email: "short@example.com", name: "S", role: "agent", password: "short" })).rejects.toThrow(StaffInputError);
  });

  it("rejects wrong passwords and disabled users", async () => {
    expect(await checkPassword(db, limits, "agent@nordlys.example", "wrong-password-123", ip())).toMatchObject({ ok: false, reason: "invalid" });
    expect(await checkPassword(db, limits, "nobody@nordlys.example", "whatever-password", ip())).toMatchObject({ ok: false, reason: "invalid" });
    await db.update(staffUsers).set({ disabledAt: 1 }).where(eq(staffUsers.email, "agent@nordlys.example"));
    expect(await checkPassword(db, limits, "agent@nordlys.example", "demo-agent-password", ip())).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("throttles repeated failures per account without hashing the throttled attempts", async () => {
    const account = "supervisor@nordlys.example";
    for (let i = 0; i < 5; i++) await checkPassword(db, limits, account, `wrong-${i}-password`, ip());
    const verifications = vi.mocked(argon2.verify).mock.calls.length;
    const throttled = await checkPassword(db, limits, account, "demo-supervisor-password", ip());
    expect(throttled).toMatchObject({ ok: false, reason: "throttled" });
    if (!throttled.ok) expect(throttled.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    // The throttled attempt did no argon2 work at all.
    expect(vi.mocked(argon2.verify).mock.calls.length).toBe(verifications);
  });

  it("rotates sessions on login, ends them on idle and on sign-out everywhere", async () => {
    const user = (await findStaffByEmail(db, "agent@nordlys.example"))!;
    const now = Date.now();
    const first = await startStaffSession(db, user, true, now);
    const second = await startStaffSession(db, user, true, now);
    expect(first).not.toBe(second);
    expect((await resolveStaffSession(db, first, now + 1000))?.user.id).toBe(user.id);
    expect(await resolveStaffSession(db, first, now + STAFF_SESSION_IDLE_MS + 1000)).toBeUndefined();
    expect(await endAllStaffSessions(db, user.id)).toBe(2);
    expect(await resolveStaffSession(db, second)).toBeUndefined();
  });

  it("requires a valid TOTP code when two-step sign-in is on", async () => {
    let user = (await findStaffByEmail(db, "admin@nordlys.example"))!;
    const secret = newTotpSecret();
    const t0 = Date.now();
    expect(await enableTotp(db, user, secret, "000000", t0)).toBe(false);
    const code = totpFor(user, secret).generate({ timestamp: t0 });
    expect(await enableTotp(db, user, secret, code, t0)).toBe(true);
    user = (await findStaffByEmail(db, "admin@nordlys.example"))!;
    const login = await checkPassword(db, limits, user.email, "demo-admin-password", ip());
    expect(login).toMatchObject({ ok: true, needsTotp: true });
    const pending = await startStaffSession(db, user, false, t0);
    expect((await resolveStaffSession(db, pending, t0))?.verified).toBe(false);
    expect(await completeTotpLogin(db, limits, pending, "123456", t0)).toMatchObject({ ok: false, reason: "invalid" });
    // The next time step's code (30 s later) is a new code: accepted.
    const t1 = t0 + 30_000;
    const code2 = new TOTP({ secret, label: user.email, issuer: "Candor" }).generate({ timestamp: t1 });
    const full = await completeTotpLogin(db, limits, pending, code2, t1);
    if (!full.ok) throw new Error("expected a full session");
    expect((await resolveStaffSession(db, full.token, t1))?.verified).toBe(true);
    expect(await resolveStaffSession(db, pending, t1)).toBeUndefined();
    // The same code is never accepted twice (replay), and turning TOTP on again is refused.
    const again = await startStaffSession(db, (await findStaffByEmail(db, user.email))!, false, t1);
    expect(await completeTotpLogin(db, limits, again, code2, t1 + 1000)).toMatchObject({ ok: false, reason: "invalid" });
    expect(await enableTotp(db, (await findStaffByEmail(db, user.email))!, newTotpSecret(), "000000")).toBe(false);
  });

  it("refuses the setup code at sign-in (RFC 6238 §5.2: one code, one use)", async () => {
    const user = (await findStaffByEmail(db, "admin@nordlys.example"))!;
    const secret = newTotpSecret();
    const now = Date.now();
    const setupCode = totpFor(user, secret).generate({ timestamp: now });
    expect(await enableTotp(db, user, secret, setupCode, now)).toBe(true);
    expect((await findStaffByEmail(db, user.email))!.totpLastStep).toBe(Math.floor(now / 30_000));
    // Sign out, sign in again with the password, then the setup code, in the same step or the
    // next one (the ±1 step drift window would still take it): refused both times.
    expect(await checkPassword(db, limits, user.email, "demo-admin-password", ip())).toMatchObject({ ok: true, needsTotp: true });
    const pending = await startStaffSession(db, (await findStaffByEmail(db, user.email))!, false, now);
    expect(await completeTotpLogin(db, limits, pending, setupCode, now + 1000)).toMatchObject({ ok: false, reason: "invalid" });
    expect(await completeTotpLogin(db, limits, pending, setupCode, now + 30_000)).toMatchObject({ ok: false, reason: "invalid" });
    // An older code (previous step, inside the drift window) is refused too.
    const older = totpFor(user, secret).generate({ timestamp: now - 30_000 });
    expect(await completeTotpLogin(db, limits, pending, older, now + 1000)).toMatchObject({ ok: false, reason: "invalid" });
    const fresh = totpFor(user, secret).generate({ timestamp: now + 30_000 });
    expect(await completeTotpLogin(db, limits, pending, fresh, now + 30_000)).toMatchObject({ ok: true });
  });

  it("accepts a code once when two sign-ins race with it", async () => {
    const user = (await findStaffByEmail(db, "admin@nordlys.example"))!;
    const secret = newTotpSecret();
    const now = Date.now();
    expect(await enableTotp(db, user, secret, totpFor(user, secret).generate({ timestamp: now - 30_000 }), now - 30_000)).toBe(true);
    const fresh = (await findStaffByEmail(db, user.email))!;
    const code = totpFor(user, secret).generate({ timestamp: now });
    const sessions = [await startStaffSession(db, fresh, false, now), await startStaffSession(db, fresh, false, now)];
    const results = await Promise.all(sessions.map((s) => completeTotpLogin(db, limits, s, code, now)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("throttles second-factor guesses and ends the half-session", async () => {
    let user = (await findStaffByEmail(db, "supervisor@nordlys.example"))!;
    const secret = newTotpSecret();
    expect(await enableTotp(db, user, secret, totpFor(user, secret).generate())).toBe(true);
    user = (await findStaffByEmail(db, user.email))!;
    const pending = await startStaffSession(db, user, false);
    const results = [];
    for (let i = 0; i < 7; i++) results.push((await completeTotpLogin(db, limits, pending, String(100000 + i))).ok === false);
    expect(results.every(Boolean)).toBe(true);
    expect(await resolveStaffSession(db, pending)).toBeUndefined();
  });

  it("counts parallel password guesses before hashing them", async () => {
    const attempts = await Promise.all(
      Array.from({ length: 12 }, () => checkPassword(db, limits, "agent@nordlys.example", "wrong-password-guess", "198.19.0.1")),
    );
    expect(attempts.filter((a) => !a.ok && a.reason === "throttled").length).toBeGreaterThanOrEqual(7);
  });
});
