/**
 * Test data for decision checks (SPEC §5.2, §11.1–§11.3): a customer of one's own with exactly the
 * choices and limits a test names, and confirmation requests with their answer — written as rows,
 * so the rules are tested independently of the pages and endpoints that normally write them.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { PermissionLimits } from "../../app/domain/vocabulary";
import type { Db } from "../../app/utils/db.server";
import { choiceDefinitions, confirmationAnswers, confirmations, customers, preferences } from "../../db/schema";

let counter = 0;

export interface ChoiceRow {
  value: string;
  limits?: PermissionLimits | null;
  /** When the value was given (ms); default: now. */
  givenAt?: number;
  /** The notice version it was given under; default: the choice's current one. */
  noticeVersion?: number;
}

/**
 * A new customer (English, no email) with these own values (`choices`: choice key → value and
 * limits); every other choice keeps its default. Returns the customer's id.
 */
export async function customerWithChoices(
  db: Db,
  choices: Record<string, string | ChoiceRow> = {},
  options: { id?: string; timeZone?: string | null } = {},
): Promise<string> {
  const id = options.id ?? `decision-customer-${++counter}-${randomUUID().slice(0, 8)}`;
  const now = Date.now();
  await db.insert(customers).values({ id, email: null, locale: "en", preferenceVersion: 1, updatedAt: now, timeZone: options.timeZone ?? null });
  for (const [choiceKey, given] of Object.entries(choices)) {
    const row = typeof given === "string" ? { value: given } : given;
    const [definition] = await db.select({ noticeVersion: choiceDefinitions.noticeVersion }).from(choiceDefinitions).where(eq(choiceDefinitions.key, choiceKey)).limit(1);
    if (!definition) throw new Error(`No choice ${choiceKey} in the seed`);
    await db.insert(preferences).values({
      customerId: id,
      choiceKey,
      value: row.value,
      noticeVersion: row.noticeVersion ?? definition.noticeVersion,
      method: "api",
      updatedAt: row.givenAt ?? now,
      limits: row.limits ? JSON.stringify(row.limits) : null,
    });
  }
  return id;
}

export interface ConfirmationRow {
  customerId: string;
  actionKey?: string;
  aiSystemSlug?: string;
  amountHundredths?: number | null;
  currency?: string | null;
  channel?: string | null;
  /** Default: an hour from now. */
  expiresAt?: number;
  /** The customer's answer; absent: nobody answered yet. */
  answer?: "approved" | "declined" | "expired";
}

/**
 * A confirmation request (default: plan changes by the offer predictor, no details, expiring in
 * an hour) and, when `answer` is given, its answer. Returns its id.
 */
export async function confirmationWithAnswer(db: Db, row: ConfirmationRow): Promise<string> {
  const id = randomUUID();
  const now = Date.now();
  await db.insert(confirmations).values({
    id,
    customerId: row.customerId,
    actionKey: row.actionKey ?? "plan-changes",
    aiSystemSlug: row.aiSystemSlug ?? "offer-predictor",
    interactionId: null,
    summary: JSON.stringify({ en: "Move you to another plan" }),
    amountHundredths: row.amountHundredths ?? null,
    currency: row.currency ?? null,
    channel: row.channel ?? null,
    effectiveAt: null,
    expiresAt: row.expiresAt ?? now + 60 * 60_000,
    apiKeyId: null,
    createdAt: now,
  });
  if (row.answer) {
    await db.insert(confirmationAnswers).values({
      confirmationId: id,
      customerId: row.customerId,
      answer: row.answer,
      method: row.answer === "expired" ? "system" : "portal",
      lang: "en",
      createdAt: now,
    });
  }
  return id;
}
