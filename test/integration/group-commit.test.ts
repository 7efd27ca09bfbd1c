/**
 * The agents' decision check under concurrency (SPEC §10 group commit, §5.2): on SQLite the checks
 * that arrive together are written in one transaction and answered only after its COMMIT; on
 * PostgreSQL each check commits on its own pooled connection. On both: every answer has its
 * committed record, an approval is spent once, one failing input fails only itself, and a COMMIT
 * that fails answers nobody whose record it would have carried.
 */
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decisionCheck, GROUP_COMMIT_MAX, type DecideFn } from "../../app/domain/decision-hot-path.server";
import type { DecideInput, Decision } from "../../app/domain/decisions.server";
import { createServices } from "../../app/services.server";
import type { AnyDatabase } from "../../app/utils/db.server";
import { openSqliteDatabase } from "../../app/utils/db-sqlite.server";
import { openPostgresDatabase } from "../../app/utils/db-postgres.server";
import { customers } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import { confirmationWithAnswer, customerWithChoices } from "../support/decision-factories";
import { rawGet, rawRun, rawValue } from "../support/raw-sql";

const verified = { identity: { verified: true } };
const planChange = (customerId: string, extra: Partial<DecideInput> = {}): DecideInput => ({
  customerId,
  actionKey: "plan-changes",
  aiSystemSlug: "offer-predictor",
  context: verified,
  ...extra,
});

let database: AnyDatabase;
let check: DecideFn;
beforeEach(async () => {
  database = await freshTestDatabase();
  check = decisionCheck(database);
});
afterEach(async () => {
  await database.close();
});

/** Reads a decision on a connection of its own: it sees committed rows only. */
function committedReader(): { has(id: string): Promise<boolean>; close(): Promise<void> } {
  if (database.engine === "sqlite") {
    const reader = new BetterSqlite3(database.client.name, { readonly: true });
    const statement = reader.prepare("select 1 from decisions where id = ?");
    return { has: async (id) => statement.get(id) !== undefined, close: async () => void reader.close() };
  }
  const reader = openPostgresDatabase(database.url);
  return { has: async (id) => (await rawGet(reader, "select 1 as found from decisions where id = ?", id)) !== undefined, close: () => reader.close() };
}

const countDecisions = async (customerId: string) => Number(await rawValue(database, "select count(*) as n from decisions where customer_id = ?", customerId));

describe("decision checks arriving together", () => {
  it("answers every check only once its record is committed (more checks than one batch holds)", async () => {
    const allowed = await customerWithChoices(database.db, { "plan-changes": "allow" });
    const asked = await customerWithChoices(database.db, { "plan-changes": "ask" });
    const reader = committedReader();
    if (database.engine === "sqlite") {
      database.client.pragma("wal_autocheckpoint = 0");
      database.client.pragma("wal_checkpoint(TRUNCATE)");
    }
    const count = GROUP_COMMIT_MAX + 44;
    const seen: Promise<[Decision, boolean]>[] = [];
    // All in one tick: they arrive together.
    for (let i = 0; i < count; i++) {
      seen.push(check(planChange(i % 2 ? allowed : asked)).then(async (answer) => [answer, await reader.has(answer.id)]));
    }
    const answers = await Promise.all(seen);
    await reader.close();
    expect(answers.every(([, committed]) => committed)).toBe(true);
    expect(answers.filter(([answer]) => answer.decision === "allow")).toHaveLength(count / 2);
    expect(answers.filter(([answer]) => answer.reason === "preference_ask")).toHaveLength(count / 2);
    expect(new Set(answers.map(([answer]) => answer.id)).size).toBe(count);
    expect((await countDecisions(allowed)) + (await countDecisions(asked))).toBe(count);
    if (database.engine === "sqlite") {
      // One commit per check would write at least one WAL frame per check; a few batches write a few pages each.
      const [{ log }] = database.client.pragma("wal_checkpoint(PASSIVE)") as [{ log: number }];
      expect(log).toBeGreaterThan(0);
      expect(log).toBeLessThan(count / 2);
    }
  });

  it("spends an approval once, even when both checks presenting it arrive together", async () => {
    const customerId = await customerWithChoices(database.db, { "plan-changes": "ask" });
    const confirmationId = await confirmationWithAnswer(database.db, { customerId, answer: "approved" });
    const answers = await Promise.all([check(planChange(customerId, { confirmationId })), check(planChange(customerId, { confirmationId }))]);
    expect(answers.map((a) => `${a.decision} ${a.reason}`).sort()).toEqual(["allow confirmed_by_customer", "deny confirmation_used"]);
    expect(Number(await rawValue(database, "select count(*) as n from decisions where confirmation_id = ? and reason = 'confirmed_by_customer'", confirmationId))).toBe(1);
    expect(await countDecisions(customerId)).toBe(2);
  });

  it("fails only the check whose input fails; the others in its batch are answered and recorded", async () => {
    const good = await customerWithChoices(database.db, { "plan-changes": "allow" });
    const broken = await customerWithChoices(database.db, { "plan-changes": "allow" });
    await rawRun(database, "update preferences set limits = ? where customer_id = ?", '{"maxAmount":"lots"}', broken);
    const results = await Promise.allSettled([check(planChange(good)), check(planChange(broken)), check(planChange(good))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain("Malformed limits");
    expect(await countDecisions(good)).toBe(2);
    expect(await countDecisions(broken)).toBe(0);
  });

  it("answers nobody whose record a failed COMMIT would have carried (SQLite: the whole batch; PostgreSQL: that check)", async () => {
    const good = await customerWithChoices(database.db, { "plan-changes": "allow" });
    const doomed = await customerWithChoices(database.db, { "plan-changes": "allow" });
    // A constraint checked only at COMMIT, broken by the doomed customer's decision record.
    if (database.engine === "sqlite") {
      await rawRun(database, "create table commit_guard (customer_id text references customers(id) deferrable initially deferred)");
      await rawRun(database, `create trigger commit_guard_fail after insert on decisions when new.customer_id = '${doomed}' begin insert into commit_guard values ('no-such-customer'); end`);
    } else {
      await rawRun(database, "create function commit_guard_fail() returns trigger language plpgsql as $$ begin raise exception 'commit refused'; end $$");
      await rawRun(database, `create constraint trigger commit_guard_fail after insert on decisions deferrable initially deferred for each row when (new.customer_id = '${doomed}') execute function commit_guard_fail()`);
    }
    const results = await Promise.allSettled([check(planChange(good)), check(planChange(doomed)), check(planChange(good))]);
    if (database.engine === "sqlite") {
      expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
      expect(String((results[0] as PromiseRejectedResult).reason)).toContain("FOREIGN KEY");
      expect(await countDecisions(good)).toBe(0);
      expect(database.client.inTransaction).toBe(false);
    } else {
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect(await countDecisions(good)).toBe(2);
    }
    expect(await countDecisions(doomed)).toBe(0);
    // The connection is left usable: the next check is answered and recorded.
    const next = await check(planChange(good));
    expect(next.decision).toBe("allow");
    expect(await rawGet(database, "select reason from decisions where id = ?", next.id)).toEqual({ reason: "preference_allow" });
  });

  it("waits for a transaction open on the connection (SQLite), then answers every check made meanwhile", async () => {
    const customerId = await customerWithChoices(database.db, { "plan-changes": "allow" });
    let release!: () => void;
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const open = database.db.transaction(async (tx) => {
      await tx.select().from(customers).limit(1);
      inside();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await entered;
    let answered = 0;
    const first = check(planChange(customerId)).finally(() => answered++);
    await new Promise((resolve) => setImmediate(resolve));
    const second = check(planChange(customerId)).finally(() => answered++);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    if (database.engine === "sqlite") expect(answered).toBe(0);
    release();
    await open;
    const answers = await Promise.all([first, second]);
    expect(answers.map((a) => a.decision)).toEqual(["allow", "allow"]);
    expect(await countDecisions(customerId)).toBe(2);
  });

  it("closing the database waits for checks already made: each is answered and its record survives", async () => {
    const services = await createServices({ database, migrate: false });
    const customerId = await customerWithChoices(database.db, { "plan-changes": "allow" });
    const answers = Promise.all(Array.from({ length: 20 }, () => services.decide(planChange(customerId))));
    await services.database.close();
    const answered = await answers;
    expect(answered).toHaveLength(20);
    database = database.engine === "sqlite" ? openSqliteDatabase(database.client.name) : openPostgresDatabase(database.url);
    expect(await countDecisions(customerId)).toBe(20);
  });
});
