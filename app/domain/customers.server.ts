import { eq, sql } from "drizzle-orm";
import { customers } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { preparedQuery } from "../utils/prepared.server";
import { DEFAULT_LANG, isLang, type Lang } from "../utils/languages";

export type Customer = typeof customers.$inferSelect;

const customerById = preparedQuery("customer_by_id", (db) => db.select().from(customers).where(eq(customers.id, sql.placeholder("id"))).limit(1));

/** An active customer (async): exists and has not been erased. Every signed-in page asks (prepared). */
export async function findCustomer(db: Db, id: string): Promise<Customer | undefined> {
  const [customer] = await customerById(db, { id });
  return customer && !customer.erasedAt ? customer : undefined;
}

/**
 * Creates or updates a customer (async; the API's PUT /customers/:id calls this). A field left
 * undefined keeps its stored value; `timeZone` is an IANA name (validated by the caller) or null.
 */
export async function upsertCustomer(
  db: Db,
  input: { id: string; email?: string | null; locale?: string | null; timeZone?: string | null },
): Promise<Customer> {
  const now = Date.now();
  const locale: Lang = isLang(input.locale) ? input.locale : DEFAULT_LANG;
  const [customer] = await db
    .insert(customers)
    .values({ id: input.id, email: input.email ?? null, locale, timeZone: input.timeZone ?? null, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: customers.id,
      set: {
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.locale !== undefined ? { locale } : {}),
        ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
        updatedAt: now,
      },
    })
    .returning();
  return customer!;
}
