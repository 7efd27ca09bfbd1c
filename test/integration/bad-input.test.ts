/**
 * Property-based bad input: whatever a client sends to a form action, the answer is a 2xx,
 * 3xx or 4xx — never a 5xx — and a 4xx stores nothing.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import { rawValue } from "../support/raw-sql";

let app: TestApp;
let cookie: string;
let ownConcern: string;
beforeAll(async () => {
  app = await createTestApp();
  cookie = await app.signIn("demo-customer-1");
  ownConcern = (await rawValue(app.services.database, "select ref from concerns where customer_id = 'demo-customer-1' and origin = 'customer' and status = 'new' limit 1")) as string;
});

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

const fieldValue = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.constantFrom("", " ", "allow", "ask", "never", "yes", "no", "reply", "reopen", "withdraw", "other", "email", "portal", "\u0000", "<script>", "'; drop table concerns;--", "%00", "a".repeat(5000)),
);
const fieldName = fc.oneof(
  fc.constantFrom("intent", "body", "kind", "description", "desiredOutcome", "contactMethod", "email", "website", "interaction", "system", "training", "orders", "plan-changes", "human-first", "__proto__", "constructor", "a.b[0]"),
  fc.string({ maxLength: 20 }),
);
const form = fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 12 }).map((pairs) => new URLSearchParams(pairs));

async function tableCounts() {
  const count = async (table: string) => (await rawValue(app.services.database, `select count(*) from ${table}`)) as number;
  return Promise.all(["concerns", "concern_messages", "consent_events", "preferences", "customer_sessions"].map(count)).then((n) => n.join(","));
}

describe("no 5xx for anything a client can send", () => {
  const targets: [string, () => string, boolean][] = [
    ["preferences", () => "/en/me/preferences", true],
    ["new concern (signed in)", () => "/en/me/concerns/new", true],
    ["new concern (anonymous)", () => "/fr/me/concerns/new", false],
    ["concern reply/reopen/withdraw", () => `/en/me/concerns/${ownConcern}`, true],
    ["personal link", () => "/l/not-a-token", false],
  ];
  for (const [name, path, signedIn] of targets) {
    it(`POST ${name}`, async () => {
      await fc.assert(
        fc.asyncProperty(form, async (body) => {
          const before = (await tableCounts());
          const response = await app.request(path(), { form: body, cookie: signedIn ? cookie : undefined, ip: "203.0.113.1" });
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) expect((await tableCounts())).toBe(before);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it("U+0000 in a form field is dropped (PostgreSQL cannot store or compare it); the rest is kept as typed", async () => {
    const description = "The bot\u0000 changed my plan without asking.";
    const response = await app.request("/en/me/concerns/new", {
      cookie,
      form: { kind: "other", description, desiredOutcome: "", contactMethod: "portal", interaction: "\u0000", system: "" },
    });
    expect(response.status).toBe(303);
    const ref = response.headers.get("Location")!.split("/").pop()!.split("?")[0]!;
    expect(await rawValue(app.services.database, "select description from concerns where ref = ?", ref)).toBe("The bot changed my plan without asking.");
  });

  it("bodies that are not form data get a 4xx, not a 500", async () => {
    for (const path of ["/en/me/preferences", "/en/me/concerns/new", `/en/me/concerns/${ownConcern}`, "/l/x"]) {
      for (const [type, body] of [
        ["application/json", '{"kind":"other"}'],
        ["text/plain", "hello"],
        ["multipart/form-data; boundary=x", "--x\r\nbroken"],
        ["application/x-www-form-urlencoded", "%%%=%%%&a"],
      ]) {
        const before = (await tableCounts());
        const response = await app.request(path, { method: "POST", cookie, headers: { "Content-Type": type!, Origin: "http://localhost:3000" }, body: body! });
        expect(response.status, `${path} ${type}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${path} ${type}`).toBeLessThan(500);
        expect((await tableCounts())).toBe(before);
      }
    }
  });

  it("GET any path and query", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/en", "/ar/ai-systems", "/de/me/interactions", "/fr/me/concerns", "/en/me/concerns/", "/en/ai-systems/", "/l/", "/en/concerns/track/"),
        fc.webSegment(),
        fc.dictionary(fc.constantFrom("page", "focus", "saved", "new", "done", "interaction", "system", "lang"), fc.string({ maxLength: 30 })),
        async (base, segment, query) => {
          const search = new URLSearchParams(query).toString();
          const response = await app.request(`${base}${base.endsWith("/") ? segment : ""}${search ? `?${search}` : ""}`, { cookie });
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
