import { and, eq, isNull, sql } from "drizzle-orm";
import { customerSessions } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { preparedQuery } from "../utils/prepared.server";
import { hashToken, newToken } from "../utils/tokens.server";
import { findCustomer, type Customer } from "./customers.server";

const HOUR_MS = 60 * 60 * 1000;
/** A customer session ends 12 hours after its start, or after 2 idle hours. */
export const SESSION_ABSOLUTE_MS = 12 * HOUR_MS;
export const SESSION_IDLE_MS = 2 * HOUR_MS;
/** lastSeenAt is written at most once a minute, so reads stay reads. */
const TOUCH_EVERY_MS = 60 * 1000;

/**
 * Starts a customer session and resolves to its token (stored only as a hash). `embedSite` binds it
 * to one embed site (SPEC §6): such a session is valid only under /embed/<that slug>/, and a
 * portal session (null) only outside embeds — see resolveCustomerSession.
 */
export async function startCustomerSession(
  db: Db,
  customerId: string,
  linkId: number | null,
  now = Date.now(),
  /** Shorter for the session handles carried in embed URLs (SPEC §6). */
  lifetimeMs = SESSION_ABSOLUTE_MS,
  embedSite: string | null = null,
): Promise<string> {
  const token = newToken();
  await db
    .insert(customerSessions)
    .values({
      idHash: hashToken(token),
      customerId,
      linkId,
      embedSite,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + Math.min(lifetimeMs, SESSION_ABSOLUTE_MS),
    });
  return token;
}

const liveSessionByHash = preparedQuery("customer_session_by_hash", (db) =>
  db
    .select()
    .from(customerSessions)
    .where(and(eq(customerSessions.idHash, sql.placeholder("idHash")), isNull(customerSessions.revokedAt)))
    .limit(1),
);

/**
 * The customer behind a session token (async; every page a customer opens asks: prepared queries), or undefined when it is unknown, ended, idle, or bound to
 * another scope: `embedSite` is the slug of the embed site the request is for (null on portal
 * pages); a session started by one embed site is refused everywhere else, and a portal session
 * inside embeds.
 */
export async function resolveCustomerSession(
  db: Db,
  token: string,
  now = Date.now(),
  embedSite: string | null = null,
): Promise<Customer | undefined> {
  if (!token || token.length > 200) return undefined;
  const idHash = hashToken(token);
  const [session] = await liveSessionByHash(db, { idHash });
  if (!session || session.expiresAt <= now || session.lastSeenAt + SESSION_IDLE_MS <= now || session.embedSite !== embedSite) {
    return undefined;
  }
  const customer = await findCustomer(db, session.customerId);
  if (!customer) return undefined;
  if (now - session.lastSeenAt > TOUCH_EVERY_MS) {
    await db.update(customerSessions).set({ lastSeenAt: now }).where(eq(customerSessions.idHash, idHash));
  }
  return customer;
}

/** Ends one session (async). */
export async function endCustomerSession(db: Db, token: string, now = Date.now()): Promise<void> {
  await db
    .update(customerSessions)
    .set({ revokedAt: now })
    .where(eq(customerSessions.idHash, hashToken(token)));
}

/** "Sign out everywhere": ends every session of the customer (async); resolves to how many. */
export async function endAllCustomerSessions(db: Db, customerId: string, now = Date.now()): Promise<number> {
  const ended = await db
    .update(customerSessions)
    .set({ revokedAt: now })
    .where(and(eq(customerSessions.customerId, customerId), isNull(customerSessions.revokedAt)))
    .returning({ idHash: customerSessions.idHash });
  return ended.length;
}
