/**
 * API keys for integrating systems (SPEC §5): "cnd_" + 256 random bits, shown once, stored only as
 * a SHA-256 hash, scoped, revocable. Lookups go through an in-memory cache of hash → key that is
 * refreshed on every create/revoke in this process and at most every few seconds otherwise, so a
 * revocation made elsewhere (CLI, another process) takes effect within `CACHE_TTL_MS`.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { apiKeys } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { fitsLength } from "../utils/text";
import { appendAudit, type AuditActor } from "./audit.server";

export const API_SCOPES = ["links", "customers", "interactions", "decisions", "concerns"] as const;
export type ApiScope = (typeof API_SCOPES)[number];
export const isApiScope = (value: unknown): value is ApiScope => (API_SCOPES as readonly unknown[]).includes(value);

export const API_KEY_PREFIX = "cnd_";
/** Characters kept to recognise a key in lists: "cnd_" + 8 — far too few to use it. */
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
export const CACHE_TTL_MS = 2000;
/** An unknown key re-reads the table if the cache is older than this (keys made elsewhere work quickly; guessing costs at most 4 reads a second). */
export const MISS_RELOAD_MS = 250;
export const API_KEY_NAME_MAX = 100;

export interface CachedKey {
  id: number;
  scopes: ReadonlySet<ApiScope>;
  revoked: boolean;
}

export class ApiKeyInputError extends Error {}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Creates a key, audited in the same transaction (async); the key itself is returned only here. */
export async function createApiKey(
  db: Db,
  input: { name: string; scopes: readonly string[]; actor?: AuditActor; now?: number },
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
  invalidateApiKeyCache();
  return { id, key, prefix };
}

/** Revokes every active key with this prefix (async); resolves to how many. */
export async function revokeApiKey(db: Db, input: { prefix: string; actor?: AuditActor; now?: number }): Promise<number> {
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
  invalidateApiKeyCache();
  return count;
}

/** Revokes one key by id (the staff page, async), audited in the same transaction. */
export async function revokeApiKeyById(
  db: Db,
  input: { id: number; actor: AuditActor; now?: number },
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
  if (result === "revoked") invalidateApiKeyCache();
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
// Kept on globalThis: the React Router build bundles its own copy of this module (a future staff
// page creating or revoking keys there must clear the same cache the lean API reads).
// `generation` counts invalidations: a load that was reading while a key was created or revoked
// does not store what it read (it may predate the change).
const shared = globalThis as unknown as { __candorApiKeys?: { keys: Map<string, CachedKey> | null; loadedAt: number; generation: number } };
const state = (shared.__candorApiKeys ??= { keys: null, loadedAt: 0, generation: 0 });

export function invalidateApiKeyCache(): void {
  state.keys = null;
  state.generation += 1;
}

async function load(db: Db, now: number): Promise<Map<string, CachedKey>> {
  const generation = state.generation;
  const next = new Map<string, CachedKey>();
  for (const row of await db.select({ id: apiKeys.id, keyHash: apiKeys.keyHash, scopes: apiKeys.scopes, revokedAt: apiKeys.revokedAt }).from(apiKeys)) {
    next.set(row.keyHash, { id: row.id, scopes: new Set(row.scopes.filter(isApiScope)), revoked: row.revokedAt !== null });
  }
  if (state.generation === generation) {
    state.keys = next;
    state.loadedAt = now;
  }
  return next;
}

/**
 * The key behind a presented secret, or undefined when unknown or revoked (async). Hashing plus
 * one Map lookup; the table is re-read at most every CACHE_TTL_MS.
 */
export async function resolveApiKey(db: Db, presented: string, now = Date.now()): Promise<CachedKey | undefined> {
  if (!presented.startsWith(API_KEY_PREFIX) || presented.length > 100) return undefined;
  const hash = hashApiKey(presented);
  let keys = state.keys && now - state.loadedAt < CACHE_TTL_MS ? state.keys : await load(db, now);
  if (!keys.has(hash) && now - state.loadedAt >= MISS_RELOAD_MS) keys = await load(db, now);
  const found = keys.get(hash);
  return found && !found.revoked ? found : undefined;
}

const lastUsedWritten = new Map<number, number>();
/** Records when a key was last used (async), at most once a minute per key (a write per call would be too costly). */
export async function touchApiKey(db: Db, id: number, now = Date.now()): Promise<void> {
  if (now - (lastUsedWritten.get(id) ?? 0) < 60_000) return;
  lastUsedWritten.set(id, now);
  await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id));
}
