/**
 * Demo history for monitoring of AI behaviour (SPEC §12; AI Act Art. 26(5), 72): twelve weeks of
 * decision checks, confirmation requests and answers, and AI involvements in interactions for the
 * five demo AI systems, spread over 240 background customers of Nordlys Telecom, from a fixed
 * seed (mulberry32) so every run tells the same story. Thresholds for all systems as an admin
 * would set them; one week crosses one: three weeks ago many customers told the offer predictor
 * "never" after its new offer notice, so its share of denied checks jumps above 20 % and the
 * monitoring page shows an alert (the demo's one permission breach raises the other).
 * No concerns or breaches are added: those of the demo stories are counted as they are.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { rebuildMonitoringFigures, weekStartOf } from "../app/domain/monitoring.server";
import { env } from "../app/utils/env.server";
import type { Db } from "../app/utils/db.server";
import { mulberry32 } from "./seeded-random";
import { aiSystems, confirmationAnswers, confirmations, customers, decisions, interactionAi, interactions, monitoringThresholds } from "./schema";

const DAY = 86_400_000;
const WEEKS = 12;
const CUSTOMERS = 240;
const LANGS = ["en", "fr", "de", "ar"] as const;
type Lang = (typeof LANGS)[number];
const customerId = (n: number) => `nordlys-history-${String(n).padStart(3, "0")}`;
const CHUNK = 200;

/** How each system takes part in interactions and how often a person checks its work. */
const PROFILES: Record<string, { role: string; perDay: [number, number]; reviewed: number; channel: string }> = {
  "chat-assistant": { role: "answered", perDay: [8, 14], reviewed: 0.26, channel: "chat" },
  "email-reply-drafter": { role: "drafted", perDay: [4, 8], reviewed: 0.97, channel: "email" },
  "network-troubleshooter": { role: "acted", perDay: [3, 6], reviewed: 0.4, channel: "chat" },
  "offer-predictor": { role: "predicted", perDay: [5, 9], reviewed: 0.32, channel: "app" },
  "call-summariser": { role: "summarised", perDay: [4, 8], reviewed: 0.4, channel: "phone" },
};

const SUBJECTS: Record<string, Record<Lang, string>> = {
  chat: { en: "Question about my bill", fr: "Question sur ma facture", de: "Frage zu meiner Rechnung", ar: "سؤال عن فاتورتي" },
  email: { en: "Change of address", fr: "Changement d’adresse", de: "Adressänderung", ar: "تغيير العنوان" },
  app: { en: "Offers in the app", fr: "Offres dans l’application", de: "Angebote in der App", ar: "العروض في التطبيق" },
  phone: { en: "Call about my contract", fr: "Appel au sujet de mon contrat", de: "Anruf zu meinem Vertrag", ar: "مكالمة بخصوص عقدي" },
};

/** What an agent asks the customer to confirm, per action kind (the confirmation's summary). */
const SUMMARIES: Record<string, Record<Lang, string>> = {
  "plan-changes": {
    en: "Move you to the Fibre 500 plan from next month, at the same price for 12 months.",
    fr: "Vous passer à l’offre Fibre 500 dès le mois prochain, au même prix pendant 12 mois.",
    de: "Sie ab nächstem Monat auf den Tarif Glasfaser 500 umstellen, 12 Monate zum gleichen Preis.",
    ar: "نقلكم إلى باقة الألياف 500 ابتداءً من الشهر القادم، بالسعر نفسه لمدة 12 شهرًا.",
  },
  orders: {
    en: "Send you a replacement router, free of charge.",
    fr: "Vous envoyer un routeur de remplacement, gratuitement.",
    de: "Ihnen kostenlos einen Ersatz-Router schicken.",
    ar: "إرسال جهاز توجيه بديل إليكم مجانًا.",
  },
  "proactive-outreach": {
    en: "Send you a text message about a better plan for how you use your line.",
    fr: "Vous envoyer un SMS sur une offre mieux adaptée à votre usage.",
    de: "Ihnen eine SMS zu einem Tarif schicken, der besser zu Ihrer Nutzung passt.",
    ar: "إرسال رسالة نصية إليكم عن باقة أنسب لاستخدامكم.",
  },
};

/** Per system: the action kinds it checks, and how the checks are answered in an ordinary week. */
const CHECKS: Record<string, { actions: string[]; perDay: [number, number]; ask: number; deny: number; denyReasons: string[]; askReasons: string[] }> = {
  "network-troubleshooter": { actions: ["orders"], perDay: [1, 2], ask: 0.5, deny: 0.05, denyReasons: ["quiet_hours"], askReasons: ["amount_over_limit", "preference_ask"] },
  "offer-predictor": { actions: ["plan-changes", "proactive-outreach"], perDay: [8, 12], ask: 0.2, deny: 0.07, denyReasons: ["preference_never", "default_never", "quiet_hours"], askReasons: ["preference_ask", "default_ask"] },
  "chat-assistant": { actions: ["disclose_account_information"], perDay: [4, 7], ask: 0, deny: 0.03, denyReasons: ["identity_not_verified"], askReasons: [] },
};
/** The ISO week (counted back from the current one) in which the offer predictor's denials jump. */
const SPIKE_WEEKS_AGO = 3;

/** Thresholds for all systems, in the metric's unit (see app/domain/monitoring-metrics.ts). */
const THRESHOLDS: { metric: string; value: number }[] = [
  { metric: "deny_share", value: 20 },
  { metric: "breaches", value: 1 },
  { metric: "reviewed_share", value: 10 },
  { metric: "expired_share", value: 30 },
  { metric: "concerns_per_1000", value: 60 },
];

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/**
 * Adds the monitoring demo history ending at `now` (ms since epoch UTC; the twelve weeks before it)
 * and builds the weekly figures and alerts. Needs the demo register (seedDemo) first. Resolves to
 * false, changing nothing, when the history is already there.
 */
export async function seedMonitoring(db: Db, now = Date.now()): Promise<boolean> {
  const [present] = await db.select({ id: customers.id }).from(customers).where(eq(customers.id, customerId(1))).limit(1);
  if (present) return false;
  const systems = new Map((await db.select({ id: aiSystems.id, slug: aiSystems.slug }).from(aiSystems)).map((s) => [s.slug, s.id]));
  if (!Object.keys(PROFILES).every((slug) => systems.has(slug))) throw new Error("seedMonitoring: run the demo seed (register) first");
  const random = mulberry32(20_261_130);
  const between = ([low, high]: [number, number]) => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const start = now - WEEKS * 7 * DAY;
  const timeZone = env().DISPLAY_TIME_ZONE;
  const spikeWeek = weekStartOf(now - SPIKE_WEEKS_AGO * 7 * DAY, timeZone);

  await insertChunks(
    Array.from({ length: CUSTOMERS }, (_, i) => ({ id: customerId(i + 1), locale: LANGS[i % LANGS.length], createdAt: start - 30 * DAY, updatedAt: start - 30 * DAY })),
    (chunk) => db.insert(customers).values(chunk),
  );
  const customer = () => {
    const n = between([1, CUSTOMERS]);
    return { id: customerId(n), lang: LANGS[(n - 1) % LANGS.length]! };
  };

  const decisionRows: (typeof decisions.$inferInsert)[] = [];
  const confirmationRows: (typeof confirmations.$inferInsert)[] = [];
  const answerRows: (typeof confirmationAnswers.$inferInsert)[] = [];
  const interactionRows: (typeof interactions.$inferInsert & { involvement: Omit<typeof interactionAi.$inferInsert, "interactionId"> })[] = [];
  const decide = (who: { id: string }, slug: string, actionKey: string, decision: string, reason: string, at: number, confirmationId: string | null = null) => {
    const id = randomUUID();
    decisionRows.push({ id, customerId: who.id, actionKey, aiSystemSlug: slug, decision, reason, preferenceVersion: 1, confirmationId, createdAt: at });
    return id;
  };

  for (let daysAgo = WEEKS * 7; daysAgo >= 1; daysAgo -= 1) {
    const day = now - daysAgo * DAY;
    const moment = () => Math.floor(day + (8 + random() * 12) * 3_600_000 - 12 * 3_600_000);
    for (const [slug, profile] of Object.entries(PROFILES)) {
      const systemId = systems.get(slug)!;
      for (let i = between(profile.perDay); i > 0; i -= 1) {
        const who = customer();
        const at = moment();
        // An AI acts only after an "allow" it names (SPEC §11.5).
        const decisionId = profile.role === "acted" ? decide(who, slug, "troubleshooting", "allow", pick(["preference_allow", "default_allow"]), at - 60_000) : null;
        interactionRows.push({
          customerId: who.id,
          source: "contact-center",
          ref: `NH-${String(interactionRows.length + 1).padStart(6, "0")}`,
          channel: profile.channel,
          subject: SUBJECTS[profile.channel]![who.lang],
          occurredAt: at,
          createdAt: at + 120_000,
          involvement: {
            systemId,
            role: profile.role,
            actionKey: profile.role === "acted" ? "troubleshooting" : null,
            actionDetail: null,
            humanReviewed: random() < profile.reviewed,
            trainingEligible: false,
            decisionId,
          },
        });
      }
    }
    for (const [slug, checks] of Object.entries(CHECKS)) {
      for (let i = between(checks.perDay); i > 0; i -= 1) {
        const who = customer();
        const at = moment();
        const spike = slug === "offer-predictor" && weekStartOf(at, timeZone) === spikeWeek;
        const deny = spike ? 0.42 : checks.deny;
        const actionKey = pick(checks.actions);
        const roll = random();
        if (roll < deny) {
          decide(who, slug, actionKey, "deny", spike ? "preference_never" : pick(checks.denyReasons), at);
        } else if (roll < deny + checks.ask && SUMMARIES[actionKey]) {
          decide(who, slug, actionKey, "ask", pick(checks.askReasons), at);
          // The agent asks the customer; the answer comes within hours, or the request expires after a day.
          const confirmationId = randomUUID();
          const answerRoll = random();
          const answer = answerRoll < 0.64 ? "approved" : answerRoll < 0.92 ? "declined" : "expired";
          const expiresAt = at + 1440 * 60_000;
          const answeredAt = answer === "expired" ? expiresAt : Math.floor(at + (0.2 + random() * 6) * 3_600_000);
          confirmationRows.push({ id: confirmationId, customerId: who.id, actionKey, aiSystemSlug: slug, summary: JSON.stringify({ [who.lang]: SUMMARIES[actionKey]![who.lang] }), expiresAt, createdAt: at + 1000 });
          answerRows.push({ confirmationId, customerId: who.id, answer, method: answer === "expired" ? "system" : "portal", lang: who.lang, createdAt: answeredAt });
          if (answer === "approved") decide(who, slug, actionKey, "allow", "confirmed_by_customer", answeredAt + 30_000, confirmationId);
        } else {
          decide(who, slug, actionKey, "allow", pick(["preference_allow", "default_allow"]), at);
        }
      }
    }
  }

  await db.transaction(async (tx) => {
    await insertChunks(decisionRows, (chunk) => tx.insert(decisions).values(chunk));
    await insertChunks(confirmationRows, (chunk) => tx.insert(confirmations).values(chunk));
    await insertChunks(answerRows, (chunk) => tx.insert(confirmationAnswers).values(chunk));
    await insertChunks(interactionRows, async (chunk) => {
      const ids = await tx
        .insert(interactions)
        .values(chunk.map(({ involvement: _, ...row }) => row))
        .returning({ id: interactions.id });
      await tx.insert(interactionAi).values(chunk.map((row, i) => ({ ...row.involvement, interactionId: ids[i]!.id })));
    });
    for (const t of THRESHOLDS) {
      await tx.insert(monitoringThresholds).values({ systemId: 0, metric: t.metric, valueHundredths: t.value * 100, updatedAt: start }).onConflictDoNothing();
    }
  });
  await rebuildMonitoringFigures(db, now);
  return true;
}
