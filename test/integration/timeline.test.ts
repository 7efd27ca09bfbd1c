import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { upsertCustomer } from "../../app/domain/customers.server";
import { savePreferences } from "../../app/domain/preferences.server";
import { createEmbedSite, signEmbedToken } from "../../app/domain/embed-sites.server";
import { isolate } from "../../app/utils/bidi";
import { concerns, permissionBreaches } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { html, tr } from "../support/locales";
import {
  actedInteraction,
  askedFor,
  breachOf,
  checkFor,
  limitsGiven,
  MINUTE,
  predictedInteraction,
  usedForTraining,
} from "../support/timeline-factories";

const ZONE = "America/New_York";
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

/** A time as the timeline shows it to an English customer living in New York. */
const shown = (ms: number, style: "date" | "dateTime" = "dateTime", timeZone = ZONE) =>
  new Intl.DateTimeFormat("en", { dateStyle: "medium", ...(style === "dateTime" ? { timeStyle: "short" } : {}), timeZone }).format(ms);

/** One interaction's part of the page: from its item to the next one. */
function section(page: string, ref: string): string {
  const marker = `id="interaction-${ref}"`;
  expect(page).toContain(marker);
  // Up to the next interaction, or the end of <main> (the page's data follows it).
  return page.slice(page.indexOf(marker) + marker.length).split('id="interaction-')[0]!.split("</main>")[0]!;
}

/** Asserts that the texts appear in this order. */
function expectInOrder(text: string, parts: string[]) {
  const positions = parts.map((p) => {
    const at = text.indexOf(p);
    expect(at, p).toBeGreaterThanOrEqual(0);
    return at;
  });
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
}

/** The page without its per-request CSP nonce (in attributes and in the streamed data). */
function withoutNonce(page: string): string {
  const nonce = /nonce="([^"]+)"/.exec(page)?.[1];
  return nonce ? page.split(nonce).join("") : page;
}

async function customer(id: string, timeZone: string | null = ZONE) {
  await upsertCustomer(app.db, { id, email: `${id}@example.com`, locale: "en", timeZone });
  return id;
}

async function contestConcerns(customerId: string) {
  return app.db
    .select()
    .from(concerns)
    .where(and(eq(concerns.customerId, customerId), eq(concerns.origin, "customer"), eq(concerns.kind, "unwanted_action")));
}

describe("my interactions tell the truth (SPEC §3.2, §11)", () => {
  it("shows each decision check with its reason in plain words and the limit that decided it, in time order, in the customer's time zone", async () => {
    const id = await customer("tl-checks");
    const at = Date.now() - 2 * DAY;
    const interaction = await predictedInteraction(app.db, { customerId: id, ref: "TL-CHECKS", occurredAt: at });
    await limitsGiven(app.db, { customerId: id, limits: { maxAmount: { hundredths: 5000, currency: "EUR" } }, createdAt: at - DAY });
    // A later change of the limit does not rewrite what decided the earlier check.
    await limitsGiven(app.db, { customerId: id, limits: { maxAmount: { hundredths: 9000, currency: "EUR" } }, createdAt: at + HOUR });
    await checkFor(app.db, { customerId: id, interactionId: interaction, decision: "deny", reason: "quiet_hours", createdAt: at - 3 * MINUTE, retryAfter: at + 8 * HOUR });
    await checkFor(app.db, { customerId: id, interactionId: interaction, decision: "allow", reason: "preference_allow", createdAt: at - 5 * MINUTE });
    await checkFor(app.db, { customerId: id, interactionId: interaction, actionKey: "ai_first_contact", decision: "deny", reason: "human_first", createdAt: at - 6 * MINUTE });
    await checkFor(app.db, {
      customerId: id,
      interactionId: interaction,
      decision: "ask",
      reason: "amount_over_limit",
      createdAt: at - 4 * MINUTE,
      context: { amountHundredths: 8000, currency: "EUR" },
    });

    const cookie = await app.signIn(id, "en");
    const response = await app.request("/en/me/interactions", { cookie });
    expect(response.status).toBe(200);
    const item = section(await response.text(), "TL-CHECKS");
    expectInOrder(item, [
      html(tr("en", "interactions.check", { action: tr("en", "interactions.aiFirstContact") })),
      html(tr("en", "decisionReasons.human_first")),
      html(tr("en", "decisionReasons.preference_allow")),
      html(tr("en", "decisionReasons.amount_over_limit")),
      html(tr("en", "interactions.limits.amount", { amount: isolate("€80.00"), limit: isolate("€50.00") })),
      html(tr("en", "decisionReasons.quiet_hours")),
      html(tr("en", "interactions.limits.quietUntil", { time: isolate(shown(at + 8 * HOUR)) })),
    ]);
    expect(item).toContain(shown(at - 5 * MINUTE));
    // Formatted in the customer's zone, not the company's.
    expect(item).not.toContain(shown(at - 5 * MINUTE, "dateTime", "Europe/Brussels"));
    expect(item).not.toContain("€90.00");
  });

  it("tells every confirmation request's story: waiting (with the link to answer), approved, used, declined, no answer, approved but let run out", async () => {
    const id = await customer("tl-asks");
    const now = Date.now();
    const at = now - 2 * DAY;
    const interaction = await predictedInteraction(app.db, { customerId: id, ref: "TL-ASKS", occurredAt: at });
    const pending = await askedFor(app.db, { customerId: id, interactionId: interaction, createdAt: now - 10 * MINUTE, expiresInMinutes: 7 * 24 * 60 });
    await askedFor(app.db, { customerId: id, interactionId: interaction, createdAt: now - 20 * MINUTE, expiresInMinutes: 7 * 24 * 60, answer: { answer: "approved", at: now - 18 * MINUTE } });
    const used = await askedFor(app.db, { customerId: id, interactionId: interaction, createdAt: now - 40 * MINUTE, expiresInMinutes: 7 * 24 * 60, answer: { answer: "approved", at: now - 38 * MINUTE } });
    await checkFor(app.db, { customerId: id, interactionId: interaction, decision: "allow", reason: "confirmed_by_customer", createdAt: now - 35 * MINUTE, confirmationId: used });
    await askedFor(app.db, { customerId: id, interactionId: interaction, createdAt: at, answer: { answer: "declined", at: at + 2 * MINUTE } });
    await askedFor(app.db, { customerId: id, interactionId: interaction, createdAt: at + MINUTE, summary: { fr: "Vous passer au forfait Illimité 20" } });
    // Approved, but the AI let the approval run out: the customer's answer stays the story.
    await askedFor(app.db, { customerId: id, interactionId: interaction, createdAt: at + 2 * MINUTE, answer: { answer: "approved", at: at + 3 * MINUTE } });

    const cookie = await app.signIn(id, "en");
    const item = section(await (await app.request("/en/me/interactions", { cookie })).text(), "TL-ASKS");
    const t = (ms: number) => isolate(shown(ms));
    expectInOrder(item, [
      html(tr("en", "interactions.confirmation.declined", { asked: t(at), answered: t(at + 2 * MINUTE) })),
      html(tr("en", "interactions.confirmation.expired", { asked: t(at + MINUTE) })),
      html(tr("en", "interactions.confirmation.approvedExpired", { asked: t(at + 2 * MINUTE), answered: t(at + 3 * MINUTE) })),
      html(tr("en", "interactions.confirmation.used", { asked: t(now - 40 * MINUTE), answered: t(now - 38 * MINUTE), used: t(now - 35 * MINUTE) })),
      html(tr("en", "decisionReasons.confirmed_by_customer")),
      html(tr("en", "interactions.confirmation.approved", { asked: t(now - 20 * MINUTE), answered: t(now - 18 * MINUTE) })),
      html(tr("en", "interactions.confirmation.pending", { asked: t(now - 10 * MINUTE), expires: t(now - 10 * MINUTE + 7 * DAY) })),
    ]);
    expect(item).toContain(`href="/en/me/confirmations/${pending}"`);
    expect(item.match(/href="\/en\/me\/confirmations\//g)).toHaveLength(1);
    // The summary in the page's language, else the first one given, marked with its language.
    expect(item).toContain("Move you to the Unlimited 20 plan");
    expect(item).toContain('lang="fr" dir="auto" class="user-text">Vous passer au forfait Illimité 20');
  });

  it("marks an action done without permission, and says where an interaction was used for training", async () => {
    const id = await customer("tl-breach");
    const at = Date.now() - DAY;
    const breached = await actedInteraction(app.db, { customerId: id, ref: "TL-BREACH", occurredAt: at });
    const breach = await breachOf(app.db, breached);
    const trained = await predictedInteraction(app.db, { customerId: id, ref: "TL-TRAINED", occurredAt: at - DAY });
    await usedForTraining(app.db, { interactionId: trained, dataset: "support-replies-2026", usedAt: at + 3 * HOUR });

    const cookie = await app.signIn(id, "en");
    const page = await (await app.request("/en/me/interactions", { cookie })).text();
    const item = section(page, "TL-BREACH");
    expect(item).toContain(html(tr("en", "breaches.marker")));
    expect(item).toContain(html(tr("en", `breaches.reasons.${breach.reason}`)));
    expect(item).toContain(`name="breach" value="${breach.id}"`);
    expect(item).toContain(html(tr("en", "breaches.contest")));
    expect(item).toContain('method="post"');
    expect(section(page, "TL-TRAINED")).not.toContain(html(tr("en", "breaches.marker")));
    expect(section(page, "TL-TRAINED")).toContain(
      html(tr("en", "trainingUses.used", { dataset: isolate("support-replies-2026"), date: isolate(shown(at + 3 * HOUR, "date")) })),
    );
    // Training was never allowed since: the honest statement of what stopping can and cannot undo.
    expect(section(page, "TL-TRAINED")).toContain(html(tr("en", "trainingUses.cannotUndo")));
    expect(item).not.toContain(html(tr("en", "trainingUses.used", { dataset: isolate("support-replies-2026"), date: isolate(shown(at + 3 * HOUR, "date")) })));
  });

  it("an action recorded apart from the conversation it was checked in shows the check that permitted it", async () => {
    const id = await customer("tl-named");
    const at = Date.now() - DAY;
    const conversation = await predictedInteraction(app.db, { customerId: id, ref: "TL-CHAT", occurredAt: at });
    await savePreferences(app.db, { customerId: id, values: { "plan-changes": "allow" }, lang: "en", method: "portal", now: at - HOUR });
    const decisionId = await checkFor(app.db, { customerId: id, interactionId: conversation, decision: "allow", reason: "preference_allow", createdAt: at + MINUTE });
    await actedInteraction(app.db, { customerId: id, ref: "TL-ACTED", occurredAt: at + 2 * MINUTE, decisionId });

    const page = await (await app.request("/en/me/interactions", { cookie: await app.signIn(id, "en") })).text();
    const allowed = html(tr("en", "decisionReasons.preference_allow"));
    expect(section(page, "TL-CHAT")).toContain(allowed);
    expect(section(page, "TL-ACTED")).toContain(allowed);
    expect(section(page, "TL-ACTED")).not.toContain(html(tr("en", "breaches.marker")));
  });

  it("contest this action: one plain form POST files exactly one concern; a second POST finds it; the timeline then says so", async () => {
    const id = await customer("tl-contest", null);
    const breach = await breachOf(app.db, await actedInteraction(app.db, { customerId: id, ref: "TL-CONTEST", occurredAt: Date.now() - HOUR }));
    const cookie = await app.signIn(id, "en");
    const form = { intent: "contest", breach: String(breach.id), focus: "TL-CONTEST" };

    const first = await app.request("/en/me/interactions", { cookie, form });
    expect(first.status).toBe(303);
    const [filed] = await contestConcerns(id);
    expect(filed).toBeDefined();
    expect(filed!.priority).toBe("high");
    expect(filed!.interactionId).toBe(breach.interactionId);
    expect(first.headers.get("Location")).toBe(`/en/me/interactions?contested=${filed!.ref}&focus=TL-CONTEST#contested`);

    const flash = await (await app.request(first.headers.get("Location")!, { cookie })).text();
    expect(flash).toContain(html(tr("en", "breaches.filedTitle")));
    expect(flash).toContain(html(tr("en", "breaches.filedBody", { ref: isolate(filed!.ref) })));
    expect(flash).toContain(`href="/en/me/concerns/${filed!.ref}"`);
    const item = section(flash, "TL-CONTEST");
    expect(item).toContain(html(tr("en", "breaches.contestedPrefix")));
    expect(item).toContain(filed!.ref);
    expect(item).not.toContain(`name="breach"`);

    const second = await app.request("/en/me/interactions", { cookie, form });
    expect(second.status).toBe(303);
    expect(second.headers.get("Location")).toBe(`/en/me/interactions?contested=${filed!.ref}&already=1&focus=TL-CONTEST#contested`);
    expect(await contestConcerns(id)).toHaveLength(1);
    expect(await (await app.request(second.headers.get("Location")!, { cookie })).text()).toContain(html(tr("en", "breaches.alreadyTitle")));
  });

  it("another customer's breach id is refused like an unknown one, without a trace of it; a bad form is a 400; a flash for a concern not yours shows nothing", async () => {
    const mine = await customer("tl-mine");
    const theirs = await customer("tl-theirs");
    await actedInteraction(app.db, { customerId: mine, ref: "TL-MINE", occurredAt: Date.now() - HOUR });
    const theirBreach = await breachOf(app.db, await actedInteraction(app.db, { customerId: theirs, ref: "TL-THEIRS", occurredAt: Date.now() - HOUR }));
    const cookie = await app.signIn(mine, "en");

    const foreign = await app.request("/en/me/interactions", { cookie, form: { intent: "contest", breach: String(theirBreach.id) } });
    const unknown = await app.request("/en/me/interactions", { cookie, form: { intent: "contest", breach: "999999" } });
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    const foreignPage = await foreign.text();
    expect(foreignPage).not.toContain("TL-THEIRS");
    expect(withoutNonce(foreignPage)).toBe(withoutNonce(await unknown.text()));
    expect(await contestConcerns(theirs)).toHaveLength(0);
    expect(await contestConcerns(mine)).toHaveLength(0);
    const [untouched] = await app.db.select().from(permissionBreaches).where(eq(permissionBreaches.id, theirBreach.id));
    expect(untouched!.contestConcernId).toBeNull();

    expect((await app.request("/en/me/interactions", { cookie, form: { intent: "contest", breach: "abc" } })).status).toBe(400);
    expect((await app.request("/en/me/interactions", { cookie, form: { breach: String(theirBreach.id) } })).status).toBe(400);

    // Their contest, filed by them; its reference in my URL shows me nothing.
    const theirCookie = await app.signIn(theirs, "en");
    await app.request("/en/me/interactions", { cookie: theirCookie, form: { intent: "contest", breach: String(theirBreach.id) } });
    const [theirConcern] = await contestConcerns(theirs);
    const page = await (await app.request(`/en/me/interactions?contested=${theirConcern!.ref}`, { cookie })).text();
    // (The address itself is echoed in the language links; nothing else names it.)
    expect(page).not.toContain(`/me/concerns/${theirConcern!.ref}`);
    expect(page).not.toContain(isolate(theirConcern!.ref));
    expect(page).not.toContain(html(tr("en", "breaches.filedTitle")));
    expect(page).not.toContain("TL-THEIRS");
  });

  it("contest inside the embed: the form posts to the embed page and comes back into the frame", async () => {
    const id = await customer("tl-embed", null);
    const breach = await breachOf(app.db, await actedInteraction(app.db, { customerId: id, ref: "TL-EMBED", occurredAt: Date.now() - HOUR }));
    const secret = (await createEmbedSite(app.db, { slug: "help", name: "Help", origins: ["https://help.example"], withSigningSecret: true })).signingSecret!;
    const token = await signEmbedToken(secret, "help", id, { ttlSeconds: 300 });
    const opened = await app.request(`/embed/help/en/me/interactions?token=${token}`);
    expect(opened.status).toBe(303);
    const location = opened.headers.get("Location")!;
    const handle = new URL(location, "http://x").searchParams.get("h")!;
    const page = await (await app.request(location)).text();
    expect(page).toContain(html(tr("en", "breaches.marker")));

    const posted = await app.request(location, {
      form: { intent: "contest", breach: String(breach.id), focus: "TL-EMBED" },
      headers: { "Sec-Fetch-Site": "same-origin" },
    });
    expect(posted.status).toBe(303);
    const [filed] = await contestConcerns(id);
    expect(posted.headers.get("Location")).toBe(`/embed/help/en/me/interactions?contested=${filed!.ref}&focus=TL-EMBED&h=${handle}#contested`);
    const after = await (await app.request(posted.headers.get("Location")!)).text();
    expect(after).toContain(html(tr("en", "breaches.filedTitle")));
    expect(after).toContain(`href="/embed/help/en/me/concerns/${filed!.ref}?h=${handle}"`);
  });
});
