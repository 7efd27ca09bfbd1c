import { type Page } from "@playwright/test";
import { createStaffUser } from "../../app/domain/staff.server";
import { SETTLE_MS, setMonitoringThreshold } from "../../app/domain/monitoring.server";
import { trNs } from "../support/locales";
import { monitoredDecisions, monitoredSystem } from "../support/monitoring-factories";
import { expectNoAxeViolations } from "./axe";
import { e2eDb, expect, signInStaff, test } from "./support";

// A refused threshold answers 400 on purpose; Chromium logs the status.
test.use({ allowedBrowserErrors: [/status of 400 \(Bad Request\) \(http:\/\/localhost:\d+\/staff\/monitoring\S*\)$/] });

const m = (lang: string, key: string, params: Record<string, string | number> = {}) => trNs(lang, "monitoring", key, params);

/** A fresh AI system whose checks this week are one in four denied, with a 10 % threshold: the page's refresh raises the alert. */
async function systemOverThreshold(name: string) {
  const db = e2eDb();
  const system = await monitoredSystem(db, name);
  const at = Date.now() - 2 * SETTLE_MS;
  await monitoredDecisions(db, system.slug, 15, at, "allow", "preference_allow");
  await monitoredDecisions(db, system.slug, 5, at, "deny", "quiet_hours");
  await setMonitoringThreshold(db, { id: 1 }, { systemId: system.id, metric: "deny_share", value: 10 }, Date.now());
  return system;
}

async function signInAs(page: Page, role: "supervisor" | "admin", locale: "en" | "de" | "ar", next: string) {
  const email = `monitor-${locale}-${Math.random().toString(36).slice(2, 8)}@nordlys.example`;
  const password = "a long enough password for the test";
  await createStaffUser(e2eDb(), { email, name: `Mona ${locale}`, role, password, locale }, { type: "system" });
  await signInStaff(page, { email, password }, next);
}

test("monitoring: charts with their tables, an alert acknowledged, axe clean", async ({ page }) => {
  const name = `Monitor ${Math.random().toString(36).slice(2, 8)}`;
  const system = await systemOverThreshold(name);
  const url = `/staff/monitoring?system=${system.id}&weeks=4`;
  await signInAs(page, "supervisor", "en", url);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(m("en", "title"));
  const section = page.getByRole("region", { name, exact: true });
  for (const metric of ["deny_share", "reviewed_share", "concerns_per_1000"]) {
    const title = m("en", "chartTitle", { metric: m("en", `metrics.${metric}`), system: name });
    await expect(section.getByRole("img", { name: title })).toBeVisible();
    await expect(section.getByRole("table", { name: title })).toBeVisible();
  }
  await expect(section.getByRole("table", { name: m("en", "table.allCaption", { system: name }) })).toBeVisible();
  await expect(section.getByRole("cell", { name: "25 %" }).first()).toBeVisible();
  // Supervisors see thresholds but cannot change them.
  await expect(page.getByText(m("en", "thresholds.adminsOnly"))).toBeVisible();
  await expectNoAxeViolations(page);

  const alerts = page.getByRole("region", { name: m("en", "alerts.title") });
  const item = alerts.getByRole("listitem").filter({ hasText: name });
  await expect(item).toHaveCount(1);
  await item.getByRole("button", { name: new RegExp(m("en", "alerts.acknowledge")) }).click();
  await expect(page.getByText(m("en", "done.acknowledged"))).toBeVisible();
  await expect(page.getByRole("region", { name: m("en", "alerts.title") }).getByRole("listitem").filter({ hasText: name })).toHaveCount(0);

  const download = page.waitForEvent("download");
  await page.goto(url);
  await page.getByRole("link", { name: m("en", "export.csv") }).click();
  expect((await download).suggestedFilename()).toMatch(/^candor-monitoring-\d{4}-\d{2}-\d{2}\.csv$/);
});

test("monitoring: an admin sets a threshold, a bad value keeps what was typed; axe clean in German and Arabic", async ({ page }) => {
  await signInAs(page, "admin", "de", "/staff/monitoring");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(m("de", "title"));
  await expectNoAxeViolations(page);
  await page.getByLabel(m("de", "thresholds.metric"), { exact: true }).selectOption("deny_share");
  await page.getByLabel(m("de", "thresholds.value"), { exact: true }).fill("150");
  await page.getByRole("button", { name: m("de", "thresholds.save") }).click();
  await expect(page.getByText(m("de", "errors.value.percent")).first()).toBeVisible();
  await expect(page.getByLabel(m("de", "thresholds.value"), { exact: true })).toHaveValue("150");
  await expectNoAxeViolations(page);
  await page.getByLabel(m("de", "thresholds.value"), { exact: true }).fill("35");
  await page.getByRole("button", { name: m("de", "thresholds.save") }).click();
  await expect(page.getByText(m("de", "done.thresholdSaved"))).toBeVisible();
  const rule = page.getByText(m("de", "thresholds.rule.deny_share", { value: "35" }));
  await expect(rule).toBeVisible();
  await page.getByRole("listitem").filter({ has: rule }).getByRole("button", { name: new RegExp(m("de", "thresholds.remove")) }).click();
  await expect(page.getByText(m("de", "done.thresholdRemoved"))).toBeVisible();

  await page.context().clearCookies();
  await signInAs(page, "admin", "ar", "/staff/monitoring");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(m("ar", "title"));
  await expectNoAxeViolations(page);
});
