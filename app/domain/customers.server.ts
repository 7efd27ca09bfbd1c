import { eq } from "drizzle-orm";
import { customers } from "../../db/schema";
import type { SyncDb } from "../utils/db.server";
import { DEFAULT_LANG, isLang, type Lang } from "../utils/languages";

export type Customer = typeof customers.$inferSelect;

/** An active customer: exists and has not been erased. */
export function findCustomer(db: SyncDb, id: string): Customer | undefined {
  const customer = db.select().from(customers).where(eq(customers.id, id)).get();
  return customer && !customer.erasedAt ? customer : undefined;
}

/** Creates or updates a customer (the API's PUT /customers/:id will call this). */
export function upsertCustomer(
  db: SyncDb,
  input: { id: string; email?: string | null; locale?: string | null },
): Customer {
  const now = Date.now();
  const locale: Lang = isLang(input.locale) ? input.locale : DEFAULT_LANG;
  return db
    .insert(customers)
    .values({ id: input.id, email: input.email ?? null, locale, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: customers.id,
      set: {
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.locale !== undefined ? { locale } : {}),
        updatedAt: now,
      },
    })
    .returning()
    .get();
}
