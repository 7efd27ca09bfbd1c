/**
 * The demo must never contradict the product (issue 7, item 20): checked on the seeded database
 * itself, independently of how the seed builds it.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANGUAGES } from "../../app/utils/languages";
import type { AnyDatabase } from "../../app/utils/db.server";
import { seedDemo } from "../../db/seed";
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
  return [...text.matchAll(/[“„«]([^“”»]+)[”“»]/g)].map((m) => m[1]!.replace(/[\s\u00a0\u202f]+/g, " ").trim());
}

describe("demo data: AI actions", () => {
  it("every AI action follows an “allow” check for the same customer, action and system, given under the notice then in force", async () => {
    const acted = (await all<{ interactionId: number; customerId: string; occurredAt: number; actionKey: string; slug: string }>(
      `SELECT i.id AS interactionId, i.customer_id AS customerId, i.occurred_at AS occurredAt, a.action_key AS actionKey, s.slug
       FROM interaction_ai a JOIN interactions i ON i.id = a.interaction_id JOIN ai_systems s ON s.id = a.system_id
       WHERE a.role = 'acted'`,
    ));
    expect(acted.length).toBeGreaterThan(10);
    for (const act of acted) {
      const where = `${act.customerId} ${act.slug} ${act.actionKey} #${act.interactionId}`;
      expect(act.actionKey, where).toBeTruthy();
      const checks = (await all<{ decision: string; createdAt: number }>(
        "SELECT decision, created_at AS createdAt FROM decisions WHERE customer_id = ? AND action_key = ? AND ai_system_slug = ? AND interaction_id = ?",
        act.customerId,
        act.actionKey,
        act.slug,
        act.interactionId,
      ));
      expect(checks.map((c) => c.decision), where).toEqual(["allow"]);
      expect(checks[0]!.createdAt, where).toBeLessThanOrEqual(act.occurredAt);
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
  });

  it("a check that did not allow is never followed by that AI acting in the interaction", async () => {
    const contradictions = (await all(
      `SELECT d.id FROM decisions d JOIN interaction_ai a ON a.interaction_id = d.interaction_id AND a.action_key = d.action_key AND a.role = 'acted'
       JOIN ai_systems s ON s.id = a.system_id AND s.slug = d.ai_system_slug WHERE d.decision <> 'allow'`,
    ));
    expect(contradictions).toEqual([]);
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
    (await all<{ id: number; ref: string; customerId: string; lang: string; kind: string; systemId: number; interactionId: number; createdAt: number; status: string; outcomeReason: string | null }>(
      `SELECT id, ref, customer_id AS customerId, lang, kind, system_id AS systemId, interaction_id AS interactionId, created_at AS createdAt,
              status, outcome_reason AS outcomeReason FROM concerns`,
    ));

  it("each concern is about one of the customer's interactions, and its AI system took part in it", async () => {
    expect((await concerns()).length).toBe(DEMO_STORIES.reduce((n, s) => n + s.concerns.length, 0));
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
          for (const phrase of quoted(notice.texts[lang].explanation)) {
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
  const filled = (record: Record<string, string> | undefined, where: string) => {
    for (const lang of LANGUAGES) expect(record?.[lang]?.trim(), `${where} (${lang})`).toBeTruthy();
  };

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
      filled(template.subject, `${key} subject`);
      for (const ai of template.ai) if (ai.actionKey) filled(ai.actionDetail, `${key} ${ai.actionKey}`);
    }
    for (const text of CONCERN_TEXTS) {
      filled(text.description, `${text.kind} description`);
      filled(text.desiredOutcome, `${text.kind} desired outcome`);
    }
    for (const [key, reply] of Object.entries(STAFF_REPLIES)) filled(reply.body, key);
    for (const [key, reason] of Object.entries(OUTCOME_REASONS)) filled(reason, key);
    for (const [key, reply] of Object.entries(CUSTOMER_REPLIES)) filled(reply, key);
  });
});
