import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { and, asc, eq, isNull } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { staffSessions, staffUsers } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { hashToken, newToken } from "../utils/tokens.server";
import { appendAudit } from "./audit.server";
import { isStaffRole, type StaffRole } from "./permissions";

export type StaffUser = typeof staffUsers.$inferSelect;

/** OWASP's argon2id baseline: 19 MiB memory, 2 iterations, 1 lane. */
// algorithm 2 = Argon2id (the package exports it as an ambient const enum).
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

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

export function findStaffByEmail(db: Db, email: string): StaffUser | undefined {
  return db.select().from(staffUsers).where(eq(staffUsers.email, normaliseEmail(email))).get();
}

export function findStaff(db: Db, id: number): StaffUser | undefined {
  return db.select().from(staffUsers).where(eq(staffUsers.id, id)).get();
}

export function listStaff(db: Db): StaffUser[] {
  return db.select().from(staffUsers).orderBy(asc(staffUsers.name)).all();
}

/** Creates a staff account; without a password one is generated and returned (shown once). */
export async function createStaffUser(
  db: Db,
  input: { email: string; name: string; role: StaffRole; password?: string; locale?: string },
  actor: { type: "staff" | "cli" | "system"; id?: number | null } = { type: "cli" },
): Promise<{ user: StaffUser; password: string }> {
  if (!isStaffRole(input.role)) throw new StaffInputError("role");
  const email = normaliseEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw new StaffInputError("email");
  if (findStaffByEmail(db, email)) throw new StaffInputError("email_taken");
  const password = input.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const now = Date.now();
  const user = db.transaction(
    (tx) => {
      const created = tx
        .insert(staffUsers)
        .values({ email, name: input.name.trim() || email, role: input.role, passwordHash, locale: input.locale ?? "en", createdAt: now, updatedAt: now })
        .returning()
        .get();
      appendAudit(tx, { actor, action: "staff.created", target: { type: "staff", id: created.id }, details: { role: created.role }, now });
      return created;
    },
    { behavior: "immediate" },
  );
  return { user, password };
}

// Login throttling. Limits are checked *before* any hashing, so floods cost no argon2 work, and
// every block expires: a real user can never be locked out for good.
const loginByIp = new RateLimiterMemory({ keyPrefix: "login-ip", points: 20, duration: 15 * 60 });
const loginByAccount = new RateLimiterMemory({ keyPrefix: "login-account", points: 5, duration: 15 * 60 });

async function blockedFor(limiter: RateLimiterMemory, key: string): Promise<number | null> {
  const state = await limiter.get(key);
  return state && state.consumedPoints >= limiter.points ? Math.ceil(state.msBeforeNext / 1000) : null;
}

async function consume(limiter: RateLimiterMemory, key: string) {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
  }
}

/** A fixed hash to verify against for unknown emails, so response time does not reveal accounts. */
let dummyHash: Promise<string> | undefined;

export type LoginResult =
  | { ok: true; user: StaffUser; needsTotp: boolean }
  | { ok: false; reason: "invalid" | "throttled"; retryAfterSeconds?: number };

export async function checkPassword(db: Db, email: string, password: string, ip: string): Promise<LoginResult> {
  const account = normaliseEmail(email).slice(0, 254);
  const wait = (await blockedFor(loginByIp, ip)) ?? (await blockedFor(loginByAccount, account));
  if (wait !== null) return { ok: false, reason: "throttled", retryAfterSeconds: wait };
  const user = findStaffByEmail(db, account);
  dummyHash ??= hash("not-a-real-password-0000", ARGON2);
  const valid =
    password.length <= PASSWORD_MAX &&
    (await verify(user?.passwordHash ?? (await dummyHash), password).catch(() => false)) &&
    Boolean(user) &&
    !user!.disabledAt;
  if (!valid || !user) {
    await consume(loginByIp, ip);
    await consume(loginByAccount, account);
    return { ok: false, reason: "invalid" };
  }
  await loginByAccount.delete(account);
  return { ok: true, user, needsTotp: Boolean(user.totpSecret) };
}

export function totpFor(user: Pick<StaffUser, "email">, secret: string): TOTP {
  return new TOTP({ issuer: "Candor", label: user.email, algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

export function checkTotp(user: StaffUser, code: string, now = Date.now()): boolean {
  if (!user.totpSecret || !/^\d{6}$/.test(code.trim())) return false;
  return totpFor(user, user.totpSecret).validate({ token: code.trim(), timestamp: now, window: 1 }) !== null;
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function enableTotp(db: Db, user: StaffUser, secret: string, code: string): boolean {
  if (!checkTotp({ ...user, totpSecret: secret }, code)) return false;
  db.transaction(
    (tx) => {
      tx.update(staffUsers).set({ totpSecret: secret, updatedAt: Date.now() }).where(eq(staffUsers.id, user.id)).run();
      appendAudit(tx, { actor: { type: "staff", id: user.id }, action: "staff.totp_enabled", target: { type: "staff", id: user.id } });
    },
    { behavior: "immediate" },
  );
  return true;
}

/** A new session on every login (rotation): the token is returned once; its hash is stored. */
export function startStaffSession(db: Db, user: StaffUser, verified: boolean, now = Date.now()): string {
  const token = newToken();
  db.transaction(
    (tx) => {
      tx.insert(staffSessions)
        .values({
          idHash: hashToken(token),
          staffId: user.id,
          verified,
          createdAt: now,
          lastSeenAt: now,
          expiresAt: now + (verified ? STAFF_SESSION_ABSOLUTE_MS : PENDING_MFA_MS),
        })
        .run();
      if (verified) {
        tx.update(staffUsers).set({ lastLoginAt: now }).where(eq(staffUsers.id, user.id)).run();
        appendAudit(tx, { actor: { type: "staff", id: user.id }, action: "staff.login", target: { type: "staff", id: user.id }, now });
      }
    },
    { behavior: "immediate" },
  );
  return token;
}

export interface StaffSession {
  user: StaffUser;
  verified: boolean;
}

export function resolveStaffSession(db: Db, token: string, now = Date.now()): StaffSession | undefined {
  if (!token || token.length > 200) return undefined;
  const idHash = hashToken(token);
  const session = db
    .select()
    .from(staffSessions)
    .where(and(eq(staffSessions.idHash, idHash), isNull(staffSessions.revokedAt)))
    .get();
  if (!session || session.expiresAt <= now || session.lastSeenAt + STAFF_SESSION_IDLE_MS <= now) return undefined;
  const user = findStaff(db, session.staffId);
  if (!user || user.disabledAt) return undefined;
  if (now - session.lastSeenAt > MINUTE) {
    db.update(staffSessions).set({ lastSeenAt: now }).where(eq(staffSessions.idHash, idHash)).run();
  }
  return { user, verified: session.verified };
}

export function endStaffSession(db: Db, token: string, now = Date.now()): void {
  db.update(staffSessions).set({ revokedAt: now }).where(eq(staffSessions.idHash, hashToken(token))).run();
}

export function endAllStaffSessions(db: Db, staffId: number, now = Date.now()): number {
  return db
    .update(staffSessions)
    .set({ revokedAt: now })
    .where(and(eq(staffSessions.staffId, staffId), isNull(staffSessions.revokedAt)))
    .run().changes;
}

/** Completes a TOTP login: the pending half-session is replaced by a full one (rotation again). */
export function completeTotpLogin(db: Db, pendingToken: string, code: string, now = Date.now()): string | null {
  const pending = resolveStaffSession(db, pendingToken, now);
  if (!pending || pending.verified || !checkTotp(pending.user, code, now)) return null;
  endStaffSession(db, pendingToken, now);
  return startStaffSession(db, pending.user, true, now);
}
