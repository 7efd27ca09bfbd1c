/**
 * The customer's confirmation pages (SPEC §11.1): "Waiting for your answer" on the overview, and
 * /:lang/me/confirmations/:id in every state, answered by a plain form POST (no JavaScript), in
 * the portal and inside the embed. Both engines.
 */
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { findConfirmation } from "../../app/domain/confirmations.server";
import { decide } from "../../app/domain/decisions.server";
import { createEmbedSite, signEmbedToken } from "../../app/domain/embed-sites.server";
import { listChoices } from "../../app/domain/preferences.server";
import { isolate } from "../../app/utils/bidi";
import { env } from "../../app/utils/env.server";
import { confirmationFor, customerFor } from "../support/confirmation-factories";
import { createTestApp, type TestApp } from "../support/app";
import { rawValue } from "../support/raw-sql";
import { html, tr } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const answers = async (id: string) => Number(await rawValue(app.services.database, "select count(*) from confirmation_answers where confirmation_id = ?", id));

/** The company's zone: customers without a time zone of their own see times in it. */
const ZONE = () => env().DISPLAY_TIME_ZONE;

/** The page's text for a time: page language, the customer's zone, the zone named (as the page formats it). */
function shownTime(ms: number, lang: string, timeZone: string) {
  return new Intl.DateTimeFormat(lang, { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone, timeZoneName: "short" }).format(ms);
}

async function page(path: string, cookie: string) {
  const response = await app.request(path, { cookie });
  expect(response.status, path).toBe(200);
  return response.text();
}

describe("the confirmation page (SPEC §11.1)", () => {
  it("shows a pending request: what, which AI system, details, why, until when, and one form with Approve and Decline", async () => {
    const customer = await customerFor(app.db, { timeZone: "America/New_York" });
    const c = await confirmationFor(app.db, customer.id, {
      summary: { en: "Move you to the Unlimited 20 plan <b>now</b>", fr: "Passer au forfait Illimité 20" },
      effectiveAt: Date.UTC(2030, 0, 15, 9, 0),
    });
    const cookie = await app.signIn(customer.id);
    const body = await page(`/en/me/confirmations/${c.id}`, cookie);
    // The agent's text is text, never HTML.
    expect(body).toContain(html("Move you to the Unlimited 20 plan <b>now</b>"));
    expect(body).not.toContain("<b>now</b>");
    expect(body).not.toContain(html(tr("en", "confirmations.shownIn", { language: isolate("English") })));
    expect(body).toContain('href="/en/ai-systems/offer-predictor"');
    expect(body).toContain(html("€20.00"));
    expect(body).toContain(html(tr("en", "channels.email")));
    expect(body).toContain(html(shownTime(Date.UTC(2030, 0, 15, 9, 0), "en", "America/New_York")));
    expect(body).toContain(html(shownTime(c.expiresAt, "en", "America/New_York")));
    expect(body).toContain(html(tr("en", "confirmations.status.pending")));
    // Why: the customer never chose, so the shipped "Ask me first" applies; a link to the choice.
    const label = (await listChoices(app.db, "en")).find((choice) => choice.key === "plan-changes")!.label;
    expect(body).toContain(html(tr("en", "confirmations.why.askDefault", { action: isolate(label), ask: tr("en", "choiceValues.ask") })));
    expect(body).toContain('href="/en/me/preferences#choice-plan-changes"');
    const start = body.lastIndexOf("<form", body.indexOf('name="intent"'));
    const form = body.slice(start, body.indexOf("</form>", start));
    expect(form).toContain('method="post"');
    const buttons = [...form.matchAll(/<button([^>]*)>([^<]*)</g)].map(([, attributes, label]) => ({
      submit: attributes!.includes('type="submit"'),
      name: attributes!.match(/name="([^"]*)"/)?.[1],
      value: attributes!.match(/value="([^"]*)"/)?.[1],
      label,
    }));
    expect(buttons).toEqual([
      { submit: true, name: "intent", value: "approve", label: "Approve" },
      { submit: true, name: "intent", value: "decline", label: "Decline" },
    ]);
  });

  it("shows the summary in the page's language, else the first one given with a visible note", async () => {
    const customer = await customerFor(app.db, { locale: "fr" });
    const both = await confirmationFor(app.db, customer.id, { summary: { en: "Move you to a cheaper plan", fr: "Vous passer à un forfait moins cher" } });
    const englishOnly = await confirmationFor(app.db, customer.id, { summary: { de: "Tarif wechseln", en: "Change your plan" } });
    const cookie = await app.signIn(customer.id, "fr");
    const first = await page(`/fr/me/confirmations/${both.id}`, cookie);
    expect(first).toContain(html("Vous passer à un forfait moins cher"));
    expect(first).not.toContain(html("Move you to a cheaper plan"));
    expect(first).toContain(html(new Intl.NumberFormat("fr", { style: "currency", currency: "EUR" }).format(20)));
    const second = await page(`/fr/me/confirmations/${englishOnly.id}`, cookie);
    expect(second).toContain(html("Tarif wechseln"));
    expect(second).toContain(html(tr("fr", "confirmations.shownIn", { language: isolate("allemand") })));
  });

  it("approves by a plain form POST: 303, the answer recorded (portal, language), then the answered state", async () => {
    const customer = await customerFor(app.db);
    const c = await confirmationFor(app.db, customer.id);
    const cookie = await app.signIn(customer.id, "de");
    const response = await app.request(`/de/me/confirmations/${c.id}`, { cookie, form: { intent: "approve" } });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(`/de/me/confirmations/${c.id}?done=answered#outcome`);
    const stored = (await findConfirmation(app.db, c.id))!;
    expect(stored.status).toBe("approved");
    expect(stored.answer).toMatchObject({ answer: "approved", method: "portal", lang: "de" });
    const body = await page(`/de/me/confirmations/${c.id}?done=answered`, cookie);
    expect(body).toContain(html(tr("de", "confirmations.done.approvedTitle")));
    expect(body).toContain(html(tr("de", "confirmations.status.approved")));
    const at = isolate(shownTime(stored.answer!.createdAt, "de", ZONE()));
    expect(body).toContain(html(tr("de", "confirmations.outcome.approved", { date: at, expires: isolate(shownTime(c.expiresAt, "de", ZONE())) })));
    expect(body).not.toContain('name="intent"');
  });

  it("declines; answering again changes nothing and shows the stored outcome, never a 500", async () => {
    const customer = await customerFor(app.db);
    const c = await confirmationFor(app.db, customer.id);
    const cookie = await app.signIn(customer.id);
    const declined = await app.request(`/en/me/confirmations/${c.id}`, { cookie, form: { intent: "decline" } });
    expect(declined.status).toBe(303);
    const body = await page(declined.headers.get("Location")!.split("#")[0]!, cookie);
    expect(body).toContain(html(tr("en", "confirmations.done.declinedTitle")));
    expect((await findConfirmation(app.db, c.id))!.status).toBe("declined");
    const again = await app.request(`/en/me/confirmations/${c.id}`, { cookie, form: { intent: "approve" } });
    expect(again.status).toBe(303);
    expect(again.headers.get("Location")).toBe(`/en/me/confirmations/${c.id}?done=closed#outcome`);
    const closed = await page(again.headers.get("Location")!.split("#")[0]!, cookie);
    expect(closed).toContain(html(tr("en", "confirmations.done.closedTitle")));
    expect(closed).toContain(html(tr("en", "confirmations.status.declined")));
    expect(closed).not.toContain(html(tr("en", "confirmations.done.approvedTitle")));
    expect((await findConfirmation(app.db, c.id))!.status).toBe("declined");
    expect(await answers(c.id)).toBe(1);
  });

  it("an expired request says nothing was done, offers no form, and refuses a late answer", async () => {
    const customer = await customerFor(app.db);
    const c = await confirmationFor(app.db, customer.id, { now: Date.now() - 2 * 3_600_000, expiresInMinutes: 60 });
    const cookie = await app.signIn(customer.id);
    const body = await page(`/en/me/confirmations/${c.id}`, cookie);
    expect(body).toContain(html(tr("en", "confirmations.outcome.expired", { expires: isolate(shownTime(c.expiresAt, "en", ZONE())) })));
    expect(body).not.toContain('name="intent"');
    const late = await app.request(`/en/me/confirmations/${c.id}`, { cookie, form: { intent: "approve" } });
    expect(late.status).toBe(303);
    expect(late.headers.get("Location")).toContain("done=closed");
    expect((await findConfirmation(app.db, c.id))!.status).toBe("expired");
    expect(await answers(c.id)).toBe(0);
  });

  it("a used approval says when the AI used it", async () => {
    const customer = await customerFor(app.db);
    const c = await confirmationFor(app.db, customer.id);
    const cookie = await app.signIn(customer.id);
    await app.request(`/en/me/confirmations/${c.id}`, { cookie, form: { intent: "approve" } });
    const decision = await decide(app.db, {
      customerId: customer.id,
      actionKey: "plan-changes",
      aiSystemSlug: "offer-predictor",
      confirmationId: c.id,
      context: { amountHundredths: 2000, currency: "EUR", channel: "email", identity: { verified: true } },
    });
    expect([decision.decision, decision.reason]).toEqual(["allow", "confirmed_by_customer"]);
    const stored = (await findConfirmation(app.db, c.id))!;
    expect(stored.status).toBe("used");
    const body = await page(`/en/me/confirmations/${c.id}`, cookie);
    expect(body).toContain(html(tr("en", "confirmations.status.used")));
    expect(body).toContain(
      html(tr("en", "confirmations.outcome.used", { date: isolate(shownTime(stored.answer!.createdAt, "en", ZONE())), used: isolate(shownTime(stored.usedAt!, "en", ZONE())) })),
    );
  });

  it("another customer's request, an unknown id or a malformed one is the normal not-found page; nothing is written", async () => {
    const owner = await customerFor(app.db);
    const other = await customerFor(app.db);
    const c = await confirmationFor(app.db, owner.id);
    const cookie = await app.signIn(other.id);
    for (const path of [`/en/me/confirmations/${c.id}`, `/en/me/confirmations/${randomUUID()}`, "/en/me/confirmations/not-a-uuid"]) {
      const response = await app.request(path, { cookie });
      expect(response.status, path).toBe(404);
      const body = await response.text();
      expect(body).toContain(html(tr("en", "errors.notFoundTitle")));
      expect(body).not.toContain("Unlimited 20");
    }
    const post = await app.request(`/en/me/confirmations/${c.id}`, { cookie, form: { intent: "approve" } });
    expect(post.status).toBe(404);
    expect(await answers(c.id)).toBe(0);
  });

  it("signed out: the sign-in-needed page of every /me page; a tampered intent is refused (400) and writes nothing", async () => {
    const customer = await customerFor(app.db);
    const c = await confirmationFor(app.db, customer.id);
    const signedOut = await app.request(`/en/me/confirmations/${c.id}`);
    expect(signedOut.status).toBe(401);
    expect(await signedOut.text()).toContain(html(tr("en", "errors.signedOutTitle")));
    const cookie = await app.signIn(customer.id);
    for (const form of [{ intent: "maybe" }, {}] as Record<string, string>[]) {
      const response = await app.request(`/en/me/confirmations/${c.id}`, { cookie, form });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('name="intent"');
    }
    expect(await answers(c.id)).toBe(0);
  });

  it("in Arabic: right-to-left page, the amount kept left-to-right", async () => {
    const customer = await customerFor(app.db, { locale: "ar" });
    const c = await confirmationFor(app.db, customer.id, { summary: { ar: "نقلك إلى باقة أرخص", en: "Move you to a cheaper plan" } });
    const cookie = await app.signIn(customer.id, "ar");
    const body = await page(`/ar/me/confirmations/${c.id}`, cookie);
    expect(body).toContain('dir="rtl"');
    expect(body).toContain(html("نقلك إلى باقة أرخص"));
    expect(body).toContain(`<bdi dir="ltr">${html(new Intl.NumberFormat("ar", { style: "currency", currency: "EUR" }).format(20))}</bdi>`);
    expect(body).toContain(html(tr("ar", "confirmations.approve")));
  });
});

describe("inside the embed (SPEC §6)", () => {
  it("approves with the session handle and no cookie: recorded as embed, the redirect stays in the frame", async () => {
    const customer = await customerFor(app.db);
    const c = await confirmationFor(app.db, customer.id);
    const secret = (await createEmbedSite(app.db, { slug: "help", name: "Help", origins: ["https://help.example"], withSigningSecret: true })).signingSecret!;
    const token = await signEmbedToken(secret, "help", customer.id, { ttlSeconds: 300 });
    const location = (await app.request(`/embed/help/en/me/confirmations/${c.id}?token=${token}`)).headers.get("Location")!;
    expect(location).toMatch(new RegExp(`^/embed/help/en/me/confirmations/${c.id}\\?h=`));
    const shown = await app.request(location);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain(html(tr("en", "confirmations.approve")));
    const answered = await app.request(location, { form: { intent: "approve" }, headers: { "Sec-Fetch-Site": "same-origin" } });
    expect(answered.status).toBe(303);
    const next = answered.headers.get("Location")!;
    expect(next).toMatch(new RegExp(`^/embed/help/en/me/confirmations/${c.id}\\?h=[^&]+&done=answered#outcome$`));
    expect((await findConfirmation(app.db, c.id))!.answer).toMatchObject({ answer: "approved", method: "embed", lang: "en" });
    const body = await (await app.request(next.split("#")[0]!)).text();
    expect(body).toContain(html(tr("en", "confirmations.done.approvedTitle")));
  });

  it("the embedded overview lists the request with a link that stays in the frame", async () => {
    // Needs the embed twin of /:lang/me/confirmations/:id in app/routes/embed/paths.ts (TWINS).
    const customer = await customerFor(app.db);
    const c = await confirmationFor(app.db, customer.id, { summary: { en: "Embedded request" } });
    const secret = (await createEmbedSite(app.db, { slug: "help", name: "Help", origins: ["https://help.example"], withSigningSecret: true })).signingSecret!;
    const token = await signEmbedToken(secret, "help", customer.id, { ttlSeconds: 300 });
    const location = (await app.request(`/embed/help/en?token=${token}`)).headers.get("Location")!;
    const handle = new URL(location, "http://x.invalid").searchParams.get("h")!;
    const body = await (await app.request(location)).text();
    expect(body).toContain(html(tr("en", "confirmations.waitingTitle")));
    expect(body).toContain(`href="/embed/help/en/me/confirmations/${c.id}?h=${encodeURIComponent(handle)}"`);
  });
});

describe("the overview's \"Waiting for your answer\" (SPEC §11.1)", () => {
  it("lists each pending request with its AI system and expiry, linking to its page; nothing when none", async () => {
    const customer = await customerFor(app.db);
    const cookie = await app.signIn(customer.id);
    const none = await page("/en", cookie);
    expect(none).not.toContain(html(tr("en", "confirmations.waitingTitle")));
    const first = await confirmationFor(app.db, customer.id, { summary: { en: "First request" } });
    const second = await confirmationFor(app.db, customer.id, { summary: { fr: "Deuxième demande" } });
    const answered = await confirmationFor(app.db, customer.id, { summary: { en: "Answered request" } });
    await app.request(`/en/me/confirmations/${answered.id}`, { cookie, form: { intent: "decline" } });
    await confirmationFor(app.db, customer.id, { summary: { en: "Expired request" }, now: Date.now() - 2 * 3_600_000, expiresInMinutes: 60 });
    const body = await page("/en", cookie);
    expect(body).toContain(html(tr("en", "confirmations.waitingTitle")));
    expect(body).toContain(`href="/en/me/confirmations/${first.id}"`);
    expect(body).toContain(`href="/en/me/confirmations/${second.id}"`);
    expect(body).toContain("First request");
    expect(body).toContain(html("Deuxième demande"));
    expect(body).toContain(html(tr("en", "confirmations.shownIn", { language: isolate("French") })));
    expect(body).toContain(html(shownTime(first.expiresAt, "en", ZONE())));
    expect(body).not.toContain("Answered request");
    expect(body).not.toContain("Expired request");
    // Another customer sees none of them.
    const other = await customerFor(app.db);
    expect(await page("/en", await app.signIn(other.id))).not.toContain(html(tr("en", "confirmations.waitingTitle")));
  });
});
