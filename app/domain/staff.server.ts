import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { and, asc, eq, isNull, lt, ne, or } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import type { RateLimits } from "../utils/rate-limit.server";
import { staffSessions, staffUsers } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { hashToken, newToken } from "../utils/tokens.server";
import { appendAudit } from "./audit.server";
import { isStaffRole, type StaffRole } from "./permissions";
import { PASSWORD_MAX, PASSWORD_MIN } from "./vocabulary";

export type StaffUser = typeof staffUsers.$inferSelect;

/** OWASP's argon2id baseline: 19 MiB memory, 2 iterations, 1 lane. */
// algorithm 2 = Argon2id (the package exports it as an ambient const enum).
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };
export { PASSWORD_MAX, PASSWORD_MIN };

const MINUTE = 60_000;
/** Staff sessions end after 30 idle minutes or 12 hours, whichever comes first. */
export const STAFF_SESSION_IDLE_MS = 30 * MINUTE;
export const STAFF_SESSION_ABSOLUTE_MS = 12 * 60 * MINUTE;
/** The password step's half-session must be completed with a TOTP code within 5 minutes. */
const PENDING_MFA_MS = 5 * MINUTE;

export class StaffInputError extends Error {}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

export async function hashPassword(password: string): Promise<string> {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) throw new StaffInputError("password_length");
  return hash(password, ARGON2);
}

export async function findStaffByEmail(db: Db, email: string): Promise<StaffUser | undefined> {
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.email, normaliseEmail(email))).limit(1);
  return user;
}

export async function findStaff(db: Db, id: number): Promise<StaffUser | undefined> {
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, id)).limit(1);
  return user;
}

export async function listStaff(db: Db): Promise<StaffUser[]> {
  return db.select().from(staffUsers).orderBy(asc(staffUsers.name));
}

/**
 * Creates a staff account; without a password one is generated and returned (shown once). The
 * password is hashed before the transaction opens (argon2 is slow: no lock is held meanwhile).
 */
export async function createStaffUser(
  db: Db,
  input: { email: string; name: string; role: StaffRole; password?: string; locale?: string },
  actor: { type: "staff" | "cli" | "system"; id?: number | null } = { type: "cli" },
): Promise<{ user: StaffUser; password: string }> {
  if (!isStaffRole(input.role)) throw new StaffInputError("role");
  const email = normaliseEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw new StaffInputError("email");
  if (await findStaffByEmail(db, email)) throw new StaffInputError("email_taken");
  const password = input.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const now = Date.now();
  const user = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(staffUsers)
      .values({ email, name: input.name.trim() || email, role: input.role, passwordHash, locale: input.locale ?? "en", createdAt: now, updatedAt: now })
      .returning();
    await appendAudit(tx, { actor, action: "staff.created", target: { type: "staff", id: created!.id }, details: { role: created!.role }, now });
    return created!;
  });
  return { user, password };
}

// Login throttling. A point is consumed *before* any hashing (so parallel guesses are counted
// too and floods cost no argon2 work); a successful sign-in gives the account's points back.
// Every block expires on its own: a real user can never be locked out for good.
// The limits themselves (loginByIp, loginByAccount, totpByAccount) are in utils/rate-limit.server.ts;
// second-factor codes have their own count, not reset by a correct password.

/** A fixed hash to verify against for unknown emails, so response time does not reveal accounts. */
let dummyHash: Promise<string> | undefined;

export type LoginResult =
  | { ok: true; user: StaffUser; needsTotp: boolean }
  | { ok: false; reason: "invalid" | "throttled"; retryAfterSeconds?: number };

export async function checkPassword(db: Db, limits: RateLimits, email: string, password: string, ip: string): Promise<LoginResult> {
  const account = normaliseEmail(email).slice(0, 254);
  const wait = (await limits.consume("loginByIp", ip)) ?? (await limits.consume("loginByAccount", account));
  if (wait !== null) return { ok: false, reason: "throttled", retryAfterSeconds: wait };
  const user = await findStaffByEmail(db, account);
  dummyHash ??= hash("not-a-real-password-0000", ARGON2);
  const valid =
    password.length <= PASSWORD_MAX &&
    (await verify(user?.passwordHash ?? (await dummyHash), password).catch(() => false)) &&
    Boolean(user) &&
    !user!.disabledAt;
  if (!valid || !user) return { ok: false, reason: "invalid" };
  // Only failures count against an address: an office behind one shared address must not lock
  // itself out by signing in correctly (the per-account limit still stops guessing).
  await limits.refund("loginByIp", ip);
  if (!user.totpSecret) await limits.reset("loginByAccount", account);
  return { ok: true, user, needsTotp: Boolean(user.totpSecret) };
}

export function totpFor(user: Pick<StaffUser, "email">, secret: string): TOTP {
  return new TOTP({ issuer: "Candor", label: user.email, algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

/** The TOTP time step a valid code belongs to, or null (RFC 6238, ±1 step of clock drift). */
function totpStep(user: Pick<StaffUser, "email">, secret: string, code: string, now: number): number | null {
  if (!/^\d{6}$/.test(code.trim())) return null;
  const delta = totpFor(user, secret).validate({ token: code.trim(), timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 30_000) + delta;
}

/**
 * The one rule for accepting a TOTP code, wherever one is asked for (RFC 6238 §5.2: a code is
 * accepted once): the code must be valid for `secret` at `now` (ms since the epoch, ±1 step of
 * 30 s) and its time step later than the last accepted one, which it then becomes. Checking and
 * recording are one conditional UPDATE (its returned row tells whether it was accepted), so two
 * requests racing with the same code cannot both win, on either engine.
 * `secretIsNew` is the setup case: the secret is stored with the step, only if none was set.
 * Resolves to false for a wrong, expired or already used code (or a secret that changed meanwhile).
 */
async function useTotpCode(db: Db, user: Pick<StaffUser, "id" | "email">, secret: string, code: string, now: number, secretIsNew = false): Promise<boolean> {
  const step = totpStep(user, secret, code, now);
  if (step === null) return false;
  const unused = or(isNull(staffUsers.totpLastStep), lt(staffUsers.totpLastStep, step));
  const accepted = secretIsNew
    ? await db
        .update(staffUsers)
        .set({ totpSecret: secret, totpLastStep: step, pendingTotpSecret: null, updatedAt: now })
        .where(and(eq(staffUsers.id, user.id), isNull(staffUsers.totpSecret)))
        .returning({ id: staffUsers.id })
    : await db
        .update(staffUsers)
        .set({ totpLastStep: step })
        .where(and(eq(staffUsers.id, user.id), eq(staffUsers.totpSecret, secret), unused))
        .returning({ id: staffUsers.id });
  return accepted.length === 1;
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/**
 * The secret two-step sign-in is being set up with (RFC 6238, base32), kept server-side until it
 * is confirmed: the same on every reload and after a wrong code, so the authenticator app the
 * staff member already scanned keeps working. Made and stored on first use; two requests racing
 * store one (the write only fills an empty column; both read back the stored one). Resolves to
 * null once two-step sign-in is on. Not audited: nothing is enabled until `enableTotp`.
 */
export async function pendingTotpSecret(db: Db, user: Pick<StaffUser, "id">): Promise<string | null> {
  await db
    .update(staffUsers)
    .set({ pendingTotpSecret: newTotpSecret() })
    .where(and(eq(staffUsers.id, user.id), isNull(staffUsers.totpSecret), isNull(staffUsers.pendingTotpSecret)));
  const [row] = await db
    .select({ pending: staffUsers.pendingTotpSecret, enabled: staffUsers.totpSecret })
    .from(staffUsers)
    .where(eq(staffUsers.id, user.id))
    .limit(1);
  return row && row.enabled === null ? row.pending : null;
}

/** The setup QR code: the otpauth:// URI of `secret` as an SVG data URL (no script needed to show it). */
export async function totpQrCode(user: Pick<StaffUser, "email">, secret: string): Promise<string> {
  const svg = await QRCode.toString(totpFor(user, secret).toString(), { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

/**
 * Turns two-step sign-in on with the code the staff member's app shows for `secret` (the account
 * page passes the stored pending secret, never one from the form). That code counts as used
 * (RFC 6238 §5.2): signing in with it afterwards is refused. The pending secret is cleared with it;
 * the change is audited in the same transaction. Replacing an existing secret is refused (it needs
 * a reset). Resolves to whether two-step sign-in is now on.
 */
export async function enableTotp(db: Db, user: StaffUser, secret: string, code: string, now = Date.now()): Promise<boolean> {
  if (user.totpSecret) return false;
  return db.transaction(async (tx) => {
    if (!(await useTotpCode(tx, user, secret, code, now, true))) return false;
    await appendAudit(tx, { actor: { type: "staff", id: user.id }, action: "staff.totp_enabled", target: { type: "staff", id: user.id }, now });
    return true;
  });
}

/** A new session on every login (rotation): the token is returned once; its hash is stored. */
export async function startStaffSession(db: Db, user: StaffUser, verified: boolean, now = Date.now()): Promise<string> {
  const token = newToken();
  await db.transaction(async (tx) => {
    await tx.insert(staffSessions).values({
      idHash: hashToken(token),
      staffId: user.id,
      verified,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + (verified ? STAFF_SESSION_ABSOLUTE_MS : PENDING_MFA_MS),
    });
    if (verified) {
      await tx.update(staffUsers).set({ lastLoginAt: now }).where(eq(staffUsers.id, user.id));
      await appendAudit(tx, { actor: { type: "staff", id: user.id }, action: "staff.login", target: { type: "staff", id: user.id }, now });
    }
  });
  return token;
}

export interface StaffSession {
  user: StaffUser;
  verified: boolean;
}

export async function resolveStaffSession(db: Db, token: string, now = Date.now()): Promise<StaffSession | undefined> {
  if (!token || token.length > 200) return undefined;
  const idHash = hashToken(token);
  const [session] = await db
    .select()
    .from(staffSessions)
    .where(and(eq(staffSessions.idHash, idHash), isNull(staffSessions.revokedAt)))
    .limit(1);
  if (!session || session.expiresAt <= now || session.lastSeenAt + STAFF_SESSION_IDLE_MS <= now) return undefined;
  const user = await findStaff(db, session.staffId);
  if (!user || user.disabledAt) return undefined;
  if (now - session.lastSeenAt > MINUTE) {
    await db.update(staffSessions).set({ lastSeenAt: now }).where(eq(staffSessions.idHash, idHash));
  }
  return { user, verified: session.verified };
}

export async function endStaffSession(db: Db, token: string, now = Date.now()): Promise<void> {
  await db.update(staffSessions).set({ revokedAt: now }).where(eq(staffSessions.idHash, hashToken(token)));
}

/** Ends every open session of a staff member; resolves to how many were open. */
export async function endAllStaffSessions(db: Db, staffId: number, now = Date.now()): Promise<number> {
  const ended = await db
    .update(staffSessions)
    .set({ revokedAt: now })
    .where(and(eq(staffSessions.staffId, staffId), isNull(staffSessions.revokedAt)))
    .returning({ idHash: staffSessions.idHash });
  return ended.length;
}

export type TotpLoginResult = { ok: true; token: string } | { ok: false; reason: "invalid" | "throttled" };

/**
 * Completes a TOTP login: the pending half-session is replaced by a full one (rotation again).
 * Codes are throttled per account (a correct password does not reset that), a used code is never
 * accepted again, and too many wrong codes end the half-session.
 */
export async function completeTotpLogin(db: Db, limits: RateLimits, pendingToken: string, code: string, now = Date.now()): Promise<TotpLoginResult> {
  const pending = await resolveStaffSession(db, pendingToken, now);
  if (!pending || pending.verified) return { ok: false, reason: "invalid" };
  if ((await limits.consume("totpByAccount", pending.user.email)) !== null) {
    await endStaffSession(db, pendingToken, now);
    return { ok: false, reason: "throttled" };
  }
  if (!pending.user.totpSecret || !(await useTotpCode(db, pending.user, pending.user.totpSecret, code, now))) return { ok: false, reason: "invalid" };
  await endStaffSession(db, pendingToken, now);
  await limits.reset("totpByAccount", pending.user.email);
  await limits.reset("loginByAccount", pending.user.email);
  return { ok: true, token: await startStaffSession(db, pending.user, true, now) };
}

/**
 * Changes a password (the current one is required) and ends every other session. Verifying and
 * hashing happen before the transaction opens.
 */
export async function changePassword(db: Db, user: StaffUser, current: string, next: string, keepToken: string | null): Promise<boolean> {
  if (!(await verify(user.passwordHash, current).catch(() => false))) return false;
  const passwordHash = await hashPassword(next);
  const now = Date.now();
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ passwordHash, updatedAt: now }).where(eq(staffUsers.id, user.id));
    await tx
      .update(staffSessions)
      .set({ revokedAt: now })
      .where(and(eq(staffSessions.staffId, user.id), isNull(staffSessions.revokedAt), keepToken ? ne(staffSessions.idHash, hashToken(keepToken)) : undefined));
    await appendAudit(tx, { actor: { type: "staff", id: user.id }, action: "staff.password_changed", target: { type: "staff", id: user.id }, now });
  });
  return true;
}

/**
 * Operator recovery (CLI): a new generated password (hashed before the transaction opens),
 * two-step sign-in off, every session ended.
 */
export async function resetStaffAccess(db: Db, email: string): Promise<{ user: StaffUser; password: string } | null> {
  const user = await findStaffByEmail(db, email);
  if (!user) return null;
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const now = Date.now();
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ passwordHash, totpSecret: null, totpLastStep: null, pendingTotpSecret: null, updatedAt: now }).where(eq(staffUsers.id, user.id));
    await endAllStaffSessions(tx, user.id, now);
    await appendAudit(tx, { actor: { type: "cli" }, action: "staff.access_reset", target: { type: "staff", id: user.id }, now });
  });
  return { user, password };
}
