/** Test data for "ask me first" (SPEC §11.1): a customer of one's own, a request, an interaction. */
import { eq } from "drizzle-orm";
import { createConfirmation, type Confirmation, type CreateConfirmationInput } from "../../app/domain/confirmations.server";
import { upsertCustomer, type Customer } from "../../app/domain/customers.server";
import { recordInteraction } from "../../app/domain/interactions.server";
import type { Db } from "../../app/utils/db.server";
import { aiSystems } from "../../db/schema";

let counter = 0;

/** A new customer (default: English, an email on record, no choices made: plan changes are "Ask me first"). */
export async function customerFor(
  db: Db,
  overrides: { id?: string; email?: string | null; locale?: string; timeZone?: string | null } = {},
): Promise<Customer> {
  counter++;
  const id = overrides.id ?? `conf-customer-${counter}-${Date.now()}`;
  return upsertCustomer(db, { id, email: overrides.email === undefined ? `${id}@example.com` : overrides.email, locale: overrides.locale ?? "en", timeZone: overrides.timeZone ?? null });
}

/** A request as the API would pass it: plan changes by the offer predictor, 20.00 EUR, 60 minutes. */
export function confirmationInput(customerId: string, overrides: Partial<CreateConfirmationInput> = {}): CreateConfirmationInput {
  return {
    keyId: 1,
    customerId,
    actionKey: "plan-changes",
    aiSystemSlug: "offer-predictor",
    interactionRef: null,
    summary: { en: "Move you to the Unlimited 20 plan for 20 EUR a month" },
    amountHundredths: 2000,
    currency: "EUR",
    channel: "email",
    effectiveAt: null,
    expiresInMinutes: 60,
    baseUrl: "http://candor.test",
    ...overrides,
  };
}

/** Creates a request that must succeed; returns it. */
export async function confirmationFor(db: Db, customerId: string, overrides: Partial<CreateConfirmationInput> = {}): Promise<Confirmation> {
  const result = await createConfirmation(db, confirmationInput(customerId, overrides));
  if (result.status !== "created") throw new Error(`confirmation not created: ${result.status}`);
  return result.confirmation;
}

/** Records an interaction of the customer (the offer predictor predicted something); returns its id. */
export async function interactionFor(db: Db, customerId: string, ref: string, occurredAt = Date.now()): Promise<number> {
  const [system] = await db.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.slug, "offer-predictor")).limit(1);
  const { id } = await recordInteraction(db, {
    customerId,
    source: "crm",
    ref,
    channel: "email",
    subject: "Plan question",
    occurredAt,
    ai: [{ systemId: system!.id, role: "predicted", humanReviewed: false, trainingEligible: false }],
  });
  return id;
}
