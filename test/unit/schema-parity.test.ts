/**
 * The two schemas describe the same database: queries are built once from db/schema.ts and run on
 * PostgreSQL tables created from db/schema.pg.ts, so every table, column (name, type family,
 * nullability, default, key), index and foreign key must match.
 */
import { getTableConfig as pgConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { is } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as sqliteSchema from "../../db/schema";
import * as pgSchema from "../../db/schema.pg";

/** SQLite column type → the PostgreSQL type that stores the same values. */
const TYPE_TWINS: Record<string, string> = {
  SQLiteInteger: "PgBigInt53",
  SQLiteTimestamp: "PgBigInt53",
  SQLiteBoolean: "PgBoolean",
  SQLiteText: "PgText",
  SQLiteTextJson: "PgText",
  SQLiteReal: "PgDoublePrecision",
};

type Described = ReturnType<typeof describeSqlite>;

function describeSqlite(table: SQLiteTable) {
  const config = sqliteConfig(table);
  return {
    name: config.name,
    columns: Object.fromEntries(
      config.columns.map((c) => [
        c.name,
        { type: TYPE_TWINS[c.columnType] ?? `unmapped ${c.columnType}`, notNull: c.notNull, primary: c.primary, hasDefault: c.hasDefault, unique: c.isUnique },
      ]),
    ),
    primaryKeys: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    indexes: config.indexes.map((i) => ({ name: i.config.name, unique: i.config.unique, columns: i.config.columns.map((c) => (c as { name: string }).name) })).sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return { columns: ref.columns.map((c) => c.name), table: sqliteConfig(ref.foreignTable).name, foreignColumns: ref.foreignColumns.map((c) => c.name), onDelete: fk.onDelete ?? "no action" };
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
  };
}

function describePg(table: PgTable): Described {
  const config = pgConfig(table);
  return {
    name: config.name,
    columns: Object.fromEntries(
      config.columns.map((c) => [c.name, { type: c.columnType, notNull: c.notNull, primary: c.primary, hasDefault: c.hasDefault || Boolean(c.generatedIdentity), unique: c.isUnique }]),
    ),
    primaryKeys: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    indexes: config.indexes.map((i) => ({ name: i.config.name!, unique: i.config.unique, columns: i.config.columns.map((c) => (c as { name: string }).name) })).sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return { columns: ref.columns.map((c) => c.name), table: pgConfig(ref.foreignTable).name, foreignColumns: ref.foreignColumns.map((c) => c.name), onDelete: fk.onDelete ?? "no action" };
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
  };
}

const sqliteTables = Object.entries(sqliteSchema).filter(([, value]) => is(value, SQLiteTable)) as [string, SQLiteTable][];
const pgTables = Object.entries(pgSchema).filter(([, value]) => is(value, PgTable)) as [string, PgTable][];

describe("db/schema.ts and db/schema.pg.ts", () => {
  it("export the same tables under the same names", () => {
    expect(pgTables.map(([name]) => name).sort()).toEqual(sqliteTables.map(([name]) => name).sort());
    expect(sqliteTables.length).toBeGreaterThan(20);
  });

  it.each(sqliteTables)("%s: same columns, keys, indexes and foreign keys", (exportName, table) => {
    const twin = (pgSchema as Record<string, unknown>)[exportName] as PgTable;
    const sqlite = describeSqlite(table);
    expect(JSON.stringify(sqlite)).not.toContain("unmapped");
    expect(describePg(twin)).toEqual(sqlite);
  });
});
