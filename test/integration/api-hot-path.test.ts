/* eslint-disable @typescript-eslint/no-explicit-any -- the test inspects JSON bodies of arbitrary shape */
/**
 * The agents' hot path answers without a promise per step when it can (app/api/hot-path.server.ts,
 * admission.server.ts, the key cache's `lookup`, the SQLite preferences read). These are the cases
 * where it cannot, and must answer exactly what the waiting path answers: a preferences read while
 * a transaction holds the SQLite connection, a key cache too old to answer alone, the call that
 * writes the key's last use. Through the lean handler in this process, on the suite's engine.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withLeanApi } from "../../app/api/handler.server";
import { CACHE_TTL_MS, MISS_RELOAD_MS, createApiKey, createApiKeyCache, revokeApiKey } from "../../app/domain/api-keys.server";
import { createServices, type Services } from "../../app/services.server";
import { apiKeys, preferences } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import { customerWithChoices } from "../support/decision-factories";

let services: Services;
let lean: Server;
let url: string;
let key: string;

beforeAll(async () => {
  // A key cache that never needs the table during a test: a held transaction would hold its read too.
  services = await createServices({ database: await freshTestDatabase(), migrate: false, apiKeys: createApiKeyCache({ maxAgeMs: 3_600_000 }) });
  ({ key } = await createApiKey(services.db, { name: "agent", scopes: ["decisions"], cache: services.apiKeys }));
  lean = createServer(withLeanApi((_req, res) => res.writeHead(404).end(), services));
  await new Promise<void>((resolve) => lean.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(lean.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => lean?.close(resolve));
  await services?.database.close();
});

const readPreferences = (customerId: string, bearer = key) => fetch(`${url}/api/v1/customers/${customerId}/preferences`, { headers: { authorization: `Bearer ${bearer}` } });
const planChanges = async (response: Response) => ((await response.json()) as any).choices.find((c: any) => c.key === "plan-changes").value as string;

describe("the preferences read and an open transaction", () => {
  it("waits for a transaction holding the SQLite connection and answers what it committed; PostgreSQL answers at once what was committed before", async () => {
    const customerId = await customerWithChoices(services.db, { "plan-changes": "ask" });
    // Admitted once: the key is in the cache and its last use written, so only the read is left to wait.
    expect(await planChanges(await readPreferences(customerId))).toBe("ask");
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let changed!: () => void;
    const written = new Promise<void>((resolve) => (changed = resolve));
    const transaction = services.db.transaction(async (tx) => {
      await tx.update(preferences).set({ value: "allow" }).where(and(eq(preferences.customerId, customerId), eq(preferences.choiceKey, "plan-changes")));
      changed();
      await held;
    });
    await written;
    // See what the read gives back while the transaction is open: a value, or a promise of one.
    const read = services.readPreferences;
    // Wrapped: a promise resolved with a promise would wait for it.
    let started!: (value: { result: unknown }) => void;
    const returned = new Promise<{ result: unknown }>((resolve) => (started = resolve));
    services.readPreferences = (id) => {
      const result = read(id);
      started({ result });
      return result;
    };
    try {
      const answer = readPreferences(customerId);
      const { result } = await returned;
      if (services.database.engine === "sqlite") {
        // Not run on the shared connection inside another request's transaction: it waits.
        expect(result).toBeInstanceOf(Promise);
        release();
        await transaction;
        const response = await answer;
        expect(response.status).toBe(200);
        expect(await planChanges(response)).toBe("allow");
      } else {
        const response = await answer;
        expect(await planChanges(response)).toBe("ask");
        release();
        await transaction;
        expect(await planChanges(await readPreferences(customerId))).toBe("allow");
      }
    } finally {
      services.readPreferences = read;
      release();
    }
  });
});

describe("admission without a promise per step", () => {
  it("the key cache's lookup answers as resolve does, and leaves to resolve what only the table can tell", async () => {
    let now = 1_000_000;
    const cache = createApiKeyCache({ clock: () => now });
    const { key: other, id, prefix } = await createApiKey(services.db, { name: "other", scopes: ["decisions"] });
    expect(cache.lookup(other)).toBeNull(); // nothing read yet
    expect(await cache.resolve(services.db, other)).toMatchObject({ id });
    expect(cache.lookup(other)).toMatchObject({ id });
    expect(cache.lookup("not a key")).toBeUndefined();
    const unknown = `${other.slice(0, -1)}${other.endsWith("A") ? "B" : "A"}`;
    expect(cache.lookup(unknown)).toBeUndefined(); // a fresh copy does not know it
    now += MISS_RELOAD_MS;
    expect(cache.lookup(unknown)).toBeNull(); // may have been created since: re-read
    expect(await cache.resolve(services.db, unknown)).toBeUndefined();
    // Revoked elsewhere (no cache told): refused once the copy is CACHE_TTL_MS old, never later.
    await revokeApiKey(services.db, { prefix });
    now += CACHE_TTL_MS;
    expect(cache.lookup(other)).toBeNull();
    expect(await cache.resolve(services.db, other)).toBeUndefined();
    expect(cache.lookup(other)).toBeUndefined();
  });

  it("a call refused for its key or scope, then the first admitted call writes the key's last use before it is answered", async () => {
    const customerId = await customerWithChoices(services.db, {});
    expect((await readPreferences(customerId, "cnd_unknown")).status).toBe(401);
    const { key: linksOnly } = await createApiKey(services.db, { name: "links", scopes: ["links"], cache: services.apiKeys });
    expect((await readPreferences(customerId, linksOnly)).status).toBe(403);
    const { key: agent, id } = await createApiKey(services.db, { name: "agent 2", scopes: ["decisions"], cache: services.apiKeys });
    const lastUse = async () => (await services.db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, id)).limit(1))[0]!.at;
    expect(await lastUse()).toBeNull();
    const response = await readPreferences(customerId, agent);
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).customerId).toBe(customerId);
    expect(await lastUse()).toEqual(expect.any(Number));
  });
});
