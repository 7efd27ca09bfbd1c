import { beforeEach, describe, expect, it } from "vitest";
import { findConcernByRef, setConcernStatus } from "../../app/domain/concerns/index.server";
import { concerns } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { rawValue } from "../support/raw-sql";
import { html, tr } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const valid = {
  kind: "unwanted_action",
  description: "The assistant changed my plan without asking me first.",
  desiredOutcome: "Undo it please",
  contactMethod: "portal",
  email: "",
  interaction: "",
  system: "offer-predictor",
  website: "",
};

const concernCount = async () => (await app.db.select().from(concerns)).length;

describe("raising a concern (SPEC §3.2)", () => {
  it("a signed-in customer files one about an interaction and lands on its status page", async () => {
    const cookie = await app.signIn("demo-customer-1");
    const ref = (await rawValue(app.services.database, "select ref from interactions where customer_id = 'demo-customer-1' limit 1")) as string;
    const response = await app.request("/en/me/concerns/new", { cookie, form: { ...valid, interaction: ref } });
    expect(response.status).toBe(303);
    const location = response.headers.get("Location")!;
    expect(location).toMatch(/^\/en\/me\/concerns\/C-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\?new=1$/);
    const page = await (await app.request(location, { cookie })).text();
    expect(page).toContain(tr("en", "concernStatus.filedTitle"));
    expect(page).toContain(html(valid.description));
    const stored = (await findConcernByRef(app.db, location.split("/").pop()!.split("?")[0]!))!;
    expect(stored).toMatchObject({ customerId: "demo-customer-1", kind: "unwanted_action", lang: "en", status: "new" });
    expect(stored.interactionId).not.toBeNull();
  });

  it("an anonymous visitor files one and gets a private tracking link", async () => {
    const response = await app.request("/ar/me/concerns/new", { form: { ...valid, contactMethod: "email", email: "visitor@example.com" } });
    expect(response.status).toBe(303);
    const location = response.headers.get("Location")!;
    expect(location).toMatch(/^\/ar\/concerns\/track\/[A-Za-z0-9_-]{43}\?new=1$/);
    const page = await (await app.request(location)).text();
    expect(page).toContain('dir="rtl"');
    expect(page).toContain(location.split("?")[0]);
    const reply = await app.request(location.split("?")[0]!, { form: { intent: "reply", body: "More details here." } });
    expect(reply.status).toBe(303);
    expect(await (await app.request(location.split("?")[0]!)).text()).toContain("More details here.");
  });

  it("limits count what the user typed: a CRLF line break once, an emoji as one character (issue 7.11)", async () => {
    const cookie = await app.signIn("demo-customer-1");
    // 40 lines, 3,999 characters as typed (39 line breaks between them); the browser sends CRLF.
    const lines = Array.from({ length: 40 }, (_, i) => `${String(i).padStart(2, "0")} ${"x".repeat(96)}`);
    lines[39] = lines[39]!.slice(0, 3999 - 39 - 39 * 99);
    const typed = lines.join("\n");
    expect(typed).toHaveLength(3999);
    const response = await app.request("/en/me/concerns/new", { cookie, form: { ...valid, description: lines.join("\r\n") } });
    expect(response.status).toBe(303);
    const ref = response.headers.get("Location")!.split("/").pop()!.split("?")[0]!;
    expect((await findConcernByRef(app.db, ref))!.description).toBe(typed);

    const emoji = "👍🏽🇧🇪👨‍👩‍👧".repeat(1333) + "😀";
    const atLimit = await app.request("/en/me/concerns/new", { cookie, form: { ...valid, description: emoji, desiredOutcome: "é\r\n".repeat(500) } });
    expect(atLimit.status).toBe(303);

    for (const description of [`${typed}xx`, `${emoji}😀`, "x\r\n".repeat(2000) + "y"]) {
      const refused = await app.request("/en/me/concerns/new", { cookie, form: { ...valid, description } });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain(html(tr("en", "errors.tooLong", { max: 4000 })));
    }
  });

  it("bad input gets translated errors, keeps what was typed and stores nothing", async () => {
    const cookie = await app.signIn("demo-customer-1", "de");
    const before = await concernCount();
    const cases: [Record<string, string>, string][] = [
      [{ ...valid, description: "short" }, tr("de", "errors.tooShort", { min: 10 })],
      [{ ...valid, description: "x".repeat(4001) }, tr("de", "errors.tooLong", { max: 4000 })],
      [{ ...valid, kind: "rocket" }, tr("de", "errors.chooseKind")],
      [{ ...valid, contactMethod: "email", email: "" }, tr("de", "errors.emailRequired")],
      [{ ...valid, contactMethod: "email", email: "not-an-email" }, tr("de", "errors.email")],
      [{ ...valid, system: "no-such-system" }, tr("de", "errors.unknownSystem")],
      [{ ...valid, interaction: "NOT-MINE" }, tr("de", "errors.unknownInteraction")],
      [{ ...valid, website: "http://spam.example" }, tr("de", "errors.formTitle")],
    ];
    for (const [form, message] of cases) {
      const response = await app.request("/de/me/concerns/new", { form, cookie });
      expect(response.status, JSON.stringify(form).slice(0, 80)).toBe(400);
      const page = await response.text();
      expect(page).toContain(html(message));
      expect(page).toContain(html(form.description!.slice(0, 50)));
    }
    expect(await concernCount()).toBe(before);
  });

  it("rate-limits filing per client address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await app.request("/en/me/concerns/new", { form: valid, ip: "198.51.100.9" })).status);
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
    const limited = await app.request("/en/me/concerns/new", { form: valid, ip: "198.51.100.9" });
    expect(await limited.text()).toContain(html(valid.description));
  });

  it("the customer replies, withdraws, and reopens within the grace period", async () => {
    const cookie = await app.signIn("demo-customer-1");
    const filed = await app.request("/en/me/concerns/new", { cookie, form: valid });
    const path = filed.headers.get("Location")!.split("?")[0]!;
    const ref = path.split("/").pop()!;

    const empty = await app.request(path, { cookie, form: { intent: "reply", body: "   " } });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain(tr("en", "errors.required"));

    expect((await app.request(path, { cookie, form: { intent: "reply", body: "Adding a detail." } })).status).toBe(303);
    await setConcernStatus(app.db, (await findConcernByRef(app.db, ref))!, "resolved", { outcomeCode: "upheld", outcomeReason: "We reversed the change." });
    const resolved = await (await app.request(path, { cookie })).text();
    expect(resolved).toContain("We reversed the change.");
    expect(resolved).toContain(html(tr("en", "concernStatus.remedies")));
    expect((await app.request(path, { cookie, form: { intent: "reopen" } })).status).toBe(303);
    expect((await findConcernByRef(app.db, ref))!.status).toBe("in_progress");
    // Withdrawing needs the "I understand" box: without it nothing changes and the summary links to the box.
    const unconfirmed = await app.request(path, { cookie, form: { intent: "withdraw" } });
    expect(unconfirmed.status).toBe(400);
    const unconfirmedPage = await unconfirmed.text();
    expect(unconfirmedPage).toContain(html(tr("en", "errors.confirmWithdraw")));
    expect(unconfirmedPage).toMatch(/<a href="#[^"]+-confirm">/);
    expect((await findConcernByRef(app.db, ref))!.status).toBe("in_progress");
    expect((await app.request(path, { cookie, form: { intent: "withdraw", confirm: "yes" } })).status).toBe(303);
    expect((await findConcernByRef(app.db, ref))!.status).toBe("withdrawn");
    const late = await app.request(path, { cookie, form: { intent: "reply", body: "Hello?" } });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain(tr("en", "errors.concernClosed"));
    const bogus = await app.request(path, { cookie, form: { intent: "delete-everything" } });
    expect(bogus.status).toBe(400);
  });

  it("customer text is never rendered as HTML", async () => {
    const cookie = await app.signIn("demo-customer-1");
    const filed = await app.request("/en/me/concerns/new", { cookie, form: { ...valid, description: '<script>alert("x")</script> <img src=x onerror=alert(1)>' } });
    const page = await (await app.request(filed.headers.get("Location")!, { cookie })).text();
    expect(page).not.toContain('<script>alert("x")</script>');
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;script&gt;");
  });
});
