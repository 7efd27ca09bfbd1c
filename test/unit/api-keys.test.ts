import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { count, eq, sql } from "drizzle-orm";
import {
  ApiKeyInputError,
  CACHE_TTL_MS,
  createApiKey,
  createApiKeyCache,
  MISS_RELOAD_MS,
  hashApiKey,
  listApiKeys,
  resolveApiKey,
  revokeApiKey,
  revokeApiKeyById,
  touchApiKey,
} from "../../app/domain/api-keys.server";
import { verifyAudit } from "../../app/domain/audit.server";
import { eraseCustomer } from "../../app/domain/customer-erasure.server";
import { findCustomer } from "../../app/domain/customers.server";
import { exportCustomerData } from "../../app/domain/data-export.server";
import { decide } from "../../app/domain/decisions.server";
import { savePreferences } from "../../app/domain/preferences.server";
import { executeSql, openDatabase, type AnyDatabase, type Db } from "../../app/utils/db.server";
import { apiKeys, auditLog, concerns, customers, decisions, outboxEmails } from "../../db/schema";
import { freshTestDatabase } from "../support/database";

let database: AnyDatabase;
let db: Db;
beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
});
afterEach(async () => {
  await database.close();
});

const lastAudit = async () => (await db.select().from(auditLog).orderBy(auditLog.id)).at(-1)!;

describe("API keys", () => {
  it("are cnd_ + 256 random bits, shown once and stored only as a SHA-256 hash", async () => {
    const { key, prefix, id } = await createApiKey(db, { name: "crm", scopes: ["links", "customers"] });
    expect(key).toMatch(/^cnd_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix.length).toBe(12);
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row!.keyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key);
    expect(row!.scopes).toEqual(["links", "customers"]);
    // The audit entry names the key id and scopes, never the key.
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: "api_key.created", targetId: String(id) });
    expect(JSON.stringify(audit)).not.toContain(key.slice(4));
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it("refuses empty names and unknown scopes", async () => {
    const before = await listApiKeys(db);
    await expect(createApiKey(db, { name: " ", scopes: ["links"] })).rejects.toThrow(ApiKeyInputError);
    await expect(createApiKey(db, { name: "x", scopes: [] })).rejects.toThrow(ApiKeyInputError);
    await expect(createApiKey(db, { name: "x", scopes: ["links", "admin"] })).rejects.toThrow(ApiKeyInputError);
    expect(await listApiKeys(db)).toEqual(before);
  });

  it("resolves a key to its id and scopes; unknown or malformed keys resolve to nothing", async () => {
    const cache = createApiKeyCache();
    const { key, id } = await createApiKey(db, { name: "agent", scopes: ["decisions"] });
    const found = (await resolveApiKey(db, cache, key))!;
    expect(found.id).toBe(id);
    expect([...found.scopes]).toEqual(["decisions"]);
    expect(found.scopes.has("links" as never)).toBe(false);
    expect(await resolveApiKey(db, cache, key + "x")).toBeUndefined();
    expect(await resolveApiKey(db, cache, key.replace("cnd_", "xyz_"))).toBeUndefined();
    expect(await resolveApiKey(db, cache, "")).toBeUndefined();
  });

  it("a revocation told to this process's cache takes effect at once", async () => {
    const cache = createApiKeyCache();
    const { key, prefix } = await createApiKey(db, { name: "agent", scopes: ["decisions"], cache });
    expect(await resolveApiKey(db, cache, key)).toBeDefined();
    expect(await revokeApiKey(db, { prefix, cache })).toBe(1);
    expect(await resolveApiKey(db, cache, key)).toBeUndefined();
    expect(await revokeApiKey(db, { prefix, cache })).toBe(0);
    expect(await lastAudit()).toMatchObject({ action: "api_key.revoked" });
    // The staff page's revocation by id, likewise.
    const second = await createApiKey(db, { name: "crm", scopes: ["links"], cache });
    expect(await resolveApiKey(db, cache, second.key)).toBeDefined();
    expect(await revokeApiKeyById(db, { id: second.id, actor: { type: "staff", id: 1 }, cache })).toBe("revoked");
    expect(await resolveApiKey(db, cache, second.key)).toBeUndefined();
  });

  it("a revocation made elsewhere stops the key on another cache instance once its copy is maxAgeMs old (injected clock)", async () => {
    expect(createApiKeyCache().maxAgeMs).toBe(CACHE_TTL_MS);
    const maxAgeMs = 5_000;
    let now = Date.UTC(2026, 0, 5, 9, 0, 0);
    const clock = () => now;
    // Two processes (or instances): each has its own cache; the second has its own database handle too.
    const here = createApiKeyCache({ maxAgeMs, clock });
    const elsewhere = createApiKeyCache({ maxAgeMs, clock });
    const otherDatabase = anotherInstance();
    try {
      const { key, prefix } = await createApiKey(db, { name: "agent", scopes: ["decisions"], cache: here });
      expect(await resolveApiKey(db, here, key)).toBeDefined();
      expect(await resolveApiKey(otherDatabase.db, elsewhere, key)).toBeDefined(); // loaded at `loaded`
      const loaded = now;
      now += 1_000;
      expect(await revokeApiKey(db, { prefix, cache: here })).toBe(1);
      expect(await resolveApiKey(db, here, key)).toBeUndefined(); // this process: at once
      now = loaded + maxAgeMs - 1;
      expect(await resolveApiKey(otherDatabase.db, elsewhere, key)).toBeDefined(); // still within the bound
      now = loaded + maxAgeMs;
      expect(await resolveApiKey(otherDatabase.db, elsewhere, key)).toBeUndefined(); // the bound: refused everywhere
    } finally {
      await otherDatabase.close();
    }
  });

  it("a key revoked or created behind the cache's back (the CLI) is seen within CACHE_TTL_MS / MISS_RELOAD_MS by default", async () => {
    let now = Date.now();
    const cache = createApiKeyCache({ clock: () => now });
    const start = now;
    const { key, id } = await createApiKey(db, { name: "agent", scopes: ["decisions"] });
    expect(await resolveApiKey(db, cache, key)).toBeDefined();
    await db.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, id)); // as the CLI would
    now = start + 10;
    expect(await resolveApiKey(db, cache, key)).toBeDefined(); // still cached
    now = start + CACHE_TTL_MS;
    expect(await resolveApiKey(db, cache, key)).toBeUndefined();
    // A key created elsewhere becomes usable the same way.
    const loaded = now;
    const key2 = "cnd_" + "A".repeat(43);
    await db.insert(apiKeys).values({ name: "x", prefix: "cnd_AAAAAAAA", keyHash: hashApiKey(key2), scopes: ["links"], createdAt: loaded });
    // An unknown key re-reads the table, but at most every MISS_RELOAD_MS.
    now = loaded + MISS_RELOAD_MS - 1;
    expect(await resolveApiKey(db, cache, key2)).toBeUndefined();
    now = loaded + MISS_RELOAD_MS;
    expect(await resolveApiKey(db, cache, key2)).toMatchObject({ revoked: false });
  });

  it("records a key's last use at most once a minute per cache", async () => {
    let now = Date.UTC(2026, 0, 5, 9, 0, 0);
    const cache = createApiKeyCache({ clock: () => now });
    const { id } = await createApiKey(db, { name: "agent", scopes: ["decisions"] });
    const lastUsed = async () => (await db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, id)).limit(1))[0]!.at;
    const first = now;
    await touchApiKey(db, cache, id);
    expect(await lastUsed()).toBe(first);
    now += 59_999;
    await touchApiKey(db, cache, id);
    expect(await lastUsed()).toBe(first);
    now += 1;
    await touchApiKey(db, cache, id);
    expect(await lastUsed()).toBe(now);
  });
});

/** Another instance's connection to the same database (another pool on PostgreSQL). */
function anotherInstance(): AnyDatabase {
  return openDatabase(database.engine === "sqlite" ? `file:${database.client.name}` : String(database.pool.options.connectionString));
}

describe("decide (one implementation, prepared statements)", () => {
  it("works inside another transaction and records the preference version", async () => {
    const { preferenceVersion } = await savePreferences(db, { customerId: "demo-customer-1", values: { "plan-changes": "allow" }, lang: "en", method: "api" });
    const row = await db.transaction(async (tx) => decide(tx, { customerId: "demo-customer-1", actionKey: "plan-changes", aiSystemSlug: "offer-predictor", context: { identity: { verified: true } } }));
    expect(row).toMatchObject({ decision: "allow", reason: "preference_allow", preferenceVersion });
    expect(await db.select({ n: count() }).from(decisions).where(eq(decisions.id, row.id))).toEqual([{ n: 1 }]);
  });
});

describe("eraseCustomer", () => {
  it("removes personal data, keeps a tombstone and an audit entry without personal data", async () => {
    const customerId = "demo-customer-1";
    const before = (await findCustomer(db, customerId))!;
    expect(await exportCustomerData(db, customerId, "en")).toBeDefined();
    const result = await eraseCustomer(db, { customerId, actor: { type: "api", id: 7 } });
    expect(result.status).toBe("erased");
    expect(await findCustomer(db, customerId)).toBeUndefined();
    expect(await exportCustomerData(db, customerId, "en")).toBeUndefined();
    const [tombstone] = await db.select().from(customers).where(eq(customers.id, customerId));
    expect(tombstone!.erasedAt).toEqual(expect.any(Number));
    expect(tombstone!.email).toBeNull();
    for (const table of ["preferences", "consent_events", "customer_sessions", "link_tokens", "interactions", "confirmations", "confirmation_answers", "permission_breaches"]) {
      const rows = await executeSql<{ n: number }>(db, sql`select count(*) as n from ${sql.identifier(table)} where customer_id = ${customerId}`);
      expect(rows.map((r) => Number(r.n)), table).toEqual([0]);
    }
    for (const c of (await db.select().from(concerns)).filter((c) => c.customerId === customerId)) {
      expect(c.description).toBe("");
      expect(c.desiredOutcome).toBe("");
      expect(c.contactEmail).toBeNull();
    }
    if (before.email) {
      expect(await db.select({ n: count() }).from(outboxEmails).where(eq(outboxEmails.toAddress, before.email))).toEqual([{ n: 0 }]);
    }
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: "customer.erased", actorType: "api", actorId: "7", targetId: customerId });
    if (before.email) expect(JSON.stringify(audit)).not.toContain(before.email);
    expect((await verifyAudit(db)).ok).toBe(true);
    expect((await eraseCustomer(db, { customerId, actor: { type: "api", id: 7 } })).status).toBe("already_erased");
    expect((await eraseCustomer(db, { customerId: "nobody", actor: { type: "api", id: 7 } })).status).toBe("unknown");
    // An erased customer is an unknown customer to the agents: deny.
    expect(await decide(db, { customerId, actionKey: "plan-changes", aiSystemSlug: "offer-predictor" })).toMatchObject({ decision: "deny", reason: "unknown_customer" });
  });
});
