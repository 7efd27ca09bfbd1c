/**
 * Webhooks against a REAL HTTP receiver (node:http on 127.0.0.1, random port): signatures,
 * enqueueing per subscribed endpoint, retries with backoff, delivery once, concurrency, and the
 * events that filing a concern, working it and saving preferences produce.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { asc, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { verifyAudit } from "../../app/domain/audit.server";
import { changeStatus, claimConcern, postStaffMessage, type StaffActor } from "../../app/domain/concerns/index.server";
import { fileConcern } from "../../app/domain/concerns/index.server";
import { savePreferences } from "../../app/domain/preferences.server";
import {
  claimNextDelivery,
  createWebhookEndpoint,
  deliverDueWebhooks,
  disableWebhookEndpoint,
  enqueueWebhookEvent,
  LEASE_MS,
  listWebhookDeliveries,
  listWebhookEndpoints,
  MAX_ATTEMPTS,
  RETRY_DELAYS_MS,
  retryDelayAfter,
  retryWebhookDelivery,
  signWebhook,
  verifyWebhookSignature,
  WebhookInputError,
} from "../../app/domain/webhooks.server";
import { openDatabase, type AnyDatabase, type Db } from "../../app/utils/db.server";
import { auditLog, staffUsers, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import { freshTestDatabase } from "../support/database";

const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
const SECOND = 1000;

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  verified: boolean;
}

/** The receiver: answers `plan[n]` to the n-th request on a path (then 200), verifying signatures. */
let server: http.Server;
let base: string;
let received: Received[] = [];
let failFirst = 0;
let delayMs = 0;
let secretFor: (path: string) => string | undefined = () => undefined;
/** The receiver's clock for the signed timestamp (the deliveries run on a simulated clock). */
let receiverNow = T0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "/";
      const secret = secretFor(path);
      const verified =
        secret !== undefined &&
        verifyWebhookSignature(secret, req.headers["candor-webhook-timestamp"] as string, body, req.headers["candor-webhook-signature"] as string, 300, receiverNow);
      received.push({ path, headers: req.headers, body, verified });
      const count = received.filter((r) => r.path === path).length;
      const answer = () => {
        if (path.startsWith("/slow-never")) return; // never answers: the sender's timeout decides
        res.writeHead(!verified ? 401 : count <= failFirst ? 500 : 200, { "Content-Type": "text/plain" });
        res.end(count <= failFirst ? "nope" : "ok");
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let database: AnyDatabase;
let db: Db;
let adminId: number;
let agent: StaffActor;

beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
  received = [];
  failFirst = 0;
  delayMs = 0;
  receiverNow = T0;
  secretFor = () => undefined;
  const [admin] = await db.select().from(staffUsers).where(eq(staffUsers.email, "admin@nordlys.example")).limit(1);
  adminId = admin!.id;
  const [a] = await db.select().from(staffUsers).where(eq(staffUsers.email, "agent@nordlys.example")).limit(1);
  agent = { id: a!.id, role: a!.role, name: a!.name };
});

afterEach(async () => {
  await database.close();
});

/** Another instance's connection to the same database (another pool on PostgreSQL). */
function anotherInstance(): AnyDatabase {
  return openDatabase(database.engine === "sqlite" ? `file:${database.client.name}` : String(database.pool.options.connectionString));
}

const deliveries = () => db.select().from(webhookDeliveries).orderBy(asc(webhookDeliveries.id));
const delivery = async (id: number) => (await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).limit(1))[0]!;
const auditOf = (action: string) => db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(asc(auditLog.id));

async function endpoint(path: string, events: string[]) {
  const created = await createWebhookEndpoint(db, { url: `${base}${path}`, events, staffId: adminId, now: T0 });
  const previous = secretFor;
  secretFor = (p) => (p === path ? created.secret : previous(p));
  return created;
}

async function fileOne(now = T0) {
  const { ref } = await fileConcern(db, {
    customerId: "demo-customer-1",
    contactEmail: null,
    contactMethod: "portal",
    lang: "en",
    kind: "wrong_information",
    interactionId: null,
    systemId: null,
    description: "Secret free text that must never leave in a webhook",
    desiredOutcome: "",
    now,
  });
  return ref;
}

describe("signatures", () => {
  it("signs '<timestamp>.<body>' with HMAC-SHA256 and verifies it, refusing anything else", () => {
    const body = JSON.stringify({ id: "evt_1", event: "concern.created" });
    const header = signWebhook("whsec_test", 1_700_000_000, body);
    expect(header).toMatch(/^v1=[0-9a-f]{64}$/);
    const now = 1_700_000_000 * 1000;
    expect(verifyWebhookSignature("whsec_test", "1700000000", body, header, 300, now)).toBe(true);
    expect(verifyWebhookSignature("whsec_test", 1_700_000_000, body, `v1=${"0".repeat(64)} ${header}`, 300, now)).toBe(true);
    expect(verifyWebhookSignature("whsec_other", "1700000000", body, header, 300, now)).toBe(false);
    expect(verifyWebhookSignature("whsec_test", "1700000000", body + " ", header, 300, now)).toBe(false);
    expect(verifyWebhookSignature("whsec_test", "1700000001", body, header, 300, now)).toBe(false);
    expect(verifyWebhookSignature("whsec_test", "1700000000", body, header, 300, now + 301_000)).toBe(false);
    expect(verifyWebhookSignature("whsec_test", "1700000000", body, header, 300, now + 299_000)).toBe(true);
    expect(verifyWebhookSignature("whsec_test", "1700000000", body, header.toUpperCase().replace("V1", "v1"), 300, now)).toBe(true);
    expect(verifyWebhookSignature("whsec_test", "1700000000", body, "v1=abc", 300, now)).toBe(false);
    expect(verifyWebhookSignature("whsec_test", "abc", body, header, 300, now)).toBe(false);
    expect(verifyWebhookSignature("whsec_test", "1700000000", body, null, 300, now)).toBe(false);
  });

  it("matches an independent HMAC computation", async () => {
    const { createHmac } = await import("node:crypto");
    const expected = createHmac("sha256", "k").update("42.{}").digest("hex");
    expect(signWebhook("k", 42, "{}")).toBe(`v1=${expected}`);
  });
});

describe("endpoints", () => {
  it("accepts only http(s) URLs and known events; the secret is generated and listed nowhere; audited", async () => {
    for (const url of ["ftp://example.com/x", "javascript:alert(1)", "not a url", "https://user:pw@example.com/", ""]) {
      await expect(createWebhookEndpoint(db, { url, events: ["concern.created"], staffId: adminId })).rejects.toThrow(WebhookInputError);
    }
    await expect(createWebhookEndpoint(db, { url: "https://example.com/h", events: [], staffId: adminId })).rejects.toThrow(WebhookInputError);
    await expect(createWebhookEndpoint(db, { url: "https://example.com/h", events: ["concern.deleted"], staffId: adminId })).rejects.toThrow(WebhookInputError);
    expect(await db.select().from(webhookEndpoints)).toHaveLength(0);

    const a = await createWebhookEndpoint(db, { url: "https://hooks.example.com/candor", events: ["preferences.changed", "concern.created"], staffId: adminId });
    const b = await createWebhookEndpoint(db, { url: "http://10.0.0.5:8080/in", events: ["concern.created"], staffId: adminId });
    expect(a.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    expect(a.secret).not.toBe(b.secret);
    expect(a.endpoint.events).toEqual(["concern.created", "preferences.changed"]);
    const listed = await listWebhookEndpoints(db);
    expect(listed.map((e) => e.id)).toEqual([b.endpoint.id, a.endpoint.id]);
    expect(JSON.stringify(listed)).not.toContain(a.secret);
    const audit = await auditOf("webhook.endpoint_created");
    expect(audit).toHaveLength(2);
    expect(audit.map((e) => e.details).join()).not.toContain("whsec_");
    expect(audit.map((e) => e.details).join()).not.toContain("hooks.example.com");
    expect((await verifyAudit(db)).ok).toBe(true);
  });
});

describe("enqueueWebhookEvent", () => {
  it("writes one delivery per enabled endpoint subscribed to the event, in the caller's transaction", async () => {
    const both = await endpoint("/both", ["concern.created", "preferences.changed"]);
    const prefsOnly = await endpoint("/prefs", ["preferences.changed"]);
    const disabled = await endpoint("/off", ["concern.created"]);
    await disableWebhookEndpoint(db, { id: disabled.endpoint.id, staffId: adminId });

    const n = await db.transaction((tx) => enqueueWebhookEvent(tx, "concern.created", { ref: "C-TEST-0001", status: "new", kind: "other" }, T0));
    expect(n).toBe(1);
    expect((await deliveries()).map((d) => d.endpointId)).toEqual([both.endpoint.id]);
    await db.transaction((tx) => enqueueWebhookEvent(tx, "preferences.changed", { customerId: "c1", preferenceVersion: 3 }, T0));
    expect((await deliveries()).map((d) => d.endpointId)).toEqual([both.endpoint.id, both.endpoint.id, prefsOnly.endpoint.id]);
    const rows = (await deliveries()).filter((d) => d.event === "preferences.changed");
    // One event id shared by every endpoint's copy: receivers deduplicate by it.
    expect(new Set(rows.map((r) => JSON.parse(r.payload).id)).size).toBe(1);
    expect(JSON.parse(rows[0]!.payload)).toEqual({
      id: expect.stringMatching(/^evt_[0-9a-f-]{36}$/),
      event: "preferences.changed",
      createdAt: new Date(T0).toISOString(),
      data: { customerId: "c1", preferenceVersion: 3 },
    });
    expect(rows.every((r) => r.status === "pending" && r.attempts === 0 && r.nextAttemptAt === T0)).toBe(true);

    // A rolled-back change leaves no delivery behind.
    await expect(
      db.transaction(async (tx) => {
        await enqueueWebhookEvent(tx, "concern.created", { ref: "C-TEST-0002" }, T0);
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect(await deliveries()).toHaveLength(3);
  });

  it("a concern filed through fileConcern, then worked by staff, and a preferences save produce the right events (ids and codes only)", async () => {
    await endpoint("/all", ["concern.created", "concern.updated", "preferences.changed"]);
    await endpoint("/created", ["concern.created"]);
    const ref = await fileOne();
    const created = (await deliveries()).filter((d) => d.event === "concern.created");
    expect(created).toHaveLength(2);
    const payload = JSON.parse(created[0]!.payload);
    expect(payload.data).toEqual({ ref, status: "new", kind: "wrong_information", customerId: "demo-customer-1", aiSystemId: null });
    expect(created[0]!.payload).not.toContain("Secret free text");

    await claimConcern(db, ref, agent, { now: T0 + 1 });
    await changeStatus(db, ref, agent, { to: "in_progress" }, { now: T0 + 2 });
    await postStaffMessage(db, ref, agent, { body: "A private reply text", visibility: "public" }, { now: T0 + 3 });
    await postStaffMessage(db, ref, agent, { body: "An internal note", visibility: "internal" }, { now: T0 + 4 });
    const updated = (await deliveries()).filter((d) => d.event === "concern.updated").map((d) => JSON.parse(d.payload).data);
    expect(updated).toEqual([
      { ref, change: "assignment", status: "new", kind: "wrong_information", assigneeId: agent.id },
      { ref, change: "status", status: "in_progress", previousStatus: "new", kind: "wrong_information" },
      { ref, change: "reply", status: "in_progress", kind: "wrong_information", messageId: expect.any(Number) },
    ]);
    expect(JSON.stringify(await deliveries())).not.toContain("private reply");

    const before = (await deliveries()).length;
    await savePreferences(db, { customerId: "demo-customer-1", values: { "plan-changes": "allow" }, lang: "en", method: "portal", now: T0 + 5 });
    const prefs = (await deliveries()).filter((d) => d.event === "preferences.changed");
    expect(prefs).toHaveLength(1);
    expect(JSON.parse(prefs[0]!.payload).data).toEqual({ customerId: "demo-customer-1", preferenceVersion: expect.any(Number), changes: 1, method: "portal" });
    // Saving the same again records nothing, so no event.
    await savePreferences(db, { customerId: "demo-customer-1", values: { "plan-changes": "allow" }, lang: "en", method: "portal", now: T0 + 6 });
    expect(await deliveries()).toHaveLength(before + 1);
    expect(JSON.stringify(await deliveries())).not.toMatch(/@/);
  });
});

describe("backoff", () => {
  it("waits 30 s, 2 min, 10 min, 1 h, 6 h, then gives up after the sixth attempt", () => {
    expect(RETRY_DELAYS_MS).toEqual([30_000, 120_000, 600_000, 3_600_000, 21_600_000]);
    expect(MAX_ATTEMPTS).toBe(6);
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelayAfter)).toEqual([30_000, 120_000, 600_000, 3_600_000, 21_600_000, null, null]);
  });
});

describe("delivery to a real receiver", () => {
  it("retries a failing receiver with backoff, delivers once, with headers the receiver verifies", async () => {
    const { endpoint: ep } = await endpoint("/flaky", ["concern.created"]);
    failFirst = 2;
    const ref = await fileOne();
    const [row] = await deliveries();

    expect(await deliverDueWebhooks(db, T0)).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(await delivery(row!.id)).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 500, lastError: "HTTP 500", nextAttemptAt: T0 + 30 * SECOND });
    // Not due yet: nothing is sent.
    expect(await deliverDueWebhooks(db, T0 + 29 * SECOND)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(received).toHaveLength(1);

    receiverNow = T0 + 30 * SECOND;
    expect(await deliverDueWebhooks(db, T0 + 30 * SECOND)).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(await delivery(row!.id)).toMatchObject({ attempts: 2, lastStatusCode: 500, nextAttemptAt: T0 + 30 * SECOND + 120 * SECOND });
    expect(await deliverDueWebhooks(db, T0 + 149 * SECOND)).toEqual({ delivered: 0, retrying: 0, failed: 0 });

    receiverNow = T0 + 150 * SECOND;
    expect(await deliverDueWebhooks(db, T0 + 150 * SECOND)).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(await delivery(row!.id)).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 200, lastError: null, deliveredAt: T0 + 150 * SECOND });
    expect(await deliverDueWebhooks(db, T0 + 100 * 3_600_000)).toEqual({ delivered: 0, retrying: 0, failed: 0 });

    expect(received).toHaveLength(3);
    expect(received.every((r) => r.verified)).toBe(true);
    const last = received[2]!;
    expect(last.headers["content-type"]).toBe("application/json");
    expect(last.headers["candor-webhook-timestamp"]).toBe(String((T0 + 150 * SECOND) / 1000));
    const body = JSON.parse(last.body);
    expect(last.headers["candor-webhook-id"]).toBe(body.id);
    expect(received.map((r) => r.headers["candor-webhook-id"])).toEqual([body.id, body.id, body.id]);
    expect(body).toMatchObject({ event: "concern.created", data: { ref } });
    expect(last.body).toBe(row!.payload);

    // The delivery log: every attempt in the audit log, codes only.
    const attempts = (await auditOf("webhook.delivery_attempted")).map((e) => JSON.parse(e.details));
    expect(attempts).toEqual([
      { attempt: 1, endpointId: ep.id, error: "http_500", event: "concern.created", outcome: "retry", statusCode: 500 },
      { attempt: 2, endpointId: ep.id, error: "http_500", event: "concern.created", outcome: "retry", statusCode: 500 },
      { attempt: 3, endpointId: ep.id, error: null, event: "concern.created", outcome: "delivered", statusCode: 200 },
    ]);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it("a receiver that does not verify (wrong secret) gets retried, then the delivery fails after the last attempt; retry now gives one more", async () => {
    await endpoint("/wrong", ["concern.created"]);
    secretFor = () => "whsec_not_the_right_one";
    await fileOne();
    const [row] = await deliveries();
    let now = T0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      receiverNow = now;
      const summary = await deliverDueWebhooks(db, now);
      expect(summary).toEqual({ delivered: 0, retrying: attempt < MAX_ATTEMPTS ? 1 : 0, failed: attempt < MAX_ATTEMPTS ? 0 : 1 });
      expect(await delivery(row!.id)).toMatchObject({ attempts: attempt, lastStatusCode: 401 });
      now = (await delivery(row!.id)).nextAttemptAt;
    }
    expect(await delivery(row!.id)).toMatchObject({ status: "failed", claimedUntil: null });
    expect(await deliverDueWebhooks(db, now + 365 * 24 * 3_600_000)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(received).toHaveLength(MAX_ATTEMPTS);

    expect(await retryWebhookDelivery(db, { id: row!.id, staffId: adminId, now })).toBe("retried");
    expect(await retryWebhookDelivery(db, { id: row!.id, staffId: adminId, now })).toBe("notFailed");
    expect(await retryWebhookDelivery(db, { id: 999_999, staffId: adminId, now })).toBe("notFound");
    expect(await deliverDueWebhooks(db, now)).toEqual({ delivered: 0, retrying: 0, failed: 1 });
    expect(await delivery(row!.id)).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS + 1 });
    expect(await auditOf("webhook.retry_requested")).toHaveLength(1);
  });

  it("a receiver that is down or never answers is recorded as an error, not a status code", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await createWebhookEndpoint(db, { url: `http://127.0.0.1:${port}/gone`, events: ["concern.created"], staffId: adminId, now: T0 });
    await fileOne();
    expect(await deliverDueWebhooks(db, T0)).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect((await deliveries())[0]).toMatchObject({ lastStatusCode: null, lastError: expect.stringContaining("ECONNREFUSED") });

    await db.delete(webhookDeliveries);
    await createWebhookEndpoint(db, { url: `${base}/slow-never`, events: ["concern.updated"], staffId: adminId, now: T0 });
    await db.transaction((tx) => enqueueWebhookEvent(tx, "concern.updated", { ref: "C-X" }, T0));
    expect(await deliverDueWebhooks(db, T0, fetch, { timeoutMs: 200 })).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect((await deliveries())[0]).toMatchObject({ lastStatusCode: null, lastError: expect.stringMatching(/^No answer within/) });
  });

  it("two concurrent workers on two connections never deliver an event twice", async () => {
    await endpoint("/many", ["concern.updated"]);
    delayMs = 15;
    for (let i = 0; i < 10; i++) await db.transaction((tx) => enqueueWebhookEvent(tx, "concern.updated", { ref: `C-TEST-${i}` }, T0));
    const other = anotherInstance();
    try {
      const [a, b, c] = await Promise.all([deliverDueWebhooks(db, T0), deliverDueWebhooks(other.db, T0), deliverDueWebhooks(db, T0)]);
      expect(a.delivered + b.delivered + c.delivered).toBe(10);
      expect(a.delivered).toBeGreaterThan(0);
      expect(b.delivered).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
    const ids = received.map((r) => r.headers["candor-webhook-id"]);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
    expect((await deliveries()).every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
  });

  it("a claimed delivery is hidden for the lease; a crash before the mark means it is sent again later (at least once)", async () => {
    await endpoint("/lease", ["concern.created"]);
    await fileOne();
    const claimed = await claimNextDelivery(db, T0);
    expect(claimed?.attempts).toBe(1);
    expect(claimed?.claimedUntil).toBe(T0 + LEASE_MS);
    expect(await claimNextDelivery(db, T0 + LEASE_MS - 1)).toBeUndefined();
    expect((await claimNextDelivery(db, T0 + LEASE_MS))?.attempts).toBe(2);
  });

  it("retry now on another instance refuses a delivery a worker elsewhere holds the lease of; recording the attempt ends the lease", async () => {
    await endpoint("/held", ["concern.created"]);
    await fileOne();
    const [row] = await deliveries();
    // A worker on this connection claims the delivery (lease until T0 + LEASE_MS) and is POSTing it.
    expect((await claimNextDelivery(db, T0))?.id).toBe(row!.id);
    const other = anotherInstance();
    try {
      // The other instance runs no worker of its own: only the database knows the row is taken.
      expect(await retryWebhookDelivery(other.db, { id: row!.id, staffId: adminId, now: T0 + 1 })).toBe("sending");
      expect(await retryWebhookDelivery(other.db, { id: row!.id, staffId: adminId, now: T0 + LEASE_MS - 1 })).toBe("sending");
      expect(await auditOf("webhook.retry_requested")).toHaveLength(0);
      // The worker died without recording: after the lease the row is an ordinary pending one…
      expect(await retryWebhookDelivery(other.db, { id: row!.id, staffId: adminId, now: T0 + LEASE_MS })).toBe("notFailed");
      // …which the other instance's worker delivers; the record clears the lease.
      receiverNow = T0 + LEASE_MS;
      expect(await deliverDueWebhooks(other.db, T0 + LEASE_MS)).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    } finally {
      await other.close();
    }
    expect(await delivery(row!.id)).toMatchObject({ status: "delivered", attempts: 2, claimedUntil: null });
  });

  it("disabling an endpoint stops its deliveries: pending ones fail, retry is refused; audited", async () => {
    const { endpoint: ep } = await endpoint("/disabled", ["concern.created"]);
    await fileOne();
    expect(await disableWebhookEndpoint(db, { id: ep.id, staffId: adminId, now: T0 })).toBe("disabled");
    expect(await disableWebhookEndpoint(db, { id: ep.id, staffId: adminId, now: T0 })).toBe("alreadyDisabled");
    expect(await disableWebhookEndpoint(db, { id: 999_999, staffId: adminId, now: T0 })).toBe("notFound");
    expect((await deliveries())[0]).toMatchObject({ status: "failed", lastError: "Endpoint disabled" });
    expect(await deliverDueWebhooks(db, T0)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(received).toHaveLength(0);
    expect(await retryWebhookDelivery(db, { id: (await deliveries())[0]!.id, staffId: adminId })).toBe("endpointDisabled");
    await fileOne();
    expect(await deliveries()).toHaveLength(1);
    expect((await listWebhookDeliveries(db))[0]).toMatchObject({ url: `${base}/disabled`, status: "failed" });
    expect((await auditOf("webhook.endpoint_disabled"))[0]?.details).toBe('{"cancelledDeliveries":1}');
  });
});
