import { beforeEach, describe, expect, it } from "vitest";
import { contentHash, DUPLICATE_WINDOW_MS, once } from "../../app/domain/submissions.server";
import type { Connection } from "../../app/utils/db.server";
import { formSubmissions } from "../../db/schema";
import { freshDatabase } from "../support/database";

let db: Connection;
beforeEach(() => {
  db = freshDatabase({ seeded: false });
});

describe("once: de-duplicating identical submissions", () => {
  it("normalises spacing, Unicode form and key order, but not the words", () => {
    expect(contentHash({ a: " Caf\u0065\u0301  au lait ", b: ["x"] })).toBe(contentHash({ b: ["x"], a: "Café au lait" }));
    expect(contentHash({ a: "Café au lait" })).not.toBe(contentHash({ a: "Café au lait!" }));
  });

  it("runs once within 10 s and returns the first result; again after the window", () => {
    let runs = 0;
    const key = { actor: "customer:c1", action: "concern.file", content: { text: "hello" } };
    const t0 = 1_800_000_000_000;
    expect(once(db, key, () => ++runs, t0)).toBe(1);
    expect(once(db, key, () => ++runs, t0 + DUPLICATE_WINDOW_MS - 1)).toBe(1);
    expect(runs).toBe(1);
    expect(once(db, key, () => ++runs, t0 + DUPLICATE_WINDOW_MS + 1)).toBe(2);
    // Another actor, action or content is another submission.
    expect(once(db, { ...key, actor: "customer:c2" }, () => ++runs, t0)).toBe(3);
    expect(once(db, { ...key, action: "concern.reply:C-1" }, () => ++runs, t0)).toBe(4);
    expect(once(db, { ...key, content: { text: "hello again" } }, () => ++runs, t0)).toBe(5);
  });

  it("records nothing when creating fails, and forgets expired records", () => {
    const key = { actor: "staff:1", action: "api_key.create", content: { name: "x" } };
    expect(() => once(db, key, () => { throw new Error("refused"); }, 1000)).toThrow("refused");
    expect(once(db, key, () => "created", 2000)).toBe("created");
    once(db, { ...key, actor: "staff:2" }, () => "other", 2000 + DUPLICATE_WINDOW_MS + 1);
    expect(db.select().from(formSubmissions).all().map((r) => r.actor)).toEqual(["staff:2"]);
  });
});
