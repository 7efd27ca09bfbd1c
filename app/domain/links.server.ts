import { and, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { customerSessions, linkRedemptions, linkTokens } from "../../db/schema";
import type { Db } from "../utils/db.server";
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
 * stored only as its SHA-256 hash (async). Used by the CLI, the API and outgoing emails.
 */
export async function mintLink(
  db: Db,
  input: {
    customerId: string;
    lang?: Lang | null;
    interactionRef?: string | null;
    concernRef?: string | null;
    /** Opens on this confirmation request (the "ask me first" email, SPEC §11.1). */
    confirmationId?: string | null;
    days?: number | null;
    createdBy: "cli" | "api" | "staff" | "seed" | "email";
    baseUrl: string;
    now?: number;
  },
): Promise<{ token: string; url: string; expiresAt: number }> {
  if (!(await findCustomer(db, input.customerId))) throw new UnknownCustomerError(input.customerId);
  const days = input.days ?? (await getSetting(db, "linkLifetimeDays"));
  if (!Number.isInteger(days) || days < 1 || days > MAX_LINK_DAYS) {
    throw new RangeError(`A link lives between 1 and ${MAX_LINK_DAYS} days`);
  }
  const now = input.now ?? Date.now();
  const token = newToken();
  // `days` calendar days on the company's calendar, to the same local time (DST-aware).
  const expiresAt = sameTimeDaysLater(now, days, companyTimeZone());
  await db
    .insert(linkTokens)
    .values({
      tokenHash: hashToken(token),
      customerId: input.customerId,
      lang: input.lang ?? null,
      interactionRef: input.interactionRef ?? null,
      concernRef: input.concernRef ?? null,
      confirmationId: input.confirmationId ?? null,
      createdBy: input.createdBy,
      createdAt: now,
      expiresAt,
    });
  return { token, url: `${input.baseUrl}/l/${token}`, expiresAt };
}

async function findLink(db: Db, token: string) {
  if (token.length > 200) return undefined;
  const [link] = await db.select().from(linkTokens).where(eq(linkTokens.tokenHash, hashToken(token))).limit(1);
  return link;
}

/** A link's status and row (async). */
export async function inspectLink(db: Db, token: string, now = Date.now()) {
  const link = await findLink(db, token);
  let status: LinkStatus = "valid";
  if (!link || !(await findCustomer(db, link.customerId))) status = "unknown";
  else if (link.revokedAt) status = "revoked";
  else if (link.expiresAt <= now) status = "expired";
  return { status, link };
}

/** The language a link was minted with, if any (async; used before the page's language is known). */
export async function getLinkLanguage(db: Db, token: string): Promise<Lang | null> {
  const lang = (await findLink(db, token))?.lang;
  return isLang(lang) ? lang : null;
}

/**
 * Redeems a valid link (async): records the redemption and starts a customer session. A link may
 * be redeemed again until it expires (people open their email on several devices).
 */
export type Redemption =
  | {
      status: "valid";
      sessionToken: string;
      customerId: string;
      lang: string | null;
      interactionRef: string | null;
      concernRef: string | null;
      confirmationId: string | null;
    }
  | { status: Exclude<LinkStatus, "valid"> };

export async function redeemLink(db: Db, token: string, now = Date.now()): Promise<Redemption> {
  return db.transaction(async (tx): Promise<Redemption> => {
    // Checked inside the write transaction, so a revocation cannot slip in between.
    const { status, link } = await inspectLink(tx, token, now);
    if (status !== "valid") return { status };
    if (!link) return { status: "unknown" };
    await tx.insert(linkRedemptions).values({ linkId: link.id, createdAt: now });
    const sessionToken = await startCustomerSession(tx, link.customerId, link.id, now);
    return {
      status,
      sessionToken,
      customerId: link.customerId,
      lang: link.lang,
      interactionRef: link.interactionRef,
      concernRef: link.concernRef,
      confirmationId: link.confirmationId,
    };
  });
}

/** Revokes links and ends the sessions they started (a leaked link must stop working at once). */
async function revokeLinks(db: Db, which: SQL | undefined, now: number): Promise<number> {
  return db.transaction(async (tx) => {
    const revoked = await tx
      .update(linkTokens)
      .set({ revokedAt: now })
      .where(and(which, isNull(linkTokens.revokedAt)))
      .returning({ id: linkTokens.id });
    const ids = revoked.map((l) => l.id);
    if (ids.length > 0) {
      await tx
        .update(customerSessions)
        .set({ revokedAt: now })
        .where(and(inArray(customerSessions.linkId, ids), isNull(customerSessions.revokedAt)));
    }
    return ids.length;
  });
}

/** Revokes one link and the sessions it started (async); true when it was still active. */
export async function revokeLink(db: Db, token: string, now = Date.now()): Promise<boolean> {
  return (await revokeLinks(db, eq(linkTokens.tokenHash, hashToken(token)), now)) > 0;
}

/** Revokes every link of a customer (and their sessions, async); resolves to how many were still active. */
export async function revokeAllLinks(db: Db, customerId: string, now = Date.now()): Promise<number> {
  return revokeLinks(db, eq(linkTokens.customerId, customerId), now);
}
