/**
 * Monitoring at scale (SPEC §10 "Growth", §12): keeping the weekly figures current and reading the
 * monitoring page scan no large table — decisions are read by (created_at, id) from their index,
 * answers, breaches and AI involvements by id, siblings by interaction, concerns by created_at, and
 * the figures through their key.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monitoringReport, openMonitoringAlerts, rebuildMonitoringFigures, refreshMonitoringFigures, SETTLE_MS } from "../../app/domain/monitoring.server";
import { executeSql, openDatabase, type AnyDatabase } from "../../app/utils/db.server";
import { freshTestDatabase } from "../support/database";
import { monitoredAnswer, monitoredConcern, monitoredCustomer, monitoredDecisions, monitoredInteraction, monitoredSystem } from "../support/monitoring-factories";
import { describeFullScans, LARGE_TABLES, plansOf } from "../support/query-plans";

const TZ = "Europe/Brussels";
const DAY = 86_400_000;
const START = Date.parse("2024-01-01T00:00:00Z");
const WATCHED = [...LARGE_TABLES, "confirmation_answers", "monitoring_figures"];
const settled = () => Date.now() + 2 * SETTLE_MS;

let database: AnyDatabase;
let systemId: number;

beforeAll(async () => {
  database = await freshTestDatabase({ seeded: false });
  const { db } = database;
  const system = await monitoredSystem(db);
  systemId = system.id;
  const customer = await monitoredCustomer(db);
  // A year of records, a few thousand of each.
  for (let day = 0; day < 365; day += 1) {
    await monitoredDecisions(db, system.slug, 8, START + day * DAY + 3_600_000, day % 5 ? "allow" : "deny", day % 5 ? "preference_allow" : "preference_never");
    if (day % 3 === 0) await monitoredAnswer(db, system.slug, customer, day % 2 ? "approved" : "expired", START + day * DAY + 7_200_000);
    await monitoredInteraction(db, customer, START + day * DAY, [{ systemId: system.id, reviewed: day % 4 === 0 }], day % 30 === 0 ? { detectedAt: START + day * DAY } : undefined);
    if (day % 2 === 0) await monitoredConcern(db, system.id, START + day * DAY + 1000);
  }
  await rebuildMonitoringFigures(db, settled(), TZ);
  await executeSql(db, sql`analyze`);
  if (database.engine === "postgres") {
    // A few thousand rows are read whole faster than through an index, so PostgreSQL rightly does;
    // as in the growth bench, plans are judged with sequential scans off (what a large table gets).
    const [row] = await executeSql<{ name: string }>(db, sql`select current_database() as name`);
    await executeSql(db, sql.raw(`alter database "${row!.name}" set enable_seqscan = off`));
    const url = database.url;
    await database.close();
    database = openDatabase(url);
  }
}, 120_000);

afterAll(async () => {
  await database.close();
});

describe("monitoring query plans", () => {
  it("a refresh after new records reads only what is new, through indexes", async () => {
    const { db } = database;
    const system = await monitoredSystem(db, "Fresh");
    const customer = await monitoredCustomer(db);
    const at = START + 400 * DAY;
    await monitoredDecisions(db, system.slug, 3, at, "deny", "quiet_hours");
    await monitoredAnswer(db, system.slug, customer, "declined", at);
    await monitoredInteraction(db, customer, at, [{ systemId: system.id, reviewed: true }], { detectedAt: at });
    await monitoredConcern(db, system.id, at);
    const reports = await plansOf(database, (observed) => refreshMonitoringFigures(observed, settled(), TZ), WATCHED);
    expect(describeFullScans(reports)).toBe("");
    const decisionReads = reports.filter((r) => /from "decisions"/.test(r.text));
    expect(decisionReads).toHaveLength(1);
    expect(decisionReads[0]!.plan.join(" | ")).toMatch(database.engine === "sqlite" ? /decisions_created/ : /decisions_created|Index/);
    const concernReads = reports.filter((r) => /from "concerns"/.test(r.text));
    expect(concernReads.length).toBeGreaterThanOrEqual(1);
    for (const r of concernReads) expect(r.plan.join(" | ")).toMatch(/concerns_created/);
  });

  it("reading the page (report and open alerts) touches only the figures, by key", async () => {
    const reports = await plansOf(
      database,
      async (observed) => {
        await monitoringReport(observed, { weeks: 12, now: START + 200 * DAY, lang: "en", timeZone: TZ });
        await monitoringReport(observed, { systemId, weeks: 12, now: START + 300 * DAY, lang: "en", timeZone: TZ });
        await openMonitoringAlerts(observed);
      },
      WATCHED,
    );
    expect(describeFullScans(reports)).toBe("");
    expect(reports.map((r) => r.text).filter((text) => /\b(from|join) "(decisions|interactions|interaction_ai|concerns|confirmation_answers|permission_breaches)"/i.test(text))).toEqual([]);
  });
});
