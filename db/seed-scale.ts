/**
 * `npm run seed:scale -- --customers N [--database URL] [--force]`: grows a database to N customers
 * with the proportions of a telecom's history, for the growth table (test/bench/growth.ts) and
 * capacity checks. Runs the migrations and the demo seed first (register, choices, staff, the two
 * demo customers), then adds customers `scale-0000000`… in bulk: per customer 1–4 choices with their
 * consent events (some with limits), 2–5 interactions with their AI involvement, the decision checks
 * behind them, one concern per ~20 customers over two years (mostly resolved or closed, the recent
 * ones open, some overdue, assigned to a handful of staff, in the customer's language), and a few
 * confirmation requests and permission breaches. Deterministic per customer number, so a database
 * grown 10k → 100k holds the same first 10k customers as one seeded to 100k at once.
 *
 * Bulk rows are written as imported history: no audit entries, webhooks or emails (the demo seed
 * keeps those). Refuses a database holding other customers unless `--force`. One customer's rows are
 * made in db/seed-scale-history.ts and written by db/seed-scale-writer.ts.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { rebuildMonitoringFigures } from "../app/domain/monitoring.server";
import { rebuildPublicStatistics } from "../app/domain/public-statistics.server";
import { rebuildReportFigures } from "../app/domain/report-figures.server";
import { hashPassword } from "../app/domain/staff.server";
import { executeSql, openDatabase, runMigrations, type AnyDatabase } from "../app/utils/db.server";
import { seedDemo, seedDemoEmbedSite, seedDemoStaff } from "./seed";
import { customerRows, LANGS, orderedIds, SCALE_PREFIX, type ScaleContext } from "./seed-scale-history";
import { bulkWriter, emptyRows } from "./seed-scale-writer";

export { SCALE_PREFIX, scaleCustomerId } from "./seed-scale-history";

/** Customers per transaction: about 15 rows each, so ~30k rows per commit. */
const BATCH = 2_000;
/** Staff added for assignments (besides the demo's three); they cannot sign in (unknown password). */
const SCALE_STAFF = ["Noor Haddad", "Lena Vogel", "Marc Dubois", "Ines Moreau", "Jonas Berg", "Sofia Lind"];

// ── What already exists ─────────────────────────────────────────────────────
async function scalar(database: AnyDatabase, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await executeSql<{ value: number | string | null }>(database.db, query);
  return Number(row?.value ?? 0);
}

/** Customers that are neither the demo's nor the bulk's (a real database): seeding refuses them. */
async function foreignCustomers(database: AnyDatabase): Promise<number> {
  return scalar(database, sql`select count(*) as value from customers where id not like ${`${SCALE_PREFIX}%`} and id not like 'demo-customer-%'`);
}

/** How many bulk customers the database holds (their numbers are 0…count-1). */
export async function scaleCustomerCount(database: AnyDatabase): Promise<number> {
  return scalar(database, sql`select count(*) as value from customers where id like ${`${SCALE_PREFIX}%`}`);
}

async function loadContext(database: AnyDatabase, now: number): Promise<ScaleContext> {
  const systems = await executeSql<{ id: number; slug: string }>(database.db, sql`select id, slug from ai_systems order by id`);
  const choices = await executeSql<{ key: string; kind: string; noticeVersion: number }>(database.db, sql`select key, kind, notice_version as "noticeVersion" from choice_definitions order by position`);
  let staff = await executeSql<{ id: number; name: string; email: string }>(database.db, sql`select id, name, email from staff_users where email like '%@scale.example' order by id`);
  if (staff.length === 0) {
    // One hash for all: nobody knows the password, so these accounts cannot sign in.
    const passwordHash = await hashPassword(randomUUID());
    for (const [i, name] of SCALE_STAFF.entries()) {
      await executeSql(
        database.db,
        sql`insert into staff_users (email, name, role, password_hash, locale, created_at, updated_at) values (${`staff${i + 1}@scale.example`}, ${name}, 'agent', ${passwordHash}, ${LANGS[i * 3 % LANGS.length]}, ${now}, ${now})`,
      );
    }
    staff = await executeSql(database.db, sql`select id, name, email from staff_users where email like '%@scale.example' order by id`);
  }
  const [demoAgent] = await executeSql<{ id: number }>(database.db, sql`select id from staff_users where email = 'agent@nordlys.example'`);
  if (!demoAgent) throw new Error("The demo staff are missing: run the demo seed first");
  const next = async (table: string) => (await scalar(database, sql`select coalesce(max(id), 0) as value from ${sql.identifier(table)}`)) + 1;
  return {
    now,
    systems,
    systemIdBySlug: new Map(systems.map((s) => [s.slug, Number(s.id)])),
    choices: choices.map((c) => ({ ...c, noticeVersion: Number(c.noticeVersion) })),
    staff: [{ id: Number(demoAgent.id), name: "Alex Agent" }, ...staff.map((s) => ({ id: Number(s.id), name: s.name }))],
    demoAgentId: Number(demoAgent.id),
    uuid: orderedIds(now),
    nextId: {
      consentEvents: await next("consent_events"),
      interactions: await next("interactions"),
      interactionAi: await next("interaction_ai"),
      concerns: await next("concerns"),
    },
  };
}

// ── Growing ─────────────────────────────────────────────────────────────────
export interface GrowResult {
  /** Bulk customers before and after. */
  from: number;
  to: number;
  ms: number;
}

/**
 * Grows `database` (migrated, demo-seeded) from its current number of bulk customers to
 * `customers`, in transactions of BATCH customers. `log` receives progress lines. Returns what it
 * did; a database already at or above the size is left as it is.
 */
export async function growToScale(database: AnyDatabase, customers: number, options: { now?: number; log?: (line: string) => void } = {}): Promise<GrowResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const from = await scaleCustomerCount(database);
  if (from >= customers) return { from, to: from, ms: 0 };
  const ctx = await loadContext(database, options.now ?? Date.now());
  const writer = await bulkWriter(database);
  let lastLog = Date.now();
  try {
    for (let start = from; start < customers; start += BATCH) {
      const rows = emptyRows();
      const end = Math.min(customers, start + BATCH);
      for (let n = start; n < end; n++) customerRows(ctx, n, rows);
      await writer.flush(rows);
      if (Date.now() - lastLog > 5_000 || end === customers) {
        lastLog = Date.now();
        const seconds = (Date.now() - started) / 1000;
        log(`seed:scale ${end.toLocaleString("en")} / ${customers.toLocaleString("en")} customers (${seconds.toFixed(0)} s, ${Math.round((end - from) / seconds).toLocaleString("en")}/s)`);
      }
    }
  } finally {
    await writer.close();
  }
  if (database.engine === "postgres") {
    // Rows were written with explicit ids: move each identity past them.
    for (const table of ["consent_events", "interactions", "interaction_ai", "concerns", "concern_events", "concern_messages", "confirmation_answers", "permission_breaches"]) {
      await executeSql(database.db, sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select coalesce(max(id), 1) from ${sql.identifier(table)}))`);
    }
  }
  return { from, to: customers, ms: Date.now() - started };
}

/**
 * What the features need after a bulk load, as `npm run cli -- reports rebuild` does before a
 * deployment: the report, monitoring and public figures rebuilt from the rows, and the planner's
 * statistics (ANALYZE).
 */
export async function finishScaleSeed(database: AnyDatabase, log: (line: string) => void = () => undefined): Promise<void> {
  const started = Date.now();
  // The search index (FTS5 / GIN) and the queue's due column follow the rows by themselves (triggers, a generated column).
  const figures = await rebuildReportFigures(database.db);
  log(`seed:scale report figures rebuilt: ${figures.days} days, ${figures.choices} choice figures (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const monitored = await rebuildMonitoringFigures(database.db);
  const published = await rebuildPublicStatistics(database.db);
  log(`seed:scale monitoring figures (${monitored} records) and public statistics (${published} concerns) rebuilt (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (database.engine === "sqlite") database.client.exec("analyze");
  else await executeSql(database.db, sql`analyze`);
  log(`seed:scale analyze done (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/**
 * The whole command on an open database: migrate, demo seed (on an empty database), grow, finish.
 * Throws when the database holds customers that are neither the demo's nor the bulk's, unless `force`.
 */
export async function seedScale(database: AnyDatabase, customers: number, options: { force?: boolean; log?: (line: string) => void; now?: number } = {}): Promise<GrowResult> {
  const log = options.log ?? (() => undefined);
  await runMigrations(database);
  const others = await foreignCustomers(database);
  if (others > 0 && !options.force) throw new Error(`The database holds ${others} customers that are not the demo's or seed:scale's: refusing (use --force)`);
  if (await seedDemo(database.db)) log("seed:scale demo seed done");
  await seedDemoStaff(database.db);
  await seedDemoEmbedSite(database.db);
  const result = await growToScale(database, customers, { log, now: options.now });
  if (result.to > result.from) await finishScaleSeed(database, log);
  return result;
}

function parseArgs(argv: string[]): { customers: number; database?: string; force: boolean } {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const customers = Number((value("--customers") ?? "10000").replace(/[_,]/g, ""));
  if (!Number.isInteger(customers) || customers < 1 || customers > 9_999_999) throw new Error("--customers: a whole number from 1 to 9,999,999");
  return { customers, database: value("--database"), force: argv.includes("--force") };
}

if (process.argv[1]?.endsWith("seed-scale.ts")) {
  const args = parseArgs(process.argv.slice(2));
  const database = openDatabase(args.database);
  try {
    const result = await seedScale(database, args.customers, { force: args.force, log: (line) => console.log(line) });
    console.log(
      result.to > result.from
        ? `seed:scale: ${result.from.toLocaleString("en")} → ${result.to.toLocaleString("en")} customers in ${(result.ms / 1000).toFixed(1)} s`
        : `seed:scale: already ${result.from.toLocaleString("en")} customers; nothing to add`,
    );
  } finally {
    await database.close();
  }
}
