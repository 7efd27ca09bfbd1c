/**
 * Startup does no whole-database work (issue 10: 8.2 s to start at 1M customers, most of it a
 * foreign-key check over the whole file on every boot). Proved by what startup does, not by timing:
 * - the foreign-key check runs only when a migration ran, and then only over the tables it wrote
 *   and the tables referencing them (SQLite);
 * - every statement the composition root runs on a grown database (open, migrate, rate limits)
 *   has a plan that reads no growing table whole (both engines; PostgreSQL with sequential scans
 *   disabled, so a Seq Scan left in a plan means no index can serve it);
 * - SQLite: opening and migrating reads (read(2) bytes, /proc/self/io `rchar`) a small part of
 *   the file.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createServices } from "../../app/services.server";
import type { AnyDatabase } from "../../app/utils/db.server";
import { openPostgresDatabase } from "../../app/utils/db-postgres.server";
import { migrateSqlite, openSqliteClient, openSqliteDatabase, tablesWrittenBy } from "../../app/utils/db-sqlite.server";
import { growToScale } from "../../db/seed-scale";
import { freshTestDatabase } from "../support/database";

/** Tables that grow with customers and their history. */
const GROWING = ["customers", "preferences", "consent_events", "interactions", "interaction_ai", "decisions", "concerns", "concern_events", "concern_messages", "confirmations", "confirmation_answers", "permission_breaches", "audit_log", "customer_sessions", "staff_sessions", "link_tokens"];
const CUSTOMERS = 5_000;

let grown: AnyDatabase;
/** How a second process would open the grown database. */
let where: { sqliteFile?: string; postgresUrl?: string };

beforeAll(async () => {
  grown = await freshTestDatabase();
  await growToScale(grown, CUSTOMERS);
  where = grown.engine === "sqlite" ? { sqliteFile: grown.client.name } : { postgresUrl: grown.url };
}, 120_000);

afterAll(async () => {
  await grown.close();
});

/** A copy of the SQLite migrations with `statements` as extra migrations; `upTo(n)`: the folder with the first n of them. */
function withExtraMigrations(statements: string[]) {
  const source = path.resolve("db/migrations/sqlite");
  const journal = JSON.parse(fs.readFileSync(path.join(source, "meta/_journal.json"), "utf8")) as { entries: { idx: number; when: number; tag: string }[] };
  return {
    upTo(n: number): string {
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), "candor-migrations-"));
      fs.cpSync(source, folder, { recursive: true });
      const last = journal.entries[journal.entries.length - 1]!;
      const extra = statements.slice(0, n).map((statement, i) => ({ ...last, idx: last.idx + 1 + i, when: last.when + 1 + i, tag: `9${String(i).padStart(3, "0")}_startup_test` }));
      extra.forEach((entry, i) => fs.writeFileSync(path.join(folder, `${entry.tag}.sql`), statements[i]!));
      fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries: [...journal.entries, ...extra] }));
      return folder;
    },
  };
}

function reopen(observe?: (query: string, params: unknown[]) => void): AnyDatabase {
  return where.sqliteFile ? openSqliteDatabase(where.sqliteFile, { observe }) : openPostgresDatabase(where.postgresUrl!, { observe });
}

describe("startup", () => {
  it("checks foreign keys only when a migration ran (SQLite)", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "candor-startup-")), "candor.sqlite");
    const client = openSqliteClient(file);
    try {
      const pragma = vi.spyOn(client, "pragma");
      const checks = () => pragma.mock.calls.filter(([source]) => source === "foreign_key_check").length;
      migrateSqlite(client);
      expect(checks()).toBe(1);
      migrateSqlite(client);
      expect(checks()).toBe(1);
    } finally {
      client.close();
    }
  });

  it("after a migration, checks foreign keys only in the tables it wrote and their children (SQLite)", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "candor-startup-")), "candor.sqlite");
    const client = openSqliteClient(file);
    try {
      migrateSqlite(client);
      const folder = withExtraMigrations([
        "CREATE INDEX `test_customers_email` ON `customers` (`email`);",
        // Written with foreign keys off: a choice of a customer that does not exist.
        "INSERT INTO `preferences` (`customer_id`, `choice_key`, `value`, `notice_version`, `method`, `updated_at`) VALUES ('nobody', 'training', 'no', 1, 'portal', 0);",
      ]);
      const pragma = vi.spyOn(client, "pragma");
      const checks = () => pragma.mock.calls.map(([source]) => String(source)).filter((source) => source.startsWith("foreign_key_check"));
      migrateSqlite(client, folder.upTo(1));
      expect(checks()).toEqual([]);
      expect(() => migrateSqlite(client, folder.upTo(2))).toThrow(/Migration left \d+ foreign key violation/);
      expect(checks()).toEqual(['foreign_key_check("preferences")']);
    } finally {
      client.close();
    }
  });

  it("tells which tables a migration statement writes", () => {
    expect(tablesWrittenBy("CREATE INDEX `a` ON `concerns` (`x`);")).toEqual([]);
    expect(tablesWrittenBy("-- why\nCREATE TRIGGER t AFTER INSERT ON concerns BEGIN INSERT INTO x VALUES (1); END;")).toEqual([]);
    expect(tablesWrittenBy("ALTER TABLE `__new_concerns` RENAME TO `concerns`;")).toEqual(["__new_concerns", "concerns"]);
    expect(tablesWrittenBy("INSERT INTO `__new_concerns`(\"id\") SELECT \"id\" FROM `concerns`;")).toEqual(["__new_concerns"]);
    expect(tablesWrittenBy('UPDATE "concerns" SET search_text = NULL')).toEqual(["concerns"]);
    expect(tablesWrittenBy("DROP TABLE `concerns`;")).toEqual(["concerns"]);
    expect(tablesWrittenBy("REPLACE INTO concerns VALUES (1)")).toBeNull();
  });

  it("runs only statements that read no growing table whole", async () => {
    const statements: { query: string; params: unknown[] }[] = [];
    const database = reopen((query, params) => statements.push({ query, params: [...params] }));
    const services = await createServices({ database });
    await services.database.close();
    expect(statements.length).toBeGreaterThan(0);

    const explainer = reopen();
    const scans: string[] = [];
    try {
      const explainable = statements.filter(({ query }) => /^\s*(select|with|insert|update|delete)\b/i.test(query));
      expect(explainable.length).toBeGreaterThan(0);
      for (const { query, params } of explainable) {
        const plan =
          explainer.engine === "sqlite"
            ? (explainer.client.prepare(`explain query plan ${query}`).all(...(params as never[])) as { detail: string }[]).map((r) => r.detail)
            : await (async () => {
                const client = await explainer.pool.connect();
                try {
                  await client.query("set enable_seqscan = off");
                  return (await client.query<{ "QUERY PLAN": string }>(`explain ${query}`, params)).rows.map((r) => r["QUERY PLAN"]);
                } finally {
                  client.release();
                }
              })();
        for (const line of plan) {
          const table = explainer.engine === "sqlite" ? /^SCAN (\w+)$/.exec(line)?.[1] : /Seq Scan on (\w+)/.exec(line)?.[1];
          if (table && GROWING.includes(table)) scans.push(`${table}: ${query}`);
        }
      }
    } finally {
      await explainer.close();
    }
    expect(scans).toEqual([]);
  }, 60_000);

  it("reads a small part of a grown SQLite file", async () => {
    if (!where.sqliteFile) return; // PostgreSQL: the plans above are the proof
    const size = fs.statSync(where.sqliteFile).size;
    expect(size).toBeGreaterThan(10_000_000);
    const rchar = () => Number(/rchar: (\d+)/.exec(fs.readFileSync("/proc/self/io", "utf8"))![1]);
    // Modules loaded and the migration files read once already (the measure is the database's part).
    await (await createServices({ database: reopen() })).database.close();
    const before = rchar();
    const services = await createServices({ database: reopen() });
    await services.database.close();
    const read = rchar() - before;
    // The schema, the migrations table, the settings: well under a tenth of the file.
    expect(read).toBeLessThan(size / 10);
  }, 60_000);
});
