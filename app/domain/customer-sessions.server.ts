import { and, eq, isNull } from "drizzle-orm";
import { customerSessions } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { hashToken, newToken } from "../utils/tokens.server";
import { findCustomer, type Customer } from "./customers.server";

const HOUR_MS = 60 * 60 * 1000;
/** A customer session ends 12 hours after its start, or after 2 idle hours. */
export const SESSION_ABSOLUTE_MS = 12 * HOUR_MS;
export const SESSION_IDLE_MS = 2 * HOUR_MS;
/** lastSeenAt is written at most once a minute, so reads stay reads. */
const TOUCH_EVERY_MS = 60 * 1000;

export function startCustomerSession(
  db: Db,
  customerId: string,
  linkId: number | null,
  now = Date.now(),
  /** Shorter for the session handles carried in embed URLs (SPEC §6). */
  lifetimeMs = SESSION_ABSOLUTE_MS,
): string {
  const token = newToken();
  db.insert(customerSessions)
    .values({
      idHash: hashToken(token),
      customerId,
      linkId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + Math.min(lifetimeMs, SESSION_ABSOLUTE_MS),
    })
    .run();
  return token;
}

/** The customer behind a session token, or undefined when it is unknown, ended or idle. */
export function resolveCustomerSession(db: Db, token: string, now = Date.now()): Customer | undefined {
  if (!token || token.length > 200) return undefined;
  const idHash = hashToken(token);
  const session = db
    .select()
    .from(customerSessions)
    .where(and(eq(customerSessions.idHash, idHash), isNull(customerSessions.revokedAt)))
    .get();
  if (!session || session.expiresAt <= now || session.lastSeenAt + SESSION_IDLE_MS <= now) {
    return undefined;
  }
  const customer = findCustomer(db, session.customerId);
  if (!customer) return undefined;
  if (now - session.lastSeenAt > TOUCH_EVERY_MS) {
    db.update(customerSessions).set({ lastSeenAt: now }).where(eq(customerSessions.idHash, idHash)).run();
  }
  return customer;
}

export function endCustomerSession(db: Db, token: string, now = Date.now()): void {
  db.update(customerSessions)
    .set({ revokedAt: now })
    .where(eq(customerSessions.idHash, hashToken(token)))
    .run();
}

/** "Sign out everywhere": ends every session of the customer. */
export function endAllCustomerSessions(db: Db, customerId: string, now = Date.now()): number {
  return db
    .update(customerSessions)
    .set({ revokedAt: now })
    .where(and(eq(customerSessions.customerId, customerId), isNull(customerSessions.revokedAt)))
    .run().changes;
}
