import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { contentHash, DUPLICATE_WINDOW_MS, once, onceAsync } from "../../app/domain/submissions.server";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { formSubmissions } from "../../db/schema";
import { freshTestDatabase } from "../support/database";

let database: AnyDatabase;
let db: Db;
beforeEach(async () => {
  database = await freshTestDatabase({ seeded: false });
  db = database.db;
});
afterEach(async () => {
  await database.close();
});

describe("once: de-duplicating identical submissions", () => {
  it("normalises spacing, Unicode form and key order, but not the words", () => {
    expect(contentHash({ a: " Caf\u0065\u0301  au lait ", b: ["x"] })).toBe(contentHash({ b: ["x"], a: "Café au lait" }));
    expect(contentHash({ a: "Café au lait" })).not.toBe(contentHash({ a: "Café au lait!" }));
  });

  it("runs once within 10 s and returns the first result; again after the window", async () => {
    let runs = 0;
    const key = { actor: "customer:c1", action: "concern.file", content: { text: "hello" } };
    const t0 = 1_800_000_000_000;
    expect(await once(db, key, () => ++runs, t0)).toBe(1);
    expect(await once(db, key, () => ++runs, t0 + DUPLICATE_WINDOW_MS - 1)).toBe(1);
    expect(runs).toBe(1);
    expect(await once(db, key, () => ++runs, t0 + DUPLICATE_WINDOW_MS + 1)).toBe(2);
    // Another actor, action or content is another submission.
    expect(await once(db, { ...key, actor: "customer:c2" }, () => ++runs, t0)).toBe(3);
    expect(await once(db, { ...key, action: "concern.reply:C-1" }, () => ++runs, t0)).toBe(4);
    expect(await once(db, { ...key, content: { text: "hello again" } }, () => ++runs, t0)).toBe(5);
  });

  it("records nothing when creating fails, and forgets expired records", async () => {
    const key = { actor: "staff:1", action: "api_key.create", content: { name: "x" } };
    await expect(once(db, key, () => { throw new Error("refused"); }, 1000)).rejects.toThrow("refused");
    expect(await once(db, key, () => "created", 2000)).toBe("created");
    await once(db, { ...key, actor: "staff:2" }, () => "other", 2000 + DUPLICATE_WINDOW_MS + 1);
    expect((await db.select().from(formSubmissions)).map((r) => r.actor)).toEqual(["staff:2"]);
  });

  it("two identical submissions arriving together create once; the creation writes through the transaction", async () => {
    const key = { actor: "customer:c1", action: "concern.file", content: { text: "together" } };
    let runs = 0;
    const create = async (tx: Db) => {
      runs += 1;
      await tx.insert(formSubmissions).values({ actor: "marker", action: "made", contentHash: String(runs), result: "null", createdAt: Date.now() });
      return runs;
    };
    const results = await Promise.all([once(db, key, create), once(db, key, create)]);
    expect(results).toEqual([1, 1]);
    expect(runs).toBe(1);
    expect(await db.select().from(formSubmissions).where(eq(formSubmissions.actor, "marker"))).toHaveLength(1);
  });

  it("onceAsync: a duplicate while the first is running gets the same result; the result is recorded", async () => {
    const key = { actor: "staff:1", action: "staff.create", content: { email: "a@example.org" } };
    let runs = 0;
    const create = async () => ({ n: ++runs });
    const [a, b] = await Promise.all([onceAsync(db, key, create), onceAsync(db, key, create)]);
    expect(a).toEqual({ n: 1 });
    expect(b).toEqual({ n: 1 });
    expect(await onceAsync(db, key, create)).toEqual({ n: 1 });
    expect(runs).toBe(1);
  });
});
