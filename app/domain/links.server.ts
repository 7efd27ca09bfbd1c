import { and, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { customerSessions, linkRedemptions, linkTokens } from "../../db/schema";
import type { SyncDb } from "../utils/db.server";
import { isLang, type Lang } from "../utils/languages";
import { hashToken, newToken } from "../utils/tokens.server";
import { findCustomer } from "./customers.server";
import { startCustomerSession } from "./customer-sessions.server";
import { sameTimeDaysLater } from "../utils/calendar";
import { companyTimeZone, getSetting } from "./settings.server";

export const MAX_LINK_DAYS = 90;

export type LinkStatus = "valid" | "expired" | "revoked" | "unknown";

export class UnknownCustomerError extends Error {
  constructor(public readonly customerId: string) {
    super(`Unknown customer: ${customerId}`);
  }
}

/**
 * Mints a personal link for a customer. The token (256 random bits) is returned once and
 * stored only as its SHA-256 hash. Used by the CLI now and by the API later.
 */
export function mintLink(
  db: SyncDb,
  input: {
    customerId: string;
    lang?: Lang | null;
    interactionRef?: string | null;
    concernRef?: string | null;
    days?: number | null;
    createdBy: "cli" | "api" | "staff" | "seed" | "email";
    baseUrl: string;
    now?: number;
  },
): { token: string; url: string; expiresAt: number } {
  if (!findCustomer(db, input.customerId)) throw new UnknownCustomerError(input.customerId);
  const days = input.days ?? getSetting(db, "linkLifetimeDays");
  if (!Number.isInteger(days) || days < 1 || days > MAX_LINK_DAYS) {
    throw new RangeError(`A link lives between 1 and ${MAX_LINK_DAYS} days`);
  }
  const now = input.now ?? Date.now();
  const token = newToken();
  // `days` calendar days on the company's calendar, to the same local time (DST-aware).
  const expiresAt = sameTimeDaysLater(now, days, companyTimeZone());
  db.insert(linkTokens)
    .values({
      tokenHash: hashToken(token),
      customerId: input.customerId,
      lang: input.lang ?? null,
      interactionRef: input.interactionRef ?? null,
      concernRef: input.concernRef ?? null,
      createdBy: input.createdBy,
      createdAt: now,
      expiresAt,
    })
    .run();
  return { token, url: `${input.baseUrl}/l/${token}`, expiresAt };
}

function findLink(db: SyncDb, token: string) {
  if (token.length > 200) return undefined;
  return db.select().from(linkTokens).where(eq(linkTokens.tokenHash, hashToken(token))).get();
}

export function inspectLink(db: SyncDb, token: string, now = Date.now()) {
  const link = findLink(db, token);
  let status: LinkStatus = "valid";
  if (!link || !findCustomer(db, link.customerId)) status = "unknown";
  else if (link.revokedAt) status = "revoked";
  else if (link.expiresAt <= now) status = "expired";
  return { status, link };
}

/** The language a link was minted with, if any (used before the page's language is known). */
export function getLinkLanguage(db: SyncDb, token: string): Lang | null {
  const lang = findLink(db, token)?.lang;
  return isLang(lang) ? lang : null;
}

/**
 * Redeems a valid link: records the redemption and starts a customer session. A link may be
 * redeemed again until it expires (people open their email on several devices).
 */
export type Redemption =
  | {
      status: "valid";
      sessionToken: string;
      customerId: string;
      lang: string | null;
      interactionRef: string | null;
      concernRef: string | null;
    }
  | { status: Exclude<LinkStatus, "valid"> };

export function redeemLink(db: SyncDb, token: string, now = Date.now()): Redemption {
  return db.transaction(
    (tx): Redemption => {
      // Checked inside the write transaction, so a revocation cannot slip in between.
      const { status, link } = inspectLink(tx, token, now);
      if (status !== "valid") return { status };
      if (!link) return { status: "unknown" };
      tx.insert(linkRedemptions).values({ linkId: link.id, createdAt: now }).run();
      const sessionToken = startCustomerSession(tx, link.customerId, link.id, now);
      return {
        status,
        sessionToken,
        customerId: link.customerId,
        lang: link.lang,
        interactionRef: link.interactionRef,
        concernRef: link.concernRef,
      };
    },
    { behavior: "immediate" },
  );
}

/** Revokes links and ends the sessions they started (a leaked link must stop working at once). */
function revokeLinks(db: SyncDb, which: SQL | undefined, now: number): number {
  return db.transaction(
    (tx) => {
      const revoked = tx
        .update(linkTokens)
        .set({ revokedAt: now })
        .where(and(which, isNull(linkTokens.revokedAt)))
        .returning({ id: linkTokens.id })
        .all();
      const ids = revoked.map((l) => l.id);
      if (ids.length > 0) {
        tx.update(customerSessions)
          .set({ revokedAt: now })
          .where(and(inArray(customerSessions.linkId, ids), isNull(customerSessions.revokedAt)))
          .run();
      }
      return ids.length;
    },
    { behavior: "immediate" },
  );
}

export function revokeLink(db: SyncDb, token: string, now = Date.now()): boolean {
  return revokeLinks(db, eq(linkTokens.tokenHash, hashToken(token)), now) > 0;
}

/** Revokes every link of a customer (and their sessions); returns how many were still active. */
export function revokeAllLinks(db: SyncDb, customerId: string, now = Date.now()): number {
  return revokeLinks(db, eq(linkTokens.customerId, customerId), now);
}
