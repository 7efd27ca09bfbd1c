/**
 * What the integration API (SPEC §5, app/api/handler.server.ts) does, as domain operations: the
 * handler parses, authenticates and answers; these functions decide and write.
 *
 * Audit: every successful call of these operations appends an audit entry (actor api:<key id>,
 * action api.<endpoint>) in the same transaction as its change (`audited`). Calls that change
 * nothing because the request was refused (unknown customer, erased id, conflict) leave no entry.
 * The agents' hot path (decision checks, preference reads: decisions.server.ts) is not audited one
 * by one — a hash-chained audit write per check would serialise every check behind a second write;
 * each decision is itself an append-only record — and is instead counted per key and endpoint
 * (`countApiUsage`) and written as `api.usage` audit entries once a minute (and on
 * `flushApiUsage()`).
 */
import { and, asc, count, eq, gte, inArray, type SQL } from "drizzle-orm";
import { aiSystems, concernMessages, concerns, customers, interactions } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { appendAudit } from "./audit.server";
import { upsertCustomer, type Customer } from "./customers.server";
import { InteractionConflictError, recordInteraction, type InteractionField, type RecordInteractionInput } from "./interactions.server";
import { mintLink } from "./links.server";
import type { Lang } from "../utils/languages";
import type { AiRole, BreachReason } from "./vocabulary";

/**
 * Runs `change` and appends its audit entry (actor api:<keyId>, action api.<action>) in the same
 * transaction. `change` says whether there is anything to record: a refusal (`record: false`)
 * returns before writing and leaves no entry.
 */
async function audited<T>(
  db: Db,
  keyId: number,
  action: string,
  target: { type: string; id: string | number } | null,
  change: (tx: Db) => Promise<{ record: boolean; result: T }>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const { record, result } = await change(tx);
    if (record) await appendAudit(tx, { actor: { type: "api", id: keyId }, action: `api.${action}`, target });
    return result;
  });
}

// ── Personal links ───────────────────────────────────────────────────────────
/**
 * POST /links: mints a personal link for an existing customer (async), audited.
 * @throws UnknownCustomerError for an unknown or erased customer; RangeError for a lifetime out of range.
 */
export async function mintApiLink(
  db: Db,
  keyId: number,
  input: { customerId: string; lang: Lang | null; interactionRef: string | null; days: number | null; baseUrl: string },
): Promise<{ url: string; expiresAt: number }> {
  return audited(db, keyId, "links.create", { type: "customer", id: input.customerId }, async (tx) => {
    const { url, expiresAt } = await mintLink(tx, { ...input, createdBy: "api" });
    return { record: true, result: { url, expiresAt } };
  });
}

// ── Customers ────────────────────────────────────────────────────────────────
export type PutCustomerResult = { status: "created" | "updated"; customer: Customer } | { status: "erased" };

/**
 * PUT /customers/:id: creates or updates the company's customer `id` (async), audited. An erased
 * id is never reused (`erased`, nothing written).
 */
export async function putApiCustomer(
  db: Db,
  keyId: number,
  input: { id: string; email?: string | null; locale?: string | null; timeZone?: string | null },
): Promise<PutCustomerResult> {
  return audited(db, keyId, "customers.put", { type: "customer", id: input.id }, async (tx): Promise<{ record: boolean; result: PutCustomerResult }> => {
    const [existing] = await tx.select({ erasedAt: customers.erasedAt }).from(customers).where(eq(customers.id, input.id)).limit(1);
    if (existing?.erasedAt) return { record: false, result: { status: "erased" } };
    const customer = await upsertCustomer(tx, input);
    return { record: true, result: { status: existing ? "updated" : "created", customer } };
  });
}

// ── Interactions ─────────────────────────────────────────────────────────────
export interface ApiInteractionInput extends Omit<RecordInteractionInput, "ai"> {
  ai: { aiSystem: string; role: AiRole; actionKey: string | null; actionDetail: string | null; humanReviewed: boolean; trainingEligible: boolean; decisionId: string | null }[];
}

/** An AI action of the posted interaction that had no valid permission (SPEC §11.5); `index` in `ai`. */
export interface ApiBreach {
  index: number;
  reason: BreachReason;
  /** The staff case opened for it. */
  concernRef: string | null;
}

export type ApiInteractionResult =
  | { status: "recorded"; id: number; created: boolean; breaches: ApiBreach[] }
  | { status: "unknown_customer" }
  | { status: "unknown_ai_systems"; slugs: string[] }
  | { status: "conflict"; fields: InteractionField[] };

/**
 * POST /interactions (async), audited: the customer must exist (and not be erased), every AI
 * system is named by its register slug. Idempotent on (source, ref): a replay with the same
 * content answers the stored record (`created: false`); a changed one is a `conflict` naming the
 * fields that differ, and nothing is changed — data is never silently dropped. `breaches` lists
 * the AI actions recorded without a valid permission (SPEC §11.5), each with its staff case;
 * a replay lists the ones found when it was first recorded.
 */
export async function recordApiInteraction(db: Db, keyId: number, input: ApiInteractionInput): Promise<ApiInteractionResult> {
  try {
    return await audited(db, keyId, "interactions.create", { type: "interaction", id: `${input.source}:${input.ref}` }, async (tx): Promise<{ record: boolean; result: ApiInteractionResult }> => {
      const [customer] = await tx.select({ erasedAt: customers.erasedAt }).from(customers).where(eq(customers.id, input.customerId)).limit(1);
      if (!customer || customer.erasedAt) return { record: false, result: { status: "unknown_customer" } };
      const slugs = [...new Set(input.ai.map((a) => a.aiSystem))];
      const found = slugs.length === 0 ? [] : await tx.select({ id: aiSystems.id, slug: aiSystems.slug }).from(aiSystems).where(inArray(aiSystems.slug, slugs));
      const systems = new Map(found.map((s) => [s.slug, s.id]));
      const unknown = slugs.filter((slug) => !systems.has(slug));
      if (unknown.length > 0) return { record: false, result: { status: "unknown_ai_systems", slugs: unknown } };
      const { id, created, breaches } = await recordInteraction(tx, {
        ...input,
        ai: input.ai.map(({ aiSystem, ...a }) => ({ ...a, systemId: systems.get(aiSystem)! })),
      });
      return {
        record: true,
        result: { status: "recorded", id, created, breaches: breaches.map(({ index, reason, concernRef }) => ({ index, reason, concernRef })) },
      };
    });
  } catch (error) {
    if (error instanceof InteractionConflictError) return { status: "conflict", fields: error.fields };
    throw error;
  }
}

// ── Concerns ─────────────────────────────────────────────────────────────────
export type ApiConcern = typeof concerns.$inferSelect & { aiSystem: string | null; interactionRef: string | null };

function concernQuery(db: Db) {
  return db
    .select({ concern: concerns, aiSystem: aiSystems.slug, interactionRef: interactions.ref })
    .from(concerns)
    .leftJoin(aiSystems, eq(aiSystems.id, concerns.systemId))
    .leftJoin(interactions, eq(interactions.id, concerns.interactionId));
}

const flat = (row: { concern: typeof concerns.$inferSelect; aiSystem: string | null; interactionRef: string | null }): ApiConcern => ({
  ...row.concern,
  aiSystem: row.aiSystem,
  interactionRef: row.interactionRef,
});

/**
 * GET /concerns (async), audited: one page of concerns, oldest change first (updatedAt, id),
 * optionally of one status and changed since `since` (epoch ms); `total` counts every match.
 */
export async function listApiConcerns(
  db: Db,
  keyId: number,
  query: { status?: (typeof concerns.$inferSelect)["status"]; since?: number; page: number; pageSize: number },
): Promise<{ total: number; items: ApiConcern[] }> {
  const filters: SQL[] = [];
  if (query.status) filters.push(eq(concerns.status, query.status));
  if (query.since !== undefined) filters.push(gte(concerns.updatedAt, query.since));
  const where = filters.length > 0 ? and(...filters) : undefined;
  return audited(db, keyId, "concerns.list", null, async (tx) => {
    const [counted] = await tx.select({ n: count() }).from(concerns).where(where);
    const rows = await concernQuery(tx)
      .where(where)
      .orderBy(asc(concerns.updatedAt), asc(concerns.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    return { record: true, result: { total: Number(counted?.n ?? 0), items: rows.map(flat) } };
  });
}

/**
 * GET /concerns/:ref (async), audited when found: the concern with its public messages (internal
 * notes never leave the console), oldest first; undefined for an unknown reference.
 */
export async function findApiConcern(
  db: Db,
  keyId: number,
  ref: string,
): Promise<{ concern: ApiConcern; messages: (typeof concernMessages.$inferSelect)[] } | undefined> {
  return audited(db, keyId, "concerns.get", { type: "concern", id: ref }, async (tx) => {
    const [row] = await concernQuery(tx).where(eq(concerns.ref, ref)).limit(1);
    if (!row) return { record: false, result: undefined };
    const messages = await tx
      .select()
      .from(concernMessages)
      .where(and(eq(concernMessages.concernId, row.concern.id), eq(concernMessages.visibility, "public")))
      .orderBy(asc(concernMessages.createdAt), asc(concernMessages.id));
    return { record: true, result: { concern: flat(row), messages } };
  });
}

// ── Usage of the hot path (audited in aggregate) ─────────────────────────────
export interface ApiUsage {
  /** Counts one hot-path call of key `keyId` (`endpoint`: decisions.create, preferences.get). */
  count(keyId: number, endpoint: string): void;
  /**
   * Writes the counted calls as `api.<endpoint>` audit entries (one per key and endpoint, in one
   * transaction) and resets the counts. Resolves to the number of entries written; when the write
   * fails the counts are kept (with calls made meanwhile) and the error is thrown.
   */
  flush(): Promise<number>;
}

/**
 * The hot path's usage counter for one database (built once by the composition root): calls are
 * counted in memory and written once a minute (`intervalMs`), and by `flush()` on shutdown, so the
 * agents' requests never wait for an audit write.
 */
export function createApiUsage(db: Db, options: { intervalMs?: number } = {}): ApiUsage {
  const counts = new Map<string, { keyId: number; endpoint: string; calls: number; since: number }>();
  let timer: NodeJS.Timeout | undefined;
  async function flush(): Promise<number> {
    if (counts.size === 0) return 0;
    const entries = Array.from(counts, ([, entry]) => entry);
    counts.clear();
    try {
      await db.transaction(async (tx) => {
        for (const e of entries) {
          await appendAudit(tx, { actor: { type: "api", id: e.keyId }, action: `api.${e.endpoint}`, details: { calls: e.calls, since: e.since } });
        }
      });
    } catch (error) {
      for (const e of entries) {
        const id = `${e.keyId}|${e.endpoint}`;
        const current = counts.get(id);
        counts.set(id, current ? { ...e, calls: e.calls + current.calls } : e);
      }
      throw error;
    }
    return entries.length;
  }
  return {
    count(keyId, endpoint) {
      const id = `${keyId}|${endpoint}`;
      const entry = counts.get(id);
      if (entry) entry.calls += 1;
      else counts.set(id, { keyId, endpoint, calls: 1, since: Date.now() });
      if (!timer) {
        // Storage unavailable: keep counting, try again at the next tick.
        timer = setInterval(() => void flush().catch(() => undefined), options.intervalMs ?? 60_000);
        timer.unref();
      }
    },
    flush,
  };
}
