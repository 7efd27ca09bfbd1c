import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { staffUsers } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { html, trNs } from "../support/locales";

// The staff console speaks one language per page: the sign-in page the browser's (Accept-Language),
// every page after it the account's, from the first one — menus, dates, names and notices.
let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const AGENT = { email: "agent@nordlys.example", password: "demo-agent-password" };

async function setLocale(email: string, locale: string) {
  await app.db.update(staffUsers).set({ locale }).where(eq(staffUsers.email, email));
}

/**
 * The redirect a single-fetch answer (`.data`) carries, decoded from its turbo-stream body: a flat
 * JSON array whose first item maps `_<index of the key>` to the index of the value.
 */
async function singleFetchRedirect(response: Response): Promise<Record<string, unknown>> {
  const items = JSON.parse((await response.text()).split("\n")[0]!) as unknown[];
  const head = items[0] as Record<string, number>;
  return Object.fromEntries(Object.entries(head).map(([key, value]) => [items[Number(key.slice(1))] as string, items[value]]));
}

/** The language a page was rendered in: `<html lang>`. */
function pageLang(page: string): string | undefined {
  return /<html lang="([a-z]+)"/.exec(page)?.[1];
}

describe("staff console language", () => {
  it("the sign-in page follows the browser; the first page after it is all in the account's language", async () => {
    await setLocale(AGENT.email, "de");
    const signInPage = await (await app.request("/staff/login", { headers: { "Accept-Language": "fr-FR,fr;q=0.9" } })).text();
    expect(pageLang(signInPage)).toBe("fr");
    expect(signInPage).toContain(html(trNs("fr", "staff", "login.title")));

    const login = await app.request("/staff/login", { form: { step: "password", ...AGENT }, headers: { "Accept-Language": "fr" } });
    expect(login.status).toBe(303);
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    const queue = await (await app.request(login.headers.get("Location")!, { cookie, headers: { "Accept-Language": "fr" } })).text();
    expect(pageLang(queue)).toBe("de");
    expect(queue).toContain(html(trNs("de", "staff", "nav.queue")));
    expect(queue).not.toContain(html(trNs("fr", "staff", "nav.queue")));
    // The strings the browser hydrates with are the same language as the page.
    expect(queue).toMatch(/<script id="page-messages" type="application\/json"[^>]*>\{"lang":"de"/);
  });

  it("the console is in its own languages only: a Finnish browser gets it in the next language it accepts, else English", async () => {
    const finnishThenPolish = await (await app.request("/staff/login", { headers: { "Accept-Language": "fi-FI, fi;q=0.9, pl;q=0.5" } })).text();
    expect(pageLang(finnishThenPolish)).toBe("pl");
    expect(finnishThenPolish).toContain(html(trNs("pl", "staff", "login.title")));
    const finnishOnly = await (await app.request("/staff/login", { headers: { "Accept-Language": "fi" } })).text();
    expect(pageLang(finnishOnly)).toBe("en");
    // An account language outside the console's (set before it was limited) falls back the same way.
    await setLocale(AGENT.email, "fi");
    const login = await app.request("/staff/login", { form: { step: "password", ...AGENT }, headers: { "Accept-Language": "it" } });
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    const start = await (await app.request("/staff", { cookie, headers: { "Accept-Language": "it" } })).text();
    expect(pageLang(start)).toBe("it");
    // The account page offers the console's languages only.
    const account = await (await app.request("/staff/account", { cookie })).text();
    expect(account).toContain('value="pl"');
    expect(account).not.toContain('value="fi"');
  });

  it("a sign-in from the browser (a data request) asks for a whole new document, so no page mixes two languages", async () => {
    const login = await app.request("/staff/login.data", { form: { step: "password", ...AGENT }, headers: { "Accept-Language": "fr" } });
    expect(login.ok).toBe(true);
    // Single fetch encodes the redirect in the body: `reload: true` makes React Router load the
    // target as a document (redirectDocument) instead of rendering it with the sign-in page's strings.
    expect(await singleFetchRedirect(login)).toMatchObject({ redirect: "/staff", reload: true });
  });

  it("after changing one's own language, the page and its notice are in the new language", async () => {
    const cookie = await app.signInStaff("agent");
    const saved = await app.request("/staff/account", { cookie, form: { intent: "language", locale: "fr" }, headers: { "Accept-Language": "en" } });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe("/staff/account?done=language");
    const fromBrowser = await app.request("/staff/account.data", { cookie, form: { intent: "language", locale: "ar" } });
    expect(await singleFetchRedirect(fromBrowser)).toMatchObject({ redirect: "/staff/account?done=language", reload: true });

    await setLocale(AGENT.email, "fr");
    const page = await (await app.request("/staff/account?done=language", { cookie, headers: { "Accept-Language": "en" } })).text();
    expect(pageLang(page)).toBe("fr");
    expect(page).toContain(html(trNs("fr", "staff", "account.saved")));
    expect(page).not.toContain(html(trNs("en", "staff", "account.saved")));

    // Signing out everywhere leads to the sign-in page, which follows the browser: a whole document too.
    const out = await app.request("/staff/account.data", { cookie, form: { intent: "signOutEverywhere" } });
    expect(await singleFetchRedirect(out)).toMatchObject({ redirect: "/staff/login?signedOut=1", reload: true });
  });

  it("signing out leads to a sign-in page in the browser's language again", async () => {
    await setLocale(AGENT.email, "ar");
    const cookie = await app.signInStaff("agent");
    const out = await app.request("/staff/logout", { cookie, form: {} });
    expect(out.status).toBe(303);
    const page = await (await app.request(out.headers.get("Location")!, { headers: { "Accept-Language": "de" } })).text();
    expect(pageLang(page)).toBe("de");
    expect(page).toContain(html(trNs("de", "staff", "login.signedOut")));
  });
});
