/**
 * Shared pieces of the fuzz run: its size and seed, arbitrary values of every hostile kind, and
 * the "nothing stored" check (the row count of every table).
 */
import fc from "fast-check";
import type BetterSqlite3 from "better-sqlite3";
import type { AnyDatabase } from "../../app/utils/db.server";

/** Cases per form action and per API operation. `npm test`: 10,000; `npm run fuzz`: more. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/** Fixed unless FUZZ_SEED says otherwise ("random": a new seed each run, printed on failure). */
export const SEED = process.env.FUZZ_SEED === "random" ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? 20261129);

/** fast-check parameters of every property: one seed, each property offset so they differ. */
export function fuzzParameters(offset: number): fc.Parameters<unknown> {
  return { numRuns: RUNS, seed: SEED + offset, endOnFailure: true };
}

const CONTROL = fc.integer({ min: 0, max: 31 }).map((n) => String.fromCharCode(n));

/** Values nobody should send, and some that are almost right. */
export function fieldValue(candidates: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: candidates.length > 0 ? fc.constantFrom(...candidates) : fc.constant("") },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 200 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
    { weight: 1, arbitrary: fc.array(CONTROL, { maxLength: 8 }).map((c) => c.join("")) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "",
        " ",
        "\u0000",
        "\ud800",
        "\u202e",
        "-1",
        "0",
        "1e309",
        "NaN",
        "9007199254740993",
        "2026-02-30",
        "2026-13-01T25:61",
        "true",
        "null",
        "[]",
        "{}",
        "%",
        "%zz",
        "%E0%A4%A",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "'; drop table concerns;--",
        "=cmd|' /C calc'!A0",
        "javascript:alert(1)",
        "https://",
        "a@b",
        "__proto__",
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom("x".repeat(1001), "é".repeat(5000), "a".repeat(70_000)) },
  );
}

/** A path segment: right, wrong, badly percent-encoded, control characters, huge. */
export function pathSegment(valid: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 14, arbitrary: valid.length > 0 ? fc.constantFrom(...valid.map(encodeURIComponent)) : fc.constant("x") },
    { weight: 2, arbitrary: fc.webSegment() },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom("%", "%zz", "%E0%A4%A", "%00", "%2F", "%2e%2e", "..", "%C0%AF", "%ff%fe", "a%", "%u0041") },
    { weight: 1, arbitrary: fc.array(CONTROL, { minLength: 1, maxLength: 4 }).map((c) => encodeURIComponent(c.join(""))) },
    { weight: 1, arbitrary: fc.constant("a".repeat(5000)) },
  );
}

/** A raw query string (without "?"), sometimes malformed. */
export function queryString(names: string[]): fc.Arbitrary<string> {
  const pair = fc.tuple(fc.oneof(fc.constantFrom(...names, "index", "_data", "h", "lang"), fc.string({ maxLength: 10 })), fieldValue([]));
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant("") },
    { weight: 3, arbitrary: fc.array(pair, { maxLength: 4 }).map((pairs) => new URLSearchParams(pairs).toString()) },
    { weight: 2, arbitrary: fc.constantFrom("%", "a=%zz", "=%E0%A4%A&&=", "a[b]=1&a[b]=2", "%00=%00", "q=" + "%25".repeat(300)) },
  );
}

/** The fuzz runs read row counts and set pragmas on the SQLite file (the suite's fuzz step runs on SQLite). */
export function sqliteClientOf(database: AnyDatabase): BetterSqlite3.Database {
  if (database.engine !== "sqlite") throw new Error("The fuzz runs count rows in the SQLite file: run them without DATABASE_URL");
  return database.client;
}

/** Every table of the database (the fuzzed app's own tables; not SQLite's or drizzle's). */
export function tableCounter(client: BetterSqlite3.Database): () => string {
  const tables = client
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name")
    .pluck()
    .all() as string[];
  const statement = client.prepare(`select ${tables.map((t) => `(select count(*) from "${t}") as "${t}"`).join(", ")}`);
  return () => JSON.stringify(statement.get());
}

/** Which tables changed between two counts (for the failure message). */
export function changedTables(before: string, after: string): string[] {
  const a = JSON.parse(before) as Record<string, number>;
  const b = JSON.parse(after) as Record<string, number>;
  return Object.keys(b).filter((t) => a[t] !== b[t]).map((t) => `${t}: ${a[t]} → ${b[t]}`);
}

/** Faster writes for a throw-away database: durability does not matter in a fuzz run. */
export function fastWrites(client: BetterSqlite3.Database): void {
  client.pragma("synchronous = OFF");
}

/** With FUZZ_STATS=1, how many answers of each status a property got (to see it reaches past validation). */
export function statusTally(label: string): { add: (status: number) => void; report: () => void } {
  const tally = new Map<number, number>();
  return {
    add: (status) => void tally.set(status, (tally.get(status) ?? 0) + 1),
    report: () => {
      if (process.env.FUZZ_STATS !== "1") return;
      const line = [...tally].sort((a, b) => a[0] - b[0]).map(([status, n]) => `${status}×${n}`).join(" ");
      process.stderr.write(`fuzz ${label}: ${line}\n`);
    },
  };
}

/**
 * Silences the console while a property runs: React Router logs every refused request with its
 * stack, which over thousands of cases costs more time than the requests. (Plain replacement, not
 * a spy: a spy would keep every call's arguments.) Returns the function that restores it.
 */
export function muteConsole(): () => void {
  const saved = { error: console.error, warn: console.warn, log: console.log };
  console.error = console.warn = console.log = () => undefined;
  return () => Object.assign(console, saved);
}

/**
 * In-process requests never wait for I/O, so a property's loop runs on microtasks alone and the
 * FinalizationRegistry cleanups Node posts as tasks (the AbortSignals React Router's `.data`
 * requests chain to the request's signal) never run: the heap grows until the worker dies.
 * A real server turns the event loop on every request; each case does so here.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
