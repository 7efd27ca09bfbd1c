/**
 * Input anyone can send, through the real server (app/server.ts `createApp`, listening on an
 * ephemeral port, in production mode): malformed URLs, a bad `next` on sign-in, oversized,
 * unsized and cross-site form posts — and the security headers of SPEC §9 on every answer.
 */
import fs from "node:fs";
import path from "node:path";
import { createServer, type RequestListener, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../app/domain/api-keys.server";
import { mintLink } from "../../app/domain/links.server";
import { withSecurityHeaders } from "../../app/http-security.server";
import { MAX_FORM_BODY_BYTES } from "../../app/http.server";
import type { Db } from "../../app/utils/db.server";
import { LANGUAGES, type Lang } from "../../app/utils/languages";
import { DEMO_STAFF } from "../../db/seed";
import { rawValue } from "../support/raw-sql";
import { startServer, type RunningServer } from "../support/server";

// The test works on the same database as the server (another connection, as the CLI would).
let db: Db;
/** That database, for raw SQL (test/support/raw-sql.ts). */
let database: RunningServer["database"];
let server: RunningServer;
let base: string;
// Everything the server logs; checked after each test for stack traces and file paths.
let logged: string[] = [];

beforeAll(async () => {
  // app/server.ts createApp() as `npm start` composes it, in production mode.
  server = await startServer({ echo: false });
  ({ db, base, database } = server);
  logged = server.logs;
}, 60_000);
afterAll(() => server?.stop());
afterEach(async () => {
  // Log lines arrive asynchronously: let the pipe drain.
  await new Promise((resolve) => setImmediate(resolve));
  for (const line of logged) {
    expect(line).not.toMatch(/\n\s+at /);
    expect(line).not.toContain("node_modules");
  }
  logged.length = 0;
});

async function listen(listener: RequestListener): Promise<[Server, string]> {
  const s = createServer(listener);
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  return [s, `http://127.0.0.1:${(s.address() as AddressInfo).port}`];
}

function expectNoLeak(body: string) {
  expect(body).not.toMatch(/URIError|TypeError|Unexpected Server Error|node_modules|\/work\/|\bat .*\.(m?js|ts):\d+/);
}

const TEXTS = Object.fromEntries(
  LANGUAGES.map((lang) => [lang, (JSON.parse(fs.readFileSync(path.resolve("locales", lang, "common.json"), "utf8")) as { errors: Record<string, string> }).errors]),
) as Record<Lang, Record<string, string>>;

describe("malformed URLs (SPEC §9: never a 500 or a stack trace for client input)", () => {
  const cases: [string, keyof typeof TEXTS, string?][] = [
    ["/%0A", "en"],
    ["/en/%0D", "en"],
    ["/staff/%09", "de", "de"],
    ["/l/%ZZ", "en"],
    ["/fr/%C0%AF", "fr"],
    ["/fi/%C0%AF", "fi"],
    ["/el/me/%E2%80", "el"],
    ["/ar/me/concerns/%00", "ar"],
    ["/en/me/data/receipts/%7F.json", "en"],
    ["/embed/site/en/%E2%80", "fr", "fr-CH,fr;q=0.9"],
    ["/assets/%ZZ.css", "en"],
    ["/de/ai-systems/%0d%0aSet-Cookie:x=1", "de"],
    ["/%0A?x=1", "en"],
  ];
  for (const [url, lang, acceptLanguage] of cases) {
    it(`${url} answers 400 with Candor's page in ${lang}`, async () => {
      for (const method of ["GET", "POST"]) {
        const response = await fetch(base + url, {
          method,
          headers: { ...(acceptLanguage ? { "Accept-Language": acceptLanguage } : {}), Origin: base },
          ...(method === "POST" ? { body: new URLSearchParams({ a: "b" }) } : {}),
        });
        expect(response.status, `${method} ${url}`).toBe(400);
        expect(response.headers.get("content-type")).toContain("text/html");
        expect(response.headers.get("set-cookie")).toBeNull();
        const html = await response.text();
        expect(html).toContain(`<html lang="${lang}"`);
        expect(html).toContain(TEXTS[lang].badAddressTitle);
        expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/[^"]+\.css">/);
        expectNoLeak(html);
      }
      const head = await fetch(base + url, { method: "HEAD" });
      expect(head.status).toBe(400);
      expect(await head.text()).toBe("");
    });
  }

  it("leaves odd but well-formed addresses to the app (404 page, not 400)", async () => {
    for (const url of ["/en/ai-systems/%E2%80%8B", "/en/%20", "/l/%F0%9F%98%80", "/staff/concerns/%2e%2e"]) {
      const response = await fetch(base + url, { redirect: "manual" });
      expect([302, 404], url).toContain(response.status);
      expectNoLeak(await response.text());
    }
  });
});

describe("unusable Host headers and methods no page answers", () => {
  // fetch() cannot send a broken Host header: write the request by hand.
  async function raw(head: string): Promise<string> {
    const { port, hostname } = new URL(base);
    const socket = connect(Number(port), hostname);
    socket.write(`${head}\r\nConnection: close\r\n\r\n`);
    let answer = "";
    for await (const chunk of socket) answer += String(chunk);
    return answer;
  }

  it("a Host the request URL cannot be built from is a 400 page, not a 500", async () => {
    for (const host of ["[", "a b", "exa%mple", "x:99999999", "", "a/b", "a@b"]) {
      const answer = await raw(`GET /en HTTP/1.1\r\nHost: ${host}`);
      expect(answer, host).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain(TEXTS.en.badRequestTitle!);
      expect(answer.toLowerCase()).toContain("content-security-policy:");
      expectNoLeak(answer);
    }
    for (const host of ["localhost:3000", "portal.example", "candor_app", "[::1]:3000"]) {
      expect(await raw(`GET /robots.txt HTTP/1.1\r\nHost: ${host}`), host).toMatch(/^HTTP\/1\.1 200 /);
    }
  });

  it("methods other than GET, HEAD and POST get a 405 page with Allow, on every page", async () => {
    expect(await raw(`TRACE /en HTTP/1.1\r\nHost: localhost`)).toMatch(/^HTTP\/1\.1 405 /);
    for (const method of ["OPTIONS", "PUT", "DELETE", "PATCH", "PROPFIND"]) {
      for (const url of ["/en/me/preferences", "/staff/login", "/l/unknown-token"]) {
        const response = await fetch(base + url, { method, headers: { Origin: base } });
        expect(response.status, `${method} ${url}`).toBe(405);
        expect(response.headers.get("allow")).toBe("GET, HEAD, POST");
        expectNoLeak(await response.text());
      }
    }
  });
});

describe("staff sign-in with a bad next (SPEC §9)", () => {
  const { email, password } = DEMO_STAFF.find((s) => s.role === "agent")!;
  const sessions = async () => (await rawValue<number>(database, "select count(*) n from staff_sessions"))!;
  const signIn = (next: string, pass = password) =>
    fetch(`${base}/staff/login?next=${next}`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: base },
      body: new URLSearchParams({ step: "password", email, password: pass }),
    });

  it("never answers 500: a next with control characters, another origin or backslashes falls back to the start page", async () => {
    for (const next of ["/staff%0aX:1", "/staff%0d%0aSet-Cookie:%20a=b", "/staff/%09", "//evil.example/staff", "/staff\\evil.example", "%2F%2Fevil.example", "https://evil.example/staff", "/stafff", "/staff/../../x%00"]) {
      const before = await sessions();
      const response = await signIn(next);
      expect(response.status, next).toBe(303);
      expect(response.headers.get("location"), next).toBe("/staff");
      expect(response.headers.get("set-cookie"), next).toBeTruthy();
      // Exactly the one session the browser now holds.
      expect(await sessions(), next).toBe(before + 1);
    }
  });

  it("drops U+0000 from a query before any page reads it (PostgreSQL cannot compare it in text)", async () => {
    const cookie = (await signIn("/staff/concerns")).headers.get("set-cookie")!.split(";")[0]!;
    const search = await fetch(`${base}/staff/concerns?q=C-%00`, { headers: { cookie } });
    expect(search.status).toBe(200);
    expectNoLeak(await search.text());
  });

  it("keeps a valid console path, re-encoded as a valid header value", async () => {
    expect((await signIn(encodeURIComponent("/staff/audit?q=a b"))).headers.get("location")).toBe("/staff/audit?q=a%20b");
    expect((await signIn(encodeURIComponent("/staff/ai-systems/café"))).headers.get("location")).toBe("/staff/ai-systems/caf%C3%A9");
  });

  it("writes no session when the password is wrong, whatever next says", async () => {
    const before = await sessions();
    const response = await signIn("/staff%0aX:1", "wrong-password");
    expect(response.status).toBe(401);
    expect(await sessions()).toBe(before);
  });
});

describe("refused form posts answer Candor's translated page", () => {
  it("a cross-site post is a 403 page in the page's language, nothing saved", async () => {
    const before = await rawValue<number>(database, "select count(*) n from concerns");
    const refused: Record<string, string>[] = [{ Origin: "https://evil.example" }, { "Sec-Fetch-Site": "cross-site" }, { Origin: "null" }, { Origin: "not a url" }, { "Sec-Fetch-Site": "same-origin", Origin: "https://evil.example" }];
    for (const headers of refused) {
      const response = await fetch(`${base}/fr/me/concerns/new`, { method: "POST", headers, body: new URLSearchParams({ kind: "other", description: "x".repeat(40) }) });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(response.headers.get("content-type")).toContain("text/html");
      const html = await response.text();
      expect(html).toContain(TEXTS.fr.forbiddenTitle!);
      expectNoLeak(html);
    }
    expect(await rawValue<number>(database, "select count(*) n from concerns")).toBe(before);
  });

  it("413 and 411 are translated pages too", async () => {
    const big = await fetch(`${base}/de/me/concerns/new`, { method: "POST", headers: { Origin: base }, body: new URLSearchParams({ description: "x".repeat(MAX_FORM_BODY_BYTES) }) });
    expect(big.status).toBe(413);
    expect(await big.text()).toContain(TEXTS.de.tooLargeTitle!);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("kind=other"));
        controller.close();
      },
    });
    const unsized = await fetch(`${base}/en/me/concerns/new`, { method: "POST", headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" }, body: stream, duplex: "half" } as RequestInit);
    expect(unsized.status).toBe(411);
    expect(await unsized.text()).toContain(TEXTS.en.badRequestTitle!);
  });
});

describe("security headers on every response (SPEC §9)", () => {
  const SECURITY = ["content-security-policy", "x-content-type-options", "referrer-policy", "permissions-policy", "strict-transport-security"];

  function expectSecurityHeaders(response: Response, label: string) {
    for (const name of SECURITY) expect(response.headers.get(name), `${label}: ${name}`).toBeTruthy();
    expect(response.headers.get("x-content-type-options"), label).toBe("nosniff");
    expect(response.headers.get("referrer-policy"), label).toBe("no-referrer");
    expect(response.headers.get("strict-transport-security"), label).toMatch(/max-age=\d{8,}/);
    // One CSP only (two would both be enforced), and it says who may frame the page.
    const csp = response.headers.get("content-security-policy")!;
    expect(csp.split(",").length, label).toBe(1);
    expect(csp, label).toContain("frame-ancestors");
  }

  it("pages, static files, the API, refusals and error pages all carry them", async () => {
    const page = await fetch(`${base}/en/ai-systems`);
    const css = (await page.text()).match(/href="(\/assets\/[^"]+\.css)"/)![1]!;
    const js = [...(await (await fetch(`${base}/en`)).text()).matchAll(/(\/assets\/[^"]+\.js)/g)][0]![1]!;
    const { key } = await createApiKey(db, { name: "headers", scopes: ["concerns", "customers"] });
    const auth = { authorization: `Bearer ${key}` };
    const requests: [string, RequestInit?][] = [
      ["/"],
      ["/en"],
      ["/en/ai-systems"],
      ["/en/no-such-page"],
      ["/en/me/preferences"],
      ["/staff/login"],
      ["/staff/concerns"],
      ["/staff/reports/decisions.csv"],
      [css],
      [js],
      ["/embed.js"],
      ["/robots.txt"],
      ["/favicon.svg"],
      ["/assets/no-such-file.js"],
      ["/api/v1/openapi.json"],
      ["/api/v1/concerns"],
      ["/api/v1/concerns", { headers: auth }],
      ["/api/v1/concerns/C-0000-0000", { headers: auth }],
      ["/api/v1/nope"],
      ["/api/v1/decisions", { method: "GET" }],
      ["/api/v1/customers/x", { method: "PUT", headers: { ...auth, "content-type": "application/json" }, body: "{" }],
      ["/api/v1/customers/x", { method: "PUT", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ email: "x".repeat(70_000) }) }],
      ["/l/unknown-token"],
      ["/l/%ZZ"],
      ["/%0A"],
      ["/en/me/concerns/new", { method: "POST", headers: { Origin: "https://evil.example" }, body: "kind=other" }],
      ["/en/me/concerns/new", { method: "POST", headers: { Origin: base }, body: "x".repeat(MAX_FORM_BODY_BYTES + 1) }],
      ["/en", { method: "HEAD" }],
      ["/robots.txt", { method: "HEAD" }],
    ];
    for (const [url, init] of requests) {
      const response = await fetch(base + url, { redirect: "manual", ...init });
      expectSecurityHeaders(response, `${init?.method ?? "GET"} ${url} (${response.status})`);
      await response.arrayBuffer();
    }
  });

  it("documents keep their own CSP: a nonce, and frame-ancestors from the embed registry", async () => {
    const response = await fetch(`${base}/en`);
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    const robots = await fetch(`${base}/robots.txt`);
    expect(robots.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(robots.headers.get("x-frame-options")).toBe("DENY");
  });

  it("/l/<token> answers are never stored, whatever the outcome", async () => {
    const { token } = await mintLink(db, { customerId: "demo-customer-1", lang: "en", createdBy: "cli", baseUrl: base });
    const answers = [
      await fetch(`${base}/l/${token}`),
      await fetch(`${base}/l/${token}`, { method: "HEAD" }),
      await fetch(`${base}/l/unknown-token`),
      await fetch(`${base}/l/unknown-token`, { method: "POST", headers: { Origin: base } }),
      await fetch(`${base}/l/%ZZ`),
      await fetch(`${base}/l/${token}.data`),
      await fetch(`${base}/l/${token}`, { method: "POST", headers: { Origin: "https://evil.example" } }),
      await fetch(`${base}/l/${token}`, { method: "POST", headers: { Origin: base }, redirect: "manual" }),
    ];
    for (const response of answers) expect(response.headers.get("cache-control"), `${response.url} ${response.status}`).toBe("no-store");
  });

  it("Strict-Transport-Security only in production", async () => {
    const listener: RequestListener = (_req, res) => res.end("ok");
    const [dev, devBase] = await listen(withSecurityHeaders(listener, { production: false }));
    const response = await fetch(devBase);
    expect(response.headers.get("strict-transport-security")).toBeNull();
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    await new Promise((resolve) => dev.close(resolve));
  });
});
