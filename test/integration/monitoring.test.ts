/**
 * Monitoring of AI behaviour (SPEC §12; AI Act Art. 26(5), 72): the weekly figures per AI system
 * from the append-only records, kept current incrementally (equal to a full rebuild), thresholds
 * raising one alert per system, metric and week, and acknowledgement in the audit log.
 */
import { and, asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  acknowledgeMonitoringAlert,
  monitoringReport,
  openMonitoringAlerts,
  rebuildMonitoringFigures,
  refreshMonitoringFigures,
  setMonitoringThreshold,
  MonitoringInputError,
  SETTLE_MS,
} from "../../app/domain/monitoring.server";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { auditLog, concerns, monitoringAlerts, monitoringFigures } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import {
  monitoredAnswer,
  monitoredConcern,
  monitoredCustomer,
  monitoredDecisions,
  monitoredInteraction,
  monitoredSystem,
} from "../support/monitoring-factories";

const TZ = "Europe/Brussels";
const at = (iso: string) => Date.parse(iso);
/** Monday 2024-01-01 and 2024-01-08, 00:00 in Brussels. */
const W1 = at("2024-01-01T00:00:00+01:00");
const W2 = at("2024-01-08T00:00:00+01:00");
/** The weeks a report shows end with this one's. */
const LATER = at("2024-01-20T12:00:00Z");
/** Refreshes run after every record (the template's demo too) has settled. */
const SETTLED = () => Date.now() + 2 * SETTLE_MS;
const ADMIN = { id: 1 };

let database: AnyDatabase;
let db: Db;
beforeEach(async () => {
  // Without the demo: decisions are folded in by their recording time (always "now" on the hot
  // path), so the backdated records here must come after any already counted.
  database = await freshTestDatabase({ seeded: false });
  db = database.db;
  await rebuildMonitoringFigures(db, SETTLED(), TZ);
});
afterEach(async () => {
  await database.close();
});

async function refreshAll(now: number) {
  let total = 0;
  for (let rows = await refreshMonitoringFigures(db, now, TZ); rows > 0; rows = await refreshMonitoringFigures(db, now, TZ)) total += rows;
  return total;
}

async function weekOf(systemId: number, weekStart: number) {
  const report = await monitoringReport(db, { systemId, weeks: 4, now: LATER, lang: "en", timeZone: TZ });
  return report.systems[0]!.weeks.find((w) => w.weekStart === weekStart)!;
}

/** Two weeks of records for system A (and a little for B). */
async function seedTwoWeeks() {
  const a = await monitoredSystem(db, "Monitor A");
  const b = await monitoredSystem(db, "Monitor B");
  const customer = await monitoredCustomer(db);
  await monitoredDecisions(db, a.slug, 6, at("2024-01-02T10:00:00+01:00"), "allow", "preference_allow");
  await monitoredDecisions(db, a.slug, 3, at("2024-01-03T10:00:00+01:00"), "ask", "preference_ask");
  // Sunday 23:30 in Brussels (22:30 UTC): still the first week.
  await monitoredDecisions(db, a.slug, 1, at("2024-01-07T22:30:00Z"), "deny", "quiet_hours");
  // Sunday 23:30 UTC is Monday 00:30 in Brussels: the second week.
  await monitoredDecisions(db, a.slug, 2, at("2024-01-07T23:30:00Z"), "deny", "preference_never");
  await monitoredDecisions(db, "not-registered", 5, at("2024-01-02T10:00:00+01:00"), "deny", "unknown_ai_system");
  for (const answer of ["approved", "declined", "expired", "expired"] as const) await monitoredAnswer(db, a.slug, customer, answer, at("2024-01-04T09:00:00+01:00"));
  const jan3 = at("2024-01-03T15:00:00+01:00");
  await monitoredInteraction(db, customer, jan3, [{ systemId: a.id, reviewed: true }]);
  // Two involvements of A in one interaction: counted once, reviewed because one was.
  await monitoredInteraction(db, customer, jan3, [{ systemId: a.id, reviewed: false }, { systemId: a.id, reviewed: true }]);
  await monitoredInteraction(db, customer, jan3, [{ systemId: a.id, reviewed: false }], { detectedAt: jan3 + 1000 });
  await monitoredInteraction(db, customer, jan3, [{ systemId: a.id, reviewed: false }, { systemId: b.id, reviewed: true }]);
  const upheld = await monitoredConcern(db, a.id, jan3);
  await monitoredConcern(db, a.id, jan3 + 1);
  await monitoredConcern(db, a.id, jan3 + 2, { status: "spam" });
  await monitoredConcern(db, a.id, jan3 + 3, { origin: "breach" });
  return { a, b, customer, upheld };
}

describe("monitoring figures", () => {
  it("counts decisions, answers, breaches, interactions, review and concerns per system and week in the company's time zone", async () => {
    const { a, b, upheld } = await seedTwoWeeks();
    await db.update(concerns).set({ status: "resolved", outcomeCode: "upheld", outcomeReason: "-", resolvedAt: W2 }).where(eq(concerns.id, upheld));
    expect(await refreshAll(SETTLED())).toBeGreaterThan(0);

    const first = await weekOf(a.id, W1);
    expect(first.week).toBe("2024-W01");
    expect(first.decisions).toEqual({ allow: 6, ask: 3, deny: 1 });
    expect(first.reasons).toEqual([
      { decision: "allow", reason: "preference_allow", count: 6 },
      { decision: "ask", reason: "preference_ask", count: 3 },
      { decision: "deny", reason: "quiet_hours", count: 1 },
    ]);
    expect(first.confirmations).toEqual({ approved: 1, declined: 1, expired: 2 });
    expect({ breaches: first.breaches, interactions: first.interactions, reviewed: first.reviewed, concerns: first.concerns, upheld: first.upheld }).toEqual({
      breaches: 1,
      interactions: 4,
      reviewed: 2,
      concerns: 2,
      upheld: 1,
    });
    expect(first.metrics).toEqual({ deny_share: 10, expired_share: 50, breaches: 1, concerns_per_1000: 500, reviewed_share: 50, upheld: 1 });

    const second = await weekOf(a.id, W2);
    expect(second.decisions).toEqual({ allow: 0, ask: 0, deny: 2 });
    expect(second.metrics.deny_share).toBe(100);
    expect(second.metrics.reviewed_share).toBeNull();

    const other = await weekOf(b.id, W1);
    expect({ interactions: other.interactions, reviewed: other.reviewed, decisions: other.decisions }).toEqual({ interactions: 1, reviewed: 1, decisions: { allow: 0, ask: 0, deny: 0 } });
  });

  it("leaves records younger than the settling time for the next refresh", async () => {
    const a = await monitoredSystem(db);
    const t = at("2024-01-02T10:00:00+01:00");
    await monitoredDecisions(db, a.slug, 2, t, "deny", "preference_never");
    expect(await refreshMonitoringFigures(db, t + SETTLE_MS - 1, TZ)).toBe(0);
    expect((await weekOf(a.id, W1)).decisions.deny).toBe(0);
    expect(await refreshMonitoringFigures(db, t + SETTLE_MS + 1, TZ)).toBe(2);
    expect((await weekOf(a.id, W1)).decisions.deny).toBe(2);
    expect(await refreshMonitoringFigures(db, t + SETTLE_MS + 1, TZ)).toBe(0);
  });

  it("reads without the writer, and writes only if no other refresh wrote since it read: each record counted once", async () => {
    const a = await monitoredSystem(db);
    const t = at("2024-01-02T10:00:00+01:00");
    await monitoredDecisions(db, a.slug, 2, t, "deny", "preference_never");
    // Another instance (or a page) refreshes between this refresh's read and its write.
    let raced = 0;
    const racing = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== "transaction") return Reflect.get(target, property, receiver);
        return async (body: (tx: Db) => Promise<unknown>) => {
          raced = await refreshMonitoringFigures(db, t + SETTLE_MS + 1, TZ);
          return target.transaction(body);
        };
      },
    });
    expect(await refreshMonitoringFigures(racing, t + SETTLE_MS + 1, TZ)).toBe(0);
    expect(raced).toBe(2);
    expect((await weekOf(a.id, W1)).decisions.deny).toBe(2);
    expect(await refreshMonitoringFigures(db, t + SETTLE_MS + 1, TZ)).toBe(0);
  });

  it("an incremental refresh after new records and changed concerns equals a full rebuild", async () => {
    const { a, customer, upheld } = await seedTwoWeeks();
    await refreshAll(SETTLED());
    // New records in both weeks, a concern resolved upheld, one moved to another system, one deleted.
    await monitoredDecisions(db, a.slug, 4, at("2024-01-09T10:00:00+01:00"), "ask", "amount_over_limit");
    await monitoredAnswer(db, a.slug, customer, "approved", at("2024-01-09T11:00:00+01:00"));
    await monitoredInteraction(db, customer, at("2024-01-02T08:00:00+01:00"), [{ systemId: a.id, reviewed: false }], { detectedAt: at("2024-01-09T08:00:00+01:00") });
    await db.update(concerns).set({ status: "resolved", outcomeCode: "partly_upheld", outcomeReason: "-", resolvedAt: W2 }).where(eq(concerns.id, upheld));
    const other = await monitoredConcern(db, a.id, at("2024-01-10T10:00:00+01:00"));
    await db.delete(concerns).where(eq(concerns.id, other));
    await refreshAll(SETTLED());
    const incremental = await db.select().from(monitoringFigures).orderBy(asc(monitoringFigures.weekStart), asc(monitoringFigures.systemId), asc(monitoringFigures.key));

    await rebuildMonitoringFigures(db, SETTLED(), TZ);
    const rebuilt = await db.select().from(monitoringFigures).orderBy(asc(monitoringFigures.weekStart), asc(monitoringFigures.systemId), asc(monitoringFigures.key));
    expect(incremental.filter((r) => Number(r.count) !== 0)).toEqual(rebuilt.filter((r) => Number(r.count) !== 0));
    const week1 = await weekOf(a.id, W1);
    expect({ interactions: week1.interactions, upheld: week1.upheld, concerns: week1.concerns }).toEqual({ interactions: 5, upheld: 1, concerns: 2 });
    expect((await weekOf(a.id, W2)).breaches).toBe(1);
  });
});

describe("monitoring thresholds and alerts", () => {
  it("a week crossing a threshold raises one alert, however often it is refreshed; a system's own threshold replaces the one for all", async () => {
    const a = await monitoredSystem(db, "Monitor A");
    const b = await monitoredSystem(db, "Monitor B");
    const now = at("2024-01-10T12:00:00+01:00");
    await setMonitoringThreshold(db, ADMIN, { systemId: 0, metric: "deny_share", value: 20 }, now, TZ);
    await setMonitoringThreshold(db, ADMIN, { systemId: b.id, metric: "deny_share", value: 60 }, now, TZ);
    // Shares alert on 20 checks or more (MIN_ALERT_SAMPLE): 19 checks of B, half denied, raise nothing.
    await monitoredDecisions(db, a.slug, 15, at("2024-01-09T10:00:00+01:00"), "allow");
    await monitoredDecisions(db, a.slug, 5, at("2024-01-09T10:00:00+01:00"), "deny", "preference_never");
    await monitoredDecisions(db, b.slug, 10, at("2024-01-09T10:00:00+01:00"), "allow");
    await monitoredDecisions(db, b.slug, 10, at("2024-01-09T10:00:00+01:00"), "deny", "preference_never");
    const c = await monitoredSystem(db, "Monitor C");
    await monitoredDecisions(db, c.slug, 19, at("2024-01-09T10:00:00+01:00"), "deny", "preference_never");
    await refreshAll(SETTLED());
    // A: 25 % > 20 % (all systems); B: 50 %, below its own 60 %; C: 100 % of too few checks.
    let open = (await openMonitoringAlerts(db)).filter((x) => x.systemId === a.id || x.systemId === b.id || x.systemId === c.id);
    expect(open).toEqual([
      { id: expect.any(Number), systemId: a.id, systemSlug: a.slug, systemName: "Monitor A", metric: "deny_share", weekStart: W2, value: 25, threshold: 20, raisedAt: expect.any(Number) },
    ]);
    await monitoredDecisions(db, a.slug, 1, at("2024-01-09T11:00:00+01:00"), "deny", "preference_never");
    await refreshAll(SETTLED());
    await rebuildMonitoringFigures(db, SETTLED(), TZ);
    open = (await openMonitoringAlerts(db)).filter((x) => x.systemId === a.id);
    expect(open).toHaveLength(1);
    expect(await db.select().from(monitoringAlerts).where(and(eq(monitoringAlerts.systemId, a.id), eq(monitoringAlerts.metric, "deny_share")))).toHaveLength(1);
  });

  it("refuses thresholds out of range and unknown systems", async () => {
    const now = at("2024-01-10T12:00:00+01:00");
    const refused = async (input: { systemId: number; metric: string; value: number }) => {
      try {
        await setMonitoringThreshold(db, ADMIN, input, now, TZ);
        return null;
      } catch (error) {
        return error instanceof MonitoringInputError ? `${error.field}:${error.code}` : String(error);
      }
    };
    expect(await refused({ systemId: 0, metric: "deny_share", value: 101 })).toBe("value:range");
    expect(await refused({ systemId: 0, metric: "breaches", value: 0.5 })).toBe("value:range");
    expect(await refused({ systemId: 0, metric: "reviewed_share", value: 10.005 })).toBe("value:range");
    expect(await refused({ systemId: 0, metric: "nonsense", value: 1 })).toBe("metric:unknown");
    expect(await refused({ systemId: 999_999, metric: "breaches", value: 1 })).toBe("systemId:unknown");
    expect(await refused({ systemId: 0, metric: "breaches", value: 1 })).toBeNull();
  });

  it("acknowledging an alert takes it off the open list and is audited; a second acknowledgement changes nothing", async () => {
    const a = await monitoredSystem(db);
    const customer = await monitoredCustomer(db);
    const now = at("2024-01-10T12:00:00+01:00");
    await setMonitoringThreshold(db, ADMIN, { systemId: a.id, metric: "breaches", value: 1 }, now, TZ);
    const t = at("2024-01-09T10:00:00+01:00");
    await monitoredInteraction(db, customer, t, [{ systemId: a.id, reviewed: false }], { detectedAt: t });
    await refreshAll(SETTLED());
    const [alert] = (await openMonitoringAlerts(db)).filter((x) => x.systemId === a.id);
    expect(alert).toMatchObject({ metric: "breaches", value: 1, threshold: 1, weekStart: W2 });
    expect(await acknowledgeMonitoringAlert(db, ADMIN, alert!.id, now + 5)).toBe(true);
    expect((await openMonitoringAlerts(db)).some((x) => x.id === alert!.id)).toBe(false);
    const entries = await db.select().from(auditLog).where(eq(auditLog.action, "monitoring.alert_acknowledged"));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorType: "staff", actorId: "1", targetType: "monitoring_alert", targetId: String(alert!.id) });
    expect(await acknowledgeMonitoringAlert(db, ADMIN, alert!.id, now + 6)).toBe(false);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "monitoring.alert_acknowledged"))).toHaveLength(1);
  });
});
