/**
 * The demo of "permission that means something" (SPEC §11), added to the customers' stories
 * (db/seed.ts replays these steps in time order with the stories, so each decision check sees the
 * choices, limits and notices in force at that moment):
 *
 * - Alex (demo-customer-1): 12 days ago the network assistant asked before ordering a replacement
 *   router ("Ask me first"), Alex approved in the portal, the approval allowed the order once and
 *   the order names that decision; 4 days ago, after the night-time router reset they complained
 *   about, Alex set quiet hours 22:00–07:00 on fault fixing and a 50 EUR cap on payment
 *   arrangements; 3 days ago the offer assistant asked to split an 84.60 EUR bill (over the cap) and
 *   nobody answered, so it expired and nothing was done; yesterday at 23:40 the network assistant
 *   was refused (quiet hours) and restarted the line anyway: a permission breach, with its staff
 *   case; 2 hours ago the offer assistant asked to move a 62.30 EUR payment date: waiting for
 *   Alex's answer.
 * - Camille (demo-customer-2): while she allowed training (until 60 days ago), three of her chats
 *   went into a training dataset; her later opt-out stops future use, not that one.
 *
 * Written through the domain functions the API uses, as the company's agents would have called them.
 */
import { and, asc, eq, lt } from "drizzle-orm";
import { createApiKey } from "../app/domain/api-keys.server";
import { answerConfirmation, createConfirmation, expireConfirmations } from "../app/domain/confirmations.server";
import { decide } from "../app/domain/decisions.server";
import { recordInteraction } from "../app/domain/interactions.server";
import { savePreferences } from "../app/domain/preferences.server";
import { recordTrainingUses } from "../app/domain/training-uses.server";
import type { Db } from "../app/utils/db.server";
import { env } from "../app/utils/env.server";
import { interactionAi, interactions } from "./schema";
import type { Lang } from "./seed-data";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const ALEX = "demo-customer-1";
export const CAMILLE = "demo-customer-2";
/** The company's agents' API key (its secret is not kept: only their records need it). */
export const DEMO_AGENTS_KEY_NAME = "Nordlys AI agents (demo)";
export const DEMO_TRAINING_DATASET = "chat-assistant-answers-v3";
/** Alex's limits (SPEC §11.2), in the shape the domain stores them (hundredths). */
export const ALEX_LIMITS = {
  troubleshooting: { quietHours: { from: "22:00", to: "07:00" } },
  "billing-arrangements": { maxAmount: { hundredths: 5000, currency: "EUR" } },
};

/** One step of the demo's history, replayed in time order with the stories. */
export interface DemoStep {
  at: number;
  apply: () => Promise<void>;
}

export interface PermissionDemoContext {
  now: number;
  /** ms of `hour:minute` (company time zone), `daysAgo` days before now. */
  localTime: (daysAgo: number, hour: number, minute: number) => number;
  systemIds: Map<string, number>;
}

type Texts = Record<Lang, string>;

/** The texts of the permission story per language: Alex's interaction subjects and details (his language only) and the confirmation summaries the agents send (every language: db/demo-content.ts). */
export const PERMISSION_TEXTS = {
  wifiSubject: {
    en: "Wi-Fi keeps dropping upstairs",
    fr: "Le Wi-Fi coupe sans cesse à l’étage",
    de: "WLAN bricht im Obergeschoss ständig ab",
    ar: "انقطاع الواي فاي باستمرار في الطابق العلوي",
  },
  routerSummary: {
    en: "Send you a new Wi-Fi router free of charge, because your current one is old and its signal is too weak for the upstairs rooms.",
    fr: "Vous envoyer gratuitement une nouvelle box Wi-Fi, car la vôtre est ancienne et son signal est trop faible pour les pièces de l’étage.",
    de: "Ihnen kostenlos einen neuen WLAN-Router schicken, weil Ihr jetziger alt ist und sein Signal für die Räume im Obergeschoss zu schwach ist.",
    ar: "إرسال جهاز راوتر واي فاي جديد إليكم مجانًا، لأن جهازكم الحالي قديم وإشارته أضعف من أن تصل إلى غرف الطابق العلوي.",
  },
  routerOrderedSubject: {
    en: "Replacement router ordered",
    fr: "Box de remplacement commandée",
    de: "Ersatzrouter bestellt",
    ar: "طلب جهاز راوتر بديل",
  },
  routerOrderedDetail: {
    en: "Ordered a new Wi-Fi router free of charge, after you approved it in the portal.",
    fr: "A commandé gratuitement une nouvelle box Wi-Fi, après votre accord dans le portail.",
    de: "Hat kostenlos einen neuen WLAN-Router bestellt, nachdem Sie im Portal zugestimmt hatten.",
    ar: "طلب جهاز راوتر واي فاي جديد مجانًا، بعد موافقتكم عبر البوابة.",
  },
  novemberSubject: {
    en: "Question about paying the latest bill",
    fr: "Question sur le paiement de la dernière facture",
    de: "Frage zur Zahlung der letzten Rechnung",
    ar: "سؤال عن سداد الفاتورة الأخيرة",
  },
  splitSummary: {
    en: "Split your bill of 84.60 EUR into three monthly payments of 28.20 EUR, without any fees.",
    fr: "Répartir votre facture de 84,60 EUR en trois paiements mensuels de 28,20 EUR, sans frais.",
    de: "Ihre Rechnung über 84,60 EUR ohne Gebühren auf drei Monatsraten von je 28,20 EUR aufteilen.",
    ar: "تقسيط فاتورتكم البالغة 84.60 يورو على ثلاث دفعات شهرية قيمة كل منها 28.20 يورو، دون أي رسوم.",
  },
  paymentDateSubject: {
    en: "Paying the next bill later",
    fr: "Payer la prochaine facture plus tard",
    de: "Die nächste Rechnung später bezahlen",
    ar: "سداد الفاتورة القادمة في موعد لاحق",
  },
  paymentDateSummary: {
    en: "Move the payment date of your next bill (62.30 EUR) from the 1st to the 15th of the month, without any fees.",
    fr: "Décaler la date de paiement de votre prochaine facture (62,30 EUR) du 1er au 15 du mois, sans frais.",
    de: "Den Zahlungstermin Ihrer nächsten Rechnung (62,30 EUR) ohne Gebühren vom 1. auf den 15. des Monats verschieben.",
    ar: "تأجيل موعد سداد فاتورتكم القادمة (62.30 يورو) من اليوم الأول إلى اليوم الخامس عشر من الشهر، دون أي رسوم.",
  },
  nightRestartSubject: {
    en: "Line restarted at night",
    fr: "Ligne redémarrée pendant la nuit",
    de: "Leitung in der Nacht neu gestartet",
    ar: "إعادة تشغيل الخط ليلًا",
  },
  nightRestartDetail: {
    en: "Restarted your line remotely at 23:40 (about two minutes offline), although the check before it had said no: your quiet hours.",
    fr: "A redémarré votre ligne à distance à 23 h 40 (environ deux minutes sans connexion), alors que la vérification préalable avait répondu non : vos heures de tranquillité.",
    de: "Hat Ihre Leitung um 23:40 Uhr aus der Ferne neu gestartet (etwa zwei Minuten offline), obwohl die Prüfung davor Nein ergeben hatte: Ihre Ruhezeiten.",
    ar: "أعاد تشغيل خطكم عن بُعد في الساعة 23:40 (انقطاع نحو دقيقتين)، رغم أن التحقق المسبق كان قد رفض ذلك بسبب ساعات الهدوء التي حددتموها.",
  },
} satisfies Record<string, Texts>;

/** Alex reads English; the agents still send every language they have (the customer sees theirs). */
const ALEX_LANG: Lang = "en";

/**
 * The demo's permission history as steps for db/seed.ts to replay in time order with the stories.
 * Each step throws when the product would answer otherwise than the story says (the demo never
 * contradicts the product). Needs the stories' AI systems (`systemIds`) and customers.
 */
export function permissionDemoSteps(db: Db, ctx: PermissionDemoContext): DemoStep[] {
  const { now, localTime, systemIds } = ctx;
  const baseUrl = env().PUBLIC_URL;
  const system = (slug: string) => {
    const id = systemIds.get(slug);
    if (id === undefined) throw new Error(`Demo: no AI system ${slug}`);
    return id;
  };
  let keyId: number | undefined;
  const agentsKey = async (at: number) => (keyId ??= (await createApiKey(db, { name: DEMO_AGENTS_KEY_NAME, scopes: ["decisions", "interactions", "training"], actor: { type: "system" }, now: at })).id);
  const identity = (method: string) => ({ verified: true, method });

  /** A decision check that must answer `expected` (decision and reason), as the story says. */
  const check = async (input: Parameters<typeof decide>[1], expected: string) => {
    const decision = await decide(db, input);
    if (`${decision.decision} ${decision.reason}` !== expected) {
      throw new Error(`Demo: ${input.aiSystemSlug} ${input.actionKey} for ${input.customerId} answered ${decision.decision} ${decision.reason}, not ${expected}`);
    }
    return decision;
  };
  const ask = async (input: Omit<Parameters<typeof createConfirmation>[1], "keyId" | "baseUrl" | "effectiveAt">) => {
    const result = await createConfirmation(db, { ...input, keyId: await agentsKey(input.now!), baseUrl, effectiveAt: null });
    if (result.status !== "created") throw new Error(`Demo: the confirmation request for ${input.customerId} (${input.actionKey}) was refused: ${result.status}`);
    return result.confirmation;
  };
  const conversation = async (input: { ref: string; at: number; channel: "app" | "chat"; subject: Texts; ai: { system: string; role: "answered" | "predicted" }[] }) => {
    await recordInteraction(db, {
      customerId: ALEX,
      source: "contact-center",
      ref: input.ref,
      channel: input.channel,
      subject: input.subject[ALEX_LANG],
      occurredAt: input.at,
      ai: input.ai.map((a) => ({ systemId: system(a.system), role: a.role, humanReviewed: false, trainingEligible: a.role === "answered" })),
    });
  };

  // 1. Approved, then used once: a replacement router (orders: "Ask me first" by default).
  const routerAt = localTime(12, 10, 5);
  const approved: DemoStep = {
    at: routerAt,
    apply: async () => {
      await conversation({ ref: "NL-201001", at: routerAt, channel: "app", subject: PERMISSION_TEXTS.wifiSubject, ai: [{ system: "network-troubleshooter", role: "predicted" }] });
      const context = { channel: "app", identity: identity("app_login") };
      const base = { customerId: ALEX, actionKey: "orders", aiSystemSlug: "network-troubleshooter", interactionRef: "NL-201001" };
      await check({ ...base, context, now: routerAt + 2 * MINUTE }, "ask default_ask");
      const confirmation = await ask({ ...base, summary: PERMISSION_TEXTS.routerSummary, amountHundredths: null, currency: null, channel: "app", expiresInMinutes: 1440, now: routerAt + 3 * MINUTE });
      const answered = await answerConfirmation(db, { customerId: ALEX, id: confirmation.id, answer: "approved", method: "portal", lang: ALEX_LANG, now: routerAt + 26 * MINUTE });
      if (answered.status !== "answered") throw new Error(`Demo: Alex's approval was not recorded (${answered.status})`);
      const allow = await check({ ...base, confirmationId: confirmation.id, context, now: routerAt + 28 * MINUTE }, "allow confirmed_by_customer");
      const ordered = await recordInteraction(db, {
        customerId: ALEX,
        source: "contact-center",
        ref: "NL-201002",
        channel: "app",
        subject: PERMISSION_TEXTS.routerOrderedSubject[ALEX_LANG],
        occurredAt: routerAt + 29 * MINUTE,
        ai: [{ systemId: system("network-troubleshooter"), role: "acted", actionKey: "orders", actionDetail: PERMISSION_TEXTS.routerOrderedDetail[ALEX_LANG], humanReviewed: false, trainingEligible: false, decisionId: allow.id }],
      });
      if (ordered.breaches.length > 0) throw new Error("Demo: the approved router order was recorded as a breach");
    },
  };

  // 2. Limits, the day Alex complained about the night-time router reset.
  const limitsAt = localTime(4, 19, 12);
  const limits: DemoStep = {
    at: limitsAt,
    apply: async () => {
      await savePreferences(db, {
        customerId: ALEX,
        values: { troubleshooting: "allow", "billing-arrangements": "allow" },
        limits: ALEX_LIMITS,
        lang: ALEX_LANG,
        method: "portal",
        now: limitsAt,
      });
    },
  };

  // 3. Over the cap, so it asked; nobody answered, so it expired and nothing was done.
  const splitAt = localTime(3, 18, 31);
  const expired: DemoStep = {
    at: splitAt,
    apply: async () => {
      await conversation({
        ref: "NL-201003",
        at: splitAt,
        channel: "chat",
        subject: PERMISSION_TEXTS.novemberSubject,
        ai: [
          { system: "chat-assistant", role: "answered" },
          { system: "offer-predictor", role: "predicted" },
        ],
      });
      const details = { amountHundredths: 8460, currency: "EUR", channel: "chat" };
      const base = { customerId: ALEX, actionKey: "billing-arrangements", aiSystemSlug: "offer-predictor", interactionRef: "NL-201003" };
      await check({ ...base, context: { ...details, identity: identity("portal_login") }, now: splitAt + 2 * MINUTE }, "ask amount_over_limit");
      const confirmation = await ask({ ...base, summary: PERMISSION_TEXTS.splitSummary, ...details, expiresInMinutes: 1440, now: splitAt + 3 * MINUTE });
      // What the server's sweep does after a day: the request closes as expired (fail closed).
      await expireConfirmations(db, confirmation.expiresAt);
    },
  };

  // 4. Refused in quiet hours, and done anyway: a permission breach (SPEC §11.5).
  const nightAt = localTime(1, 23, 40);
  const breach: DemoStep = {
    at: nightAt,
    apply: async () => {
      const refused = await check(
        { customerId: ALEX, actionKey: "troubleshooting", aiSystemSlug: "network-troubleshooter", interactionRef: "NL-201004", context: { channel: "app", identity: identity("app_login") }, now: nightAt - MINUTE },
        "deny quiet_hours",
      );
      const recorded = await recordInteraction(db, {
        customerId: ALEX,
        source: "contact-center",
        ref: "NL-201004",
        channel: "app",
        subject: PERMISSION_TEXTS.nightRestartSubject[ALEX_LANG],
        occurredAt: nightAt,
        ai: [{ systemId: system("network-troubleshooter"), role: "acted", actionKey: "troubleshooting", actionDetail: PERMISSION_TEXTS.nightRestartDetail[ALEX_LANG], humanReviewed: false, trainingEligible: false, decisionId: refused.id }],
      });
      if (recorded.breaches.map((b) => b.reason).join() !== "decision_not_allow") throw new Error(`Demo: the night-time restart was not caught as a breach (${JSON.stringify(recorded.breaches)})`);
    },
  };

  // 5. Waiting for Alex's answer (a week to answer, so the demo stays fresh).
  const pendingAt = now - 2 * 60 * MINUTE;
  const pending: DemoStep = {
    at: pendingAt,
    apply: async () => {
      await conversation({
        ref: "NL-201005",
        at: pendingAt,
        channel: "chat",
        subject: PERMISSION_TEXTS.paymentDateSubject,
        ai: [
          { system: "chat-assistant", role: "answered" },
          { system: "offer-predictor", role: "predicted" },
        ],
      });
      const details = { amountHundredths: 6230, currency: "EUR", channel: "chat" };
      const base = { customerId: ALEX, actionKey: "billing-arrangements", aiSystemSlug: "offer-predictor", interactionRef: "NL-201005" };
      await check({ ...base, context: { ...details, identity: identity("portal_login") }, now: pendingAt + 2 * MINUTE }, "ask amount_over_limit");
      await ask({ ...base, summary: PERMISSION_TEXTS.paymentDateSummary, ...details, expiresInMinutes: 7 * 24 * 60, now: pendingAt + 3 * MINUTE });
    },
  };

  // 6. Camille's chats in a training dataset, while she allowed it (she opted out 60 days ago).
  const trainingAt = now - 85 * DAY;
  const training: DemoStep = {
    at: trainingAt,
    apply: async () => {
      const eligible = await db
        .selectDistinct({ ref: interactions.ref, occurredAt: interactions.occurredAt })
        .from(interactions)
        .innerJoin(interactionAi, eq(interactionAi.interactionId, interactions.id))
        .where(and(eq(interactions.customerId, CAMILLE), eq(interactionAi.systemId, system("chat-assistant")), eq(interactionAi.trainingEligible, true), lt(interactions.occurredAt, trainingAt)))
        .orderBy(asc(interactions.occurredAt))
        .limit(3);
      const result = await recordTrainingUses(db, await agentsKey(trainingAt), {
        dataset: DEMO_TRAINING_DATASET,
        usedAt: trainingAt,
        interactions: eligible.map((i) => ({ source: "contact-center", ref: i.ref })),
        now: trainingAt,
      });
      if (result.accepted.length === 0 || result.refused.length > 0) throw new Error(`Demo: Camille's training use was not recorded as the story says (${JSON.stringify(result)})`);
    },
  };

  return [approved, limits, expired, breach, pending, training];
}
