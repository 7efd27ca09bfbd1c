import { beforeEach, describe, expect, it } from "vitest";
import {
  ApiKeyInputError,
  CACHE_TTL_MS,
  createApiKey,
  MISS_RELOAD_MS,
  hashApiKey,
  listApiKeys,
  resolveApiKey,
  revokeApiKey,
} from "../../app/domain/api-keys.server";
import { verifyAudit } from "../../app/domain/audit.server";
import { eraseCustomer } from "../../app/domain/customer-erasure.server";
import { findCustomer } from "../../app/domain/customers.server";
import { exportCustomerData } from "../../app/domain/data-export.server";
import { decide } from "../../app/domain/decisions.server";
import { savePreferences } from "../../app/domain/preferences.server";
import type { Connection } from "../../app/utils/db.server";
import { auditLog, concerns } from "../../db/schema";
import { freshDatabase } from "../support/database";

let db: Connection;
beforeEach(() => {
  db = freshDatabase();
});

describe("API keys", () => {
  it("are cnd_ + 256 random bits, shown once and stored only as a SHA-256 hash", () => {
    const { key, prefix, id } = createApiKey(db, { name: "crm", scopes: ["links", "customers"] });
    expect(key).toMatch(/^cnd_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix.length).toBe(12);
    const row = db.$client.prepare("select * from api_keys where id = ?").get(id) as Record<string, unknown>;
    expect(row.key_hash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key);
    expect(JSON.parse(row.scopes as string)).toEqual(["links", "customers"]);
    // The audit entry names the key id and scopes, never the key.
    const audit = db.select().from(auditLog).all().at(-1)!;
    expect(audit).toMatchObject({ action: "api_key.created", targetId: String(id) });
    expect(JSON.stringify(audit)).not.toContain(key.slice(4));
    expect(verifyAudit(db).ok).toBe(true);
  });

  it("refuses empty names and unknown scopes", () => {
    expect(() => createApiKey(db, { name: " ", scopes: ["links"] })).toThrow(ApiKeyInputError);
    expect(() => createApiKey(db, { name: "x", scopes: [] })).toThrow(ApiKeyInputError);
    expect(() => createApiKey(db, { name: "x", scopes: ["links", "admin"] })).toThrow(ApiKeyInputError);
    expect(listApiKeys(db)).toHaveLength(0);
  });

  it("resolves a key to its id and scopes; unknown or malformed keys resolve to nothing", () => {
    const { key, id } = createApiKey(db, { name: "agent", scopes: ["decisions"] });
    const found = resolveApiKey(db, key)!;
    expect(found.id).toBe(id);
    expect([...found.scopes]).toEqual(["decisions"]);
    expect(found.scopes.has("links" as never)).toBe(false);
    expect(resolveApiKey(db, key + "x")).toBeUndefined();
    expect(resolveApiKey(db, key.replace("cnd_", "xyz_"))).toBeUndefined();
    expect(resolveApiKey(db, "")).toBeUndefined();
  });

  it("revocation in this process takes effect at once", () => {
    const { key, prefix } = createApiKey(db, { name: "agent", scopes: ["decisions"] });
    expect(resolveApiKey(db, key)).toBeDefined();
    expect(revokeApiKey(db, { prefix })).toBe(1);
    expect(resolveApiKey(db, key)).toBeUndefined();
    expect(revokeApiKey(db, { prefix })).toBe(0);
    expect(db.select().from(auditLog).all().at(-1)).toMatchObject({ action: "api_key.revoked" });
  });

  it("a revocation made elsewhere (another process) takes effect once the cache is older than its TTL", () => {
    const { key, id } = createApiKey(db, { name: "agent", scopes: ["decisions"] });
    const now = Date.now();
    expect(resolveApiKey(db, key, now)).toBeDefined();
    db.$client.prepare("update api_keys set revoked_at = ? where id = ?").run(now, id); // as the CLI would
    expect(resolveApiKey(db, key, now + 10)).toBeDefined(); // still cached
    expect(resolveApiKey(db, key, now + CACHE_TTL_MS + 1)).toBeUndefined();
    // A key created elsewhere becomes usable the same way.
    const later = now + CACHE_TTL_MS + 1;
    const key2 = "cnd_" + "A".repeat(43);
    db.$client
      .prepare("insert into api_keys (name, prefix, key_hash, scopes, created_at) values ('x', 'cnd_AAAAAAAA', ?, '[\"links\"]', ?)")
      .run(hashApiKey(key2), later);
    // An unknown key re-reads the table, but at most every MISS_RELOAD_MS.
    const loaded = now + CACHE_TTL_MS + 1;
    expect(resolveApiKey(db, key2, loaded + MISS_RELOAD_MS - 1)).toBeUndefined();
    expect(resolveApiKey(db, key2, loaded + MISS_RELOAD_MS)).toMatchObject({ revoked: false });
  });
});

describe("decide (one implementation, prepared statements)", () => {
  it("works inside another transaction and records the preference version", () => {
    const { preferenceVersion } = savePreferences(db, { customerId: "demo-customer-1", values: { "plan-changes": "allow" }, lang: "en", method: "api" });
    const row = db.transaction((tx) => decide(tx, { customerId: "demo-customer-1", actionKey: "plan-changes", aiSystemSlug: "offer-predictor" }));
    expect(row).toMatchObject({ decision: "allow", reason: "preference_allow", preferenceVersion });
    expect(db.$client.prepare("select count(*) n from decisions where id = ?").get(row.id)).toEqual({ n: 1 });
  });
});

describe("eraseCustomer", () => {
  it("removes personal data, keeps a tombstone and an audit entry without personal data", () => {
    const customerId = "demo-customer-1";
    const before = findCustomer(db, customerId)!;
    expect(exportCustomerData(db, customerId, "en")).toBeDefined();
    const result = eraseCustomer(db, { customerId, actor: { type: "api", id: 7 } });
    expect(result.status).toBe("erased");
    expect(findCustomer(db, customerId)).toBeUndefined();
    expect(exportCustomerData(db, customerId, "en")).toBeUndefined();
    const tombstone = db.$client.prepare("select * from customers where id = ?").get(customerId) as Record<string, unknown>;
    expect(tombstone.erased_at).toEqual(expect.any(Number));
    expect(tombstone.email).toBeNull();
    for (const table of ["preferences", "consent_events", "customer_sessions", "link_tokens", "interactions"]) {
      expect(db.$client.prepare(`select count(*) n from ${table} where customer_id = ?`).get(customerId), table).toEqual({ n: 0 });
    }
    for (const c of db.select().from(concerns).all().filter((c) => c.customerId === customerId)) {
      expect(c.description).toBe("");
      expect(c.desiredOutcome).toBe("");
      expect(c.contactEmail).toBeNull();
    }
    if (before.email) {
      expect(db.$client.prepare("select count(*) n from outbox_emails where to_address = ?").get(before.email)).toEqual({ n: 0 });
    }
    const audit = db.select().from(auditLog).all().at(-1)!;
    expect(audit).toMatchObject({ action: "customer.erased", actorType: "api", actorId: "7", targetId: customerId });
    if (before.email) expect(JSON.stringify(audit)).not.toContain(before.email);
    expect(verifyAudit(db).ok).toBe(true);
    expect(eraseCustomer(db, { customerId, actor: { type: "api", id: 7 } }).status).toBe("already_erased");
    expect(eraseCustomer(db, { customerId: "nobody", actor: { type: "api", id: 7 } }).status).toBe("unknown");
    // An erased customer is an unknown customer to the agents: deny.
    expect(decide(db, { customerId, actionKey: "plan-changes", aiSystemSlug: "offer-predictor" })).toMatchObject({ decision: "deny", reason: "unknown_customer" });
  });
});
