/**
 * The demo must never contradict the product (issue 7, item 20): checked on the seeded database
 * itself, independently of how the seed builds it.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DECISION_VALID_FOR_MS, type DecisionContext } from "../../app/domain/vocabulary";
import { LANGUAGES } from "../../app/utils/languages";
import type { AnyDatabase } from "../../app/utils/db.server";
import { seedDemo } from "../../db/seed";
import { SOURCE_LANGUAGES } from "../../db/demo-content";
import { ALEX, ALEX_LIMITS, CAMILLE, DEMO_TRAINING_DATASET } from "../../db/seed-permission";
import { AI_SYSTEMS, CHOICES, CONCERN_TEXTS, CUSTOMER_REPLIES, DEMO_STORIES, INTERACTION_TEMPLATES, OUTCOME_REASONS, STAFF_REPLIES } from "../../db/seed-data";
import { freshTestDatabase } from "../support/database";
import { rawAll } from "../support/raw-sql";

let database: AnyDatabase;
beforeAll(async () => {
  database = await freshTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const all = <T>(sql: string, ...params: unknown[]) => rawAll<T>(database, sql, ...params);

/** The label the portal shows for a choice value, in one language. */
function valueLabels(lang: string): Record<string, string> {
  const common = JSON.parse(fs.readFileSync(path.resolve("locales", lang, "common.json"), "utf8")) as { choiceValues: Record<string, string> };
  return common.choiceValues;
}

/** Quoted phrases in a text: “…”, „…“, «…» (French spacing inside the marks removed). */
function quoted(text: string): string[] {
  return [...text.matchAll(/[“„«»”‚‹]([^“”„«»‚‘‹›]+)[”“»«‘›]/g)].map((m) => m[1]!.replace(/[\s\u00a0\u202f]+/g, " ").trim());
}

describe("demo data: AI actions", () => {
  it("every AI action names the “allow” check made before it, for the same customer, action and system, with the identity verified (or is a recorded breach)", async () => {
    const acted = (await all<{ interactionAiId: number; interactionId: number; customerId: string; occurredAt: number; actionKey: string; slug: string; decisionId: string | null }>(
      `SELECT a.id AS interactionAiId, i.id AS interactionId, i.customer_id AS customerId, i.occurred_at AS occurredAt, a.action_key AS actionKey, s.slug,
              a.decision_id AS decisionId
       FROM interaction_ai a JOIN interactions i ON i.id = a.interaction_id JOIN ai_systems s ON s.id = a.system_id
       WHERE a.role = 'acted'`,
    ));
    expect(acted.length).toBeGreaterThan(10);
    const breached = new Set((await all<{ id: number }>("SELECT interaction_ai_id AS id FROM permission_breaches")).map((r) => Number(r.id)));
    let confirmed = 0;
    for (const act of acted) {
      const where = `${act.customerId} ${act.slug} ${act.actionKey} #${act.interactionId}`;
      expect(act.actionKey, where).toBeTruthy();
      if (breached.has(Number(act.interactionAiId))) continue;
      expect(act.decisionId, where).toBeTruthy();
      const [check] = await all<{ decision: string; reason: string; customerId: string; actionKey: string; slug: string; createdAt: number; context: string | null; confirmationId: string | null }>(
        `SELECT decision, reason, customer_id AS customerId, action_key AS actionKey, ai_system_slug AS slug, created_at AS createdAt, context, confirmation_id AS confirmationId
         FROM decisions WHERE id = ?`,
        act.decisionId,
      );
      expect(check, where).toMatchObject({ decision: "allow", customerId: act.customerId, actionKey: act.actionKey, slug: act.slug });
      expect(Number(check!.createdAt), where).toBeLessThanOrEqual(Number(act.occurredAt));
      expect(Number(act.occurredAt) - Number(check!.createdAt), where).toBeLessThanOrEqual(DECISION_VALID_FOR_MS);
      expect((JSON.parse(check!.context ?? "{}") as DecisionContext).identity?.verified, where).toBe(true);
      // Only one action per decision.
      expect(acted.filter((a) => a.decisionId === act.decisionId), where).toHaveLength(1);
      if (check!.reason === "confirmed_by_customer") {
        // Independently of the recorded decision: the customer approved this very request before.
        confirmed += 1;
        const [approval] = await all<{ answer: string; createdAt: number; customerId: string; actionKey: string; slug: string }>(
          `SELECT a.answer, a.created_at AS createdAt, c.customer_id AS customerId, c.action_key AS actionKey, c.ai_system_slug AS slug
           FROM confirmation_answers a JOIN confirmations c ON c.id = a.confirmation_id WHERE c.id = ?`,
          check!.confirmationId,
        );
        expect(approval, where).toMatchObject({ answer: "approved", customerId: act.customerId, actionKey: act.actionKey, slug: act.slug });
        expect(Number(approval!.createdAt), where).toBeLessThan(Number(check!.createdAt));
        continue;
      }
      // Independently of the recorded decision: the customer's last choice before the action was
      // "allow", given under the newest notice of that choice published by then.
      const last = (await all<{ value: string; noticeVersion: number }>(
        "SELECT value, notice_version AS noticeVersion FROM consent_events WHERE customer_id = ? AND choice_key = ? AND created_at <= ? ORDER BY created_at DESC, id DESC LIMIT 1",
        act.customerId,
        act.actionKey,
        act.occurredAt,
      ))[0];
      expect(last?.value, where).toBe("allow");
      const inForce = (await all<{ v: number }>("SELECT max(version) AS v FROM choice_notices WHERE choice_key = ? AND created_at <= ?", act.actionKey, act.occurredAt))[0]!.v;
      expect(last!.noticeVersion, where).toBe(inForce);
    }
    expect(confirmed).toBeGreaterThan(0);
  });

  it("a check that did not allow is never followed by that AI acting, except the one breach the product caught", async () => {
    const contradictions = (await all(
      `SELECT d.id FROM decisions d JOIN interaction_ai a ON a.interaction_id = d.interaction_id AND a.action_key = d.action_key AND a.role = 'acted'
       JOIN ai_systems s ON s.id = a.system_id AND s.slug = d.ai_system_slug WHERE d.decision <> 'allow'`,
    ));
    expect(contradictions).toEqual([]);
    const actedAfterRefusal = await all<{ id: number }>(
      "SELECT a.id FROM interaction_ai a JOIN decisions d ON d.id = a.decision_id WHERE a.role = 'acted' AND d.decision <> 'allow'",
    );
    const breaches = await all<{ id: number }>("SELECT interaction_ai_id AS id FROM permission_breaches");
    expect(actedAfterRefusal.map((r) => Number(r.id))).toEqual(breaches.map((r) => Number(r.id)));
    // The demo does show a check that asked first (and the system then did nothing).
    expect((await all("SELECT id FROM decisions WHERE decision = 'ask' AND interaction_id IS NOT NULL")).length).toBeGreaterThan(0);
  });

  it("a customer who chose “human first” is not answered by an AI assistant afterwards", async () => {
    const firstPerson = (await all<{ customerId: string; createdAt: number }>(
      "SELECT customer_id AS customerId, min(created_at) AS createdAt FROM consent_events WHERE choice_key = 'human-first' AND value = 'yes' GROUP BY customer_id",
    ));
    expect(firstPerson.length).toBeGreaterThan(0);
    for (const { customerId, createdAt } of firstPerson) {
      const answeredByAi = (await all(
        "SELECT i.ref FROM interactions i JOIN interaction_ai a ON a.interaction_id = i.id WHERE i.customer_id = ? AND i.occurred_at > ? AND a.role IN ('answered', 'drafted')",
        customerId,
        createdAt,
      ));
      expect(answeredByAi, customerId).toEqual([]);
    }
  });

  it("refuses to seed a story in which an AI acts after a refusal", async () => {
    const fresh = await freshTestDatabase({ seeded: false });
    const alex = DEMO_STORIES[0]!;
    const saved = alex.choices;
    alex.choices = saved.map((c) => (c.values.troubleshooting ? { ...c, values: { ...c.values, troubleshooting: "never" } } : c));
    try {
      await expect(seedDemo(fresh.db)).rejects.toThrow(/network-troubleshooter would act \(troubleshooting\) for demo-customer-1 .* after "deny"/);
    } finally {
      alex.choices = saved;
      await fresh.close();
    }
  });
});

describe("demo data: concerns", () => {
  const concerns = async () =>
    (await all<{ id: number; ref: string; customerId: string; lang: string; kind: string; systemId: number; interactionId: number; createdAt: number; status: string; outcomeReason: string | null; origin: string }>(
      `SELECT id, ref, customer_id AS customerId, lang, kind, system_id AS systemId, interaction_id AS interactionId, created_at AS createdAt,
              status, outcome_reason AS outcomeReason, origin FROM concerns`,
    ));

  it("each concern is about one of the customer's interactions, and its AI system took part in it", async () => {
    expect((await concerns()).filter((c) => c.origin === "customer").length).toBe(DEMO_STORIES.reduce((n, s) => n + s.concerns.length, 0));
    // A staff case per permission breach, and no other.
    expect((await concerns()).filter((c) => c.origin === "breach").length).toBe(Number((await all<{ n: number }>("SELECT count(*) AS n FROM permission_breaches"))[0]!.n));
    for (const concern of await concerns()) {
      expect(concern.interactionId, concern.ref).not.toBeNull();
      const interaction = (await all<{ customerId: string; occurredAt: number }>("SELECT customer_id AS customerId, occurred_at AS occurredAt FROM interactions WHERE id = ?", concern.interactionId))[0]!;
      expect(interaction.customerId, concern.ref).toBe(concern.customerId);
      expect(interaction.occurredAt, concern.ref).toBeLessThan(concern.createdAt);
      const systems = (await all<{ systemId: number }>("SELECT system_id AS systemId FROM interaction_ai WHERE interaction_id = ?", concern.interactionId)).map((r) => r.systemId);
      expect(systems, concern.ref).toContain(concern.systemId);
    }
  });

  it("staff replies are written for that concern, in the customer's language, after it was filed", async () => {
    const replies = new Map<string, string>();
    for (const story of DEMO_STORIES) {
      for (const c of story.concerns) {
        if (!c.reply) continue;
        // One reply text per concern: a reply is never reused for another topic.
        expect(replies.has(c.reply.text), c.reply.text).toBe(false);
        replies.set(c.reply.text, c.kind);
      }
    }
    for (const concern of await concerns()) {
      const messages = (await all<{ body: string; createdAt: number }>(
        "SELECT body, created_at AS createdAt FROM concern_messages WHERE concern_id = ? AND author = 'staff' AND visibility = 'public'",
        concern.id,
      ));
      for (const message of messages) {
        expect(message.createdAt).toBeGreaterThan(concern.createdAt);
        const text = Object.values(STAFF_REPLIES).find((r) => Object.values(r.body).includes(message.body));
        expect(text?.body[concern.lang as "en"], concern.ref).toBe(message.body);
      }
    }
  });

  it("outcomes and replies quote only the choices the customer really has, with the portal's labels", async () => {
    let quotedChoices = 0;
    for (const concern of await concerns()) {
      const labels = valueLabels(concern.lang);
      const choiceLabels = new Map(
        (await all<{ key: string; label: string }>(
          "SELECT n.choice_key AS key, n.label FROM choice_notices n JOIN choice_definitions d ON d.key = n.choice_key AND d.notice_version = n.version WHERE n.lang = ?",
          concern.lang,
        )).map((r) => [r.label, r.key]),
      );
      const current = new Map((await all<{ key: string; value: string }>("SELECT choice_key AS key, value FROM preferences WHERE customer_id = ?", concern.customerId)).map((r) => [r.key, r.value]));
      const defaults = new Map((await all<{ key: string; value: string }>("SELECT key, default_value AS value FROM choice_definitions")).map((r) => [r.key, r.value]));
      const texts = [
        concern.outcomeReason ?? "",
        ...(await all<{ body: string }>("SELECT body FROM concern_messages WHERE concern_id = ? AND author = 'staff' AND visibility = 'public'", concern.id)).map((m) => m.body),
      ];
      for (const text of texts) {
        const phrases = quoted(text);
        phrases.forEach((phrase, i) => {
          const key = choiceLabels.get(phrase);
          if (key) {
            quotedChoices += 1;
            const actual = current.get(key) ?? defaults.get(key)!;
            expect(phrases[i + 1], `${concern.ref}: ${phrase}`).toBe(labels[actual]);
          } else if (Object.values(labels).includes(phrase)) {
            expect(choiceLabels.has(phrases[i - 1] ?? ""), `${concern.ref}: “${phrase}” without its choice`).toBe(true);
          }
        });
      }
    }
    expect(quotedChoices).toBeGreaterThan(0);
  });

  it("notices quote the value labels the portal shows (“Ask me first”, not an option that does not exist)", async () => {
    for (const lang of LANGUAGES) {
      const labels = Object.values(valueLabels(lang));
      for (const choice of CHOICES) {
        for (const notice of choice.notices) {
          const texts = (notice.texts as Partial<Record<string, { explanation: string }>>)[lang];
          if (!texts) continue;
          for (const phrase of quoted(texts.explanation)) {
            if (/^[\p{L} ’']{2,25}$/u.test(phrase) && phrase.split(" ").length <= 4) expect(labels, `${choice.key} v${notice.version} ${lang}: ${phrase}`).toContain(phrase);
          }
        }
      }
    }
  });
});

describe("demo data: re-asked choices", () => {
  it("every later notice version says what changed and which system changed, and the seeded notice rows carry it", async () => {
    for (const choice of CHOICES) {
      for (const notice of choice.notices.slice(1)) {
        expect(notice.changeNote, `${choice.key} v${notice.version}`).toBeDefined();
        expect(AI_SYSTEMS.map((s) => s.slug), `${choice.key} v${notice.version}`).toContain(notice.system);
        const rows = (await all<{ lang: string; change_note: string | null; cause_system_id: number | null }>(
          "select lang, change_note, cause_system_id from choice_notices where choice_key = ? and version = ?",
          choice.key,
          notice.version,
        ));
        expect(rows.map((r) => r.lang).sort()).toEqual([...LANGUAGES].sort());
        for (const row of rows) {
          expect(row.change_note).toBe(notice.changeNote![row.lang as keyof typeof notice.changeNote]);
          expect(row.cause_system_id).not.toBeNull();
        }
      }
    }
  });
});

describe("demo data: every text in every shipped language", () => {
  const filled = (record: Record<string, string> | undefined, where: string, languages: readonly string[] = LANGUAGES) => {
    for (const lang of languages) expect(record?.[lang]?.trim(), `${where} (${lang})`).toBeTruthy();
  };
  // The demo customers' own stories (their interactions, concerns and the replies to them) are
  // written in the languages of the demo customers; what every customer reads is in all 27.
  const storyFilled = (record: Record<string, string> | undefined, where: string) => filled(record, where, SOURCE_LANGUAGES);

  it("the AI register: every system's texts and change notes", async () => {
    expect(AI_SYSTEMS).toHaveLength(5);
    for (const system of (await all<{ id: number; slug: string }>("SELECT id, slug FROM ai_systems"))) {
      const rows = (await all<Record<string, unknown>>("SELECT * FROM ai_system_texts WHERE system_id = ?", system.id));
      expect(rows.map((r) => r.lang).sort(), system.slug).toEqual([...LANGUAGES].sort());
      for (const row of rows) for (const [field, value] of Object.entries(row)) expect(String(value ?? "").trim(), `${system.slug} ${row.lang} ${field}`).not.toBe("");
      for (const version of (await all<{ changeNote: string; version: number }>("SELECT change_note AS changeNote, version FROM ai_system_versions WHERE system_id = ?", system.id))) {
        filled(JSON.parse(version.changeNote) as Record<string, string>, `${system.slug} v${version.version}`);
      }
    }
  });

  it("choice notices, canned replies and everything the customers read", async () => {
    for (const { key, version, n } of (await all<{ key: string; version: number; n: number }>("SELECT choice_key AS key, version, count(DISTINCT lang) AS n FROM choice_notices GROUP BY 1, 2"))) {
      expect(n, `${key} v${version}`).toBe(LANGUAGES.length);
    }
    for (const { key, n } of (await all<{ key: string; n: number }>("SELECT key, count(DISTINCT lang) AS n FROM canned_replies GROUP BY key"))) expect(n, key).toBe(LANGUAGES.length);
    for (const [key, template] of Object.entries(INTERACTION_TEMPLATES)) {
      storyFilled(template.subject, `${key} subject`);
      for (const ai of template.ai) if (ai.actionKey) storyFilled(ai.actionDetail, `${key} ${ai.actionKey}`);
    }
    for (const text of CONCERN_TEXTS) {
      storyFilled(text.description, `${text.kind} description`);
      storyFilled(text.desiredOutcome, `${text.kind} desired outcome`);
    }
    for (const [key, reply] of Object.entries(STAFF_REPLIES)) storyFilled(reply.body, key);
    for (const [key, reason] of Object.entries(OUTCOME_REASONS)) storyFilled(reason, key);
    for (const [key, reply] of Object.entries(CUSTOMER_REPLIES)) storyFilled(reply, key);
  });
});

describe("demo data: permission that means something (SPEC §11)", () => {
  interface Request {
    id: string;
    actionKey: string;
    summary: string;
    amountHundredths: number | null;
    interactionId: number | null;
    createdAt: number;
    expiresAt: number;
    answer: string | null;
    method: string | null;
    answeredAt: number | null;
  }
  const requestsOf = (customerId: string) =>
    all<Request>(
      `SELECT c.id, c.action_key AS actionKey, c.summary, c.amount_hundredths AS amountHundredths, c.interaction_id AS interactionId, c.created_at AS createdAt,
              c.expires_at AS expiresAt, a.answer, a.method, a.created_at AS answeredAt
       FROM confirmations c LEFT JOIN confirmation_answers a ON a.confirmation_id = c.id WHERE c.customer_id = ? ORDER BY c.created_at`,
      customerId,
    );
  const spentBy = (confirmationId: string) => all<{ decision: string; reason: string; id: string }>("SELECT id, decision, reason FROM decisions WHERE confirmation_id = ?", confirmationId);

  it("Alex: a request approved and used once, one that expired unanswered (nothing done), one waiting for an answer", async () => {
    const [used, expired, pending, ...more] = await requestsOf(ALEX);
    expect(more).toEqual([]);
    for (const request of [used!, expired!, pending!]) {
      filledSummary(request.summary);
      expect(request.interactionId, request.id).not.toBeNull();
    }
    expect(used).toMatchObject({ actionKey: "orders", answer: "approved", method: "portal" });
    const spent = await spentBy(used!.id);
    expect(spent.map((d) => `${d.decision} ${d.reason}`)).toEqual(["allow confirmed_by_customer"]);
    expect((await all("SELECT id FROM interaction_ai WHERE decision_id = ? AND role = 'acted'", spent[0]!.id))).toHaveLength(1);

    // Over Alex's 50 EUR cap, so the assistant had to ask; nobody answered: closed as expired, nothing done.
    expect(expired).toMatchObject({ actionKey: "billing-arrangements", answer: "expired", method: "system" });
    expect(Number(expired!.amountHundredths)).toBeGreaterThan(ALEX_LIMITS["billing-arrangements"].maxAmount.hundredths);
    expect(Number(expired!.answeredAt)).toBe(Number(expired!.expiresAt));
    expect(await spentBy(expired!.id)).toEqual([]);
    expect(await all("SELECT id FROM interaction_ai WHERE interaction_id = ? AND role = 'acted'", expired!.interactionId)).toEqual([]);

    expect(pending).toMatchObject({ actionKey: "billing-arrangements", answer: null });
    expect(Number(pending!.amountHundredths)).toBeGreaterThan(ALEX_LIMITS["billing-arrangements"].maxAmount.hundredths);
    expect(Number(pending!.createdAt)).toBeLessThan(Date.now());
    // Still waiting days after the demo was seeded.
    expect(Number(pending!.expiresAt)).toBeGreaterThan(Date.now() + 5 * 24 * 60 * 60 * 1000);
  });

  it("Alex's limits are in force and recorded in the consent event that set them", async () => {
    for (const [key, limits] of Object.entries(ALEX_LIMITS)) {
      const [preference] = await all<{ value: string; limits: string | null }>("SELECT value, limits FROM preferences WHERE customer_id = ? AND choice_key = ?", ALEX, key);
      expect(preference?.value, key).toBe("allow");
      expect(JSON.parse(preference!.limits ?? "null"), key).toMatchObject(limits);
      const [event] = await all<{ limits: string | null }>("SELECT limits FROM consent_events WHERE customer_id = ? AND choice_key = ? ORDER BY created_at DESC, id DESC LIMIT 1", ALEX, key);
      expect(JSON.parse(event!.limits ?? "null"), key).toMatchObject(limits);
    }
  });

  it("one breach: refused in quiet hours, done anyway, caught with a staff case of its own", async () => {
    const breaches = await all<{ reason: string; customerId: string; decisionId: string; interactionId: number; systemId: number; concernId: number }>(
      "SELECT reason, customer_id AS customerId, decision_id AS decisionId, interaction_id AS interactionId, system_id AS systemId, concern_id AS concernId FROM permission_breaches",
    );
    expect(breaches).toHaveLength(1);
    const [breach] = breaches;
    expect(breach).toMatchObject({ reason: "decision_not_allow", customerId: ALEX });
    const [refusal] = await all<{ decision: string; reason: string; retryAfter: number | null }>("SELECT decision, reason, retry_after AS retryAfter FROM decisions WHERE id = ?", breach!.decisionId);
    expect(refusal).toMatchObject({ decision: "deny", reason: "quiet_hours" });
    expect(refusal!.retryAfter).not.toBeNull();
    const [staffCase] = await all<{ origin: string; priority: string; interactionId: number; systemId: number; customerId: string }>(
      "SELECT origin, priority, interaction_id AS interactionId, system_id AS systemId, customer_id AS customerId FROM concerns WHERE id = ?",
      breach!.concernId,
    );
    expect(staffCase).toMatchObject({ origin: "breach", priority: "high", customerId: ALEX });
    expect(Number(staffCase!.interactionId)).toBe(Number(breach!.interactionId));
    expect(Number(staffCase!.systemId)).toBe(Number(breach!.systemId));
  });

  it("training use: Camille's chats went into a dataset while she allowed it, each eligible at its time", async () => {
    const uses = await all<{ interactionId: number; usedAt: number; customerId: string }>(
      "SELECT u.interaction_id AS interactionId, u.used_at AS usedAt, i.customer_id AS customerId FROM training_uses u JOIN interactions i ON i.id = u.interaction_id WHERE u.dataset = ?",
      DEMO_TRAINING_DATASET,
    );
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) {
      expect(use.customerId).toBe(CAMILLE);
      expect(await all("SELECT id FROM interaction_ai WHERE interaction_id = ? AND training_eligible = ?", use.interactionId, database.engine === "sqlite" ? 1 : true)).not.toEqual([]);
      const [before] = await all<{ value: string }>(
        "SELECT value FROM consent_events WHERE customer_id = ? AND choice_key = 'training' AND created_at <= ? ORDER BY created_at DESC, id DESC LIMIT 1",
        CAMILLE,
        use.usedAt,
      );
      expect(before?.value).toBe("yes");
    }
    // She opted out later: the past use stays recorded, no future one is possible.
    const [now] = await all<{ value: string }>("SELECT value FROM preferences WHERE customer_id = ? AND choice_key = 'training'", CAMILLE);
    expect(now?.value).toBe("no");
  });
});

/** A confirmation's summary (JSON text) has a text in every shipped language. */
function filledSummary(summary: string) {
  const texts = JSON.parse(summary) as Record<string, string>;
  for (const lang of LANGUAGES) expect(texts[lang]?.trim(), lang).toBeTruthy();
}
