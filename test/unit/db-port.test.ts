/**
 * The database port (app/utils/db.server.ts): the same behaviour on both engines, and the SQLite
 * engine's write gate — a transaction that awaits never lets another request's statements run
 * inside it on the shared connection.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { customers } from "../../db/schema";
import { engineOf, executeSql, forEngine, runMigrations, type AnyDatabase } from "../../app/utils/db.server";
import { openSqliteDatabase } from "../../app/utils/db-sqlite.server";
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

async function sqliteDatabase() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candor-port-"));
  const database = openSqliteDatabase(path.join(dir, "port.sqlite"));
  await runMigrations(database);
  opened.push(database);
  return database;
}

const customer = (id: string) => ({ id, email: `${id}@example.com`, updatedAt: 1 });

describe("the database port, on the suite's engine", () => {
  it("reads, writes, counts affected rows and rolls back a failed transaction", async () => {
    const { db } = await emptyDatabase();
    await db.insert(customers).values([customer("a"), customer("b")]);
    expect((await db.update(customers).set({ locale: "fr" })).rowCount).toBe(2);
    await expect(
      db.transaction(async (tx) => {
        await tx.update(customers).set({ locale: "de" }).where(eq(customers.id, "a"));
        throw new Error("abandon");
      }),
    ).rejects.toThrow("abandon");
    const rows = await db.select({ id: customers.id, locale: customers.locale }).from(customers).orderBy(customers.id);
    expect(rows).toEqual([
      { id: "a", locale: "fr" },
      { id: "b", locale: "fr" },
    ]);
  });

  it("returns millisecond timestamps and counts as numbers, and runs raw SQL on either engine", async () => {
    const { db } = await emptyDatabase();
    await db.insert(customers).values({ ...customer("c"), updatedAt: 1_796_000_000_123 });
    const [row] = await db.select().from(customers).limit(1);
    expect(row!.updatedAt).toBe(1_796_000_000_123);
    expect(typeof row!.createdAt).toBe("number");
    const [count] = await executeSql<{ n: number }>(db, sql`select count(*) as n from customers`);
    expect(Number(count!.n)).toBe(1);
    expect(forEngine(db, { sqlite: () => "sqlite", postgres: () => "postgres" })).toBe(engineOf(db));
  });

  it("refuses a transaction opened on the root handle inside another", async () => {
    const { db, engine } = await emptyDatabase();
    const nested = db.transaction(async () => db.transaction(async () => "inner"));
    if (engine === "sqlite") await expect(nested).rejects.toThrow(/pass the transaction down/);
    else await expect(nested).resolves.toBe("inner");
  });
});

describe("the SQLite write gate", () => {
  it("serialises read-modify-write transactions that await between statements", async () => {
    const { db } = await sqliteDatabase();
    await db.insert(customers).values(customer("counter"));
    const bump = () =>
      db.transaction(async (tx) => {
        const [row] = await tx.select({ version: customers.preferenceVersion }).from(customers).where(eq(customers.id, "counter"));
        await new Promise((resolve) => setImmediate(resolve));
        await tx.update(customers).set({ preferenceVersion: row!.version + 1 }).where(eq(customers.id, "counter"));
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    const [row] = await db.select({ version: customers.preferenceVersion }).from(customers);
    expect(row!.version).toBe(20);
  });

  it("keeps another request's statements out of an open transaction", async () => {
    const { db } = await sqliteDatabase();
    let releaseTransaction!: () => void;
    const holding = new Promise<void>((resolve) => (releaseTransaction = resolve));
    let insideStarted!: () => void;
    const started = new Promise<void>((resolve) => (insideStarted = resolve));
    const transaction = db
      .transaction(async (tx) => {
        await tx.insert(customers).values(customer("uncommitted"));
        insideStarted();
        await holding;
        throw new Error("rolled back");
      })
      .catch((error: Error) => error.message);
    await started;
    // Issued while the transaction is open: waits for it, so it neither sees its row nor is
    // rolled back with it.
    const outsideRead = db.select({ id: customers.id }).from(customers);
    const outsideWrite = db.insert(customers).values(customer("outside"));
    releaseTransaction();
    expect(await transaction).toBe("rolled back");
    expect(await outsideRead).toEqual([]);
    await outsideWrite;
    expect(await db.select({ id: customers.id }).from(customers)).toEqual([{ id: "outside" }]);
  });

  it("work scheduled inside a transaction that runs after it ended is kept out of the next one", async () => {
    const { db } = await sqliteDatabase();
    let trigger!: () => void;
    let late!: Promise<unknown>;
    await db.transaction(async () => {
      // A continuation registered inside the transaction keeps its async context, as a timer
      // started inside it would; it runs later, when triggered.
      late = new Promise<void>((resolve) => (trigger = resolve)).then(() => db.insert(customers).values(customer("scheduled")));
    });
    let releaseSecond!: () => void;
    const holding = new Promise<void>((resolve) => (releaseSecond = resolve));
    let secondStarted!: () => void;
    const started = new Promise<void>((resolve) => (secondStarted = resolve));
    const second = db
      .transaction(async (tx) => {
        await tx.insert(customers).values(customer("second"));
        secondStarted();
        await holding;
        throw new Error("rolled back");
      })
      .catch((error: Error) => error.message);
    await started;
    trigger();
    await new Promise((resolve) => setImmediate(resolve));
    releaseSecond();
    expect(await second).toBe("rolled back");
    await late;
    expect(await db.select({ id: customers.id }).from(customers)).toEqual([{ id: "scheduled" }]);
  });
});
