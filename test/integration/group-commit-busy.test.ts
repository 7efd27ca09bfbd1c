/**
 * Group commit while another connection writes (SPEC §10). SQLite (the page threads): the main
 * connection does not wait inside SQLite (`yieldWhenBusy`), so BEGIN IMMEDIATE fails with
 * SQLITE_BUSY while the other holds the write lock. The batch is then tried again on a timer — the
 * checks are answered once the lock is free, each with its committed record — instead of every
 * check of the batch failing ("do not act"). PostgreSQL: each check waits on its own connection.
 */
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decisionCheck } from "../../app/domain/decision-hot-path.server";
import type { AnyDatabase } from "../../app/utils/db.server";
import { freshTestDatabase } from "../support/database";
import { customerWithChoices } from "../support/decision-factories";
import { rawValue } from "../support/raw-sql";

let database: AnyDatabase;
beforeEach(async () => {
  database = await freshTestDatabase();
});
afterEach(async () => {
  await database.close();
});

/**
 * Another connection holding the lock decisions need: on SQLite the write lock (BEGIN IMMEDIATE
 * on a second connection, as a page thread's transaction holds it); on PostgreSQL a table lock
 * that blocks inserts into decisions (each check then waits on its own connection). `release`
 * commits and closes it.
 */
async function holdDecisionWrites(database: AnyDatabase): Promise<{ release(): Promise<void> }> {
  if (database.engine === "sqlite") {
    const other = new BetterSqlite3(database.client.name);
    other.exec("BEGIN IMMEDIATE");
    return {
      async release() {
        other.exec("COMMIT");
        other.close();
      },
    };
  }
  const client = await database.pool.connect();
  await client.query("BEGIN");
  await client.query("LOCK TABLE decisions IN EXCLUSIVE MODE");
  return {
    async release() {
      await client.query("COMMIT");
      client.release();
    },
  };
}

describe("group commit while another connection holds the write lock", () => {
  it("waits for the lock (SQLite: off the event loop), then answers every check with its record", async () => {
    const customerId = await customerWithChoices(database.db, { "plan-changes": "allow" });
    // SQLite: the main connection of a server with page threads never sleeps inside SQLite.
    if (database.engine === "sqlite") database.yieldWhenBusy();
    const check = decisionCheck(database);
    const lock = await holdDecisionWrites(database);
    let answered = false;
    const answers = Promise.all(
      Array.from({ length: 5 }, () => check({ customerId, actionKey: "plan-changes", aiSystemSlug: "offer-predictor", context: { identity: { verified: true } } })),
    ).then((decisions) => {
      answered = true;
      return decisions;
    });
    // Several retries' worth of time with the lock held: nothing may be answered meanwhile, and
    // the event loop keeps running (this timer fires).
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    await lock.release();
    const decisions = await answers;
    expect(decisions.map((d) => d.decision)).toEqual(Array(5).fill("allow"));
    expect(Number(await rawValue(database, "select count(*) as n from decisions where customer_id = ?", customerId))).toBe(5);
    await check.settled();
  });
});
