/**
 * Volume for query-plan tests: a few thousand customers with interactions, AI involvement,
 * decision checks and concerns (mostly finished, a few open, some overdue, assigned to the demo
 * staff, in four languages), written in batches straight into the tables — enough rows that
 * both planners prefer an index to a scan once statistics are gathered (`analyzeForPlans`).
 */
import { sql } from "drizzle-orm";
import { executeSql, type AnyDatabase, type Db } from "../../app/utils/db.server";
import { concernSearchText } from "../../app/utils/text";
import { aiSystems, choiceDefinitions, concerns, confirmations, customers, decisions, interactionAi, interactions, permissionBreaches, preferences, staffUsers } from "../../db/schema";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LANGS = ["en", "fr", "de", "ar"] as const;
const WORDS = ["invoice", "Überweisung", "modem", "roaming", "contrat", "رصيد", "tariff", "router", "Kündigung", "offre", "refund", "plan"];
const OPEN = ["new", "in_progress", "waiting_customer", "waiting_third_party", "escalated"] as const;
const DONE = ["resolved", "closed", "closed", "closed", "withdrawn", "spam"] as const;
const KINDS = ["explanation", "human_review", "unwanted_action", "wrong_information", "privacy", "other"] as const;

export interface VolumeOptions {
  customers: number;
  interactionsPerCustomer: number;
  decisionsPerCustomer: number;
  concerns: number;
  /** Share of concerns still open (0–1). */
  openShare: number;
  /** Reference time (ms since epoch UTC): concerns are filed over the year before it. */
  now: number;
}

/** Customer ids the volume uses: `plan-000001`… */
export const volumeCustomerId = (n: number) => `plan-${String(n).padStart(6, "0")}`;

async function insertBatches<T>(rows: T[], size: number, insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Adds the volume to a migrated, demo-seeded database (deterministic: the same options, the same rows). */
export async function addVolume(db: Db, options: VolumeOptions): Promise<void> {
  const { now } = options;
  const systems = (await db.select({ id: aiSystems.id, slug: aiSystems.slug }).from(aiSystems)).sort((a, b) => a.id - b.id);
  const staff = (await db.select({ id: staffUsers.id }).from(staffUsers)).map((s) => s.id).sort((a, b) => a - b);
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

  const customerRows = Array.from({ length: options.customers }, (_, i) => ({
    id: volumeCustomerId(i + 1),
    email: `${volumeCustomerId(i + 1)}@customers.example`,
    locale: pick(LANGS),
    createdAt: now - 400 * DAY,
    updatedAt: now - 400 * DAY,
  }));
  await insertBatches(customerRows, 200, (batch) => db.insert(customers).values(batch));

  const interactionRows = customerRows.flatMap((c, i) =>
    Array.from({ length: options.interactionsPerCustomer }, (_, k) => ({
      customerId: c.id,
      source: "plans",
      ref: `P-${i + 1}-${k + 1}`,
      channel: pick(["chat", "email", "phone"]),
      subject: `${pick(WORDS)} ${k + 1}`,
      occurredAt: now - Math.floor(random() * 365 * DAY),
    })),
  );
  await insertBatches(interactionRows, 200, (batch) => db.insert(interactions).values(batch));
  const interactionIds = (await executeSql<{ id: number }>(db, sql`select id from interactions where source = 'plans' order by id`)).map((r) => Number(r.id));
  const aiRows = interactionIds.map((interactionId) => ({
    interactionId,
    systemId: pick(systems).id,
    role: pick(["answered", "drafted", "routed"]),
    humanReviewed: random() < 0.5,
    trainingEligible: random() < 0.5,
  }));
  await insertBatches(aiRows, 200, (batch) => db.insert(interactionAi).values(batch));

  const choiceKeys = (await db.select({ key: choiceDefinitions.key }).from(choiceDefinitions)).map((c) => c.key).sort();
  const preferenceRows = customerRows.flatMap((c) =>
    choiceKeys.slice(0, 3).map((choiceKey) => ({ customerId: c.id, choiceKey, value: pick(["allow", "ask", "never"]), noticeVersion: 1, method: "portal", updatedAt: now - 100 * DAY })),
  );
  await insertBatches(preferenceRows, 200, (batch) => db.insert(preferences).values(batch));

  const interactionCustomer = new Map(interactionRows.map((row, i) => [interactionIds[i]!, row.customerId]));
  const confirmationRows = interactionIds
    .filter((_, i) => i % 10 === 0)
    .map((interactionId) => ({
      id: `plan-confirmation-${interactionId}`,
      customerId: interactionCustomer.get(interactionId)!,
      actionKey: "plan-changes",
      aiSystemSlug: pick(systems).slug,
      interactionId,
      summary: JSON.stringify({ en: "Change the plan" }),
      expiresAt: now - 10 * DAY,
      createdAt: now - 11 * DAY,
    }));
  await insertBatches(confirmationRows, 200, (batch) => db.insert(confirmations).values(batch));
  const aiIds = (await executeSql<{ id: number; interactionId: number; systemId: number }>(
    db,
    sql`select a.id as "id", a.interaction_id as "interactionId", a.system_id as "systemId" from interaction_ai a join interactions i on i.id = a.interaction_id where i.source = 'plans' order by a.id`,
  )).filter((_, i) => i % 4 === 0);
  const breachRows = aiIds.map((a) => ({
    interactionAiId: Number(a.id),
    interactionId: Number(a.interactionId),
    customerId: interactionCustomer.get(Number(a.interactionId))!,
    systemId: Number(a.systemId),
    actionKey: "plan-changes",
    reason: "decision_missing",
    detectedAt: now - Math.floor(random() * 365 * DAY),
  }));
  await insertBatches(breachRows, 200, (batch) => db.insert(permissionBreaches).values(batch));

  const decisionRows = customerRows.flatMap((c, i) =>
    Array.from({ length: options.decisionsPerCustomer }, (_, k) => ({
      id: `plan-decision-${i + 1}-${k + 1}`,
      customerId: c.id,
      actionKey: "plan-changes",
      aiSystemSlug: pick(systems).slug,
      decision: pick(["allow", "ask", "deny"]),
      reason: "preference_ask",
      preferenceVersion: 0,
      createdAt: now - Math.floor(random() * 365 * DAY),
    })),
  );
  await insertBatches(decisionRows, 200, (batch) => db.insert(decisions).values(batch));

  const concernRows = Array.from({ length: options.concerns }, (_, i) => {
    const open = random() < options.openShare;
    const createdAt = open ? now - Math.floor(random() * 20 * DAY) : now - Math.floor(random() * 365 * DAY);
    const kind = pick(KINDS);
    const status = open ? pick(OPEN) : pick(DONE);
    const ref = `C-${String(i).padStart(4, "0").slice(-4)}-P${String(i).padStart(3, "0").slice(-3)}`;
    const description = `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} number ${i}`;
    return {
      ref,
      customerId: volumeCustomerId(1 + Math.floor(random() * options.customers)),
      contactMethod: "portal",
      lang: pick(LANGS),
      kind,
      systemId: pick(systems).id,
      description,
      desiredOutcome: "",
      searchText: concernSearchText({ ref, description, desiredOutcome: "" }),
      origin: random() < 0.02 ? "breach" : "customer",
      status,
      priority: pick(["low", "normal", "normal", "high", "urgent"]),
      assigneeId: random() < 0.3 ? null : pick(staff),
      slaDueAt: createdAt + 48 * HOUR,
      slaPausedAt: status === "waiting_customer" ? createdAt + HOUR : null,
      statutoryDueAt: ["explanation", "human_review", "privacy"].includes(kind) ? createdAt + 30 * DAY : null,
      createdAt,
      updatedAt: createdAt,
    };
  });
  await insertBatches(concernRows, 200, (batch) => db.insert(concerns).values(batch));
}

/** Fresh planner statistics (PostgreSQL: VACUUM ANALYZE, so index-only scans know the visible pages). */
export async function analyzeForPlans(database: AnyDatabase): Promise<void> {
  if (database.engine === "sqlite") database.client.exec("analyze");
  else await database.pool.query("vacuum analyze");
}
