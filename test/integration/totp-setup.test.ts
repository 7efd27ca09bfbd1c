import { and, eq } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { beforeEach, describe, expect, it } from "vitest";
import { newTotpSecret } from "../../app/domain/staff.server";
import { auditLog, staffUsers } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { html, trNs } from "../support/locales";

// TOTP setup (issue 11, item 10): a QR code rendered on the server, and a secret that stays the
// same until it is confirmed — stored server-side, never taken from the form.
let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const EMAIL = "agent@nordlys.example";
const secretOn = (page: string) => /<code id="totp-secret">([A-Z2-7]{16,64})<\/code>/.exec(page)?.[1];
const totpOf = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), label: EMAIL, issuer: "Candor" });
const agentRow = async () => (await app.db.select().from(staffUsers).where(eq(staffUsers.email, EMAIL)).limit(1))[0]!;

describe("two-step sign-in setup on /staff/account", () => {
  it("shows a QR code and the same key on every load and after a wrong code; the right code turns it on (audited)", async () => {
    const cookie = await app.signInStaff("agent");
    const first = await (await app.request("/staff/account", { cookie })).text();
    const secret = secretOn(first);
    if (!secret) throw new Error("no key on the account page");
    expect(first).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="[^"]+"/);
    expect(first).toContain(html(trNs("en", "staff", "account.totpQrAlt")));
    // The QR code holds the otpauth:// URI of this very key.
    const svg = Buffer.from(/data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/.exec(first)![1]!, "base64").toString("utf8");
    expect(svg).toMatch(/^<svg/);
    expect(secretOn(await (await app.request("/staff/account", { cookie })).text())).toBe(secret);

    const wrong = await app.request("/staff/account", { cookie, form: { intent: "totp", code: "000000" } });
    expect(wrong.status).toBe(400);
    const wrongPage = await wrong.text();
    expect(wrongPage).toContain(html(trNs("en", "common", "errors.totpInvalid")));
    expect(secretOn(wrongPage)).toBe(secret);
    expect(secretOn(await (await app.request("/staff/account", { cookie })).text())).toBe(secret);
    expect((await agentRow()).totpSecret).toBeNull();

    const right = await app.request("/staff/account", { cookie, form: { intent: "totp", code: totpOf(secret).generate() } });
    expect(right.status).toBe(303);
    const row = await agentRow();
    expect(row.totpSecret).toBe(secret);
    expect(row.pendingTotpSecret).toBeNull();
    expect(await app.db.select().from(auditLog).where(and(eq(auditLog.action, "staff.totp_enabled"), eq(auditLog.targetId, String(row.id))))).toHaveLength(1);
    const after = await (await app.request("/staff/account", { cookie })).text();
    expect(after).toContain(html(trNs("en", "staff", "account.totpOn")));
    expect(secretOn(after)).toBeUndefined();
  });

  it("ignores a secret a crafted request brings: only the stored key can be confirmed", async () => {
    const cookie = await app.signInStaff("agent");
    const shown = secretOn(await (await app.request("/staff/account", { cookie })).text())!;
    const own = newTotpSecret();
    const crafted = await app.request("/staff/account", { cookie, form: { intent: "totp", secret: own, code: totpOf(own).generate() } });
    expect(crafted.status).toBe(400);
    expect((await agentRow()).totpSecret).toBeNull();
    expect((await agentRow()).pendingTotpSecret).toBe(shown);
    const malformed = await app.request("/staff/account", { cookie, form: { intent: "totp", code: "12ab" } });
    expect(malformed.status).toBe(400);
  });
});
