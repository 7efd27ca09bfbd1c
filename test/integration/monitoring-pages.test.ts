/**
 * The monitoring page and its exports over HTTP (SPEC §12): supervisors and admins read it, only
 * admins set thresholds, staff acknowledge alerts (audited), agents get 403 for every crafted
 * request; CSV cells are safe against formula injection; bad input gets a translated 400.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { openMonitoringAlerts, rebuildMonitoringFigures, SETTLE_MS, setMonitoringThreshold } from "../../app/domain/monitoring.server";
import { auditLog, monitoringThresholds } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { monitoredDecisions, monitoredSystem } from "../support/monitoring-factories";

let app: TestApp;
let system: { id: number; slug: string };
let alertId: number;

beforeEach(async () => {
  app = await createTestApp();
  // A name a spreadsheet would run as a formula; five checks in twenty denied, over a 10 % threshold.
  system = await monitoredSystem(app.db, "=HYPERLINK(\"http://evil.example\")");
  const at = Date.now() - 2 * SETTLE_MS;
  await monitoredDecisions(app.db, system.slug, 15, at, "allow", "preference_allow");
  await monitoredDecisions(app.db, system.slug, 5, at, "deny", "quiet_hours");
  await setMonitoringThreshold(app.db, { id: 1 }, { systemId: system.id, metric: "deny_share", value: 10 }, Date.now());
  await rebuildMonitoringFigures(app.db);
  const alert = (await openMonitoringAlerts(app.db)).find((a) => a.systemId === system.id);
  expect(alert).toMatchObject({ metric: "deny_share", value: 25, threshold: 10 });
  alertId = alert!.id;
});

const decode = (html: string) => html.replaceAll("&quot;", '"').replaceAll("&#x27;", "'").replaceAll("&amp;", "&");

describe("monitoring page", () => {
  it("an agent gets 403 for the page, the exports and every action, by crafted request", async () => {
    const agent = await app.signInStaff("agent");
    expect((await app.request("/staff/monitoring", { cookie: agent })).status).toBe(403);
    expect((await app.request("/staff/monitoring.csv", { cookie: agent })).status).toBe(403);
    expect((await app.request("/staff/monitoring.json", { cookie: agent })).status).toBe(403);
    expect((await app.request("/staff/monitoring", { cookie: agent, form: { intent: "acknowledge", alertId: String(alertId) } })).status).toBe(403);
    expect((await app.request("/staff/monitoring", { cookie: agent, form: { intent: "threshold", systemId: "0", metric: "breaches", value: "1" } })).status).toBe(403);
    expect((await openMonitoringAlerts(app.db)).some((a) => a.id === alertId)).toBe(true);
  });

  it("a supervisor sees the figures and the alert, may acknowledge it (audited) but not set thresholds", async () => {
    const supervisor = await app.signInStaff("supervisor");
    const page = await app.request(`/staff/monitoring?system=${system.id}&weeks=4`, { cookie: supervisor });
    expect(page.status).toBe(200);
    const html = decode(await page.text());
    expect(html).toContain("Monitoring of AI behaviour");
    expect(html).toContain('=HYPERLINK("http://evil.example")');
    expect(html).toMatch(/25 % of checks denied \(threshold: 10 %\)/);
    expect(html).toContain("Quiet hours");
    expect(html).not.toContain("Save threshold");

    const refused = await app.request("/staff/monitoring", { cookie: supervisor, form: { intent: "threshold", systemId: "0", metric: "breaches", value: "1" } });
    expect(refused.status).toBe(403);
    expect(await app.db.select().from(monitoringThresholds).where(eq(monitoringThresholds.metric, "breaches"))).toEqual([]);

    const ack = await app.request("/staff/monitoring", { cookie: supervisor, form: { intent: "acknowledge", alertId: String(alertId) } });
    expect(ack.status).toBe(303);
    expect((await openMonitoringAlerts(app.db)).some((a) => a.id === alertId)).toBe(false);
    const audited = await app.db.select().from(auditLog).where(eq(auditLog.action, "monitoring.alert_acknowledged"));
    expect(audited.map((e) => e.targetId)).toEqual([String(alertId)]);
    const again = await app.request("/staff/monitoring", { cookie: supervisor, form: { intent: "acknowledge", alertId: String(alertId) } });
    expect(again.status).toBe(404);
    expect(decode(await again.text())).toContain("This alert was already acknowledged or no longer exists.");
  });

  it("an admin sets a threshold (audited); a bad value gets a translated error and keeps what was typed", async () => {
    const admin = await app.signInStaff("admin");
    const bad = await app.request("/staff/monitoring", { cookie: admin, form: { intent: "threshold", systemId: String(system.id), metric: "deny_share", value: "150" } });
    expect(bad.status).toBe(400);
    const html = decode(await bad.text());
    expect(html).toContain("Enter a percentage from 0 to 100, with at most two decimals.");
    expect(html).toMatch(/name="value"[^>]*value="150"|value="150"[^>]*name="value"/);
    const notNumber = await app.request("/staff/monitoring", { cookie: admin, form: { intent: "threshold", systemId: "0", metric: "breaches", value: "many" } });
    expect(notNumber.status).toBe(400);
    expect(decode(await notNumber.text())).toContain("Enter a number, for example 20 or 12.5.");
    const unknownMetric = await app.request("/staff/monitoring", { cookie: admin, form: { intent: "threshold", systemId: "0", metric: "mood", value: "1" } });
    expect(unknownMetric.status).toBe(400);

    const good = await app.request("/staff/monitoring", { cookie: admin, form: { intent: "threshold", systemId: "0", metric: "breaches", value: "2" } });
    expect(good.status).toBe(303);
    const [row] = await app.db.select().from(monitoringThresholds).where(eq(monitoringThresholds.metric, "breaches"));
    expect(row).toMatchObject({ systemId: 0, valueHundredths: 200 });
    expect(await app.db.select().from(auditLog).where(eq(auditLog.action, "monitoring.threshold_set"))).toHaveLength(2);
    const removed = await app.request("/staff/monitoring", { cookie: admin, form: { intent: "remove-threshold", thresholdId: String(row!.id) } });
    expect(removed.status).toBe(303);
    expect(await app.db.select().from(auditLog).where(eq(auditLog.action, "monitoring.threshold_removed"))).toHaveLength(1);
  });

  it("a filter that is not in the lists gets a translated 400 with the default view", async () => {
    const supervisor = await app.signInStaff("supervisor");
    const response = await app.request("/staff/monitoring?weeks=5&system=abc", { cookie: supervisor });
    expect(response.status).toBe(400);
    expect(decode(await response.text())).toContain("We show all AI systems for the last 12 weeks instead.");
    expect((await app.request("/staff/monitoring.csv?weeks=5", { cookie: supervisor })).status).toBe(400);
    expect((await app.request("/staff/monitoring.json?system=99999999", { cookie: supervisor })).status).toBe(400);
  });
});

describe("monitoring exports", () => {
  it("CSV: one row per system and week with every metric, formula-like cells neutralised", async () => {
    const supervisor = await app.signInStaff("supervisor");
    const response = await app.request(`/staff/monitoring.csv?system=${system.id}&weeks=4`, { cookie: supervisor });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const lines = (await response.text()).replace(/^\ufeff/, "").trim().split("\r\n");
    expect(lines[0]).toBe(
      "system,system_name,iso_week,week_start,decisions_allow,decisions_ask,decisions_deny,confirmations_approved,confirmations_declined,confirmations_expired,breaches,interactions,interactions_reviewed,concerns,concerns_upheld,deny_share,expired_share,concerns_per_1000,reviewed_share,decision_reasons",
    );
    expect(lines).toHaveLength(5);
    const counted = lines.find((l) => l.includes("deny:quiet_hours=5"))!;
    expect(counted).toContain(`${system.slug},"'=HYPERLINK(""http://evil.example"")"`);
    expect(counted).toMatch(/,15,0,5,0,0,0,0,0,0,0,0,25,,,,allow:preference_allow=15;deny:quiet_hours=5$/);
  });

  it("JSON: per system and week, counts, reasons and metrics with their units", async () => {
    const supervisor = await app.signInStaff("supervisor");
    const response = await app.request(`/staff/monitoring.json?system=${system.id}&weeks=4`, { cookie: supervisor });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { timeZone: string; systems: { system: string; weeks: { decisions: unknown; reasons: unknown; metrics: Record<string, unknown> }[] }[] };
    expect(body.systems).toHaveLength(1);
    expect(body.systems[0]!.system).toBe(system.slug);
    expect(body.systems[0]!.weeks).toHaveLength(4);
    const week = body.systems[0]!.weeks.find((w) => (w.metrics.deny_share as number | null) !== null)!;
    expect(week.decisions).toEqual({ allow: 15, ask: 0, deny: 5 });
    expect(week.reasons).toEqual([
      { decision: "allow", reason: "preference_allow", count: 15 },
      { decision: "deny", reason: "quiet_hours", count: 5 },
    ]);
    expect(week.metrics).toEqual({ deny_share: 25, expired_share: null, breaches: 0, concerns_per_1000: null, reviewed_share: null, upheld: 0 });
  });
});
