/**
 * Prepared queries (app/utils/prepared.server.ts) on the suite's engine: built once per database
 * session, run with placeholder values, and kept apart from other requests' transactions — on
 * SQLite through the write gate, on PostgreSQL by preparing on the transaction's own session.
 */
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { customers } from "../../db/schema";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { preparedQuery } from "../../app/utils/prepared.server";
import { freshTestDatabase } from "../support/database";

const opened: AnyDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

async function emptyDatabase(): Promise<AnyDatabase> {
  const database = await freshTestDatabase({ seeded: false });
  opened.push(database);
  return database;
}

const customer = (id: string, locale = "en") => ({ id, email: `${id}@example.com`, locale, updatedAt: 1 });

let built = 0;
const localeOf = preparedQuery("test_customer_locale", (db: Db) => {
  built++;
  return db.select({ id: customers.id, locale: customers.locale }).from(customers).where(eq(customers.id, sql.placeholder("id"))).limit(1);
});

describe("prepared queries", () => {
  it("builds the query once per database and runs it with each call's values", async () => {
    const { db } = await emptyDatabase();
    await db.insert(customers).values([customer("a", "fr"), customer("b", "de")]);
    const before = built;
    expect(await localeOf(db, { id: "a" })).toEqual([{ id: "a", locale: "fr" }]);
    expect(await localeOf(db, { id: "b" })).toEqual([{ id: "b", locale: "de" }]);
    expect(await localeOf(db, { id: "nobody" })).toEqual([]);
    expect(built - before).toBe(1);

    // Another database has its own statement and its own rows.
    const other = await emptyDatabase();
    await other.db.insert(customers).values(customer("a", "ar"));
    expect(await localeOf(other.db, { id: "a" })).toEqual([{ id: "a", locale: "ar" }]);
    expect(built - before).toBe(2);
    expect(await localeOf(db, { id: "a" })).toEqual([{ id: "a", locale: "fr" }]);
  });

  it("inside a transaction sees its uncommitted writes; outside it, another request does not", async () => {
    const { db } = await emptyDatabase();
    await db.insert(customers).values(customer("a", "en"));
    await localeOf(db, { id: "a" }); // prepared on the root handle first
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let changed!: () => void;
    const written = new Promise<void>((resolve) => (changed = resolve));
    let insideRead: unknown;
    const transaction = db
      .transaction(async (tx) => {
        await tx.update(customers).set({ locale: "fr" }).where(eq(customers.id, "a"));
        insideRead = await localeOf(tx, { id: "a" });
        changed();
        await holding;
        throw new Error("rolled back");
      })
      .catch((error: Error) => error.message);
    await written;
    // Another request's read while the transaction is open: on SQLite it waits for the
    // transaction to end (the write gate); on PostgreSQL it runs on another connection. Either
    // way it never sees the uncommitted change.
    const outsideRead = localeOf(db, { id: "a" });
    release();
    expect(await transaction).toBe("rolled back");
    expect(insideRead).toEqual([{ id: "a", locale: "fr" }]);
    expect(await outsideRead).toEqual([{ id: "a", locale: "en" }]);
    expect(await localeOf(db, { id: "a" })).toEqual([{ id: "a", locale: "en" }]);
  });

  it("a committed transaction's writes are what later reads see", async () => {
    const { db } = await emptyDatabase();
    await db.insert(customers).values(customer("a", "en"));
    await localeOf(db, { id: "a" });
    await db.transaction(async (tx) => {
      await tx.update(customers).set({ locale: "de" }).where(eq(customers.id, "a"));
      expect(await localeOf(tx, { id: "a" })).toEqual([{ id: "a", locale: "de" }]);
    });
    expect(await localeOf(db, { id: "a" })).toEqual([{ id: "a", locale: "de" }]);
  });

  it("refuses a name PostgreSQL could not use as a statement name", () => {
    expect(() => preparedQuery("Bad Name", (db: Db) => db.select().from(customers))).toThrow(/\[a-z0-9_\]/);
  });
});
