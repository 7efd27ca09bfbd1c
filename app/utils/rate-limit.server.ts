/**
 * Every rate limit of Candor, in one place. Built once by the composition root
 * (app/services.server.ts) for the process's database:
 * - on PostgreSQL (several instances) the counters live in the database (rate-limiter-flexible's
 *   Postgres store, table `rate_limits`), so every instance counts the same requests;
 * - on the embedded SQLite engine there is exactly one process, and the counters live in its
 *   memory: a SQLite-backed store would have to write on the shared connection outside the write
 *   gate (app/utils/db-sqlite.server.ts) or block the event loop on a second connection. They
 *   restart from zero when the process restarts.
 * Keys are chosen by the caller: the client address for anonymous visitors, the customer id for
 * signed-in customers, the concern for tracking links, the account for sign-in, the key for API calls.
 */
import { createHash } from "node:crypto";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type IRateLimiterStoreOptions, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { AnyDatabase } from "./db.server";

/** Points per window (seconds). Generous for people, tight for scripts. */
function limits(apiCallsPerMinute: number) {
  return {
    /** Opening or redeeming personal links: guessing tokens is pointless, but cheap to stop. */
    linkOpen: { points: 30, duration: 60 },
    /** The open register (`GET /api/v1/ai-systems` without a key), per client address. */
    openData: { points: 60, duration: 60 },
    /** Filing concerns. */
    concernFile: { points: 5, duration: 60 * 60 },
    /** Replies, reopening and withdrawing concerns. */
    concernWrite: { points: 30, duration: 60 * 60 },
    /** Staff sign-in attempts per client address. */
    loginByIp: { points: 20, duration: 15 * 60 },
    /** Staff sign-in attempts per account. */
    loginByAccount: { points: 5, duration: 15 * 60 },
    /** Two-step codes per account. */
    totpByAccount: { points: 5, duration: 15 * 60 },
    /** Integration API calls per key. */
    api: { points: apiCallsPerMinute, duration: 60 },
  };
}

export type RateLimitName = keyof ReturnType<typeof limits>;

export interface RateLimits {
  /**
   * Consumes one point of `name` for `key`. Resolves to null when allowed, else to the whole
   * seconds (≥ 1) to wait before the next attempt is allowed (for Retry-After).
   */
  consume(name: RateLimitName, key: string): Promise<number | null>;
  /** Forgets `key`'s count (e.g. after a successful sign-in). */
  reset(name: RateLimitName, key: string): Promise<void>;
  /** Gives one consumed point back (e.g. a sign-in from a shared address that succeeded). */
  refund(name: RateLimitName, key: string): Promise<void>;
}

/** Store keys are at most 255 characters: longer keys (addresses, emails) are hashed. */
function storeKey(key: string): string {
  return key.length <= 200 ? key : createHash("sha256").update(key).digest("hex");
}

/**
 * `enabled: false` (RATE_LIMITS=off, load tests only) allows everything. Resolves once the
 * PostgreSQL table exists. Throws when it cannot be created.
 */
export async function createRateLimits(database: AnyDatabase, options: { enabled: boolean; apiCallsPerMinute: number }): Promise<RateLimits> {
  const table = limits(options.apiCallsPerMinute);
  const limiters = {} as Record<RateLimitName, RateLimiterAbstract>;
  for (const [name, { points, duration }] of Object.entries(table) as [RateLimitName, { points: number; duration: number }][]) {
    if (database.engine === "sqlite") {
      limiters[name] = new RateLimiterMemory({ keyPrefix: name, points, duration });
      continue;
    }
    limiters[name] = await new Promise<RateLimiterAbstract>((resolve, reject) => {
      const store: IRateLimiterStoreOptions = { storeClient: database.pool, tableName: "rate_limits", keyPrefix: name, points, duration };
      const limiter: RateLimiterPostgres = new RateLimiterPostgres(store, (error?: Error) => (error ? reject(error) : resolve(limiter)));
    });
  }
  return {
    async consume(name, key) {
      if (!options.enabled) return null;
      try {
        await limiters[name].consume(storeKey(key));
        return null;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw rejection;
      }
    },
    async reset(name, key) {
      await limiters[name].delete(storeKey(key));
    },
    async refund(name, key) {
      if (!options.enabled) return;
      await limiters[name].reward(storeKey(key), 1);
    },
  };
}
