/**
 * Actions against a choice are caught (SPEC §11.5). Every AI action recorded through
 * POST /interactions (role "acted" with an action kind) names the decision check that allowed it;
 * an action without a valid one is a permission breach: recorded, opened as a staff case of its
 * own (origin "breach", high priority, a *possible* serious incident under AI Act Art. 73 — staff
 * decide whether to raise the flag), audited and announced with a `breach.detected` webhook, all
 * in the transaction that records the interaction. The customer may contest it once (their own
 * concern of kind unwanted_action).
 */
import i18next, { type TFunction } from "i18next";
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { concerns, customers, decisions, interactionAi, interactions, permissionBreaches } from "../../db/schema";
import { forEngine, type Db } from "../utils/db.server";
import { formatWithTypography } from "../utils/date-typography";
import { DEFAULT_LANG, isLang } from "../utils/languages";
import { readLocaleResources } from "../utils/locale-files.server";
import { aiSystemNames } from "./ai-register.server";
import { appendAudit } from "./audit.server";
import { fileConcern } from "./concerns/customer.server";
import { listChoices } from "./preferences.server";
import { companyTimeZone } from "./settings.server";
import { enqueueWebhookEvent } from "./webhooks.server";
import { DECISION_VALID_FOR_MS, type BreachReason } from "./vocabulary";

/** A permission breach as the customer's timeline shows it. Times in ms. */
export interface BreachView {
  id: number;
  interactionId: number;
  interactionAiId: number;
  actionKey: string;
  reason: BreachReason;
  detectedAt: number;
  /** The customer's own "contest this action" concern, once filed. */
  contestConcernRef: string | null;
}

let translator: typeof i18next | undefined;

/** The texts Candor writes into concerns (common and queue namespaces), read once, ready synchronously. */
function t(lang: string): TFunction {
  if (!translator) {
    const resources = readLocaleResources(["common", "queue"]);
    translator = i18next.createInstance();
    void translator.init({ resources, fallbackLng: DEFAULT_LANG, defaultNS: "common", interpolation: { escapeValue: false }, initAsync: false });
  }
  return translator.getFixedT(isLang(lang) ? lang : DEFAULT_LANG);
}

/** The AI action being checked: what the interaction says was done, by whom, for whom, when. */
export interface ActedRow {
  customerId: string;
  actionKey: string;
  /** The register slug of the AI system that acted. */
  systemSlug: string;
  decisionId: string | null;
  /** When the interaction the action belongs to began (its occurredAt), ms. */
  occurredAt: number;
}

/**
 * Why this action has no valid permission, or null when its decision covers it (SPEC §11.5). The
 * first failing test in the order of BREACH_REASONS: no decision named, unknown decision, not an
 * `allow`, another customer, another action kind, another AI system, made more than
 * DECISION_VALID_FOR_MS before the interaction began (`decision_too_old`; a check made during the
 * interaction, after `occurredAt`, is how agents work: they check, then act), already named by
 * another acted row (any interaction). Call it inside the recording transaction *before* the row
 * itself is stored. On PostgreSQL the decision row is locked (`FOR UPDATE`) until the transaction
 * ends, so two interactions naming the same decision at once are checked one after the other and
 * the second sees the first (SQLite serialises writing transactions anyway).
 */
export async function breachReason(tx: Db, acted: ActedRow): Promise<BreachReason | null> {
  if (!acted.decisionId) return "decision_missing";
  const query = tx.select().from(decisions).where(eq(decisions.id, acted.decisionId)).limit(1);
  const [decision] = await forEngine(tx, {
    sqlite: () => query,
    // At run time a PostgreSQL handle builds a PgSelect, which has the row-locking clause.
    postgres: () => (query as unknown as { for(strength: "update"): Promise<(typeof decisions.$inferSelect)[]> }).for("update"),
  });
  if (!decision) return "decision_unknown";
  if (decision.decision !== "allow") return "decision_not_allow";
  if (decision.customerId !== acted.customerId) return "decision_other_customer";
  if (decision.actionKey !== acted.actionKey) return "decision_other_action";
  if (decision.aiSystemSlug !== acted.systemSlug) return "decision_other_ai_system";
  if (acted.occurredAt - decision.createdAt > DECISION_VALID_FOR_MS) return "decision_too_old";
  const [named] = await tx
    .select({ id: interactionAi.id })
    .from(interactionAi)
    .where(and(eq(interactionAi.decisionId, acted.decisionId), eq(interactionAi.role, "acted")))
    .limit(1);
  return named ? "decision_already_used" : null;
}

/** The facts of a breach its case text tells: register id and action key are data, never shown as words. */
export interface BreachFacts {
  systemId: number;
  actionKey: string;
  decisionId: string | null;
  reason: BreachReason;
  /** The interaction's reference in the company's own system (what staff search for). */
  interactionRef: string;
}

/**
 * The text of a permission-breach case (SPEC §11.5) in `lang`, for people: the AI system by its
 * register name and the action by its label in that language (the slug and the action key only
 * when the register has no name for them), the interaction's reference, the decision named (its ID,
 * or "none"), why it is a breach, and what staff must check (AI Act Art. 73). Stored as the case's
 * text in the default language when the breach is recorded; staff pages render it again in the
 * reader's language (`breachOfCase(db, id, lang).text`).
 */
export async function breachCaseText(db: Db, facts: BreachFacts, lang: string): Promise<string> {
  const language = isLang(lang) ? lang : DEFAULT_LANG;
  const text = t(language);
  const action = (await listChoices(db, language)).find((c) => c.key === facts.actionKey)?.label ?? facts.actionKey;
  const system = (await aiSystemNames(db, language)).get(facts.systemId)?.name ?? "";
  return text("queue:breach.description", {
    system,
    action,
    ref: facts.interactionRef,
    decision: facts.decisionId ?? text("queue:breach.decisionNone"),
    reason: text(`queue:breach.reasons.${facts.reason}`),
  });
}

/** A breach as the integration API reports it: `index` in the interaction's `ai` list. */
export interface DetectedBreach {
  breachId: number;
  index: number;
  reason: BreachReason;
  /** The staff case opened for it. */
  concernRef: string | null;
}

/**
 * Records one detected breach inside the interaction's transaction `tx` (SPEC §11.5): the
 * `permission_breaches` row; the staff case (origin "breach", kind unwanted_action, priority high,
 * linked to the interaction and AI system, in the customer's language, a description written by
 * Candor for staff in the company's default language, the usual deadlines; *not* flagged as a
 * serious incident — staff decide); an audit entry (actor system, action breach.detected); the
 * `breach.detected` webhook with the data documented in WEBHOOK_PAYLOADS. Times in ms.
 */
export async function recordBreach(
  tx: Db,
  input: {
    interaction: { id: number; customerId: string; source: string; ref: string };
    interactionAiId: number;
    index: number;
    systemId: number;
    systemSlug: string;
    actionKey: string;
    decisionId: string | null;
    reason: BreachReason;
    now: number;
  },
): Promise<DetectedBreach> {
  const { interaction, now } = input;
  const [customer] = await tx.select({ locale: customers.locale }).from(customers).where(eq(customers.id, interaction.customerId)).limit(1);
  const description = await breachCaseText(
    tx,
    { systemId: input.systemId, actionKey: input.actionKey, decisionId: input.decisionId, reason: input.reason, interactionRef: interaction.ref },
    DEFAULT_LANG,
  );
  const { ref: concernRef } = await fileConcern(tx, {
    customerId: interaction.customerId,
    contactEmail: null,
    contactMethod: "portal",
    lang: customer?.locale ?? DEFAULT_LANG,
    kind: "unwanted_action",
    interactionId: interaction.id,
    systemId: input.systemId,
    description,
    desiredOutcome: "",
    origin: "breach",
    priority: "high",
    now,
  });
  const [concern] = await tx.select({ id: concerns.id }).from(concerns).where(eq(concerns.ref, concernRef)).limit(1);
  const [breach] = await tx
    .insert(permissionBreaches)
    .values({
      interactionAiId: input.interactionAiId,
      interactionId: interaction.id,
      customerId: interaction.customerId,
      systemId: input.systemId,
      actionKey: input.actionKey,
      decisionId: input.decisionId,
      reason: input.reason,
      concernId: concern!.id,
      detectedAt: now,
    })
    .returning({ id: permissionBreaches.id });
  const breachId = breach!.id;
  await appendAudit(tx, {
    actor: { type: "system" },
    action: "breach.detected",
    target: { type: "interaction", id: `${interaction.source}:${interaction.ref}` },
    details: { breachId, reason: input.reason, action: input.actionKey, aiSystem: input.systemSlug, decisionId: input.decisionId, concern: concernRef },
    now,
  });
  await enqueueWebhookEvent(
    tx,
    "breach.detected",
    {
      breachId,
      customerId: interaction.customerId,
      source: interaction.source,
      ref: interaction.ref,
      action: input.actionKey,
      aiSystem: input.systemSlug,
      decisionId: input.decisionId,
      reason: input.reason,
      concernRef,
    },
    now,
  );
  return { breachId, index: input.index, reason: input.reason, concernRef };
}

/**
 * The breaches already recorded for one interaction, as the API reports them (a replay answers
 * the stored record): `index` is the acted row's position among the interaction's AI rows.
 */
export async function storedBreaches(db: Db, interactionId: number): Promise<DetectedBreach[]> {
  const rows = await db
    .select({ id: interactionAi.id })
    .from(interactionAi)
    .where(eq(interactionAi.interactionId, interactionId))
    .orderBy(interactionAi.id);
  const found = await db
    .select({ breach: permissionBreaches, concernRef: concerns.ref })
    .from(permissionBreaches)
    .leftJoin(concerns, eq(concerns.id, permissionBreaches.concernId))
    .where(eq(permissionBreaches.interactionId, interactionId))
    .orderBy(permissionBreaches.interactionAiId);
  return found.map(({ breach, concernRef }) => ({
    breachId: breach.id,
    index: rows.findIndex((r) => r.id === breach.interactionAiId),
    reason: breach.reason as BreachReason,
    concernRef,
  }));
}

/**
 * The breaches of these interactions, oldest first (the customer's timeline; SPEC §11.5), each
 * with the reference of the customer's own contest concern once filed. Callers pass only the
 * signed-in customer's interaction ids.
 */
export async function breachesForInteractions(db: Db, interactionIds: number[]): Promise<BreachView[]> {
  if (interactionIds.length === 0) return [];
  const rows = await db
    .select({ breach: permissionBreaches, contestRef: concerns.ref })
    .from(permissionBreaches)
    .leftJoin(concerns, eq(concerns.id, permissionBreaches.contestConcernId))
    .where(inArray(permissionBreaches.interactionId, interactionIds))
    // The unary + keeps SQLite from walking the whole detected_at index to skip the sort: the
    // page's few breaches are found by interaction and sorted.
    .orderBy(sql`+${permissionBreaches.detectedAt}`, permissionBreaches.id);
  return rows.map(({ breach, contestRef }) => ({
    id: breach.id,
    interactionId: breach.interactionId,
    interactionAiId: breach.interactionAiId,
    actionKey: breach.actionKey,
    reason: breach.reason as BreachReason,
    detectedAt: breach.detectedAt,
    contestConcernRef: contestRef ?? null,
  }));
}

export type ContestResult = { status: "filed" | "already_contested"; ref: string } | { status: "not_found" };

/**
 * "Contest this action" (SPEC §11.5): files the customer's concern of kind unwanted_action, high
 * priority, contact through the portal, pre-filled in `lang` (a translated template naming the
 * action, the AI system, when and the interaction's reference), linked to the interaction and AI
 * system; once per breach — a second call answers `already_contested` with the first concern's
 * reference. Only the breach's own customer may contest: another customer's breach id is
 * `not_found`, exactly like an unknown one. `now` in ms.
 */
export async function contestBreach(db: Db, input: { customerId: string; breachId: number; lang: string; now?: number }): Promise<ContestResult> {
  const now = input.now ?? Date.now();
  return db.transaction(async (tx) => {
    const query = tx
      .select()
      .from(permissionBreaches)
      .where(and(eq(permissionBreaches.id, input.breachId), eq(permissionBreaches.customerId, input.customerId)))
      .limit(1);
    // The breach row is locked on PostgreSQL: two clicks at once file one concern.
    const [breach] = await forEngine(tx, {
      sqlite: () => query,
      postgres: () => (query as unknown as { for(strength: "update"): Promise<(typeof permissionBreaches.$inferSelect)[]> }).for("update"),
    });
    if (!breach) return { status: "not_found" } as const;
    if (breach.contestConcernId !== null) {
      const [filed] = await tx.select({ ref: concerns.ref }).from(concerns).where(eq(concerns.id, breach.contestConcernId)).limit(1);
      if (filed) return { status: "already_contested", ref: filed.ref } as const;
    }
    const [interaction] = await tx
      .select({ ref: interactions.ref, occurredAt: interactions.occurredAt })
      .from(interactions)
      .where(eq(interactions.id, breach.interactionId))
      .limit(1);
    const [customer] = await tx.select({ timeZone: customers.timeZone }).from(customers).where(eq(customers.id, input.customerId)).limit(1);
    const lang = isLang(input.lang) ? input.lang : DEFAULT_LANG;
    const text = t(lang);
    const action = (await listChoices(tx, lang)).find((c) => c.key === breach.actionKey)?.label ?? breach.actionKey;
    const system = (await aiSystemNames(tx, lang)).get(breach.systemId)?.name ?? "";
    const date = formatWithTypography(
      new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short", timeZone: customer?.timeZone ?? companyTimeZone() }),
      interaction?.occurredAt ?? breach.detectedAt,
      lang,
    );
    const { ref } = await fileConcern(tx, {
      customerId: input.customerId,
      contactEmail: null,
      contactMethod: "portal",
      lang,
      kind: "unwanted_action",
      interactionId: breach.interactionId,
      systemId: breach.systemId,
      description: text("breachContest.description", { action, system, date, ref: interaction?.ref ?? "" }),
      desiredOutcome: text("breachContest.desiredOutcome"),
      priority: "high",
      now,
    });
    const [filed] = await tx.select({ id: concerns.id }).from(concerns).where(eq(concerns.ref, ref)).limit(1);
    await tx.update(permissionBreaches).set({ contestConcernId: filed!.id }).where(eq(permissionBreaches.id, breach.id));
    return { status: "filed", ref } as const;
  });
}

/**
 * The staff case's breach, if the concern is one Candor opened for a permission breach; `text`:
 * the case's text in `lang` (`breachCaseText`), for the reader rather than the stored one; the
 * decision named, with its AI system's name and its action's label in `lang`.
 */
export async function breachOfCase(db: Db, concernId: number, lang: string = DEFAULT_LANG) {
  const [breach] = await db.select().from(permissionBreaches).where(eq(permissionBreaches.concernId, concernId)).limit(1);
  if (!breach) return null;
  const [decision] = breach.decisionId ? await db.select().from(decisions).where(eq(decisions.id, breach.decisionId)).limit(1) : [];
  const [contest] =
    breach.contestConcernId !== null
      ? await db.select({ ref: concerns.ref }).from(concerns).where(and(eq(concerns.id, breach.contestConcernId), ne(concerns.origin, "breach"))).limit(1)
      : [];
  const [interaction] = await db.select({ ref: interactions.ref }).from(interactions).where(eq(interactions.id, breach.interactionId)).limit(1);
  const text = await breachCaseText(
    db,
    { systemId: breach.systemId, actionKey: breach.actionKey, decisionId: breach.decisionId, reason: breach.reason as BreachReason, interactionRef: interaction?.ref ?? "" },
    lang,
  );
  return {
    text,
    id: breach.id,
    actionKey: breach.actionKey,
    reason: breach.reason as BreachReason,
    decisionId: breach.decisionId,
    decision: decision
      ? {
          decision: decision.decision,
          reason: decision.reason,
          createdAt: decision.createdAt,
          aiSystemSlug: decision.aiSystemSlug,
          actionKey: decision.actionKey,
          // The names to show in `lang` (the slug and key are data).
          aiSystemName: [...(await aiSystemNames(db, lang))].find(([, s]) => s.slug === decision.aiSystemSlug)?.[1].name ?? decision.aiSystemSlug,
          actionLabel: (await listChoices(db, lang)).find((c) => c.key === decision.actionKey)?.label ?? decision.actionKey,
        }
      : null,
    detectedAt: breach.detectedAt,
    contestConcernRef: contest?.ref ?? null,
  };
}
