import { createHash } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import { formSubmissions } from "../../db/schema";
import { executeSql, forEngine, type Db } from "../utils/db.server";

/** How long an identical submission counts as a repeat of the first one: 10 seconds. */
export const DUPLICATE_WINDOW_MS = 10_000;

export interface SubmissionKey {
  /** Who submits: "customer:<id>", "staff:<id>", "ip:<address>", "track:<ref>". */
  actor: string;
  /** What is being created, with its target: "concern.file", "concern.reply:<ref>". */
  action: string;
  /** The submitted values; strings are normalised (Unicode NFC, trimmed, runs of white space as one). */
  content: unknown;
}

function normalise(value: unknown): unknown {
  if (typeof value === "string") return value.normalize("NFC").trim().replace(/\s+/gu, " ");
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, normalise(v)]),
    );
  }
  return value ?? null;
}

/** SHA-256 (hex) of the normalised content: key order and spacing do not matter. */
export function contentHash(content: unknown): string {
  return createHash("sha256").update(JSON.stringify(normalise(content))).digest("hex");
}

/**
 * Runs `create` once per actor, action and normalised content within DUPLICATE_WINDOW_MS (10 s):
 * a double click, a resent form or two identical POSTs arriving together get the first result
 * (no second row, email or webhook). The check, `create` and the record happen in one write
 * transaction, so two processes cannot both create (SQLite: IMMEDIATE; PostgreSQL: an advisory
 * lock on the actor, action and content hash, taken first, makes a concurrent duplicate wait for
 * the first and then find its record). `create` receives the transaction and must do every write
 * through it (it may open a savepoint with `tx.transaction`); it returns (or resolves to) a
 * JSON-serialisable value; if it throws nothing is recorded and the error propagates. A result may hold a one-time secret
 * (tracking link, API key, new password) so that the repeat shows the same one: records are
 * deleted once the window has passed — by a timer in this process, and on every later call.
 * `now` is epoch milliseconds (UTC). Async.
 */
export async function once<T>(db: Db, key: SubmissionKey, create: (tx: Db) => T | Promise<T>, now = Date.now()): Promise<T> {
  const hash = contentHash(key.content);
  const { result, recorded } = await db.transaction(async (tx) => {
    await forEngine(tx, {
      sqlite: async () => undefined,
      postgres: async () => {
        await executeSql(tx, sql`select pg_advisory_xact_lock(hashtextextended(${JSON.stringify(["once", key.actor, key.action, hash])}, 0))`);
      },
    });
    await tx.delete(formSubmissions).where(lt(formSubmissions.createdAt, now - DUPLICATE_WINDOW_MS));
    const [earlier] = await tx
      .select({ result: formSubmissions.result })
      .from(formSubmissions)
      .where(and(eq(formSubmissions.actor, key.actor), eq(formSubmissions.action, key.action), eq(formSubmissions.contentHash, hash)))
      .limit(1);
    if (earlier) return { result: JSON.parse(earlier.result) as T, recorded: false };
    const created = await create(tx);
    await tx
      .insert(formSubmissions)
      .values({ actor: key.actor, action: key.action, contentHash: hash, result: JSON.stringify(created ?? null), createdAt: now });
    return { result: created, recorded: true };
  });
  // Scheduled after the commit, so the timer does not run as part of this transaction.
  if (recorded) forgetLater(db);
  return result;
}

/** Deletes expired records shortly after the window ends (secrets must not linger in the file). */
function forgetLater(db: Db): void {
  const timer = setTimeout(() => {
    db.delete(formSubmissions)
      .where(lt(formSubmissions.createdAt, Date.now() - DUPLICATE_WINDOW_MS))
      .then(
        () => undefined,
        // The connection may be closed (tests, shutdown); the next call deletes them instead.
        () => undefined,
      );
  }, DUPLICATE_WINDOW_MS + 1_000);
  timer.unref();
}

/** Async creations under way in this process, by actor, action and content hash. */
const inFlight = new Map<string, Promise<unknown>>();

/**
 * `once` for a creation that must do slow work outside any transaction (e.g. password hashing,
 * which would hold the write transaction): a recorded result within the window is returned; a
 * duplicate arriving while the first is still running in this process awaits the same promise;
 * otherwise `create` runs (with its own transactions) and its result is recorded when it resolves.
 * A rejection records nothing.
 */
export async function onceAsync<T>(db: Db, key: SubmissionKey, create: () => Promise<T>, now = Date.now()): Promise<T> {
  const hash = contentHash(key.content);
  const id = `${key.actor}\u0000${key.action}\u0000${hash}`;
  // Registered before the first await: a duplicate arriving while the first is still reading
  // (not only while it creates) joins it. Checking after the read let a slow read on another
  // pooled connection (PostgreSQL) miss a first call that had already finished and let go.
  const running = inFlight.get(id);
  if (running) return running as Promise<T>;
  const promise = (async () => {
    const [earlier] = await db
      .select({ result: formSubmissions.result, createdAt: formSubmissions.createdAt })
      .from(formSubmissions)
      .where(and(eq(formSubmissions.actor, key.actor), eq(formSubmissions.action, key.action), eq(formSubmissions.contentHash, hash)))
      .limit(1);
    if (earlier && earlier.createdAt >= now - DUPLICATE_WINDOW_MS) return JSON.parse(earlier.result) as T;
    const result = await create();
    await once(db, key, () => result);
    return result;
  })();
  inFlight.set(id, promise);
  try {
    return await promise;
  } finally {
    if (inFlight.get(id) === promise) inFlight.delete(id);
  }
}
