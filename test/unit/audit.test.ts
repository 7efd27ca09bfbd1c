import { beforeEach, describe, expect, it } from "vitest";
import { appendAudit, verifyAudit } from "../../app/domain/audit.server";
import type { Connection } from "../../app/utils/db.server";
import { freshDatabase } from "../support/database";

let db: Connection;
beforeEach(() => {
  db = freshDatabase();
  for (let i = 0; i < 5; i++) {
    appendAudit(db, { actor: { type: "staff", id: 1 }, action: "concern.status_changed", target: { type: "concern", id: `C-0000-000${i}` }, details: { to: "in_progress", n: i } });
  }
});

describe("hash-chained audit log", () => {
  it("verifies an intact chain, including the demo seed's entries", () => {
    const result = verifyAudit(db);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.entries).toBeGreaterThanOrEqual(5);
  });

  it("detects an edited entry", () => {
    db.$client.prepare("update audit_log set details = '{\"to\":\"resolved\"}' where id = (select max(id) - 2 from audit_log)").run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, problem: "edited" });
  });

  it("detects a deleted entry in the middle", () => {
    db.$client.prepare("delete from audit_log where id = (select max(id) - 2 from audit_log)").run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, problem: "deleted" });
  });

  it("detects a truncated tail", () => {
    db.$client.prepare("delete from audit_log where id = (select max(id) from audit_log)").run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, problem: "truncated" });
  });

  it("detects an entry rewritten with a recomputed hash (the next link breaks)", () => {
    const rows = db.$client.prepare("select id from audit_log order by id").pluck().all() as number[];
    const target = rows[rows.length - 3]!;
    db.$client.prepare("update audit_log set hash = ? where id = ?").run("f".repeat(64), target);
    const result = verifyAudit(db);
    expect(result.ok).toBe(false);
  });
});
