import { beforeEach, describe, expect, it } from "vitest";
import { endAllCustomerSessions, resolveCustomerSession, SESSION_IDLE_MS, startCustomerSession } from "../../app/domain/customer-sessions.server";
import { inspectLink, mintLink, redeemLink, revokeAllLinks, revokeLink, UnknownCustomerError } from "../../app/domain/links.server";
import { linkRedemptions, linkTokens } from "../../db/schema";
import type { Connection } from "../../app/utils/db.server";
import { freshDatabase } from "../support/database";

let db: Connection;
const base = "https://candor.example";
const DAY = 86_400_000;

beforeEach(() => {
  db = freshDatabase();
});

describe("personal links", () => {
  it("mints a link whose token is stored only as a hash, valid for 7 days by default", () => {
    // Minted 25 March 2026, 10:00 in Brussels: valid until 1 April, 10:00 — DST began in between.
    const now = Date.parse("2026-03-25T10:00:00+01:00");
    const link = mintLink(db, { customerId: "demo-customer-1", createdBy: "cli", baseUrl: base, now });
    expect(link.url).toBe(`${base}/l/${link.token}`);
    expect(link.expiresAt).toBe(Date.parse("2026-04-01T10:00:00+02:00"));
    const stored = db.select().from(linkTokens).all();
    expect(stored.some((row) => row.tokenHash.includes(link.token))).toBe(false);
    expect(inspectLink(db, link.token, now).status).toBe("valid");
    expect(inspectLink(db, link.token, link.expiresAt).status).toBe("expired");
  });

  it("refuses unknown customers and out-of-range lifetimes", () => {
    expect(() => mintLink(db, { customerId: "ghost", createdBy: "cli", baseUrl: base })).toThrow(UnknownCustomerError);
    expect(() => mintLink(db, { customerId: "demo-customer-1", days: 0, createdBy: "cli", baseUrl: base })).toThrow(RangeError);
    expect(() => mintLink(db, { customerId: "demo-customer-1", days: 91, createdBy: "cli", baseUrl: base })).toThrow(RangeError);
  });

  it("tells expired, revoked and unknown links apart", () => {
    const now = Date.now();
    const expired = mintLink(db, { customerId: "demo-customer-1", days: 1, createdBy: "cli", baseUrl: base, now: now - 2 * DAY });
    const revoked = mintLink(db, { customerId: "demo-customer-1", createdBy: "cli", baseUrl: base });
    expect(revokeLink(db, revoked.token)).toBe(true);
    expect(inspectLink(db, expired.token).status).toBe("expired");
    expect(inspectLink(db, revoked.token).status).toBe("revoked");
    expect(inspectLink(db, `${revoked.token.slice(0, -1)}x`).status).toBe("unknown");
    expect(inspectLink(db, "x".repeat(5000)).status).toBe("unknown");
  });

  it("can be redeemed again until it expires, recording every redemption", () => {
    const link = mintLink(db, { customerId: "demo-customer-1", lang: "de", interactionRef: "NL-1", createdBy: "cli", baseUrl: base });
    const first = redeemLink(db, link.token);
    const second = redeemLink(db, link.token);
    expect(first.status).toBe("valid");
    expect(second.status).toBe("valid");
    if (first.status !== "valid" || second.status !== "valid") return;
    expect(first).toMatchObject({ customerId: "demo-customer-1", lang: "de", interactionRef: "NL-1" });
    expect(first.sessionToken).not.toBe(second.sessionToken);
    expect(db.select().from(linkRedemptions).all()).toHaveLength(2);
    expect(resolveCustomerSession(db, first.sessionToken)?.id).toBe("demo-customer-1");
  });

  it("revoking all links and sessions of a customer signs them out everywhere", () => {
    const a = mintLink(db, { customerId: "demo-customer-1", createdBy: "cli", baseUrl: base });
    const b = mintLink(db, { customerId: "demo-customer-1", createdBy: "cli", baseUrl: base });
    const session = redeemLink(db, a.token);
    expect(revokeAllLinks(db, "demo-customer-1")).toBeGreaterThanOrEqual(2);
    expect(redeemLink(db, b.token).status).toBe("revoked");
    if (session.status !== "valid") throw new Error("expected a session");
    expect(resolveCustomerSession(db, session.sessionToken)).toBeUndefined();
    // Sessions not started by a link are ended by "sign out everywhere".
    const direct = startCustomerSession(db, "demo-customer-1", null);
    expect(endAllCustomerSessions(db, "demo-customer-1")).toBe(1);
    expect(resolveCustomerSession(db, direct)).toBeUndefined();
  });

  it("revoking a link ends the sessions it started", () => {
    const link = mintLink(db, { customerId: "demo-customer-2", createdBy: "cli", baseUrl: base });
    const other = mintLink(db, { customerId: "demo-customer-2", createdBy: "cli", baseUrl: base });
    const session = redeemLink(db, link.token);
    const otherSession = redeemLink(db, other.token);
    if (session.status !== "valid" || otherSession.status !== "valid") throw new Error("expected sessions");
    revokeLink(db, link.token);
    expect(resolveCustomerSession(db, session.sessionToken)).toBeUndefined();
    expect(resolveCustomerSession(db, otherSession.sessionToken)?.id).toBe("demo-customer-2");
  });

  it("ends sessions after the idle timeout", () => {
    const link = mintLink(db, { customerId: "demo-customer-2", createdBy: "cli", baseUrl: base });
    const now = Date.now();
    const session = redeemLink(db, link.token, now);
    if (session.status !== "valid") throw new Error("expected a session");
    expect(resolveCustomerSession(db, session.sessionToken, now + SESSION_IDLE_MS - 1000)?.id).toBe("demo-customer-2");
    expect(resolveCustomerSession(db, session.sessionToken, now + 2 * SESSION_IDLE_MS)).toBeUndefined();
  });
});
