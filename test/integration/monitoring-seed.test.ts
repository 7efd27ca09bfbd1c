/** The monitoring demo (db/seed-monitoring.ts): twelve weeks of history, once, and the one week that crosses a threshold. */
import { afterEach, beforeEach, expect, it } from "vitest";
import { monitoringReport, openMonitoringAlerts, rebuildMonitoringFigures, SETTLE_MS, weekStartOf } from "../../app/domain/monitoring.server";
import type { AnyDatabase } from "../../app/utils/db.server";
import { env } from "../../app/utils/env.server";
import { seedMonitoring } from "../../db/seed-monitoring";
import { freshTestDatabase } from "../support/database";

let database: AnyDatabase;
beforeEach(async () => {
  database = await freshTestDatabase();
});
afterEach(async () => {
  await database.close();
});

it("adds twelve weeks for the five demo systems once; the offer predictor's spike three weeks ago raises its alert", async () => {
  const now = Date.now();
  expect(await seedMonitoring(database.db, now)).toBe(true);
  expect(await seedMonitoring(database.db, now)).toBe(false);
  // The template's own demo was recorded seconds ago: the worker's next ticks fold it in; here, at once.
  await rebuildMonitoringFigures(database.db, now + 2 * SETTLE_MS);
  const report = await monitoringReport(database.db, { weeks: 12, now, lang: "de" });
  expect(report.systems.map((s) => s.slug)).toEqual(expect.arrayContaining(["chat-assistant", "email-reply-drafter", "network-troubleshooter", "offer-predictor", "call-summariser"]));
  for (const system of report.systems.filter((s) => s.slug !== "email-reply-drafter" && s.slug !== "call-summariser")) {
    const decided = system.weeks.slice(1, -1).map((w) => w.decisions.allow + w.decisions.ask + w.decisions.deny);
    expect(Math.min(...decided), system.slug).toBeGreaterThan(0);
  }
  for (const system of report.systems) expect(system.weeks.slice(1, -1).map((w) => w.interactions), system.slug).not.toContain(0);
  const spike = weekStartOf(now - 21 * 86_400_000, env().DISPLAY_TIME_ZONE);
  const alerts = await openMonitoringAlerts(database.db);
  expect(alerts.filter((a) => a.systemSlug === "offer-predictor" && a.metric === "deny_share").map((a) => a.weekStart)).toEqual([spike]);
});
