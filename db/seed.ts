/**
 * `npm run db:seed`: the demo — Nordlys Telecom, five AI systems, two customers with months of
 * history. Runs only on an empty database; re-running keeps what is there.
 */
import { createAiSystem } from "../app/domain/ai-register.server";
import { saveCannedReply } from "../app/domain/concern-workflow.server";
import {
  addCustomerReply,
  addStaffMessage,
  fileConcern,
  findConcernByRef,
  setConcernStatus,
} from "../app/domain/concerns.server";
import { findCustomer, upsertCustomer } from "../app/domain/customers.server";
import { decide } from "../app/domain/decisions.server";
import { createEmbedSite, findEmbedSiteAny } from "../app/domain/embed-sites.server";
import { recordInteraction } from "../app/domain/interactions.server";
import { defineChoice, publishChoiceNotice, savePreferences } from "../app/domain/preferences.server";
import { setSetting } from "../app/domain/settings.server";
import { createStaffUser, findStaffByEmail } from "../app/domain/staff.server";
import { getDb, runMigrations, type Db } from "../app/utils/db.server";
import { AI_SYSTEMS, CHOICES, CONCERN_TEXTS, INTERACTION_TEMPLATES, STAFF_REPLIES, type Lang } from "./seed-data";

const DAY = 24 * 60 * 60 * 1000;
export const DEMO_CUSTOMERS = [
  { id: "demo-customer-1", email: "alex.morgan@example.com", locale: "en" as Lang },
  { id: "demo-customer-2", email: "camille.durand@example.fr", locale: "fr" as Lang },
];

/** A deterministic pseudo-random sequence, so every fresh demo looks the same. */
function sequence(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Demo only: fixed, printed credentials so anyone can try the console. Never seed these in production. */
export const DEMO_STAFF = [
  { email: "admin@nordlys.example", name: "Ada Admin", role: "admin" as const, password: "demo-admin-password" },
  { email: "supervisor@nordlys.example", name: "Sam Supervisor", role: "supervisor" as const, password: "demo-supervisor-password" },
  { email: "agent@nordlys.example", name: "Alex Agent", role: "agent" as const, password: "demo-agent-password" },
];

export async function seedDemoStaff(db: Db): Promise<void> {
  for (const staff of DEMO_STAFF) {
    if (!findStaffByEmail(db, staff.email)) await createStaffUser(db, staff, { type: "system" });
  }
}

/** The demo help center (`npm run demo:helpcenter`) is served from this origin. */
export const DEMO_EMBED_SITE = { slug: "demo-helpcenter", name: "Nordlys Help Center (demo)", origin: "http://127.0.0.1:3400" };

/**
 * Registers the demo help center as an embed site with a signing secret (kept in the database,
 * where the demo help center reads it), unless a site with that slug exists (even a disabled one: an admin's choice stays). Returns true when
 * it created the site.
 */
export function seedDemoEmbedSite(db: Db): boolean {
  if (findEmbedSiteAny(db, DEMO_EMBED_SITE.slug)) return false;
  createEmbedSite(db, { slug: DEMO_EMBED_SITE.slug, name: DEMO_EMBED_SITE.name, origins: [DEMO_EMBED_SITE.origin], withSigningSecret: true, actor: { type: "system" } });
  return true;
}

/** Replies staff can start from (SPEC §4, §8), one text per language. */
const DEMO_CANNED_REPLIES: { key: string; texts: Record<Lang, { title: string; body: string }> }[] = [
  {
    key: "acknowledge",
    texts: {
      en: { title: "We are looking into it", body: "Thank you for raising this with us. A member of our team is now looking into your concern personally, and we will come back to you as soon as we know more." },
      fr: { title: "Nous examinons votre demande", body: "Merci de nous avoir fait part de ce point. Un membre de notre équipe examine désormais personnellement votre préoccupation, et nous reviendrons vers vous dès que nous en saurons davantage." },
      de: { title: "Wir kümmern uns darum", body: "Vielen Dank, dass Sie uns darauf hingewiesen haben. Ein Mitglied unseres Teams prüft Ihr Anliegen jetzt persönlich, und wir melden uns bei Ihnen, sobald wir mehr wissen." },
      ar: { title: "نحن ندرس طلبكم", body: "شكرًا لإبلاغنا بذلك. يتولى الآن أحد أعضاء فريقنا دراسة ملاحظتكم بنفسه، وسنعود إليكم فور توفر معلومات إضافية." },
    },
  },
  {
    key: "ask-details",
    texts: {
      en: { title: "Ask for the date and time", body: "So that we can find the right contact, could you please tell us the date and approximate time it happened, and the channel you used (phone, chat, email or app)?" },
      fr: { title: "Demander la date et l’heure", body: "Pour que nous puissions retrouver le bon échange, pourriez-vous nous indiquer la date et l’heure approximative des faits, ainsi que le canal utilisé (téléphone, chat, e-mail ou application) ?" },
      de: { title: "Nach Datum und Uhrzeit fragen", body: "Damit wir den richtigen Kontakt finden, teilen Sie uns bitte Datum und ungefähre Uhrzeit mit sowie den Kanal, den Sie genutzt haben (Telefon, Chat, E-Mail oder App)." },
      ar: { title: "طلب التاريخ والوقت", body: "لكي نتمكن من العثور على التواصل المعني، هل يمكنكم إخبارنا بتاريخ ما حدث ووقته التقريبي، والقناة التي استخدمتموها (الهاتف أو الدردشة أو البريد الإلكتروني أو التطبيق)؟" },
    },
  },
  {
    key: "human-review-done",
    texts: {
      en: { title: "A person reviewed the decision", body: "A member of our team has reviewed the decision made by our AI system, independently of the system. We have explained the outcome and its reasons below. If you disagree, you can reply here or reopen your concern." },
      fr: { title: "Une personne a réexaminé la décision", body: "Un membre de notre équipe a réexaminé la décision prise par notre système d’IA, indépendamment de celui-ci. Vous trouverez ci-dessous le résultat et ses motifs. Si vous n’êtes pas d’accord, vous pouvez répondre ici ou rouvrir votre demande." },
      de: { title: "Ein Mensch hat die Entscheidung geprüft", body: "Ein Mitglied unseres Teams hat die Entscheidung unseres KI-Systems unabhängig vom System überprüft. Das Ergebnis und die Gründe dafür finden Sie unten. Wenn Sie nicht einverstanden sind, können Sie hier antworten oder Ihr Anliegen wieder öffnen." },
      ar: { title: "راجع أحد موظفينا القرار", body: "راجع أحد أعضاء فريقنا القرار الذي اتخذه نظام الذكاء الاصطناعي لدينا، بشكل مستقل عن النظام. وتجدون أدناه النتيجة وأسبابها. وإذا لم توافقوا عليها، يمكنكم الرد هنا أو إعادة فتح ملاحظتكم." },
    },
  },
];

export function seedDemo(db: Db, now = Date.now()): boolean {
  if (findCustomer(db, DEMO_CUSTOMERS[0]!.id)) return false;

  setSetting(db, "companyName", "Nordlys Telecom");
  setSetting(db, "privacyContactEmail", "privacy@nordlys.example");
  setSetting(db, "privacyPolicyUrl", "https://nordlys.example/privacy");

  // Choices at their first notice; later notice versions are published after the early history.
  CHOICES.forEach((choice, position) => {
    const first = choice.notices[0]!;
    defineChoice(db, { key: choice.key, kind: choice.kind, defaultValue: choice.defaultValue, position, texts: first.texts, now: now - first.daysAgo * DAY });
  });

  const systemIds = new Map<string, number>();
  for (const system of AI_SYSTEMS) {
    const id = createAiSystem(db, {
      slug: system.slug,
      provider: system.provider,
      riskClass: system.riskClass,
      autonomy: system.autonomy,
      channels: system.channels,
      contactEmail: system.contactEmail,
      lastReviewedAt: now - system.lastReviewedDaysAgo * DAY,
      actionKeys: system.actionKeys,
      texts: system.texts,
      versions: system.versions.map((v) => ({ changeNote: v.changeNote, material: v.material, createdAt: now - v.daysAgo * DAY })),
    });
    systemIds.set(system.slug, id);
  }

  for (const [index, customer] of DEMO_CUSTOMERS.entries()) {
    upsertCustomer(db, customer);
    const random = sequence(index + 7);
    const lang = customer.locale;

    // Early choices (made under the first notices).
    savePreferences(db, {
      customerId: customer.id,
      values:
        index === 0
          ? { "plan-changes": "never", troubleshooting: "allow", "proactive-outreach": "ask", training: "no" }
          : { orders: "allow", troubleshooting: "allow", training: "yes", "human-first": "yes" },
      lang,
      method: "portal",
      now: now - 150 * DAY,
    });
    savePreferences(db, {
      customerId: customer.id,
      values: index === 0 ? { "proactive-outreach": "never", "billing-arrangements": "allow" } : { training: "no" },
      lang,
      method: "portal",
      now: now - 60 * DAY,
    });

    // Six months of interactions, two or three a fortnight.
    const refs: string[] = [];
    let day = 180;
    let n = 0;
    while (day > 2) {
      const template = INTERACTION_TEMPLATES[(n + index * 5) % INTERACTION_TEMPLATES.length]!;
      const occurredAt = now - day * DAY + Math.floor(random() * 9 * 60 * 60 * 1000) + 8 * 60 * 60 * 1000;
      const ref = `NL-${String(100000 + index * 5000 + n * 37).slice(-6)}`;
      recordInteraction(db, {
        customerId: customer.id,
        source: "contact-center",
        ref,
        channel: template.channel,
        subject: template.subject[lang],
        occurredAt,
        ai: template.ai.map((a) => ({
          systemId: systemIds.get(a.system)!,
          role: a.role,
          actionKey: a.actionKey ?? null,
          actionDetail: a.actionDetail?.[lang] ?? null,
          humanReviewed: a.humanReviewed,
          trainingEligible: a.trainingEligible,
        })),
      });
      for (const a of template.ai) {
        if (a.role === "acted" && a.actionKey) {
          decide(db, { customerId: customer.id, actionKey: a.actionKey, aiSystemSlug: a.system, interactionRef: ref, now: occurredAt - 60_000 });
        }
      }
      refs.push(ref);
      day -= 4 + Math.floor(random() * 8);
      n += 1;
    }

    // Concerns in several states.
    const concernsToFile = index === 0 ? [0, 1, 2] : [3, 4];
    concernsToFile.forEach((textIndex, k) => {
      const text = CONCERN_TEXTS[textIndex % CONCERN_TEXTS.length]!;
      const filedAt = now - (40 - k * 15) * DAY;
      const { ref } = fileConcern(db, {
        customerId: customer.id,
        contactEmail: customer.email,
        contactMethod: k === 0 ? "email" : "portal",
        lang,
        kind: text.kind,
        interactionId: null,
        systemId: systemIds.get(AI_SYSTEMS[(textIndex + 2) % AI_SYSTEMS.length]!.slug) ?? null,
        description: text.description[lang],
        desiredOutcome: text.desiredOutcome[lang],
        now: filedAt,
      });
      const concern = () => findConcernByRef(db, ref)!;
      const reply = STAFF_REPLIES[(textIndex + k) % STAFF_REPLIES.length]!;
      if (k === 0) {
        // Resolved, with a conversation and an outcome.
        setConcernStatus(db, concern(), "in_progress", { now: filedAt + 3 * 60 * 60 * 1000 });
        addStaffMessage(db, concern(), { body: reply.body[lang], authorName: reply.authorName, visibility: "public", now: filedAt + 20 * 60 * 60 * 1000 });
        setConcernStatus(db, concern(), "resolved", {
          outcomeCode: index === 0 ? "action_reversed" : "explained",
          outcomeReason: STAFF_REPLIES[(k + 1) % STAFF_REPLIES.length]!.body[lang],
          now: filedAt + 2 * DAY,
        });
      } else if (k === 1) {
        // Staff asked a question and waits for the customer.
        setConcernStatus(db, concern(), "in_progress", { now: filedAt + 5 * 60 * 60 * 1000 });
        addStaffMessage(db, concern(), { body: reply.body[lang], authorName: reply.authorName, visibility: "public", now: filedAt + DAY });
        addStaffMessage(db, concern(), { body: "Internal: checked the troubleshooter logs; waiting for the customer's time window.", authorName: reply.authorName, visibility: "internal", now: filedAt + DAY + 60_000 });
        setConcernStatus(db, concern(), "waiting_customer", { now: filedAt + DAY + 120_000 });
        if (index === 1) addCustomerReply(db, concern(), text.desiredOutcome[lang], filedAt + 2 * DAY);
      }
      // k === 2 stays new.
    });
    void refs;
  }

  for (const reply of DEMO_CANNED_REPLIES) {
    for (const [lang, text] of Object.entries(reply.texts)) {
      saveCannedReply(db, { key: reply.key, lang, title: text.title, body: text.body }, "system", now - 90 * DAY);
    }
  }

  // The company changed what a choice means after the customers chose: they are asked to confirm.
  for (const choice of CHOICES) {
    for (const notice of choice.notices.slice(1)) {
      publishChoiceNotice(db, { choiceKey: choice.key, texts: notice.texts, now: now - notice.daysAgo * DAY });
    }
  }
  return true;
}

if (process.argv[1]?.endsWith("seed.ts")) {
  const db = getDb();
  runMigrations(db);
  const seeded = seedDemo(db);
  await seedDemoStaff(db);
  // Also on databases seeded before the demo help center was part of the demo.
  seedDemoEmbedSite(db);
  console.log(seeded ? "Demo data created (Nordlys Telecom)." : "Demo data already present: kept as it is.");
}
