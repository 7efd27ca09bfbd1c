/**
 * The training ledger (SPEC §11.4): interactions go into a dataset only when they were eligible
 * at their time and their customer has not opted out since; each refusal says why; a use is
 * recorded once per dataset; rows and audit commit together; lookups are batched.
 */
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eraseCustomer } from "../../app/domain/customer-erasure.server";
import { recordGlobalPrivacyControl } from "../../app/domain/preferences.server";
import { recordTrainingUses, trainingUsesForInteractions } from "../../app/domain/training-uses.server";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { auditLog, customers, interactionAi, trainingUses } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import { bulkInteractions, DAY, interactionFor, setTraining, T0, trainingCustomer } from "../support/training-factories";

const KEY = 7;
let database: AnyDatabase;
let db: Db;
/** Ledger rows of the demo seed, left out of `ledger()`. */
let seeded: Set<number>;

beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
  seeded = new Set((await db.select({ id: trainingUses.id }).from(trainingUses)).map((r) => r.id));
});
afterEach(async () => {
  await database.close();
});

const use = (refs: string[], dataset = "finetune-1", source = "test") =>
  recordTrainingUses(db, KEY, { dataset, usedAt: T0 + 30 * DAY, interactions: refs.map((ref) => ({ source, ref })), now: T0 + 31 * DAY });

/** This test's ledger rows (the seed's left out), by interaction and dataset. */
const ledger = async () =>
  (await db.select({ id: trainingUses.id, interactionId: trainingUses.interactionId, dataset: trainingUses.dataset, usedAt: trainingUses.usedAt, apiKeyId: trainingUses.apiKeyId }).from(trainingUses))
    .filter((row) => !seeded.has(row.id))
    .map(({ id: _id, ...row }) => row)
    .sort((a, b) => a.interactionId - b.interactionId || a.dataset.localeCompare(b.dataset));

describe("recordTrainingUses: one answer per item (SPEC §11.4)", () => {
  it("accepts an interaction eligible at its time whose customer still says yes, and writes one ledger row", async () => {
    await trainingCustomer(db, "c-yes", "yes", T0);
    const id = await interactionFor(db, { customerId: "c-yes", ref: "R1", occurredAt: T0 + DAY });
    expect(await use(["R1"])).toEqual({ accepted: [{ source: "test", ref: "R1", created: true }], refused: [] });
    expect(await ledger()).toEqual([{ interactionId: id, dataset: "finetune-1", usedAt: T0 + 30 * DAY, apiKeyId: KEY }]);
  });

  it("refuses an unknown interaction, also when only the source or only the ref matches", async () => {
    await trainingCustomer(db, "c-yes", "yes", T0);
    await interactionFor(db, { customerId: "c-yes", ref: "R1", occurredAt: T0 + DAY });
    const result = await recordTrainingUses(db, KEY, {
      dataset: "d",
      usedAt: T0,
      interactions: [
        { source: "test", ref: "nope" },
        { source: "other", ref: "R1" },
      ],
    });
    expect(result).toEqual({
      accepted: [],
      refused: [
        { source: "test", ref: "nope", reason: "unknown_interaction" },
        { source: "other", ref: "R1", reason: "unknown_interaction" },
      ],
    });
    expect(await ledger()).toEqual([]);
  });

  it("eligible at the time but opted out later → opted_out_since (an opt-out stops all future use)", async () => {
    await trainingCustomer(db, "c-later-no", "yes", T0);
    await interactionFor(db, { customerId: "c-later-no", ref: "R1", occurredAt: T0 + DAY });
    await setTraining(db, "c-later-no", "no", T0 + 2 * DAY);
    expect((await use(["R1"])).refused).toEqual([{ source: "test", ref: "R1", reason: "opted_out_since" }]);
    expect(await ledger()).toEqual([]);
  });

  it("a Global Privacy Control objection recorded since counts as an opt-out", async () => {
    // Never chose: the GPC objection is recorded; the earlier interaction was eligible only because
    // the stored flag says so (written directly: the default is "no", so no domain path makes it).
    await trainingCustomer(db, "c-gpc");
    const id = await interactionFor(db, { customerId: "c-gpc", ref: "R1", occurredAt: T0 + DAY });
    await db.update(interactionAi).set({ trainingEligible: true }).where(eq(interactionAi.interactionId, id));
    await setTraining(db, "c-gpc", "yes", T0 + 2 * DAY);
    expect((await use(["R1"])).accepted).toEqual([{ source: "test", ref: "R1", created: true }]);

    await trainingCustomer(db, "c-gpc-2");
    const other = await interactionFor(db, { customerId: "c-gpc-2", ref: "R2", occurredAt: T0 + DAY });
    await db.update(interactionAi).set({ trainingEligible: true }).where(eq(interactionAi.interactionId, other));
    expect(await recordGlobalPrivacyControl(db, "c-gpc-2", "en", T0 + 2 * DAY)).not.toBeNull();
    expect((await use(["R2"])).refused).toEqual([{ source: "test", ref: "R2", reason: "opted_out_since" }]);
  });

  it("the default (no training) refuses even an interaction whose stored flag is eligible", async () => {
    await trainingCustomer(db, "c-default");
    const id = await interactionFor(db, { customerId: "c-default", ref: "R1", occurredAt: T0 + DAY });
    await db.update(interactionAi).set({ trainingEligible: true }).where(eq(interactionAi.interactionId, id));
    expect((await use(["R1"])).refused).toEqual([{ source: "test", ref: "R1", reason: "opted_out_since" }]);
  });

  it("opted in later but not eligible at the time → not_eligible_at_the_time (the past is not made usable)", async () => {
    await trainingCustomer(db, "c-later-yes"); // default "no" when the interaction happened
    await interactionFor(db, { customerId: "c-later-yes", ref: "R1", occurredAt: T0 + DAY });
    await setTraining(db, "c-later-yes", "yes", T0 + 2 * DAY);
    expect((await use(["R1"])).refused).toEqual([{ source: "test", ref: "R1", reason: "not_eligible_at_the_time" }]);
    expect(await ledger()).toEqual([]);
  });

  it("not eligible at the time when the reporting system did not flag it, or no AI was involved", async () => {
    await trainingCustomer(db, "c-yes", "yes", T0);
    await interactionFor(db, { customerId: "c-yes", ref: "not-flagged", occurredAt: T0 + DAY, reported: false });
    await interactionFor(db, { customerId: "c-yes", ref: "no-ai", occurredAt: T0 + DAY, ai: 0 });
    expect((await use(["not-flagged", "no-ai"])).refused.map((r) => r.reason)).toEqual(["not_eligible_at_the_time", "not_eligible_at_the_time"]);
  });

  it("one eligible AI involvement of several is enough", async () => {
    await trainingCustomer(db, "c-yes", "yes", T0);
    const id = await interactionFor(db, { customerId: "c-yes", ref: "R1", occurredAt: T0 + DAY, ai: 2 });
    const [first] = await db.select({ id: interactionAi.id }).from(interactionAi).where(eq(interactionAi.interactionId, id)).limit(1);
    await db.update(interactionAi).set({ trainingEligible: false }).where(eq(interactionAi.id, first!.id));
    expect((await use(["R1"])).accepted).toHaveLength(1);
  });

  it("an erased customer's interactions are refused: customer_erased on a tombstone, unknown once erasure removed them", async () => {
    await trainingCustomer(db, "c-tomb", "yes", T0);
    await interactionFor(db, { customerId: "c-tomb", ref: "R1", occurredAt: T0 + DAY });
    await db.update(customers).set({ erasedAt: T0 + 2 * DAY }).where(eq(customers.id, "c-tomb"));
    expect((await use(["R1"])).refused).toEqual([{ source: "test", ref: "R1", reason: "customer_erased" }]);

    await trainingCustomer(db, "c-erased", "yes", T0);
    await interactionFor(db, { customerId: "c-erased", ref: "R2", occurredAt: T0 + DAY });
    expect((await use(["R2"])).accepted).toHaveLength(1);
    expect(await eraseCustomer(db, { customerId: "c-erased", actor: { type: "system" } })).toMatchObject({ status: "erased" });
    expect(await ledger()).toEqual([]);
    expect((await use(["R2"])).refused).toEqual([{ source: "test", ref: "R2", reason: "unknown_interaction" }]);
    expect(await ledger()).toEqual([]);
  });

  it("is idempotent per interaction and dataset: created false the second time, never a second row; another dataset is another use", async () => {
    await trainingCustomer(db, "c-yes", "yes", T0);
    const id = await interactionFor(db, { customerId: "c-yes", ref: "R1", occurredAt: T0 + DAY });
    expect((await use(["R1"])).accepted).toEqual([{ source: "test", ref: "R1", created: true }]);
    expect((await use(["R1"])).accepted).toEqual([{ source: "test", ref: "R1", created: false }]);
    // Repeated in one call: written once, the first mention says so.
    expect((await use(["R1", "R1"], "eval-2")).accepted).toEqual([
      { source: "test", ref: "R1", created: true },
      { source: "test", ref: "R1", created: false },
    ]);
    expect(await ledger()).toEqual([
      { interactionId: id, dataset: "eval-2", usedAt: T0 + 30 * DAY, apiKeyId: KEY },
      { interactionId: id, dataset: "finetune-1", usedAt: T0 + 30 * DAY, apiKeyId: KEY },
    ]);
  });

  it("answers a mixed batch in the order given, and audits the call once with its counts (api:<key>)", async () => {
    await trainingCustomer(db, "c-yes", "yes", T0);
    await trainingCustomer(db, "c-no");
    await interactionFor(db, { customerId: "c-yes", ref: "ok-1", occurredAt: T0 + DAY });
    await interactionFor(db, { customerId: "c-no", ref: "never", occurredAt: T0 + DAY });
    await interactionFor(db, { customerId: "c-yes", ref: "ok-2", occurredAt: T0 + DAY });
    const before = await db.select().from(auditLog);
    const result = await use(["ok-1", "missing", "never", "ok-2"]);
    expect(result).toEqual({
      accepted: [
        { source: "test", ref: "ok-1", created: true },
        { source: "test", ref: "ok-2", created: true },
      ],
      refused: [
        { source: "test", ref: "missing", reason: "unknown_interaction" },
        { source: "test", ref: "never", reason: "not_eligible_at_the_time" },
      ],
    });
    const entries = (await db.select().from(auditLog)).slice(before.length);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorType: "api", actorId: String(KEY), action: "api.training-uses.create", targetType: "dataset", targetId: "finetune-1", createdAt: T0 + 31 * DAY });
    expect(JSON.parse(entries[0]!.details!)).toEqual({ accepted: 2, created: 2, items: 4, refused: 2, usedAt: T0 + 30 * DAY });
  });

  it("writes nothing, not even the audit entry, when the transaction fails", async () => {
    await trainingCustomer(db, "c-yes", "yes", T0);
    await interactionFor(db, { customerId: "c-yes", ref: "R1", occurredAt: T0 + DAY });
    const audits = (await db.select().from(auditLog)).length;
    // The transaction fails after the ledger row and the audit entry were written: both roll back.
    const broken = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop !== "transaction") return Reflect.get(target, prop, receiver);
        return (body: (tx: Db) => Promise<unknown>) =>
          target.transaction(async (tx) => {
            const result = await body(tx);
            throw new Error(`boom after ${JSON.stringify(result).length} bytes`);
          });
      },
    });
    await expect(recordTrainingUses(broken, KEY, { dataset: "d", usedAt: T0, interactions: [{ source: "test", ref: "R1" }] })).rejects.toThrow(/boom/);
    expect(await ledger()).toEqual([]);
    expect(await db.select().from(auditLog)).toHaveLength(audits);
  });

  it("1,000 items cost a handful of statements, not one per item", async () => {
    await trainingCustomer(db, "c-bulk", "yes", T0);
    await trainingCustomer(db, "c-bulk-no", "yes", T0);
    const yes = await bulkInteractions(db, { customerId: "c-bulk", source: "crm", prefix: "Y", count: 600, eligible: true });
    const no = await bulkInteractions(db, { customerId: "c-bulk-no", source: "contact-center", prefix: "N", count: 300, eligible: false });
    const items = [...yes.map((ref) => ({ source: "crm", ref })), ...no.map((ref) => ({ source: "contact-center", ref })), ...Array.from({ length: 100 }, (_, n) => ({ source: "crm", ref: `missing-${n}` }))];
    expect(items).toHaveLength(1000);
    const counted = countStatements(db);
    const result = await recordTrainingUses(counted.db, KEY, { dataset: "big", usedAt: T0, interactions: items });
    expect(result.accepted).toHaveLength(600);
    expect(result.accepted.every((a) => a.created)).toBe(true);
    expect(result.refused.filter((r) => r.reason === "not_eligible_at_the_time")).toHaveLength(300);
    expect(result.refused.filter((r) => r.reason === "unknown_interaction")).toHaveLength(100);
    expect((await db.select({ id: trainingUses.id }).from(trainingUses).where(eq(trainingUses.dataset, "big"))).length).toBe(600);
    // 2 chunks × (interactions, customers, preferences, eligibility) + the default + 3 inserts + the audit's few.
    expect(counted.statements()).toBeGreaterThan(5);
    expect(counted.statements()).toBeLessThanOrEqual(20);
  });
});

describe("eligibility is a fact of the past (SPEC §11.4)", () => {
  it("changing the training choice later never rewrites training_eligible, in either direction", async () => {
    await trainingCustomer(db, "c-flip", "yes", T0);
    const yes = await interactionFor(db, { customerId: "c-flip", ref: "while-yes", occurredAt: T0 + DAY });
    await setTraining(db, "c-flip", "no", T0 + 2 * DAY);
    const no = await interactionFor(db, { customerId: "c-flip", ref: "while-no", occurredAt: T0 + 3 * DAY });
    await setTraining(db, "c-flip", "yes", T0 + 4 * DAY);
    await setTraining(db, "c-flip", "no", T0 + 5 * DAY);
    const flags = async (interactionId: number) =>
      (await db.select({ e: interactionAi.trainingEligible }).from(interactionAi).where(and(eq(interactionAi.interactionId, interactionId)))).map((r) => r.e);
    expect(await flags(yes)).toEqual([true]);
    expect(await flags(no)).toEqual([false]);
  });
});

describe("trainingUsesForInteractions (the customer's timeline)", () => {
  it("lists dataset and time of use per interaction, oldest first; other interactions are not included", async () => {
    await trainingCustomer(db, "c-yes", "yes", T0);
    const a = await interactionFor(db, { customerId: "c-yes", ref: "A", occurredAt: T0 + DAY });
    const b = await interactionFor(db, { customerId: "c-yes", ref: "B", occurredAt: T0 + DAY });
    const c = await interactionFor(db, { customerId: "c-yes", ref: "C", occurredAt: T0 + DAY });
    await recordTrainingUses(db, KEY, { dataset: "later", usedAt: T0 + 9 * DAY, interactions: [{ source: "test", ref: "A" }] });
    await recordTrainingUses(db, KEY, { dataset: "earlier", usedAt: T0 + 8 * DAY, interactions: [{ source: "test", ref: "A" }, { source: "test", ref: "B" }, { source: "test", ref: "C" }] });
    expect(await trainingUsesForInteractions(db, [a, b, a])).toEqual([
      { interactionId: a, dataset: "earlier", usedAt: T0 + 8 * DAY },
      { interactionId: b, dataset: "earlier", usedAt: T0 + 8 * DAY },
      { interactionId: a, dataset: "later", usedAt: T0 + 9 * DAY },
    ]);
    expect(await trainingUsesForInteractions(db, [])).toEqual([]);
    expect(await trainingUsesForInteractions(db, [c + 1000])).toEqual([]);
  });
});

/** `db` whose transactions count the statements built in them (select, insert, update, delete, raw). */
function countStatements(db: Db): { db: Db; statements: () => number } {
  let statements = 0;
  const counting = (tx: Db): Db =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value === "function" && ["select", "selectDistinct", "insert", "update", "delete", "execute", "run", "all"].includes(String(prop))) {
          return (...args: unknown[]) => {
            statements++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return value;
      },
    });
  const wrapped = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "transaction") return Reflect.get(target, prop, receiver);
      return (body: (tx: Db) => Promise<unknown>) => target.transaction((tx) => body(counting(tx)));
    },
  });
  return { db: wrapped, statements: () => statements };
}
