/**
 * API keys for integrating systems (SPEC §5): "cnd_" + 256 random bits, shown once, stored only as
 * a SHA-256 hash, scoped, revocable. Lookups go through an in-memory cache of hash → key
 * (`createApiKeyCache`, one per process, built by the composition root and handed to the lean API
 * and the staff pages as `services.apiKeys`). The stated bound on staleness: a key revoked
 * through this process's cache (`cache` given to the revoke) stops working here at once; a key
 * revoked anywhere else — the CLI, another process or instance — stops working everywhere within
 * the cache's `maxAgeMs` (CACHE_TTL_MS = 2 s by default), because no cache answers from a copy
 * of the table older than that.
 */
import { hash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { apiKeys } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { fitsLength } from "../utils/text";
import { appendAudit, type AuditActor } from "./audit.server";

import { API_KEY_NAME_MAX, API_SCOPES, type ApiScope } from "./vocabulary";

export { API_KEY_NAME_MAX, API_SCOPES, type ApiScope };
export const isApiScope = (value: unknown): value is ApiScope => (API_SCOPES as readonly unknown[]).includes(value);

export const API_KEY_PREFIX = "cnd_";
/** Characters kept to recognise a key in lists: "cnd_" + 8 — far too few to use it. */
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
/** The default bound on a cache's staleness: a revocation made elsewhere takes effect within this. */
export const CACHE_TTL_MS = 2000;
/** An unknown key re-reads the table if the cache is older than this (keys made elsewhere work quickly; guessing costs at most 4 reads a second). */
export const MISS_RELOAD_MS = 250;

export interface CachedKey {
  id: number;
  /** The key's id as the per-key rate limit counts it (made once, not per call). */
  rateLimitKey: string;
  scopes: ReadonlySet<ApiScope>;
  revoked: boolean;
}

export class ApiKeyInputError extends Error {}

/** The SHA-256 of a key, hex: what the table stores (one-shot `crypto.hash`: the hot path hashes every call). */
export function hashApiKey(key: string): string {
  return hash("sha256", key, "hex");
}

/**
 * Creates a key, audited in the same transaction (async); the key itself is returned only here.
 * `cache`: this process's cache, told at once (without it, an unknown key re-reads the table
 * within MISS_RELOAD_MS anyway). Called inside a caller's transaction, leave `cache` out and
 * invalidate it after that transaction commits.
 */
export async function createApiKey(
  db: Db,
  input: { name: string; scopes: readonly string[]; actor?: AuditActor; now?: number; cache?: ApiKeyCache },
): Promise<{ id: number; key: string; prefix: string }> {
  const name = input.name.trim();
  if (!name || !fitsLength(name, API_KEY_NAME_MAX)) throw new ApiKeyInputError("name");
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0 || !scopes.every(isApiScope)) throw new ApiKeyInputError("scopes");
  const now = input.now ?? Date.now();
  const key = API_KEY_PREFIX + randomBytes(32).toString("base64url");
  const prefix = key.slice(0, SHOWN_PREFIX_LENGTH);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ name, prefix, keyHash: hashApiKey(key), scopes, createdAt: now })
      .returning({ id: apiKeys.id });
    await appendAudit(tx, {
      actor: input.actor ?? { type: "cli" },
      action: "api_key.created",
      target: { type: "api_key", id: row!.id },
      details: { scopes: scopes.join(",") },
      now,
    });
    return row!.id;
  });
  await input.cache?.invalidate();
  return { id, key, prefix };
}

/**
 * Revokes every active key with this prefix (async); resolves to how many. `cache`: this
 * process's cache, which then refuses the key at once; every other cache (other processes,
 * instances) refuses it within its `maxAgeMs`.
 */
export async function revokeApiKey(db: Db, input: { prefix: string; actor?: AuditActor; now?: number; cache?: ApiKeyCache }): Promise<number> {
  const now = input.now ?? Date.now();
  const count = await db.transaction(async (tx) => {
    const revoked = await tx
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.prefix, input.prefix), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    for (const { id } of revoked) {
      await appendAudit(tx, { actor: input.actor ?? { type: "cli" }, action: "api_key.revoked", target: { type: "api_key", id }, now });
    }
    return revoked.length;
  });
  if (count > 0) await input.cache?.invalidate();
  return count;
}

/**
 * Revokes one key by id (the staff page, async), audited in the same transaction. `cache` as for
 * `revokeApiKey`: refused at once by it, by every other cache within its `maxAgeMs`.
 */
export async function revokeApiKeyById(
  db: Db,
  input: { id: number; actor: AuditActor; now?: number; cache?: ApiKeyCache },
): Promise<"revoked" | "notFound" | "alreadyRevoked"> {
  const now = input.now ?? Date.now();
  const result = await db.transaction(async (tx) => {
    // Only an active key is updated: of two concurrent revocations, one finds nothing left to revoke.
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.id, input.id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    if (!revoked) {
      const [row] = await tx.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.id, input.id)).limit(1);
      return row ? ("alreadyRevoked" as const) : ("notFound" as const);
    }
    await appendAudit(tx, { actor: input.actor, action: "api_key.revoked", target: { type: "api_key", id: input.id }, now });
    return "revoked" as const;
  });
  if (result === "revoked") await input.cache?.invalidate();
  return result;
}

/** Every key, newest first (never the hash; async). */
export async function listApiKeys(db: Db) {
  return await db
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, scopes: apiKeys.scopes, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .orderBy(desc(apiKeys.id));
}

// ── The cache ────────────────────────────────────────────────────────────────

/**
 * One process's memory of the API keys: hash → key (id, scopes, revoked), and when each key's
 * last use was written. Built once by the composition root (`services.apiKeys`, with
 * `createApiKeyCache`); the lean API reads it, the staff page invalidates it.
 *
 * The bound on staleness: no lookup answers from a copy of the table older than `maxAgeMs`, so a
 * key revoked elsewhere (the CLI, another process or instance) stops working here within
 * `maxAgeMs`; a revocation told to this cache (`invalidate`) takes effect at once. An unknown key
 * re-reads a copy at least `missReloadMs` old (a key created elsewhere works quickly; guessing
 * costs at most one read per `missReloadMs`).
 */
export class ApiKeyCache {
  readonly maxAgeMs: number;
  private readonly missReloadMs: number;
  private readonly clock: () => number;
  private keys: Map<string, CachedKey> | null = null;
  private loadedAt = 0;
  /**
   * Counts invalidations: a load that was reading while a key was created or revoked does not
   * store what it read (it may predate the change).
   */
  private generation = 0;
  /** Key id → when its last use was last written. */
  private readonly lastUsedWritten = new Map<number, number>();
  private readonly onInvalidate: (() => Promise<void>) | undefined;

  constructor(options: { maxAgeMs?: number; missReloadMs?: number; clock?: () => number; onInvalidate?: () => Promise<void> } = {}) {
    this.maxAgeMs = options.maxAgeMs ?? CACHE_TTL_MS;
    this.missReloadMs = options.missReloadMs ?? MISS_RELOAD_MS;
    this.clock = options.clock ?? Date.now;
    this.onInvalidate = options.onInvalidate;
  }

  /**
   * Drops the copy (after a create or revoke in this process): the next lookup re-reads the table.
   * Resolves once every cache of the process that must know has dropped its copy too (`onInvalidate`:
   * a page thread's cache tells the main thread's, whose lean API reads it) — await it before
   * answering, so the change holds at once for the next call.
   */
  async invalidate(): Promise<void> {
    this.keys = null;
    this.generation += 1;
    await this.onInvalidate?.();
  }

  /** See `resolveApiKey`. */
  async resolve(db: Db, presented: string): Promise<CachedKey | undefined> {
    if (!wellFormed(presented)) return undefined;
    const hashed = hashApiKey(presented);
    const now = this.clock();
    const known = this.known(hashed, now);
    if (known !== null) return known;
    let keys = this.keys && now - this.loadedAt < this.maxAgeMs ? this.keys : await this.load(db, now);
    if (!keys.has(hashed) && now - this.loadedAt >= this.missReloadMs) keys = await this.load(db, now);
    return usable(keys.get(hashed));
  }

  /**
   * `resolve` without reading the table (the agents' hot path: no promise): the key, or undefined
   * when unknown or revoked — or null when only a read of the table can tell (the copy is
   * `maxAgeMs` old or was invalidated, or the key is unknown and a miss may re-read it): then call
   * `resolve`. Answers exactly as `resolve` would at this moment.
   */
  lookup(presented: string): CachedKey | undefined | null {
    return wellFormed(presented) ? this.known(hashApiKey(presented), this.clock()) : undefined;
  }

  /** The key with this hash from the copy, if the copy can answer at `now` (see `lookup`). */
  private known(hashed: string, now: number): CachedKey | undefined | null {
    const keys = this.keys;
    const age = now - this.loadedAt;
    if (keys === null || age >= this.maxAgeMs) return null;
    const found = keys.get(hashed);
    return found === undefined && age >= this.missReloadMs ? null : usable(found);
  }

  /**
   * See `touchApiKey`. Undefined when no write is due (the hot path: no promise), else the write's
   * promise.
   */
  touch(db: Db, id: number): Promise<void> | undefined {
    const now = this.clock();
    if (now - (this.lastUsedWritten.get(id) ?? 0) < 60_000) return undefined;
    this.lastUsedWritten.set(id, now);
    return db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(eq(apiKeys.id, id))
      .then(() => undefined);
  }

  private async load(db: Db, now: number): Promise<Map<string, CachedKey>> {
    const generation = this.generation;
    const next = new Map<string, CachedKey>();
    for (const row of await db.select({ id: apiKeys.id, keyHash: apiKeys.keyHash, scopes: apiKeys.scopes, revokedAt: apiKeys.revokedAt }).from(apiKeys)) {
      next.set(row.keyHash, { id: row.id, rateLimitKey: String(row.id), scopes: new Set(row.scopes.filter(isApiScope)), revoked: row.revokedAt !== null });
    }
    if (this.generation === generation) {
      this.keys = next;
      this.loadedAt = now;
    }
    return next;
  }
}

const wellFormed = (presented: string) => presented.startsWith(API_KEY_PREFIX) && presented.length <= 100;
const usable = (key: CachedKey | undefined) => (key && !key.revoked ? key : undefined);

/**
 * A cache of the API keys (one per process: the composition root's `services.apiKeys`).
 * `maxAgeMs` (default CACHE_TTL_MS = 2 s) is the stated bound: a key revoked in another process or
 * instance stops working through this cache within `maxAgeMs`. `missReloadMs` (default
 * MISS_RELOAD_MS); `clock`: the time in ms (tests inject one); `onInvalidate`: also run (and awaited)
 * by every `invalidate` (a page thread forwards it to the main thread's cache, app/page-threads.server.ts).
 */
export function createApiKeyCache(options: { maxAgeMs?: number; missReloadMs?: number; clock?: () => number; onInvalidate?: () => Promise<void> } = {}): ApiKeyCache {
  return new ApiKeyCache(options);
}

/**
 * The key behind a presented secret, or undefined when unknown or revoked (async). Hashing plus
 * one Map lookup; the table is re-read when the cache's copy is `cache.maxAgeMs` old (so a
 * revocation made elsewhere is seen within that) or was invalidated.
 */
export async function resolveApiKey(db: Db, cache: ApiKeyCache, presented: string): Promise<CachedKey | undefined> {
  return cache.resolve(db, presented);
}

/**
 * Records when a key was last used (async), at most once a minute per key and cache (a write per
 * call would be too costly).
 */
export async function touchApiKey(db: Db, cache: ApiKeyCache, id: number): Promise<void> {
  await cache.touch(db, id);
}
