import { and, eq, isNull } from "drizzle-orm";
import { customerSessions } from "../../db/schema";
import type { SyncDb } from "../utils/db.server";
import { hashToken, newToken } from "../utils/tokens.server";
import { findCustomer, type Customer } from "./customers.server";

const HOUR_MS = 60 * 60 * 1000;
/** A customer session ends 12 hours after its start, or after 2 idle hours. */
export const SESSION_ABSOLUTE_MS = 12 * HOUR_MS;
export const SESSION_IDLE_MS = 2 * HOUR_MS;
/** lastSeenAt is written at most once a minute, so reads stay reads. */
const TOUCH_EVERY_MS = 60 * 1000;

/**
 * Starts a customer session and returns its token (stored only as a hash). `embedSite` binds it
 * to one embed site (SPEC §6): such a session is valid only under /embed/<that slug>/, and a
 * portal session (null) only outside embeds — see resolveCustomerSession.
 */
export function startCustomerSession(
  db: SyncDb,
  customerId: string,
  linkId: number | null,
  now = Date.now(),
  /** Shorter for the session handles carried in embed URLs (SPEC §6). */
  lifetimeMs = SESSION_ABSOLUTE_MS,
  embedSite: string | null = null,
): string {
  const token = newToken();
  db.insert(customerSessions)
    .values({
      idHash: hashToken(token),
      customerId,
      linkId,
      embedSite,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + Math.min(lifetimeMs, SESSION_ABSOLUTE_MS),
    })
    .run();
  return token;
}

/**
 * The customer behind a session token, or undefined when it is unknown, ended, idle, or bound to
 * another scope: `embedSite` is the slug of the embed site the request is for (null on portal
 * pages); a session started by one embed site is refused everywhere else, and a portal session
 * inside embeds.
 */
export function resolveCustomerSession(db: SyncDb, token: string, now = Date.now(), embedSite: string | null = null): Customer | undefined {
  if (!token || token.length > 200) return undefined;
  const idHash = hashToken(token);
  const session = db
    .select()
    .from(customerSessions)
    .where(and(eq(customerSessions.idHash, idHash), isNull(customerSessions.revokedAt)))
    .get();
  if (!session || session.expiresAt <= now || session.lastSeenAt + SESSION_IDLE_MS <= now || session.embedSite !== embedSite) {
    return undefined;
  }
  const customer = findCustomer(db, session.customerId);
  if (!customer) return undefined;
  if (now - session.lastSeenAt > TOUCH_EVERY_MS) {
    db.update(customerSessions).set({ lastSeenAt: now }).where(eq(customerSessions.idHash, idHash)).run();
  }
  return customer;
}

export function endCustomerSession(db: SyncDb, token: string, now = Date.now()): void {
  db.update(customerSessions)
    .set({ revokedAt: now })
    .where(eq(customerSessions.idHash, hashToken(token)))
    .run();
}

/** "Sign out everywhere": ends every session of the customer. */
export function endAllCustomerSessions(db: SyncDb, customerId: string, now = Date.now()): number {
  return db
    .update(customerSessions)
    .set({ revokedAt: now })
    .where(and(eq(customerSessions.customerId, customerId), isNull(customerSessions.revokedAt)))
    .run().changes;
}
