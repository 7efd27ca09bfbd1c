/**
 * Retention purge (SPEC §7, §12) with backdated rows, on the suite's engine: rows just outside the
 * period lose their personal data or go, rows just inside stay, a second run changes nothing, and
 * the statistics (report figures, /staff/reports CSV) are the same before and after.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { eq, inArray } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { addStaffMessage, fileConcern, findConcernByRef, setConcernStatus } from "../../app/domain/concerns/index.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { buildReports, resolveRange } from "../../app/domain/reports.server";
import { purgeExpiredPersonalData, purgeTick, RETENTION_REDACTION_MARKER, retentionCutoffs } from "../../app/domain/retention.server";
import { setSetting } from "../../app/domain/settings.server";
import {
  apiKeys,
  auditLog,
  concernMessages,
  concerns,
  customerSessions,
  embedSites,
  embedTokenUses,
  formSubmissions,
  idempotencyKeys,
  linkRedemptions,
  linkTokens,
  outboxEmails,
  staffSessions,
  staffUsers,
} from "../../db/schema";
import { seedDemoStaff } from "../../db/seed";
import { createTestApp, type TestApp } from "../support/app";
import { freshTestDatabase } from "../support/database";
import { databaseEnv } from "../support/server";

const ZONE = "Europe/Brussels";
const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60_000;
/** 15 June 2026, noon in Brussels; the periods are the defaults: 24 months and 30 days. */
const NOW = Date.UTC(2026, 5, 15, 10);
const CUT = retentionCutoffs(NOW, 24, 30, ZONE);

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp({ seeded: false });
  await seedDemoStaff(app.db);
  await upsertCustomer(app.db, { id: "ret-1", email: "kim@customers.example", locale: "en" });
});

/** A concern filed by ret-1 with a public reply, finished (`how`) at `finished` (ms). */
async function finishedConcern(finished: number, how: "closed" | "resolved" | "open", filed = finished - 20 * DAY): Promise<string> {
  const { ref } = await fileConcern(app.db, {
    customerId: "ret-1",
    contactEmail: "kim@customers.example",
    contactMethod: "email",
    lang: "en",
    kind: "unwanted_action",
    interactionId: null,
    systemId: null,
    description: "Kim's personal story about the plan change",
    desiredOutcome: "Call me on 0470 12 34 56",
    now: filed,
  });
  await addStaffMessage(app.db, (await findConcernByRef(app.db, ref))!, { body: "Dear Kim, we are on it.", authorName: "Sam", visibility: "public", now: filed + DAY });
  if (how === "open") return ref;
  const resolvedAt = how === "resolved" ? finished : finished - DAY;
  await setConcernStatus(app.db, (await findConcernByRef(app.db, ref))!, "resolved", { outcomeCode: "upheld", outcomeReason: "Kim was right", now: resolvedAt });
  if (how === "closed") await setConcernStatus(app.db, (await findConcernByRef(app.db, ref))!, "closed", { now: finished });
  return ref;
}

const row = async (ref: string) => (await app.db.select().from(concerns).where(eq(concerns.ref, ref)).limit(1))[0]!;
const allConcerns = async () => app.db.select().from(concerns).orderBy(concerns.id);
const purgeAudits = async () => app.db.select().from(auditLog).where(eq(auditLog.action, "retention.purged"));

async function reportCsvs(cookie: string): Promise<string[]> {
  const query = "?from=2024-03-01&to=2024-08-31";
  const out: string[] = [];
  for (const name of ["by-system", "by-kind", "by-week", "response-times", "outcomes", "choices"]) {
    const response = await app.request(`/staff/reports/${name}.csv${query}`, { cookie });
    expect(response.status).toBe(200);
    out.push(await response.text());
  }
  return out;
}

describe("purgeExpiredPersonalData", () => {
  it("redacts concerns finished just outside the period, keeps those just inside, and leaves the statistics as they were", async () => {
    const outside = await finishedConcern(CUT.concerns - MINUTE, "closed");
    const resolvedOnly = await finishedConcern(CUT.concerns - MINUTE, "resolved");
    const inside = await finishedConcern(CUT.concerns + MINUTE, "closed");
    const open = await finishedConcern(0, "open", Date.UTC(2024, 2, 1));
    const purged = [await row(outside), await row(resolvedOnly)];
    const purgedIds = purged.map((c) => c.id);
    const messagesBefore = (await app.db.select().from(concernMessages).where(inArray(concernMessages.concernId, purgedIds))).length;
    const emailsBefore = (await app.db.select().from(outboxEmails).where(inArray(outboxEmails.concernId, purgedIds))).length;
    expect(messagesBefore).toBeGreaterThanOrEqual(2);
    expect(emailsBefore).toBeGreaterThanOrEqual(2);
    const keptBefore = [await row(inside), await row(open)];

    const range = resolveRange({ from: "2024-03-01", to: "2024-08-31" }, NOW, ZONE);
    if (!range.ok) throw new Error("range");
    const reportsBefore = JSON.stringify(await buildReports(app.db, range.range, "en"));
    const cookie = await app.signInStaff("admin");
    const csvBefore = await reportCsvs(cookie);
    expect(csvBefore.join("")).toContain("upheld");

    const dry = await purgeExpiredPersonalData(app.db, NOW, { dryRun: true });
    expect(dry).toMatchObject({ concerns: 2, messages: messagesBefore, emails: emailsBefore });
    expect((await row(outside)).description).toBe("Kim's personal story about the plan change");

    const counts = await purgeExpiredPersonalData(app.db, NOW, { batchSize: 1 });
    expect(counts).toEqual(dry);
    for (const [before, ref] of [[purged[0]!, outside], [purged[1]!, resolvedOnly]] as const) {
      const after = await row(ref);
      expect(after).toMatchObject({
        description: RETENTION_REDACTION_MARKER,
        desiredOutcome: RETENTION_REDACTION_MARKER,
        outcomeReason: RETENTION_REDACTION_MARKER,
        contactEmail: null,
        customerId: null,
        trackingTokenHash: null,
        searchText: ref.toLowerCase(),
      });
      // What the statistics read stays.
      const { description: _d, desiredOutcome: _o, outcomeReason: _r, contactEmail: _e, customerId: _c, trackingTokenHash: _t, searchText: _s, ...facts } = before;
      expect(after).toMatchObject(facts);
    }
    const bodies = (await app.db.select().from(concernMessages).where(inArray(concernMessages.concernId, purgedIds))).map((m) => m.body);
    expect(bodies).toHaveLength(messagesBefore);
    expect(new Set(bodies)).toEqual(new Set([RETENTION_REDACTION_MARKER]));
    expect(await app.db.select().from(outboxEmails).where(inArray(outboxEmails.concernId, purgedIds))).toEqual([]);
    expect([await row(inside), await row(open)]).toEqual(keptBefore);
    expect((await app.db.select().from(concernMessages).where(eq(concernMessages.concernId, keptBefore[0]!.id))).map((m) => m.body)).toContain("Dear Kim, we are on it.");

    expect(JSON.stringify(await buildReports(app.db, range.range, "en"))).toBe(reportsBefore);
    expect(await reportCsvs(cookie)).toEqual(csvBefore);

    const audits = await purgeAudits();
    expect(audits).toHaveLength(1);
    expect(JSON.parse(audits[0]!.details!)).toMatchObject({ concerns: 2 });
    expect(audits[0]!.details).not.toContain("Kim");

    // Idempotent: a second run finds nothing, changes nothing and is not audited.
    const snapshot = await allConcerns();
    const again = await purgeExpiredPersonalData(app.db, NOW);
    expect(Object.values(again).every((n) => n === 0)).toBe(true);
    expect(await allConcerns()).toEqual(snapshot);
    expect(await purgeAudits()).toHaveLength(1);
  });

  it("deletes links, sessions, embed token uses, submissions and stored API answers that ended just outside the period, not those just inside", async () => {
    const db = app.db;
    const old = CUT.linksAndSessions - MINUTE;
    const recent = CUT.linksAndSessions + MINUTE;
    const [staff] = await db.select().from(staffUsers).limit(1);
    const links = await db
      .insert(linkTokens)
      .values([
        { tokenHash: "expired-old", customerId: "ret-1", createdBy: "cli", createdAt: old - 7 * DAY, expiresAt: old },
        { tokenHash: "revoked-old", customerId: "ret-1", createdBy: "cli", createdAt: old - DAY, expiresAt: NOW + DAY, revokedAt: old },
        { tokenHash: "expired-recent", customerId: "ret-1", createdBy: "cli", createdAt: recent - 7 * DAY, expiresAt: recent },
      ])
      .returning({ id: linkTokens.id, tokenHash: linkTokens.tokenHash });
    await db.insert(linkRedemptions).values([{ linkId: links[0]!.id, createdAt: old - DAY }, { linkId: links[2]!.id, createdAt: recent - DAY }]);
    await db.insert(customerSessions).values([
      { idHash: "cs-old", customerId: "ret-1", linkId: links[0]!.id, createdAt: old - DAY, lastSeenAt: old - DAY, expiresAt: old },
      { idHash: "cs-recent", customerId: "ret-1", linkId: links[0]!.id, createdAt: recent - DAY, lastSeenAt: recent - DAY, expiresAt: recent },
    ]);
    await db.insert(staffSessions).values([
      { idHash: "ss-old", staffId: staff!.id, verified: true, createdAt: old - DAY, lastSeenAt: old - DAY, expiresAt: NOW + DAY, revokedAt: old },
      { idHash: "ss-recent", staffId: staff!.id, verified: true, createdAt: recent - DAY, lastSeenAt: recent - DAY, expiresAt: recent },
    ]);
    const [site] = await db.insert(embedSites).values({ slug: "ret-site", name: "Help", origins: ["https://help.example"], createdAt: old - DAY }).returning({ id: embedSites.id });
    await db.insert(embedTokenUses).values([{ siteId: site!.id, jti: "old", expiresAt: old }, { siteId: site!.id, jti: "recent", expiresAt: recent }]);
    await db.insert(formSubmissions).values([
      { actor: "staff:1", action: "x", contentHash: "old", result: "{}", createdAt: old },
      { actor: "staff:1", action: "x", contentHash: "recent", result: "{}", createdAt: recent },
    ]);
    const [key] = await db.insert(apiKeys).values({ name: "k", prefix: "cnd_ret", keyHash: "ret-hash", scopes: [], createdAt: old - DAY }).returning({ id: apiKeys.id });
    await db.insert(idempotencyKeys).values([
      { apiKeyId: key!.id, key: "old", requestHash: "h", status: 200, response: '{"email":"kim@customers.example"}', createdAt: old },
      { apiKeyId: key!.id, key: "recent", requestHash: "h", status: 200, response: "{}", createdAt: recent },
    ]);

    const counts = await purgeExpiredPersonalData(db, NOW, { batchSize: 1 });
    expect(counts).toEqual({
      concerns: 0,
      messages: 0,
      emails: 0,
      linkTokens: 2,
      linkRedemptions: 1,
      customerSessions: 1,
      staffSessions: 1,
      embedTokenUses: 1,
      formSubmissions: 1,
      idempotencyKeys: 1,
    });
    expect((await db.select().from(linkTokens)).map((l) => l.tokenHash)).toEqual(["expired-recent"]);
    expect((await db.select().from(linkRedemptions)).map((r) => r.linkId)).toEqual([links[2]!.id]);
    // The recent session outlives the deleted link it came from.
    expect(await db.select().from(customerSessions)).toMatchObject([{ idHash: "cs-recent", linkId: null }]);
    expect((await db.select().from(staffSessions)).map((s) => s.idHash)).toEqual(["ss-recent"]);
    expect((await db.select().from(embedTokenUses)).map((u) => u.jti)).toEqual(["recent"]);
    expect((await db.select().from(formSubmissions)).map((s) => s.contentHash)).toEqual(["recent"]);
    expect((await db.select().from(idempotencyKeys)).map((k) => k.key)).toEqual(["recent"]);
    expect(Object.values(await purgeExpiredPersonalData(db, NOW)).every((n) => n === 0)).toBe(true);
  });

  it("follows the settings: a longer period keeps what the default would purge", async () => {
    const ref = await finishedConcern(CUT.concerns - MINUTE, "closed");
    await setSetting(app.db, "retentionClosedConcernMonths", 36);
    expect((await purgeExpiredPersonalData(app.db, NOW)).concerns).toBe(0);
    expect((await row(ref)).contactEmail).toBe("kim@customers.example");
    await setSetting(app.db, "retentionClosedConcernMonths", 24);
    expect((await purgeExpiredPersonalData(app.db, NOW)).concerns).toBe(1);
  });
});

describe("purgeTick (the daily job)", () => {
  it("runs at most once per company-zone day", async () => {
    const first = await finishedConcern(CUT.concerns - MINUTE, "closed");
    expect(await purgeTick(app.db, NOW)).toBeGreaterThan(0);
    expect((await row(first)).description).toBe(RETENTION_REDACTION_MARKER);
    // Due later the same day: the day's run has happened, so it waits for tomorrow.
    const second = await finishedConcern(CUT.concerns - MINUTE, "closed");
    expect(await purgeTick(app.db, NOW + 60 * MINUTE)).toBe(0);
    expect((await row(second)).description).not.toBe(RETENTION_REDACTION_MARKER);
    expect(await purgeTick(app.db, NOW + DAY)).toBeGreaterThan(0);
    expect((await row(second)).description).toBe(RETENTION_REDACTION_MARKER);
  });
});

describe("npm run cli -- purge [--dry-run]", () => {
  it("prints the counts per kind; the dry run changes nothing, the run removes, a second run finds nothing", async () => {
    const database = await freshTestDatabase();
    const longAgo = Date.now() - 40 * DAY;
    await upsertCustomer(database.db, { id: "ret-cli", locale: "en" });
    await database.db.insert(linkTokens).values({ tokenHash: "cli-old", customerId: "ret-cli", createdBy: "cli", createdAt: longAgo - DAY, expiresAt: longAgo });
    const env = { ...process.env, ...databaseEnv(database) };
    await database.close();
    const cli = async (...args: string[]) => (await promisify(execFile)(path.resolve("node_modules/.bin/tsx"), ["app/cli.ts", "purge", ...args], { env })).stdout;
    const count = (out: string, kind: string) => Number(new RegExp(`^\\s+${kind}: (\\d+)$`, "m").exec(out)?.[1]);

    const dry = await cli("--dry-run");
    expect(dry).toContain("dry run");
    expect(count(dry, "linkTokens")).toBeGreaterThanOrEqual(1);
    const done = await cli();
    expect(count(done, "linkTokens")).toBe(count(dry, "linkTokens"));
    const again = await cli();
    for (const kind of ["concerns", "messages", "linkTokens", "customerSessions", "staffSessions", "formSubmissions", "idempotencyKeys"]) expect(count(again, kind)).toBe(0);
  });
});
