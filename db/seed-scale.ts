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
 * keeps those). Refuses a database holding other customers unless `--force`.
 */
import { randomUUID } from "node:crypto";
import { getTableColumns, getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { rebuildReportFigures } from "../app/domain/report-figures.server";
import { hashPassword } from "../app/domain/staff.server";
import { executeSql, openDatabase, runMigrations, type AnyDatabase } from "../app/utils/db.server";
import { concernSearchText } from "../app/utils/text";
import { AI_SYSTEMS, CONCERN_TEXTS, INTERACTION_TEMPLATES, STAFF_REPLIES, OUTCOME_REASONS, type Lang } from "./seed-data";
import * as pgSchema from "./schema.pg";
import { seedDemo, seedDemoEmbedSite, seedDemoStaff } from "./seed";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;
/** Customers per transaction: about 15 rows each, so ~30k rows per commit. */
const BATCH = 2_000;
/** Customer ids of the bulk: `scale-` and seven digits. */
export const SCALE_PREFIX = "scale-";
export const scaleCustomerId = (n: number) => `${SCALE_PREFIX}${String(n).padStart(7, "0")}`;
/** Staff added for assignments (besides the demo's three); they cannot sign in (unknown password). */
const SCALE_STAFF = ["Noor Haddad", "Lena Vogel", "Marc Dubois", "Ines Moreau", "Jonas Berg", "Sofia Lind"];
/** Words that make search meaningful: each concern names a place and a product. */
const PLACES = ["München", "Zürich", "Köln", "Genève", "Tromsø", "Besançon", "Düsseldorf", "Orléans", "Malmö", "Straßburg", "Nîmes", "Göteborg", "Århus", "Brønnøysund", "Sète", "Lübeck"];
const PRODUCTS = ["Fibre 500", "Mobil 40 GB", "Family Flex", "Roaming Plus", "TV Basis", "Business Pro", "Prepaid Smart", "Home Wi-Fi Mesh"];
const LANGS: Lang[] = ["en", "en", "en", "en", "en", "fr", "fr", "de", "de", "ar"];
const CHANNELS = ["chat", "email", "phone", "app", "web", "sms"];

// ── The bulk writer: one column list per table, rows as arrays ─────────────
interface TableSpec {
  name: string;
  columns: string[];
  /** Columns holding booleans (SQLite stores 0/1). */
  booleans: Set<string>;
}

function spec(name: string, columns: string[], booleans: string[] = []): TableSpec {
  return { name, columns, booleans: new Set(booleans) };
}

const T = {
  customers: spec("customers", ["id", "email", "locale", "preference_version", "created_at", "updated_at", "time_zone"]),
  preferences: spec("preferences", ["customer_id", "choice_key", "value", "notice_version", "method", "updated_at", "limits"]),
  consentEvents: spec("consent_events", ["id", "receipt_id", "customer_id", "choice_key", "value", "previous_value", "notice_version", "lang", "method", "limits", "created_at"]),
  interactions: spec("interactions", ["id", "customer_id", "source", "ref", "channel", "subject", "occurred_at", "created_at"]),
  interactionAi: spec("interaction_ai", ["id", "interaction_id", "system_id", "role", "action_key", "action_detail", "human_reviewed", "training_eligible", "decision_id", "training_reported"], ["human_reviewed", "training_eligible", "training_reported"]),
  decisions: spec("decisions", ["id", "customer_id", "action_key", "ai_system_slug", "interaction_id", "decision", "reason", "preference_version", "context", "created_at"]),
  concerns: spec("concerns", [
    "id", "ref", "customer_id", "contact_email", "contact_method", "lang", "kind", "interaction_id", "system_id", "description", "desired_outcome", "origin", "search_text",
    "status", "priority", "outcome_code", "outcome_reason", "assignee_id", "serious_incident", "sla_paused_at", "sla_due_at", "statutory_due_at", "first_response_at", "resolved_at", "closed_at",
    "revision", "created_at", "updated_at",
  ], ["serious_incident"]),
  concernEvents: spec("concern_events", ["concern_id", "from_status", "to_status", "actor", "staff_id", "created_at"]),
  concernMessages: spec("concern_messages", ["concern_id", "author", "staff_id", "author_name", "visibility", "body", "created_at"]),
  confirmations: spec("confirmations", ["id", "customer_id", "action_key", "ai_system_slug", "interaction_id", "summary", "amount_hundredths", "currency", "channel", "expires_at", "created_at"]),
  confirmationAnswers: spec("confirmation_answers", ["confirmation_id", "customer_id", "answer", "method", "lang", "created_at"]),
  breaches: spec("permission_breaches", ["interaction_ai_id", "interaction_id", "customer_id", "system_id", "action_key", "decision_id", "reason", "concern_id", "detected_at"]),
} satisfies Record<string, TableSpec>;
type TableKey = keyof typeof T;
/** Insertion order (parents first). */
const ORDER: TableKey[] = ["customers", "preferences", "consentEvents", "interactions", "decisions", "interactionAi", "concerns", "concernEvents", "concernMessages", "confirmations", "confirmationAnswers", "breaches"];

/** PostgreSQL array types of every column, read from the PostgreSQL DDL (db/schema.pg.ts). */
function pgColumnTypes(): Map<string, Map<string, string>> {
  const types = new Map<string, Map<string, string>>();
  for (const table of Object.values(pgSchema)) {
    if (!is(table, PgTable)) continue;
    const name = getTableName(table);
    const columns = new Map<string, string>();
    for (const column of Object.values(getTableColumns(table))) columns.set(column.name, column.getSQLType());
    types.set(name, columns);
  }
  return types;
}

interface BulkWriter {
  /** Writes the buffered rows of every table in one transaction. */
  flush(rows: Record<TableKey, unknown[][]>): Promise<void>;
  close(): Promise<void>;
}

async function bulkWriter(database: AnyDatabase): Promise<BulkWriter> {
  if (database.engine === "sqlite") {
    const client = database.client;
    // A bulk load: commits need not wait for the disk (a crash means seeding again); restored after.
    client.pragma("synchronous = NORMAL");
    client.pragma("cache_size = -262144");
    const statements = new Map(ORDER.map((key) => {
      const { name, columns } = T[key];
      return [key, client.prepare(`insert into ${name} (${columns.join(", ")}) values (${columns.map(() => "?").join(", ")})`)];
    }));
    const booleanIndexes = new Map(ORDER.map((key) => [key, T[key].columns.flatMap((c, i) => (T[key].booleans.has(c) ? [i] : []))]));
    const write = client.transaction((rows: Record<TableKey, unknown[][]>) => {
      for (const key of ORDER) {
        const statement = statements.get(key)!;
        const bools = booleanIndexes.get(key)!;
        for (const row of rows[key]) {
          for (const i of bools) row[i] = row[i] ? 1 : 0;
          statement.run(row);
        }
      }
    });
    return {
      async flush(rows) {
        write.immediate(rows);
      },
      async close() {
        client.pragma("synchronous = FULL");
      },
    };
  }
  const types = pgColumnTypes();
  const client = await database.pool.connect();
  await client.query("set synchronous_commit = off");
  const statements = new Map(ORDER.map((key) => {
    const { name, columns } = T[key];
    const columnTypes = types.get(name);
    if (!columnTypes) throw new Error(`db/schema.pg.ts has no table ${name}`);
    const casts = columns.map((c, i) => {
      const type = columnTypes.get(c);
      if (!type) throw new Error(`db/schema.pg.ts has no column ${name}.${c}`);
      return `$${i + 1}::${type}[]`;
    });
    return [key, `insert into ${name} (${columns.join(", ")}) select * from unnest(${casts.join(", ")})`];
  }));
  return {
    async flush(rows) {
      await client.query("begin");
      try {
        for (const key of ORDER) {
          const batch = rows[key];
          if (batch.length === 0) continue;
          const columns = T[key].columns.map((_, i) => batch.map((row) => row[i]));
          await client.query(statements.get(key)!, columns);
        }
        await client.query("commit");
      } catch (error) {
        await client.query("rollback");
        throw error;
      }
    },
    async close() {
      client.release();
    },
  };
}

// ── Deterministic randomness per customer ──────────────────────────────────
/** mulberry32: a small, fast PRNG; seeded per customer number so growth is reproducible. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}

/**
 * UUIDv7-shaped ids (RFC 9562) in increasing order: a 48-bit millisecond clock that advances every
 * 4,096 ids, a 12-bit counter, random bits. Bulk rows then append to the primary-key and
 * receipt-id indexes instead of landing on random pages (a 1M seed 2-3x faster).
 */
function orderedIds(startMs: number) {
  let counter = 0;
  return () => {
    const ms = startMs + Math.floor(counter / 4096);
    const sequence = counter++ % 4096;
    const random = randomUUID();
    const time = ms.toString(16).padStart(12, "0");
    return `${time.slice(0, 8)}-${time.slice(8)}-7${sequence.toString(16).padStart(3, "0")}-${random.slice(19, 23)}-${random.slice(24)}`;
  };
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** A unique, random-looking reference per concern number (an odd multiplier is a bijection mod 2^40). */
function concernRef(n: number): string {
  let value = (BigInt(n + 1) * 0x9e3779b97fn) & ((1n << 40n) - 1n);
  let chars = "";
  for (let i = 0; i < 8; i++) {
    chars = CROCKFORD[Number(value & 31n)]! + chars;
    value >>= 5n;
  }
  return `C-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

// ── What already exists ─────────────────────────────────────────────────────
interface Context {
  now: number;
  systems: { id: number; slug: string }[];
  systemIdBySlug: Map<string, number>;
  choices: { key: string; kind: string; noticeVersion: number }[];
  staff: { id: number; name: string }[];
  /** The demo agent (agent@nordlys.example): gets a share of the assignments, for "assigned to me". */
  demoAgentId: number;
  nextId: Record<"consentEvents" | "interactions" | "interactionAi" | "concerns", number>;
  /** Decision ids and consent receipt ids (UUIDs). */
  uuid: () => string;
}

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

async function loadContext(database: AnyDatabase, now: number): Promise<Context> {
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

// ── One customer's history ──────────────────────────────────────────────────
const TEMPLATE_NAMES = Object.keys(INTERACTION_TEMPLATES);
const OPEN_STATUSES = ["new", "in_progress", "waiting_customer", "waiting_third_party", "escalated"] as const;
const OUTCOMES = ["upheld", "partly_upheld", "not_upheld", "explained", "explained", "explained", "action_reversed"] as const;
const RIGHTS_BASED = new Set(["explanation", "human_review", "privacy"]);

function emptyRows(): Record<TableKey, unknown[][]> {
  return Object.fromEntries(ORDER.map((key) => [key, []])) as unknown as Record<TableKey, unknown[][]>;
}

/** Appends customer `n`'s rows to `rows`. */
function customerRows(ctx: Context, n: number, rows: Record<TableKey, unknown[][]>): void {
  const r = prng(n * 2654435761 + 17);
  const { now } = ctx;
  const id = scaleCustomerId(n);
  const lang = r.pick(LANGS);
  const createdAt = now - r.int(30, 730) * DAY - r.int(0, DAY - 1);
  const span = now - createdAt;
  const at = () => createdAt + Math.floor(r.next() * span);

  // Choices: each save is a consent event; the current value is the last one.
  let preferenceVersion = 0;
  const values = new Map<string, string>();
  const chosen = ctx.choices.filter(() => r.chance(0.3)).slice(0, 4);
  for (const choice of chosen) {
    const options = choice.kind === "action" ? ["allow", "ask", "never"] : ["yes", "no"];
    const saves = r.chance(0.3) ? 2 : 1;
    let previous: string | null = null;
    let savedAt = createdAt + r.int(0, Math.floor(span / 2));
    let value = r.pick(options);
    let limits: string | null = null;
    for (let s = 0; s < saves; s++) {
      value = r.pick(options);
      limits = value === "allow" && r.chance(0.25) ? JSON.stringify(r.chance(0.5) ? { maxAmount: { hundredths: r.pick([1000, 2500, 5000, 10000]), currency: "EUR" } } : { channels: [r.pick(CHANNELS)] }) : null;
      rows.consentEvents.push([ctx.nextId.consentEvents++, ctx.uuid(), id, choice.key, value, previous, choice.noticeVersion, lang, r.pick(["portal", "portal", "embed", "api"]), limits, savedAt]);
      preferenceVersion++;
      previous = value;
      if (s + 1 < saves) savedAt += r.int(1, 60) * DAY;
    }
    values.set(choice.key, value);
    rows.preferences.push([id, choice.key, value, choice.noticeVersion, "portal", savedAt, limits]);
  }
  rows.customers.push([id, `${id}@customers.example`, lang, preferenceVersion, createdAt, now, r.chance(0.05) ? r.pick(["Europe/Paris", "Europe/Berlin", "Asia/Dubai", "Europe/Oslo"]) : null]);

  // Interactions, their AI involvement, and the checks an acting AI made first (SPEC §11.5).
  const interactionIds: number[] = [];
  const actedAiIds: { aiId: number; interactionId: number; systemId: number; actionKey: string }[] = [];
  const count = r.int(2, 5);
  for (let k = 0; k < count; k++) {
    const templateName = r.pick(TEMPLATE_NAMES);
    const template = INTERACTION_TEMPLATES[templateName]!;
    const interactionId = ctx.nextId.interactions++;
    const occurredAt = at();
    interactionIds.push(interactionId);
    rows.interactions.push([interactionId, id, "contact-center", `SC-${String(n).padStart(7, "0")}-${k}`, template.channel, template.subject[lang], occurredAt, occurredAt]);
    for (const ai of template.ai) {
      const systemId = ctx.systemIdBySlug.get(ai.system);
      if (systemId === undefined) continue;
      let decisionId: string | null = null;
      // An AI acts only after an "allow" (SPEC §11.5); without one it asked, and a person acted.
      const acts = ai.role === "acted" && ai.actionKey !== undefined && values.get(ai.actionKey) === "allow";
      if (ai.role === "acted" && ai.actionKey) {
        decisionId = ctx.uuid();
        const context = JSON.stringify({ channel: template.channel, identity: { verified: true } });
        const [decision, reason] = acts ? ["allow", "preference_allow"] : values.get(ai.actionKey) === "never" ? ["deny", "preference_never"] : ["ask", values.has(ai.actionKey) ? "preference_ask" : "default_ask"];
        rows.decisions.push([decisionId, id, ai.actionKey, ai.system, interactionId, decision, reason, preferenceVersion, context, occurredAt - 60_000]);
        if (!acts) decisionId = null;
      }
      const aiId = ctx.nextId.interactionAi++;
      const role = ai.role === "acted" && !acts ? "drafted" : ai.role;
      rows.interactionAi.push([aiId, interactionId, systemId, role, acts ? ai.actionKey : null, acts ? ai.actionDetail?.[lang] ?? null : null, ai.humanReviewed, ai.trainingEligible && values.get("training") !== "no", decisionId, false]);
      if (acts) actedAiIds.push({ aiId, interactionId, systemId, actionKey: ai.actionKey! });
    }
    // Checks that did not lead to an action (asked, refused).
    for (const check of template.checks ?? []) {
      const own = values.get(check.actionKey);
      const decision = own === "never" ? "deny" : "ask";
      const reason = own === "never" ? "preference_never" : own === "ask" ? "preference_ask" : "default_ask";
      rows.decisions.push([ctx.uuid(), id, check.actionKey, check.system, interactionId, decision, reason, preferenceVersion, null, occurredAt - 30_000]);
    }
  }
  // Agents' checks without an interaction of their own (the hot path's everyday traffic).
  for (let k = r.int(0, 2); k > 0; k--) {
    const actionKey = r.pick(["plan-changes", "billing-arrangements", "troubleshooting", "proactive-outreach", "orders"]);
    const own = values.get(actionKey);
    const [decision, reason] = own === "allow" ? ["allow", "preference_allow"] : own === "never" ? ["deny", "preference_never"] : ["ask", own ? "preference_ask" : "default_ask"];
    rows.decisions.push([ctx.uuid(), id, actionKey, r.pick(AI_SYSTEMS).slug, null, decision, reason, preferenceVersion, null, at()]);
  }

  // A concern for about one customer in twenty.
  if (r.chance(0.05)) concernRows(ctx, r, rows, { customerId: id, lang, interactionIds, filedAt: Math.max(createdAt, now - Math.floor(r.next() * 2 * YEAR)) });

  // Confirmation requests ("ask me first", SPEC §11.1): about one customer in 500.
  if (r.chance(0.002)) {
    const confirmationId = ctx.uuid();
    const createdAtC = at();
    const summary = JSON.stringify({ [lang]: `${r.pick(PRODUCTS)}: ${r.int(5, 60)} EUR` });
    rows.confirmations.push([confirmationId, id, "plan-changes", "offer-predictor", interactionIds[0] ?? null, summary, r.int(5, 60) * 100, "EUR", "app", createdAtC + 2 * DAY, createdAtC]);
    if (createdAtC + 2 * DAY < now || r.chance(0.7)) {
      const answer = createdAtC + 2 * DAY < now && r.chance(0.2) ? "expired" : r.pick(["approved", "approved", "declined"]);
      rows.confirmationAnswers.push([confirmationId, id, answer, answer === "expired" ? "system" : "portal", lang, createdAtC + r.int(1, 40) * HOUR]);
    }
  }

  // Permission breaches (SPEC §11.5): about one customer in 5,000, with a staff case each.
  const acted = actedAiIds[0];
  if (acted && r.chance(0.0002)) {
    const concernId = concernRows(ctx, r, rows, { customerId: id, lang, interactionIds: [acted.interactionId], filedAt: at(), breach: true });
    rows.breaches.push([acted.aiId, acted.interactionId, id, acted.systemId, acted.actionKey, null, "decision_missing", concernId, now - r.int(1, 300) * DAY]);
  }
}

/** Appends one concern with its events and messages; returns its id. */
function concernRows(
  ctx: Context,
  r: ReturnType<typeof prng>,
  rows: Record<TableKey, unknown[][]>,
  input: { customerId: string; lang: Lang; interactionIds: number[]; filedAt: number; breach?: boolean },
): number {
  const { now } = ctx;
  const concernId = ctx.nextId.concerns++;
  const text = r.pick(CONCERN_TEXTS);
  const kind = input.breach ? "unwanted_action" : text.kind;
  const ref = concernRef(concernId);
  const description = `${text.description[input.lang]}\n${r.pick(PLACES)} · ${r.pick(PRODUCTS)} · ${input.breach ? "breach" : `#${r.int(10000, 99999)}`}`;
  const desiredOutcome = text.desiredOutcome[input.lang];
  const createdAt = input.filedAt;
  const age = now - createdAt;
  // Recent concerns are mostly open; older ones resolved, closed (or withdrawn, spam).
  const openChance = age < 3 * DAY ? 0.95 : age < 14 * DAY ? 0.6 : age < 45 * DAY ? 0.25 : age < 120 * DAY ? 0.02 : 0;
  let status: string;
  if (r.chance(openChance)) status = age < 2 * DAY && r.chance(0.6) ? "new" : r.pick(OPEN_STATUSES);
  else if (age < 30 * DAY) status = r.chance(0.9) ? "resolved" : r.pick(["withdrawn", "spam"]);
  else status = r.chance(0.93) ? "closed" : r.pick(["withdrawn", "spam", "resolved"]);
  const assigneeId = status === "new" && r.chance(0.7) ? null : r.chance(0.2) ? ctx.demoAgentId : r.pick(ctx.staff).id;
  const staff = ctx.staff.find((s) => s.id === assigneeId) ?? ctx.staff[0]!;
  const slaDueAt = createdAt + 48 * HOUR;
  const statutoryDueAt = RIGHTS_BASED.has(kind) ? createdAt + 30 * DAY : null;
  const firstResponseAt = status === "new" ? null : Math.min(now - 1, createdAt + r.int(1, 60) * HOUR);
  const resolved = status === "resolved" || status === "closed";
  const resolvedAt = resolved ? Math.min(now - 1, (firstResponseAt ?? createdAt) + r.int(1, 20 * 24) * HOUR) : null;
  const closedAt = status === "closed" ? Math.min(now - 1, resolvedAt! + 14 * DAY) : status === "withdrawn" || status === "spam" ? Math.min(now - 1, createdAt + r.int(1, 10) * DAY) : null;
  const slaPausedAt = status === "waiting_customer" ? Math.min(now - 1, (firstResponseAt ?? createdAt) + HOUR) : null;
  const outcomeCode = resolved ? r.pick(OUTCOMES) : null;
  const outcomeReason = resolved ? OUTCOME_REASONS["offer-explained"][input.lang] : null;
  const updatedAt = closedAt ?? resolvedAt ?? slaPausedAt ?? firstResponseAt ?? createdAt;
  const systemId = r.pick(ctx.systems).id;
  rows.concerns.push([
    concernId, ref, input.customerId, `${input.customerId}@customers.example`, "portal", input.lang, kind, input.interactionIds[0] ?? null, Number(systemId), description, desiredOutcome,
    input.breach ? "breach" : "customer", concernSearchText({ ref, description, desiredOutcome }),
    status, input.breach ? "high" : r.pick(["normal", "normal", "normal", "low", "high", "urgent"]), outcomeCode, outcomeReason, assigneeId, !input.breach && r.chance(0.003), slaPausedAt, slaDueAt, statutoryDueAt,
    firstResponseAt, resolvedAt, closedAt, 1, createdAt, updatedAt,
  ]);
  const event = (from: string | null, to: string, actor: string, when: number) => rows.concernEvents.push([concernId, from, to, actor, actor === "staff" ? assigneeId ?? staff.id : null, when]);
  event(null, "new", input.breach ? "system" : "customer", createdAt);
  if (firstResponseAt !== null) {
    const reply = STAFF_REPLIES["offer-explained"];
    rows.concernMessages.push([concernId, "staff", staff.id, reply.authorName, "public", reply.body[input.lang], firstResponseAt]);
    if (r.chance(0.3)) rows.concernMessages.push([concernId, "staff", staff.id, staff.name, "internal", `${r.pick(PRODUCTS)} — ${r.pick(PLACES)}`, firstResponseAt + 60_000]);
    event("new", "in_progress", "staff", firstResponseAt);
  }
  if (status !== "new" && status !== "in_progress") {
    const last = status === "closed" ? "resolved" : status;
    const when = resolvedAt ?? slaPausedAt ?? closedAt ?? Math.min(now - 1, (firstResponseAt ?? createdAt) + HOUR);
    event(firstResponseAt !== null ? "in_progress" : "new", last, status === "withdrawn" ? "customer" : "staff", when);
    if (status === "closed") event("resolved", "closed", "system", closedAt!);
  }
  return concernId;
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
 * What the features need after a bulk load: the report figures rebuilt from the rows
 * (rebuildReportFigures) and the planner's statistics (ANALYZE).
 */
export async function finishScaleSeed(database: AnyDatabase, log: (line: string) => void = () => undefined): Promise<void> {
  const started = Date.now();
  // The search index (FTS5 / GIN) and the queue's due column follow the rows by themselves (triggers, a generated column).
  const figures = await rebuildReportFigures(database.db);
  log(`seed:scale report figures rebuilt: ${figures.days} days, ${figures.choices} choice figures (${((Date.now() - started) / 1000).toFixed(1)} s)`);
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
