/**
 * `npm run seed:scale` (db/seed-scale.ts): the bulk history it writes is consistent (foreign keys,
 * search texts, report figures' inputs), growing in steps gives what seeding at once gives, and it
 * refuses a database holding someone else's customers.
 */
import { afterEach, describe, expect, it } from "vitest";
import { upsertCustomer } from "../../app/domain/customers.server";
import type { AnyDatabase } from "../../app/utils/db.server";
import { growToScale, scaleCustomerCount, seedScale } from "../../db/seed-scale";
import { freshTestDatabase } from "../support/database";
import { rawAll, rawValue } from "../support/raw-sql";

const opened: AnyDatabase[] = [];
async function database(): Promise<AnyDatabase> {
  const db = await freshTestDatabase();
  opened.push(db);
  return db;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

const count = async (db: AnyDatabase, table: string) => Number(await rawValue(db, `select count(*) from ${table}`));
const TABLES = ["customers", "preferences", "consent_events", "interactions", "interaction_ai", "decisions", "concerns", "concern_events", "concern_messages", "confirmations"];

describe("seed:scale", () => {
  it("writes a consistent history with the proportions it promises", async () => {
    const db = await database();
    const result = await seedScale(db, 2_000);
    expect(result).toMatchObject({ from: 0, to: 2_000 });
    expect(await scaleCustomerCount(db)).toBe(2_000);
    const customers = 2_000;
    expect(await count(db, "interactions")).toBeGreaterThan(2 * customers);
    expect(await count(db, "interactions")).toBeLessThan(5 * customers);
    expect(await count(db, "preferences")).toBeGreaterThan(customers);
    // Every current choice has the consent event that recorded it.
    expect(Number(await rawValue(db, "select count(*) from preferences p where p.customer_id like 'scale-%' and not exists (select 1 from consent_events e where e.customer_id = p.customer_id and e.choice_key = p.choice_key and e.value = p.value)"))).toBe(0);
    // About one concern per 20 customers, most of them finished, a few open; all searchable.
    const concerns = Number(await rawValue(db, "select count(*) from concerns where customer_id like 'scale-%'"));
    expect(concerns).toBeGreaterThan(customers / 40);
    expect(concerns).toBeLessThan(customers / 10);
    const statuses = new Map((await rawAll<{ status: string; n: number }>(db, "select status, count(*) as n from concerns where customer_id like 'scale-%' group by status")).map((r) => [r.status, Number(r.n)]));
    expect((statuses.get("closed") ?? 0) + (statuses.get("resolved") ?? 0)).toBeGreaterThan(concerns / 2);
    expect(Number(await rawValue(db, "select count(*) from concerns where search_text is null"))).toBe(0);
    // An AI that acted names the "allow" decision it checked first (SPEC §11.5).
    expect(Number(await rawValue(db, "select count(*) from interaction_ai a left join decisions d on d.id = a.decision_id where a.role = 'acted' and a.interaction_id in (select id from interactions where customer_id like 'scale-%') and (d.decision is null or d.decision <> 'allow')"))).toBe(0);
    if (db.engine === "sqlite") expect(db.client.pragma("foreign_key_check")).toEqual([]);
  }, 120_000);

  it("grows in steps to what it seeds at once", async () => {
    const [stepwise, atOnce] = [await database(), await database()];
    await growToScale(stepwise, 300);
    await growToScale(stepwise, 900);
    await growToScale(atOnce, 900);
    for (const table of TABLES) expect([table, await count(stepwise, table)]).toEqual([table, await count(atOnce, table)]);
    const versions = "select sum(preference_version) from customers where id like 'scale-%'";
    expect(Number(await rawValue(stepwise, versions))).toBe(Number(await rawValue(atOnce, versions)));
    // Already at the size: nothing added.
    expect(await growToScale(atOnce, 900)).toEqual({ from: 900, to: 900, ms: 0 });
  }, 120_000);

  it("refuses a database holding other customers unless forced", async () => {
    const db = await database();
    await upsertCustomer(db.db, { id: "crm-4711", email: "someone@example.test", locale: "en" });
    await expect(seedScale(db, 100)).rejects.toThrow(/refusing/);
    expect(await scaleCustomerCount(db)).toBe(0);
    await seedScale(db, 100, { force: true });
    expect(await scaleCustomerCount(db)).toBe(100);
  }, 120_000);
});
