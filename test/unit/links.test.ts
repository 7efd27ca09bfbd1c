import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { endAllCustomerSessions, resolveCustomerSession, SESSION_IDLE_MS, startCustomerSession } from "../../app/domain/customer-sessions.server";
import { inspectLink, mintLink, redeemLink, revokeAllLinks, revokeLink, UnknownCustomerError } from "../../app/domain/links.server";
import { linkRedemptions, linkTokens } from "../../db/schema";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { freshTestDatabase } from "../support/database";

let database: AnyDatabase;
let db: Db;
const base = "https://candor.example";
const DAY = 86_400_000;

beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
});
afterEach(async () => {
  await database.close();
});

describe("personal links", () => {
  it("mints a link whose token is stored only as a hash, valid for 7 days by default", async () => {
    // Minted 25 March 2026, 10:00 in Brussels: valid until 1 April, 10:00 — DST began in between.
    const now = Date.parse("2026-03-25T10:00:00+01:00");
    const link = await mintLink(db, { customerId: "demo-customer-1", createdBy: "cli", baseUrl: base, now });
    expect(link.url).toBe(`${base}/l/${link.token}`);
    expect(link.expiresAt).toBe(Date.parse("2026-04-01T10:00:00+02:00"));
    const stored = await db.select().from(linkTokens);
    expect(stored.some((row) => row.tokenHash.includes(link.token))).toBe(false);
    expect((await inspectLink(db, link.token, now)).status).toBe("valid");
    expect((await inspectLink(db, link.token, link.expiresAt)).status).toBe("expired");
  });

  it("refuses unknown customers and out-of-range lifetimes", async () => {
    await expect(mintLink(db, { customerId: "ghost", createdBy: "cli", baseUrl: base })).rejects.toThrow(UnknownCustomerError);
    await expect(mintLink(db, { customerId: "demo-customer-1", days: 0, createdBy: "cli", baseUrl: base })).rejects.toThrow(RangeError);
    await expect(mintLink(db, { customerId: "demo-customer-1", days: 91, createdBy: "cli", baseUrl: base })).rejects.toThrow(RangeError);
  });

  it("tells expired, revoked and unknown links apart", async () => {
    const now = Date.now();
    const expired = await mintLink(db, { customerId: "demo-customer-1", days: 1, createdBy: "cli", baseUrl: base, now: now - 2 * DAY });
    const revoked = await mintLink(db, { customerId: "demo-customer-1", createdBy: "cli", baseUrl: base });
    expect(await revokeLink(db, revoked.token)).toBe(true);
    expect((await inspectLink(db, expired.token)).status).toBe("expired");
    expect((await inspectLink(db, revoked.token)).status).toBe("revoked");
    expect((await inspectLink(db, `${revoked.token.slice(0, -1)}x`)).status).toBe("unknown");
    expect((await inspectLink(db, "x".repeat(5000))).status).toBe("unknown");
  });

  it("can be redeemed again until it expires, recording every redemption", async () => {
    const link = await mintLink(db, { customerId: "demo-customer-1", lang: "de", interactionRef: "NL-1", createdBy: "cli", baseUrl: base });
    const first = await redeemLink(db, link.token);
    const second = await redeemLink(db, link.token);
    expect(first.status).toBe("valid");
    expect(second.status).toBe("valid");
    if (first.status !== "valid" || second.status !== "valid") return;
    expect(first).toMatchObject({ customerId: "demo-customer-1", lang: "de", interactionRef: "NL-1" });
    expect(first.sessionToken).not.toBe(second.sessionToken);
    expect(await db.select().from(linkRedemptions)).toHaveLength(2);
    expect((await resolveCustomerSession(db, first.sessionToken))?.id).toBe("demo-customer-1");
  });

  it("revoking all links and sessions of a customer signs them out everywhere", async () => {
    const a = await mintLink(db, { customerId: "demo-customer-1", createdBy: "cli", baseUrl: base });
    const b = await mintLink(db, { customerId: "demo-customer-1", createdBy: "cli", baseUrl: base });
    const session = await redeemLink(db, a.token);
    expect(await revokeAllLinks(db, "demo-customer-1")).toBeGreaterThanOrEqual(2);
    expect((await redeemLink(db, b.token)).status).toBe("revoked");
    if (session.status !== "valid") throw new Error("expected a session");
    expect(await resolveCustomerSession(db, session.sessionToken)).toBeUndefined();
    // Sessions not started by a link are ended by "sign out everywhere".
    const direct = await startCustomerSession(db, "demo-customer-1", null);
    expect(await endAllCustomerSessions(db, "demo-customer-1")).toBe(1);
    expect(await resolveCustomerSession(db, direct)).toBeUndefined();
  });

  it("revoking a link ends the sessions it started", async () => {
    const link = await mintLink(db, { customerId: "demo-customer-2", createdBy: "cli", baseUrl: base });
    const other = await mintLink(db, { customerId: "demo-customer-2", createdBy: "cli", baseUrl: base });
    const session = await redeemLink(db, link.token);
    const otherSession = await redeemLink(db, other.token);
    if (session.status !== "valid" || otherSession.status !== "valid") throw new Error("expected sessions");
    await revokeLink(db, link.token);
    expect(await resolveCustomerSession(db, session.sessionToken)).toBeUndefined();
    expect((await resolveCustomerSession(db, otherSession.sessionToken))?.id).toBe("demo-customer-2");
  });

  it("ends sessions after the idle timeout", async () => {
    const link = await mintLink(db, { customerId: "demo-customer-2", createdBy: "cli", baseUrl: base });
    const now = Date.now();
    const session = await redeemLink(db, link.token, now);
    if (session.status !== "valid") throw new Error("expected a session");
    expect((await resolveCustomerSession(db, session.sessionToken, now + SESSION_IDLE_MS - 1000))?.id).toBe("demo-customer-2");
    expect(await resolveCustomerSession(db, session.sessionToken, now + 2 * SESSION_IDLE_MS)).toBeUndefined();
  });
});
