/**
 * The composition root: builds the database (engine chosen by DATABASE_URL) and the services
 * around it, once per process. The server hands the result to React Router through the router
 * context (`servicesContext`), to the lean API handler and to the workers; the CLI and the tests
 * build their own with the same function. Nothing below it reaches for a global.
 */
import { createApiKeyCache, type ApiKeyCache } from "./domain/api-keys.server";
import { createApiUsage, type ApiUsage } from "./domain/api-requests.server";
import { decisionCheck, preferencesRead, type DecideFn, type PreferencesReadFn } from "./domain/decision-hot-path.server";
import type { DecideInput } from "./domain/decisions.server";
import { openDatabase, runMigrations, type AnyDatabase, type Db } from "./utils/db.server";
import { env } from "./utils/env.server";
import { createRateLimits, type RateLimits } from "./utils/rate-limit.server";

export interface Services {
  database: AnyDatabase;
  /** The domain's handle: pass it (or a transaction) as the first argument of domain functions. */
  db: Db;
  /** Every rate limit (sign-in, links, concerns, API): in the database on PostgreSQL, shared by all instances. */
  rateLimits: RateLimits;
  /**
   * This process's API key cache (the lean API authenticates through it; the staff page tells it of
   * creations and revocations at once). A key revoked elsewhere — the CLI, another instance —
   * stops working here within `apiKeys.maxAgeMs` (CACHE_TTL_MS, 2 s).
   */
  apiKeys: ApiKeyCache;
  /** The agents' hot path: the decision check and the preferences read, as prepared statements of the engine. */
  decide: DecideFn;
  readPreferences: PreferencesReadFn;
  /** Hot-path calls counted per key, written to the audit log once a minute and on shutdown. */
  apiUsage: ApiUsage;
}

/**
 * `url`: DATABASE_URL by default (unset → the embedded SQLite file); `database`: one already open
 * (tests, page threads) instead. `migrate` (default true) brings the schema up to date first.
 * `rateLimits` and `apiKeys`: what must stay one per process, when this is a page thread's
 * services reaching the main thread's (app/page-threads.server.ts); by default built here.
 * Throws when the database cannot be opened or migrated.
 */
export async function createServices(
  options: { url?: string; migrate?: boolean; database?: AnyDatabase; rateLimits?: RateLimits; apiKeys?: ApiKeyCache } = {},
): Promise<Services> {
  const database = options.database ?? openDatabase(options.url);
  if (options.migrate ?? true) await runMigrations(database);
  const { RATE_LIMITS, API_RATE_LIMIT_PER_MINUTE } = env();
  const rateLimits = options.rateLimits ?? (await createRateLimits(database, { enabled: RATE_LIMITS === "on", apiCallsPerMinute: API_RATE_LIMIT_PER_MINUTE }));
  // Prepared on first use: a process that never answers the API (CLI, tests) prepares nothing.
  let decide: DecideFn | undefined;
  let readPreferences: PreferencesReadFn | undefined;
  // Closing waits for the decision checks made so far (SQLite: a group commit waiting for its
  // turn), so none is cut off from its commit by a shutdown.
  const close = database.close.bind(database);
  database.close = async () => {
    await decide?.settled();
    await close();
  };
  return {
    database,
    db: database.db,
    rateLimits,
    apiKeys: options.apiKeys ?? createApiKeyCache(),
    decide: Object.assign((input: DecideInput) => (decide ??= decisionCheck(database))(input), { settled: async () => decide?.settled() }),
    readPreferences: (customerId) => (readPreferences ??= preferencesRead(database))(customerId),
    apiUsage: createApiUsage(database.db),
  };
}
