import { beforeEach, describe, expect, it } from "vitest";
import { fileConcern } from "../../app/domain/concerns/index.server";
import { createTestApp, type TestApp } from "../support/app";
import { html, tr } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

/** The error summary's list items: [href, text] of each link. */
function summaryLinks(page: string): [string, string][] {
  const summary = /<div class="error-summary"[\s\S]*?<\/ul>/.exec(page)?.[0] ?? "";
  return [...summary.matchAll(/<a href="#([^"]+)">([\s\S]*?)<\/a>/g)].map((m) => [m[1]!, m[2]!.replace(/<!-- -->/g, "")]);
}

const badConcern = {
  kind: "",
  description: "short",
  desiredOutcome: "",
  contactMethod: "email",
  email: "",
  interaction: "",
  system: "no-such-system",
  website: "",
};

describe("error summary: every invalid field, linked, in one round (issue 7 item 21)", () => {
  it("a concern form with four problems lists all four at once, each linking to its control", async () => {
    const response = await app.request("/de/me/concerns/new", { form: badConcern });
    expect(response.status).toBe(400);
    const page = await response.text();
    const links = summaryLinks(page);
    expect(links.map(([href]) => href.replace(/^.*-/, ""))).toEqual(["system", "kind", "description", "email"]);
    for (const [href] of links) expect(page).toContain(`id="${href}"`);
    expect(links[2]![1]).toBe(html(`${tr("de", "concernForm.description")}: ${tr("de", "errors.tooShort", { min: 10 })}`));
    // The cross-field rule (email needed for replies by email) comes in the same round as the rest.
    expect(links[3]![1]).toContain(html(tr("de", "errors.emailRequired")));
    expect(links[0]![1]).toContain(html(tr("de", "errors.unknownSystem")));
  });

  it("a staff resolution without outcome and reason lists both", async () => {
    const cookie = await app.signInStaff("agent");
    const { ref } = await fileConcern(app.db, {
      customerId: "demo-customer-1", contactEmail: null, contactMethod: "portal", lang: "en", kind: "other",
      interactionId: null, systemId: null, description: "Please look at my account.", desiredOutcome: "",
    });
    const response = await app.request(`/staff/concerns/${ref}`, { cookie, form: { intent: "status", to: "resolved", revision: "1" } });
    expect(response.status).toBe(400);
    const hrefs = summaryLinks(await response.text()).map(([href]) => href);
    expect(hrefs).toEqual(["case-status-outcomeCode", "case-status-outcomeReason"]);
  });

  it("a staff password change with a short new password and a mismatch reports both", async () => {
    const cookie = await app.signInStaff("agent");
    const response = await app.request("/staff/account", { cookie, form: { intent: "password", current: "", next: "short", confirm: "other" } });
    expect(response.status).toBe(400);
    expect(summaryLinks(await response.text()).map(([href]) => href)).toEqual(["current", "next", "confirm"]);
  });
});

describe("one-time messages, permissions and signed-out visitors (issue 7 item 21)", () => {
  it("the language switcher links to the same page without the one-time message", async () => {
    const cookie = await app.signIn("demo-customer-1");
    const { ref } = await fileConcern(app.db, {
      customerId: "demo-customer-1", contactEmail: null, contactMethod: "portal", lang: "en", kind: "other",
      interactionId: null, systemId: null, description: "Please look at my account.", desiredOutcome: "",
    });
    const page = await (await app.request(`/en/me/concerns/${ref}?done=reply`, { cookie })).text();
    expect(page).toContain(html(tr("en", "concernStatus.done.reply")));
    const switcher = /<nav[^>]*class="language-switcher"[\s\S]*?<\/nav>/.exec(page)![0];
    expect(switcher).toContain(`href="/fr/me/concerns/${ref}"`);
    expect(switcher).not.toContain("done=");
    const french = await (await app.request(`/fr/me/concerns/${ref}`, { cookie })).text();
    expect(french).not.toContain(html(tr("fr", "concernStatus.done.reply")));
    // Other query parameters are kept.
    const queue = await (await app.request("/en/me/concerns/new?system=offer-predictor&new=1", { cookie })).text();
    expect(queue).toContain('href="/de/me/concerns/new?system=offer-predictor"');
  });

  it("an agent opening an admin page gets a translated 'no permission' page, not the cross-site wording", async () => {
    const cookie = await app.signInStaff("agent");
    for (const page of ["/staff/users", "/staff/api-keys", "/staff/audit"]) {
      const response = await app.request(page, { cookie });
      expect(response.status, page).toBe(403);
      const text = await response.text();
      expect(text, page).toContain(html(tr("en", "errors.noPermissionTitle")));
      expect(text, page).not.toContain(html(tr("en", "errors.forbiddenBody")));
    }
  });

  it("anonymous visitors are not sent from the register into a 401; a 401 offers what works without a link", async () => {
    for (const page of ["/en/ai-systems", "/en/ai-systems/offer-predictor"]) {
      const text = await (await app.request(page)).text();
      expect(text, page).not.toContain('href="/en/me/preferences"');
      expect(text, page).not.toContain('href="/en/me/interactions"');
      expect(text, page).toContain(html(tr("en", "register.manageChoicesSignedOut")));
    }
    const cookie = await app.signIn("demo-customer-1");
    expect(await (await app.request("/en/ai-systems/offer-predictor", { cookie })).text()).toContain('href="/en/me/preferences"');

    const denied = await app.request("/fr/me/preferences");
    expect(denied.status).toBe(401);
    const text = await denied.text();
    expect(text).toContain('href="/fr/ai-systems"');
    expect(text).toContain('href="/fr/me/concerns/new"');
    expect(text).toContain(html(tr("fr", "errors.signedOutConcern")));
  });
});
