/**
 * `npm run db:seed`: the demo — Nordlys Telecom, five AI systems, two customers with six months of
 * history told as one story (db/seed-data.ts, DEMO_STORIES), with the permission demo woven in
 * (db/seed-permission.ts: confirmations, limits, a breach, a training use). Runs only on an empty database;
 * re-running keeps what is there.
 */
import { createAiSystem } from "../app/domain/ai-register.server";
import { addCustomerReply, addStaffMessage, fileConcern, findConcernByRef, saveCannedReply, setConcernStatus } from "../app/domain/concerns/index.server";
import { findCustomer, upsertCustomer } from "../app/domain/customers.server";
import { decide } from "../app/domain/decisions.server";
import { createEmbedSite, findEmbedSiteAny } from "../app/domain/embed-sites.server";
import { recordInteraction } from "../app/domain/interactions.server";
import { defineChoice, publishChoiceNotice, savePreferences } from "../app/domain/preferences.server";
import { setSetting } from "../app/domain/settings.server";
import { createStaffUser, findStaffByEmail } from "../app/domain/staff.server";
import { createServices } from "../app/services.server";
import type { Db } from "../app/utils/db.server";
import { env } from "../app/utils/env.server";
import { TZDate } from "@date-fns/tz";
import { addDays, startOfDay } from "date-fns";
import {
  AI_SYSTEMS,
  CHOICES,
  CONCERN_TEXTS,
  CUSTOMER_REPLIES,
  DEMO_STORIES,
  INTERACTION_TEMPLATES,
  OUTCOME_REASONS,
  STAFF_REPLIES,
  DEMO_CANNED_REPLIES,
  type Lang,
} from "./seed-data";
import { applyDemoTranslations } from "./demo-content";
import { permissionDemoSteps } from "./seed-permission";
import { seedDemoTrainings, seedTrainingStories } from "./seed-trainings";
import { seedRegisterData } from "./seed-register-data";
import { seedAudits } from "./seed-audits";
import { seedEmployeeReports } from "./seed-employee-reports";
import { seedMonitoring } from "./seed-monitoring";
import { seedSettings } from "./seed-settings";
import { seedStaffNotifications } from "./seed-staff-notifications";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
export const DEMO_CUSTOMERS: { id: string; email: string; locale: Lang }[] = DEMO_STORIES.map(({ id, email, locale }) => ({ id, email, locale }));

/** How the demo's agents verified who they act for (SPEC §11.3), per channel of the interaction. */
const VERIFIED_BY: Record<string, string> = {
  app: "app_login",
  web: "portal_login",
  chat: "portal_login",
  email: "registered_email",
  sms: "registered_number",
  phone: "caller_pin",
};

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

/** Creates the demo staff accounts (DEMO_STAFF) that do not exist yet. */
export async function seedDemoStaff(db: Db): Promise<void> {
  for (const staff of DEMO_STAFF) {
    if (!(await findStaffByEmail(db, staff.email))) await createStaffUser(db, staff, { type: "system" });
  }
  await seedDemoTrainings(db);
}

/** The demo help center (`npm run demo:helpcenter`) is served from this origin. */
export const DEMO_EMBED_SITE = { slug: "demo-helpcenter", name: "Nordlys Help Center (demo)", origin: "http://127.0.0.1:3400" };

/**
 * Registers the demo help center as an embed site with a signing secret (kept in the database,
 * where the demo help center reads it), unless a site with that slug exists (even a disabled one: an admin's choice stays). Resolves to true when
 * it created the site.
 */
export async function seedDemoEmbedSite(db: Db): Promise<boolean> {
  if (await findEmbedSiteAny(db, DEMO_EMBED_SITE.slug)) return false;
  await createEmbedSite(db, { slug: DEMO_EMBED_SITE.slug, name: DEMO_EMBED_SITE.name, origins: [DEMO_EMBED_SITE.origin], withSigningSecret: true, actor: { type: "system" } });
  return true;
}

/**
 * Defines the demo's choices (CHOICES, each with its first notice; the later notices belong to the
 * demo's story, seedDemo) and registers its AI systems (AI_SYSTEMS, with their version histories),
 * dated `daysAgo` before `now` (ms since epoch UTC) as db/seed-data.ts says. Also used by the crash
 * test's fixture (test/crash/fixture.ts). Resolves to each system's id by slug; throws (unique
 * key) when a choice or system of the same key exists.
 */
export async function seedChoicesAndRegister(db: Db, now: number): Promise<Map<string, number>> {
  applyDemoTranslations();
  for (const [position, choice] of CHOICES.entries()) {
    const first = choice.notices[0]!;
    await defineChoice(db, { key: choice.key, kind: choice.kind, defaultValue: choice.defaultValue, position, involvesAmount: choice.involvesAmount, texts: first.texts, now: now - first.daysAgo * DAY });
  }
  const systemIds = new Map<string, number>();
  for (const system of AI_SYSTEMS) {
    const id = await createAiSystem(db, {
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
  await seedRegisterData(db, now);
  return systemIds;
}

/**
 * Seeds the demo into an empty database: Nordlys Telecom's register, choices and canned replies,
 * and the two customers' stories (DEMO_STORIES) with the permission demo (permissionDemoSteps)
 * replayed in time order, so every decision check sees the choices, limits and notices in force at
 * that moment. Every AI action names the "allow" decision checked before it (SPEC §11.5), made with
 * the identity verified (§11.3). Throws if the story would show an AI acting without an "allow"
 * (the demo must never contradict the product; its one breach is the product catching it).
 * Input: a database, "now" in ms (dates are relative to it). Resolves to false when already seeded.
 */
export async function seedDemo(db: Db, now = Date.now()): Promise<boolean> {
  if (await findCustomer(db, DEMO_CUSTOMERS[0]!.id)) return false;
  applyDemoTranslations();

  await setSetting(db, "companyName", "Nordlys Telecom");
  await setSetting(db, "privacyContactEmail", "privacy@nordlys.example");
  await setSetting(db, "privacyPolicyUrl", "https://nordlys.example/privacy");

  const systemIds = await seedChoicesAndRegister(db, now);

  for (const reply of DEMO_CANNED_REPLIES) {
    for (const [lang, text] of Object.entries(reply.texts)) {
      await saveCannedReply(db, { key: reply.key, lang, title: text.title, body: text.body }, "system", now - 90 * DAY);
    }
  }

  // Everything that changes what a decision check answers, in the order it happened.
  type Step = { at: number; apply: () => Promise<void> };
  const steps: Step[] = [];
  for (const choice of CHOICES) {
    for (const notice of choice.notices.slice(1)) {
      const at = now - notice.daysAgo * DAY;
      steps.push({
        at,
        apply: async () => {
          await publishChoiceNotice(db, {
            choiceKey: choice.key,
            texts: notice.texts,
            changeNote: notice.changeNote ?? null,
            causeSystemId: notice.system ? systemIds.get(notice.system) ?? null : null,
            now: at,
          });
        },
      });
    }
  }
  const interactionIds = new Map<string, number>();
  // "At 02:10 at night" must be at night where the customers live (the portal's display zone).
  const zone = env().DISPLAY_TIME_ZONE;
  const localTime = (daysAgo: number, hour: number, minute: number) => {
    const day = startOfDay(addDays(new TZDate(now, zone), -daysAgo));
    day.setHours(hour, minute, 0, 0);
    return day.getTime();
  };
  for (const [index, story] of DEMO_STORIES.entries()) {
    await upsertCustomer(db, { id: story.id, email: story.email, locale: story.locale });
    const random = sequence(index + 7);
    const lang = story.locale;
    for (const change of story.choices) {
      const at = now - change.daysAgo * DAY;
      steps.push({
        at,
        apply: async () => {
          await savePreferences(db, { customerId: story.id, values: change.values, lang, method: "portal", now: at });
        },
      });
    }
    story.interactions.forEach((entry, n) => {
      const template = INTERACTION_TEMPLATES[entry.template];
      if (!template) throw new Error(`Demo: unknown interaction template ${entry.template}`);
      const hour = template.hour ?? 8 + Math.floor(random() * 9);
      const occurredAt = localTime(entry.daysAgo, hour, template.hour === undefined ? Math.floor(random() * 50) : 10 + Math.floor(random() * 5));
      const ref = `NL-${String(100000 + index * 5000 + n * 37).slice(-6)}`;
      steps.push({
        at: occurredAt,
        apply: async () => {
          const check = (actionKey: string, system: string, interactionRef: string | null) =>
            decide(db, {
              customerId: story.id,
              actionKey,
              aiSystemSlug: system,
              interactionRef,
              context: { channel: template.channel, identity: { verified: true, method: VERIFIED_BY[template.channel] } },
              now: occurredAt - 60_000,
            });
          // The check comes first: an AI acts only after an "allow", and names it (SPEC §11.5).
          const decisionIds = new Map<number, string>();
          for (const [position, a] of template.ai.entries()) {
            if (a.role !== "acted" || !a.actionKey) continue;
            const decision = await check(a.actionKey, a.system, ref);
            if (decision.decision !== "allow") {
              throw new Error(`Demo: ${a.system} would act (${a.actionKey}) for ${story.id} at ${ref} after "${decision.decision}" (${decision.reason})`);
            }
            decisionIds.set(position, decision.id);
          }
          const { id } = await recordInteraction(db, {
            customerId: story.id,
            source: "contact-center",
            ref,
            channel: template.channel,
            subject: template.subject[lang],
            occurredAt,
            ai: template.ai.map((a, position) => ({
              systemId: systemIds.get(a.system)!,
              role: a.role,
              actionKey: a.actionKey ?? null,
              actionDetail: a.actionDetail?.[lang] ?? null,
              humanReviewed: a.humanReviewed,
              trainingEligible: a.trainingEligible,
              decisionId: decisionIds.get(position) ?? null,
            })),
          });
          if (entry.label) interactionIds.set(`${story.id}/${entry.label}`, id);
          for (const c of template.checks ?? []) await check(c.actionKey, c.system, ref);
        },
      });
    });
  }
  // Asked, approved, limited, expired, breached, trained on (SPEC §11): db/seed-permission.ts.
  steps.push(...permissionDemoSteps(db, { now, localTime, systemIds }));
  for (const step of steps.sort((a, b) => a.at - b.at)) await step.apply();

  for (const story of DEMO_STORIES) {
    const lang = story.locale;
    for (const c of story.concerns) {
      const text = CONCERN_TEXTS.find((t) => t.kind === c.kind)!;
      const filedAt = now - c.filedDaysAgo * DAY;
      const interactionId = interactionIds.get(`${story.id}/${c.interaction}`);
      if (interactionId === undefined) throw new Error(`Demo: no interaction labelled ${c.interaction} for ${story.id}`);
      const { ref } = await fileConcern(db, {
        customerId: story.id,
        contactEmail: story.email,
        contactMethod: c.contactMethod,
        lang,
        kind: c.kind,
        interactionId,
        systemId: systemIds.get(c.system)!,
        description: text.description[lang],
        desiredOutcome: text.desiredOutcome[lang],
        now: filedAt,
      });
      const concern = async () => (await findConcernByRef(db, ref))!;
      if (c.state === "new") continue;
      await setConcernStatus(db, await concern(), "in_progress", { now: filedAt + 3 * HOUR });
      if (c.reply) {
        const reply = STAFF_REPLIES[c.reply.text];
        const at = now - c.reply.daysAgo * DAY;
        await addStaffMessage(db, await concern(), { body: reply.body[lang], authorName: reply.authorName, visibility: "public", now: at });
        if (c.reply.internalNote) {
          await addStaffMessage(db, await concern(), { body: c.reply.internalNote, authorName: reply.authorName, visibility: "internal", now: at + 60_000 });
        }
      }
      if (c.state === "waiting_customer") {
        await setConcernStatus(db, await concern(), "waiting_customer", { now: now - (c.reply?.daysAgo ?? c.filedDaysAgo) * DAY + 120_000 });
        if (c.customerReply) await addCustomerReply(db, await concern(), CUSTOMER_REPLIES[c.customerReply.text][lang], now - c.customerReply.daysAgo * DAY);
      } else if (c.outcome) {
        await setConcernStatus(db, await concern(), "resolved", {
          outcomeCode: c.outcome.code,
          outcomeReason: OUTCOME_REASONS[c.outcome.reason][lang],
          now: now - c.outcome.daysAgo * DAY,
        });
      }
    }
  }
  return true;
}

if (process.argv[1]?.endsWith("seed.ts")) {
  // The composition root migrates the database (DATABASE_URL: SQLite or PostgreSQL) first.
  const services = await createServices();
  try {
    const seeded = await seedDemo(services.db);
    await seedDemoStaff(services.db);
    await seedTrainingStories(services.db);
    await seedSettings(services.db);
    await seedAudits(services.db);
    await seedEmployeeReports(services.db, Date.now());
    await seedStaffNotifications(services.db);
    await seedMonitoring(services.db);
    // Also on databases seeded before the demo help center was part of the demo.
    await seedDemoEmbedSite(services.db);
    console.log(seeded ? "Demo data created (Nordlys Telecom)." : "Demo data already present: kept as it is.");
  } finally {
    await services.database.close();
  }
}
