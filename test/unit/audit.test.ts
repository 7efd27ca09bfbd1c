import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import { appendAudit, verifyAudit } from "../../app/domain/audit.server";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { auditLog } from "../../db/schema";
import { freshTestDatabase } from "../support/database";

let database: AnyDatabase;
let db: Db;
beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
  for (let i = 0; i < 5; i++) {
    await appendAudit(db, { actor: { type: "staff", id: 1 }, action: "concern.status_changed", target: { type: "concern", id: `C-0000-000${i}` }, details: { to: "in_progress", n: i } });
  }
});
afterEach(async () => {
  await database.close();
});

/** The id of the entry `back` places before the last one. */
async function idFromEnd(back: number): Promise<number> {
  const [last] = await db.select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  return last!.id - back;
}

describe("hash-chained audit log", () => {
  it("verifies an intact chain, including the demo seed's entries", async () => {
    const result = await verifyAudit(db);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.entries).toBeGreaterThanOrEqual(5);
  });

  it("detects an edited entry", async () => {
    await db.update(auditLog).set({ details: '{"to":"resolved"}' }).where(eq(auditLog.id, await idFromEnd(2)));
    expect(await verifyAudit(db)).toMatchObject({ ok: false, problem: "edited" });
  });

  it("detects a deleted entry in the middle", async () => {
    await db.delete(auditLog).where(eq(auditLog.id, await idFromEnd(2)));
    expect(await verifyAudit(db)).toMatchObject({ ok: false, problem: "deleted" });
  });

  it("detects a truncated tail", async () => {
    await db.delete(auditLog).where(eq(auditLog.id, await idFromEnd(0)));
    expect(await verifyAudit(db)).toMatchObject({ ok: false, problem: "truncated" });
  });

  it("detects an entry rewritten with a recomputed hash (the next link breaks)", async () => {
    await db.update(auditLog).set({ hash: "f".repeat(64) }).where(eq(auditLog.id, await idFromEnd(2)));
    const result = await verifyAudit(db);
    expect(result.ok).toBe(false);
  });

  it("keeps one unbroken chain when appends from many requests overlap", async () => {
    const before = await idFromEnd(0);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? appendAudit(db, { actor: { type: "system" }, action: "test.concurrent", details: { i } })
          : db.transaction(async (tx) => {
              await appendAudit(tx, { actor: { type: "system" }, action: "test.concurrent", details: { i } });
            }),
      ),
    );
    expect(await idFromEnd(0)).toBe(before + 20);
    expect(await verifyAudit(db)).toMatchObject({ ok: true });
  });
});
