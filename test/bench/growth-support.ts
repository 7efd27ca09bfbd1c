/**
 * What `npm run bench:growth` (test/bench/growth.ts) and the isolation bench (test/bench/isolation.ts)
 * share: the databases per size (grown by db/seed-scale.ts, cached), the production server started
 * in its own process as `npm run serve` starts it, the sessions, and the measured requests.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { count, like } from "drizzle-orm";
import pg from "pg";
import { concerns } from "../../db/schema";
import { aiSystemNames } from "../../app/domain/ai-register.server";
import { createApiKey } from "../../app/domain/api-keys.server";
import { claimConcern, fileConcern, listQueue } from "../../app/domain/concerns/index.server";
import { mintLink } from "../../app/domain/links.server";
import { findStaffByEmail } from "../../app/domain/staff.server";
import { QUEUE_PAGE_SIZE } from "../../app/domain/vocabulary";
import { truncateWal, type AnyDatabase } from "../../app/utils/db.server";
import { openPostgresDatabase } from "../../app/utils/db-postgres.server";
import { openSqliteDatabase } from "../../app/utils/db-sqlite.server";
import { DEMO_STAFF } from "../../db/seed";
import { scaleCustomerId, seedScale } from "../../db/seed-scale";
import { BUILD_DIR } from "../support/build";
import { spawnServer } from "../support/server";

export { BUILD_DIR } from "../support/build";
export const CACHE = process.env.GROWTH_CACHE ?? "/tmp/candor-growth-cache";
const log = (line: string) => console.log(line);

/** What `npm run seed:scale` is made of. */
const SEED_FILES = ["db/seed-scale.ts", "db/seed-scale-history.ts", "db/seed-scale-writer.ts", "db/seeded-random.ts"];

/**
 * The cache key of the seeded databases: a hash of the seed's files (SEED_FILES), so databases of another
 * seed are not reused (a newer schema does not invalidate them: they are migrated).
 * GROWTH_SEED_TAG overrides it, e.g. to keep large databases across a refactoring of the seed
 * that does not change what it writes.
 */
export function seedTag(): string {
  if (process.env.GROWTH_SEED_TAG) return process.env.GROWTH_SEED_TAG;
  const hash = createHash("sha256");
  for (const file of SEED_FILES) hash.update(fs.readFileSync(file));
  return hash.digest("hex").slice(0, 10);
}

// ── Databases per size ──────────────────────────────────────────────────────
export interface Target {
  size: number;
  /** What the server gets: DATABASE_PATH or DATABASE_URL. */
  env: Record<string, string>;
  open(options?: { observe?: (query: string, params: unknown[]) => void }): AnyDatabase;
}

/** The SQLite file of `size` customers under CACHE, seeded (or grown from the largest smaller cached size) when missing. */
export async function sqliteTarget(size: number, tag: string): Promise<Target> {
  fs.mkdirSync(CACHE, { recursive: true });
  const file = (n: number) => path.join(CACHE, `sqlite-${n}-${tag}.sqlite`);
  const target = file(size);
  if (fs.existsSync(target)) {
    const database = openSqliteDatabase(target);
    try {
      await seedScale(database, size, { log });
      truncateWal(database.client);
    } finally {
      await database.close();
    }
  } else {
    const smaller = fs.readdirSync(CACHE).map((f) => /^sqlite-(\d+)-(\w+)\.sqlite$/.exec(f)).filter((m) => m && m[2] === tag && Number(m[1]) < size).map((m) => Number(m![1])).sort((a, b) => b - a)[0];
    const partial = `${target}.partial`;
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(partial + suffix, { force: true });
    if (smaller) {
      log(`growth: growing the cached ${smaller.toLocaleString("en")}-customer database to ${size.toLocaleString("en")}`);
      fs.copyFileSync(file(smaller), partial);
    } else log(`growth: seeding ${size.toLocaleString("en")} customers (SQLite)`);
    const database = openSqliteDatabase(partial);
    try {
      await seedScale(database, size, { log });
      truncateWal(database.client);
    } finally {
      await database.close();
    }
    fs.renameSync(partial, target);
  }
  return { size, env: { DATABASE_URL: "", DATABASE_PATH: target }, open: (options) => openSqliteDatabase(target, options) };
}

/** The database `candor_growth_<size>_<tag>` on DATABASE_URL's server, seeded (or copied from the largest smaller one and grown) when missing. */
export async function postgresTarget(size: number, tag: string): Promise<Target> {
  const base = new URL(process.env.DATABASE_URL!);
  const urlOf = (name: string) => Object.assign(new URL(base.href), { pathname: `/${name}` }).href;
  const name = (n: number) => `candor_growth_${n}_${tag}`;
  const admin = new pg.Client({ connectionString: base.href });
  await admin.connect();
  try {
    const existing = (await admin.query<{ datname: string }>("select datname from pg_database where datname like $1", [`candor_growth_%_${tag}`])).rows.map((r) => r.datname);
    if (existing.includes(name(size))) {
      const database = openPostgresDatabase(urlOf(name(size)));
      try {
        await seedScale(database, size, { log });
      } finally {
        await database.close();
      }
    } else {
      const smaller = existing.map((d) => Number(d.split("_")[2])).filter((n) => n < size).sort((a, b) => b - a)[0];
      const partial = `${name(size)}_partial`;
      await admin.query(`drop database if exists ${partial}`);
      if (smaller) {
        log(`growth: growing the cached ${smaller.toLocaleString("en")}-customer database to ${size.toLocaleString("en")}`);
        await admin.query(`create database ${partial} template ${name(smaller)}`);
      } else {
        log(`growth: seeding ${size.toLocaleString("en")} customers (PostgreSQL)`);
        await admin.query(`create database ${partial}`);
      }
      const database = openPostgresDatabase(urlOf(partial));
      try {
        await seedScale(database, size, { log });
      } finally {
        await database.close();
      }
      await admin.query(`alter database ${partial} rename to ${name(size)}`);
    }
  } finally {
    await admin.end();
  }
  const url = urlOf(name(size));
  return { size, env: { DATABASE_URL: url }, open: (options) => openPostgresDatabase(url, { max: 4, observe: options?.observe }) };
}

/** The target of `engine` (PostgreSQL: on DATABASE_URL's server). */
export function targetFor(engine: "sqlite" | "postgres", size: number, tag: string): Promise<Target> {
  return engine === "sqlite" ? sqliteTarget(size, tag) : postgresTarget(size, tag);
}

// ── Like-for-like queue pages ───────────────────────────────────────────────
/** The filtered and searched queue pages every size is measured on (see ensureFullQueuePages). */
export const QUEUE_SYSTEM = "offer-predictor";
export const QUEUE_WORD = "munchen";
/** The start of the description of every case ensureFullQueuePages files. */
const FILLER_TEXT = "The offer I was shown was not right for me. München · Fibre 500 · #";

/**
 * Makes the filtered queue page (open, AI system QUEUE_SYSTEM, assigned to the demo agent) and the
 * searched one (open, QUEUE_WORD) full pages (QUEUE_PAGE_SIZE rows) at this size, so every size
 * renders the same number of rows: at 10k customers the seed holds only a few such open cases
 * (0–8), at 1M hundreds. Files the missing number of concerns through the domain (as customers
 * do: events, audit, webhook, email), each naming München and QUEUE_SYSTEM, and the demo agent
 * claims them. Idempotent: a size that already fills both pages gets nothing. Returns how many
 * cases each of the two views matches after it, and how many of them the bench filed (`added`, this
 * call and earlier ones).
 */
export async function ensureFullQueuePages(target: Target): Promise<{ added: number; filtered: number; searched: number }> {
  const database = target.open();
  try {
    const db = database.db;
    const agent = await findStaffByEmail(db, DEMO_STAFF.find((s) => s.role === "agent")!.email);
    if (!agent) throw new Error("the demo agent is missing");
    const systemId = [...(await aiSystemNames(db, "en"))].find(([, s]) => s.slug === QUEUE_SYSTEM)?.[0];
    if (systemId === undefined) throw new Error(`AI system ${QUEUE_SYSTEM} is missing`);
    const views = async () => {
      const page = { status: "open" as const, sort: "due" as const, page: 1 };
      // Counted without a cap: the figures the table prints are exact (the pages' own counts stop at 1,000).
      const uncapped = { countCap: Number.MAX_SAFE_INTEGER - 1 };
      const filtered = await listQueue(db, { ...page, systemId, assignee: "me" }, agent, "en", Date.now(), uncapped);
      const searched = await listQueue(db, { ...page, q: QUEUE_WORD }, agent, "en", Date.now(), uncapped);
      return { filtered: filtered.rows.length, searched: searched.rows.length, filteredTotal: filtered.total, searchedTotal: searched.total };
    };
    const before = await views();
    const added = QUEUE_PAGE_SIZE - Math.min(before.filtered, before.searched);
    for (let i = 0; i < added; i++) {
      const customerId = scaleCustomerId((i * 104_729) % target.size);
      const { ref } = await fileConcern(db, {
        customerId,
        contactEmail: null,
        contactMethod: "portal",
        lang: "en",
        kind: "explanation",
        interactionId: null,
        systemId,
        description: `${FILLER_TEXT}${10_000 + i}`,
        desiredOutcome: "Please explain how the offer was chosen.",
      });
      await claimConcern(db, ref, { id: agent.id, role: agent.role, name: agent.name });
    }
    const after = added > 0 ? await views() : before;
    if (after.filtered < QUEUE_PAGE_SIZE || after.searched < QUEUE_PAGE_SIZE) throw new Error(`queue pages not full after the top-up: ${JSON.stringify(after)}`);
    const [filed] = await db.select({ n: count() }).from(concerns).where(like(concerns.description, `${FILLER_TEXT}%`));
    return { added: filed!.n, filtered: after.filteredTotal, searched: after.searchedTotal };
  } finally {
    await database.close();
  }
}

// ── The server and its sessions ─────────────────────────────────────────────
export interface Running {
  base: string;
  startupMs: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The production server in its own process, as `npm run serve` starts it (`node
 * <CANDOR_BUILD_DIR>/server/index.js`, NODE_ENV=production), on `target`'s database, with rate
 * limits off (the bench is one client address) and `extraEnv` (e.g. PAGE_THREADS); `nodeArgs`: flags
 * for node itself (e.g. --cpu-prof). Resolves when it prints "listening"; `startupMs` is the time to that line.
 */
export async function startProductionServer(target: Target, extraEnv: Record<string, string> = {}, nodeArgs: string[] = []): Promise<Running> {
  const server = await spawnServer({
    args: [...nodeArgs, path.join(BUILD_DIR, "server/index.js")],
    env: { ...target.env, RATE_LIMITS: "off", LOG_LEVEL: "warn", TRUST_PROXY: "1", ...extraEnv },
    echo: true,
    group: false,
  });
  return {
    base: server.base,
    startupMs: server.startupMs,
    pid: server.child.pid!,
    async stop() {
      await server.stop();
    },
  };
}

/** ms to import the server bundle alone (no database): startup minus this is the database's part. */
export async function importOnlyMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ["-e", `import(${JSON.stringify(path.resolve(BUILD_DIR, "server/index.js"))}).then(() => process.exit(0))`], { env: { ...process.env, NODE_ENV: "production" }, stdio: "ignore" });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`importing the server bundle failed (${code})`);
  return performance.now() - started;
}

export interface Auth {
  apiKey: string;
  /** The demo agent's session. */
  staffCookie: string;
  /** The demo supervisor's session (reports). */
  supervisorCookie: string;
  customerCookie: string;
  /** Bulk customers the decision checks go to. */
  customers: string[];
  size: number;
}

export interface Prepared {
  apiKey: string;
  linkToken: string;
  customerId: string;
}

/** An API key and a customer link made in the database (before the server starts). */
export async function prepareAuth(target: Target): Promise<Prepared> {
  const database = target.open();
  try {
    const { key } = await createApiKey(database.db, { name: `growth-${Date.now()}`, scopes: ["decisions"] });
    const customerId = scaleCustomerId(Math.floor(target.size / 2));
    const { token } = await mintLink(database.db, { customerId, lang: "en", createdBy: "cli", baseUrl: "http://127.0.0.1" });
    return { apiKey: key, linkToken: token, customerId };
  } finally {
    await database.close();
  }
}

/** The sessions, started through the server as people start them (link, staff sign-in). */
export async function signIn(base: string, prepared: Prepared, size: number): Promise<Auth> {
  const origin = { Origin: base, "Content-Type": "application/x-www-form-urlencoded" };
  const link = await fetch(`${base}/l/${prepared.linkToken}`, { method: "POST", headers: origin, body: "", redirect: "manual" });
  const customerCookie = link.headers.get("set-cookie")?.split(";")[0];
  if (link.status !== 303 || !customerCookie) throw new Error(`customer sign-in: ${link.status}`);
  const staffSignIn = async (role: "agent" | "supervisor") => {
    const { email, password } = DEMO_STAFF.find((s) => s.role === role)!;
    const login = await fetch(`${base}/staff/login`, { method: "POST", headers: origin, body: new URLSearchParams({ step: "password", email, password }).toString(), redirect: "manual" });
    const cookie = login.headers.get("set-cookie")?.split(";")[0];
    if (login.status !== 303 || !cookie) throw new Error(`staff sign-in (${role}): ${login.status}`);
    return cookie;
  };
  // The queue as an agent (the demo agent has a share of the assignments); reports need a supervisor.
  const staffCookie = await staffSignIn("agent");
  const supervisorCookie = await staffSignIn("supervisor");
  // Random bulk customers spread over the whole id range (a deterministic sample).
  const customers = Array.from({ length: 500 }, (_, i) => scaleCustomerId((i * 7919 + 13) % size));
  return { apiKey: prepared.apiKey, staffCookie, supervisorCookie, customerCookie, customers, size };
}

// ── Measures ────────────────────────────────────────────────────────────────
export interface Measure {
  name: string;
  request(auth: Auth, i: number): { path: string; init: RequestInit };
  /** Rows the page rendered (queue pages: table rows), printed beside the figures. */
  rows?: (body: string) => number;
}

const queueRows = (body: string) => body.match(/<tr data-ref="/g)?.length ?? 0;

export const MEASURES: Measure[] = [
  {
    name: "decision check (API)",
    request: (auth, i) => ({
      path: "/api/v1/decisions",
      init: {
        method: "POST",
        headers: { Authorization: `Bearer ${auth.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ customerId: auth.customers[i % auth.customers.length], action: "plan-changes", aiSystem: "offer-predictor", identity: { verified: true } }),
      },
    }),
  },
  { name: "queue, first page (by due)", request: (auth) => ({ path: "/staff/concerns", init: { headers: { Cookie: auth.staffCookie } } }), rows: queueRows },
  { name: "queue, filtered (system + mine)", request: (auth) => ({ path: `/staff/concerns?system=${QUEUE_SYSTEM}&assignee=me`, init: { headers: { Cookie: auth.staffCookie } } }), rows: queueRows },
  { name: "queue, search", request: (auth) => ({ path: `/staff/concerns?q=${QUEUE_WORD}`, init: { headers: { Cookie: auth.staffCookie } } }), rows: queueRows },
  { name: "customer's interactions", request: (auth) => ({ path: "/en/me/interactions", init: { headers: { Cookie: auth.customerCookie } } }) },
  { name: "reports (staff)", request: (auth) => ({ path: "/staff/reports", init: { headers: { Cookie: auth.supervisorCookie } } }) },
];

/** ms, 0–100th percentile by nearest rank. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** One request, timed from send to the last byte of the body; `rows`: what the measure counts in the body (or null). */
export async function timeOne(base: string, measure: Measure, auth: Auth, i: number): Promise<{ ms: number; rows: number | null }> {
  const { path: pathname, init } = measure.request(auth, i);
  const started = performance.now();
  const response = await fetch(base + pathname, { ...init, redirect: "manual" });
  const body = measure.rows ? await response.text() : await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${measure.name}: ${pathname} answered ${response.status}`);
  return { ms, rows: measure.rows && typeof body === "string" ? measure.rows(body) : null };
}
