import { Secret, TOTP } from "otpauth";
import { beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import { html, trNs } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

describe("staff sign-in (SPEC §4, §9)", () => {
  it("redirects to sign-in, signs in with a Strict, HttpOnly session cookie and returns to the page asked for", async () => {
    const page = await app.request("/staff/account");
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/staff/login?next=%2Fstaff%2Faccount");
    const login = await app.request("/staff/login?next=%2Fstaff%2Faccount", {
      form: { step: "password", email: "Agent@Nordlys.example", password: "demo-agent-password" },
    });
    expect(login.status).toBe(303);
    expect(login.headers.get("Location")).toBe("/staff/account");
    const cookie = login.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^candor_staff=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/staff/);
    const account = await app.request("/staff/account", { cookie: cookie.split(";")[0] });
    expect(account.status).toBe(200);
    expect(account.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it("only failed sign-ins count against an address: 25 correct ones in a row all pass, guessing is still stopped", async () => {
    for (let i = 0; i < 25; i++) {
      const login = await app.request("/staff/login", { form: { step: "password", email: "agent@nordlys.example", password: "demo-agent-password" } });
      expect(login.status, `sign-in ${i + 1}`).toBe(303);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const wrong = await app.request("/staff/login", { form: { step: "password", email: "supervisor@nordlys.example", password: `guess-${i}` } });
      statuses.push(wrong.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
  });

  it("never follows an off-site next= after sign-in", async () => {
    const login = await app.request("/staff/login?next=https%3A%2F%2Fevil.example", {
      form: { step: "password", email: "agent@nordlys.example", password: "demo-agent-password" },
    });
    expect(login.headers.get("Location")).toBe("/staff");
  });

  it("wrong password: a translated error, the email kept, the password not echoed", async () => {
    const response = await app.request("/staff/login", {
      form: { step: "password", email: "agent@nordlys.example", password: "not-my-password" },
      headers: { "Accept-Language": "de" },
    });
    expect(response.status).toBe(401);
    const page = await response.text();
    expect(page).toContain(html(trNs("de", "common", "errors.loginInvalid")));
    expect(page).toContain('value="agent@nordlys.example"');
    expect(page).not.toContain("not-my-password");
  });

  it("signing out ends the session for good", async () => {
    const login = await app.request("/staff/login", { form: { step: "password", email: "admin@nordlys.example", password: "demo-admin-password" } });
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    expect((await app.request("/staff/account", { cookie })).status).toBe(200);
    const out = await app.request("/staff/logout", { cookie, form: {} });
    expect(out.status).toBe(303);
    expect((await app.request("/staff/account", { cookie })).status).toBe(302);
  });

  it("the console speaks the staff member's language", async () => {
    const login = await app.request("/staff/login", { form: { step: "password", email: "supervisor@nordlys.example", password: "demo-supervisor-password" } });
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    const saved = await app.request("/staff/account", { cookie, form: { intent: "language", locale: "ar" } });
    expect(saved.status).toBe(303);
    const page = await (await app.request("/staff/account", { cookie })).text();
    expect(page).toContain('<html lang="ar" dir="rtl"');
    expect(page).toContain(html(trNs("ar", "staff", "account.title")));
  });

  it("refuses the two-step setup code at the next sign-in (RFC 6238 §5.2: one code, one use)", async () => {
    const email = "admin@nordlys.example";
    const password = "demo-admin-password";
    const login = await app.request("/staff/login", { form: { step: "password", email, password } });
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    const setup = await (await app.request("/staff/account", { cookie })).text();
    const secret = /<code id="totp-secret">([A-Z2-7]{16,64})<\/code>/.exec(setup)?.[1];
    if (!secret) throw new Error("no TOTP secret on the account page");
    const totp = new TOTP({ secret: Secret.fromBase32(secret), label: email, issuer: "Candor" });
    const setupCode = totp.generate();
    const enabled = await app.request("/staff/account", { cookie, form: { intent: "totp", code: setupCode } });
    expect(enabled.status).toBe(303);
    expect((await app.request("/staff/logout", { cookie, form: {} })).status).toBe(303);

    const again = await app.request("/staff/login", { form: { step: "password", email, password } });
    expect(again.headers.get("Location")).toMatch(/^\/staff\/login\?step=totp/);
    const pending = again.headers.get("Set-Cookie")!.split(";")[0]!;
    const replay = await app.request("/staff/login?step=totp", { cookie: pending, form: { step: "totp", code: setupCode } });
    expect(replay.status).toBe(401);
    expect(replay.headers.get("Set-Cookie")).toBeNull();
    // The next time step's code (inside the drift window) is a new code: accepted.
    const next = await app.request("/staff/login?step=totp", { cookie: pending, form: { step: "totp", code: totp.generate({ timestamp: Date.now() + 30_000 }) } });
    expect(next.status).toBe(303);
    expect(next.headers.get("Set-Cookie")).toMatch(/^candor_staff=/);
  });
});
