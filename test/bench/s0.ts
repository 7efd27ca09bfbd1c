/**
 * S0 (SPEC §10): the bare baseline for the agents' hot path. A plain node:http server doing only
 * the essential work: the key's SHA-256 looked up in an in-memory set, one prepared statement, the
 * same decision insert (autocommit: one durable commit per request), JSON.stringify. No validation
 * library, no framework, no scopes, no rate limits. The essential rules of SPEC §11.2–§11.3 are
 * kept: the value, identity verification, and a customer's limits (JSON.parse, amount, channels,
 * quiet hours in the customer's zone) when set.
 * `serveS0(store)` is the server for any storage; run directly, this file serves it on the SQLite
 * file DATABASE_PATH (better-sqlite3, synchronous); test/bench/s0-pg.ts serves it on PostgreSQL.
 * Started by test/bench/run.ts.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { tzOffset } from "@date-fns/tz";
import Database from "better-sqlite3";

/** What S0 reads before deciding (one statement). */
export interface S0Facts { version: number; timeZone: string | null; own: string | null; value: string; limits: string | null; identity: string | null }
/** One row of the preferences statement. */
export interface S0PreferenceRow { version: number; timeZone: string | null; key: string; kind: string; defaultValue: string; dnv: number; value: string | null; pnv: number | null; method: string | null; updatedAt: number | null; limits: string | null }
/** A value now (SQLite) or later (PostgreSQL). */
type Maybe<T> = T | Promise<T>;
/** The storage S0 runs on: the same statements on either engine. */
export interface S0Store {
  keyHashes: Set<string>;
  facts(input: { action: string; customerId: string; aiSystem: string }): Maybe<S0Facts | undefined>;
  /** id, customer, action, AI system, decision, reason, version, context, created at. */
  insert(values: [string, string, string, string, string, string, number, string | null, number]): Maybe<unknown>;
  preferences(customerId: string): Maybe<S0PreferenceRow[]>;
}
const then = <T, R>(value: Maybe<T>, next: (value: T) => R): Maybe<R> => (value instanceof Promise ? value.then(next) : next(value));

/** The facts statement (SQLite placeholders; s0-pg.ts numbers them). */
export const FACTS_SQL = `select c.preference_version as version, c.time_zone as "timeZone", p.value as own, coalesce(p.value, d.default_value) as value, p.limits as limits,
          coalesce(ip.value, id.default_value) as identity
   from customers c join choice_definitions d on d.key = ? and d.kind = 'action'
   left join preferences p on p.customer_id = c.id and p.choice_key = d.key
   left join choice_definitions id on id.key = 'identity-verification'
   left join preferences ip on ip.customer_id = c.id and ip.choice_key = id.key
   where c.id = ? and c.erased_at is null`;
export const INSERT_SQL = `insert into decisions (id, customer_id, action_key, ai_system_slug, interaction_id, decision, reason, preference_version, confirmation_id, context, retry_after, created_at)
   values (?, ?, ?, ?, null, ?, ?, ?, null, ?, null, ?)`;
export const PREFERENCES_SQL = `select c.preference_version as version, c.time_zone as "timeZone", d.key as key, d.kind as kind, d.default_value as "defaultValue", d.notice_version as dnv,
          p.value as value, p.notice_version as pnv, p.method as method, p.updated_at as "updatedAt", p.limits as limits
   from customers c join choice_definitions d on true left join preferences p on p.customer_id = c.id and p.choice_key = d.key
   where c.id = ? and c.erased_at is null order by d.position`;
export const KEYS_SQL = "select key_hash from api_keys where revoked_at is null";

interface Limits {
  maxAmount?: { hundredths: number; currency: string };
  channels?: string[];
  quietHours?: { from: string; to: string };
  allowedForDays?: number;
}

const ZONE = process.env.DISPLAY_TIME_ZONE ?? "Europe/Brussels";
const DAY = 86_400_000;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
function quiet(window: { from: string; to: string }, at: number, zone: string): boolean {
  const local = Math.floor((((at + tzOffset(zone, new Date(at)) * 60_000) % DAY) + DAY) % DAY / 60_000);
  const [from, to] = [minutes(window.from), minutes(window.to)];
  return from < to ? local >= from && local < to : from > to && (local >= from || local < to);
}

interface Input {
  customerId: string;
  action: string;
  aiSystem: string;
  context?: { amount?: number; currency?: string; channel?: string };
  identity?: { verified: boolean };
}
function rules(input: Input, facts: S0Facts | undefined): { decision: string; reason: string; version: number } {
  if (!facts) return { decision: "deny", reason: "unknown", version: 0 };
  const prefix = facts.own === null ? "default" : "preference";
  const answer = (decision: string, reason: string) => ({ decision, reason, version: facts.version });
  if (facts.value !== "allow" && facts.value !== "ask") return answer("deny", `${prefix}_never`);
  if (facts.identity !== "no" && input.identity?.verified !== true) return answer("deny", "identity_not_verified");
  const limits = facts.limits ? (JSON.parse(facts.limits) as Limits) : null;
  const context = input.context ?? {};
  if (limits?.quietHours && quiet(limits.quietHours, Date.now(), facts.timeZone ?? ZONE)) return answer("deny", "quiet_hours");
  if (facts.value === "ask") return answer("ask", `${prefix}_ask`);
  if (limits?.maxAmount) {
    if (context.amount === undefined) return answer("ask", "amount_missing");
    if (context.currency !== limits.maxAmount.currency) return answer("ask", "currency_mismatch");
    if (Math.round(context.amount * 100) > limits.maxAmount.hundredths) return answer("ask", "amount_over_limit");
  }
  if (limits?.channels && !limits.channels.includes(context.channel ?? "")) return answer("ask", "channel_not_allowed");
  return answer("allow", `${prefix}_allow`);
}

/** Limits in the API's shape (major units, the quiet hours' zone, allowedUntil). */
function apiLimits(text: string | null, zone: string | null, updatedAt: number | null) {
  if (!text) return null;
  const limits = JSON.parse(text) as Limits;
  return {
    ...(limits.maxAmount ? { maxAmount: { amount: limits.maxAmount.hundredths / 100, currency: limits.maxAmount.currency } } : {}),
    ...(limits.channels ? { channels: limits.channels } : {}),
    ...(limits.quietHours ? { quietHours: { ...limits.quietHours, timeZone: zone ?? ZONE } } : {}),
    ...(limits.allowedForDays ? { allowedForDays: limits.allowedForDays, allowedUntil: new Date((updatedAt ?? 0) + limits.allowedForDays * DAY).toISOString() } : {}),
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Serves S0 on PORT (127.0.0.1) over `store`; prints "listening" when ready. */
export function serveS0(store: S0Store): void {
  const authorised = (header: string | undefined) => !!header && store.keyHashes.has(createHash("sha256").update(header.slice(7)).digest("hex"));
  const failed = (res: ServerResponse) => (error: unknown) => {
    console.error(error);
    send(res, 500, { error: "storage" });
  };
  createServer((req, res) => {
    if (!authorised(req.headers.authorization)) return send(res, 401, { error: "unauthorized" });
    if (req.method === "POST" && req.url === "/api/v1/decisions") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const input = JSON.parse(Buffer.concat(chunks).toString()) as Input;
        const done = then(store.facts(input), (facts) => {
          const { decision, reason, version } = rules(input, facts);
          const context = input.context ? JSON.stringify({ ...input.context, identity: input.identity }) : null;
          const id = randomUUID();
          return then(store.insert([id, input.customerId, input.action, input.aiSystem, decision, reason, version, context, Date.now()]), () =>
            send(res, 200, { decision, reason, decisionId: id, preferenceVersion: version }),
          );
        });
        if (done instanceof Promise) done.catch(failed(res));
      });
      return;
    }
    const match = req.method === "GET" && /^\/api\/v1\/customers\/([^/]+)\/preferences$/.exec(req.url ?? "");
    if (match) {
      const done = then(store.preferences(decodeURIComponent(match[1]!)), (rows) => {
        if (rows.length === 0) return send(res, 404, { error: "not found" });
        return send(res, 200, {
          customerId: match[1],
          preferenceVersion: Number(rows[0]!.version),
          choices: rows.map((r) => ({
            key: r.key,
            kind: r.kind,
            value: r.value ?? r.defaultValue,
            isDefault: r.value === null,
            noticeVersion: r.pnv ?? r.dnv,
            needsReconfirmation: r.value !== null && (r.pnv ?? 0) < r.dnv,
            method: r.method,
            updatedAt: r.updatedAt === null ? null : new Date(r.updatedAt).toISOString(),
            limits: apiLimits(r.limits, r.timeZone, r.updatedAt),
          })),
        });
      });
      if (done instanceof Promise) done.catch(failed(res));
      return;
    }
    send(res, 404, { error: "not found" });
  }).listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const db = new Database(process.env.DATABASE_PATH!);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  const facts = db.prepare<[string, string], S0Facts>(FACTS_SQL);
  const insert = db.prepare(INSERT_SQL);
  const preferences = db.prepare<[string], S0PreferenceRow>(PREFERENCES_SQL);
  serveS0({
    keyHashes: new Set((db.prepare(KEYS_SQL).all() as { key_hash: string }[]).map((r) => r.key_hash)),
    facts: ({ action, customerId }) => facts.get(action, customerId),
    insert: (values) => insert.run(...values),
    preferences: (customerId) => preferences.all(customerId),
  });
}
