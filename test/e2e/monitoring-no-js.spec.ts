import { createStaffUser } from "../../app/domain/staff.server";
import { SETTLE_MS, setMonitoringThreshold } from "../../app/domain/monitoring.server";
import { trNs } from "../support/locales";
import { monitoredDecisions, monitoredSystem } from "../support/monitoring-factories";
import { e2eDb, expect, signInStaff, test } from "./support";

// A refused threshold answers 400 on purpose; Chromium logs the status.
test.use({ allowedBrowserErrors: [/status of 400 \(Bad Request\) \(http:\/\/localhost:\d+\/staff\/monitoring\S*\)$/] });

const m = (key: string, params: Record<string, string | number> = {}) => trNs("en", "monitoring", key, params);

test("monitoring without JavaScript: filter, acknowledge an alert, a refused and a saved threshold", async ({ page }) => {
  const db = e2eDb();
  const name = `NoJS monitor ${Math.random().toString(36).slice(2, 8)}`;
  const system = await monitoredSystem(db, name);
  await monitoredDecisions(db, system.slug, 15, Date.now() - 2 * SETTLE_MS, "allow", "preference_allow");
  await monitoredDecisions(db, system.slug, 5, Date.now() - 2 * SETTLE_MS, "deny", "quiet_hours");
  await setMonitoringThreshold(db, { id: 1 }, { systemId: system.id, metric: "deny_share", value: 10 }, Date.now());
  const email = `nojs-monitor-${Math.random().toString(36).slice(2, 8)}@nordlys.example`;
  const password = "a long enough password for the test";
  await createStaffUser(db, { email, name: "Nora NoJS", role: "admin", password, locale: "en" }, { type: "system" });
  await signInStaff(page, { email, password }, "/staff/monitoring");

  const filter = page.getByRole("form", { name: m("filter.label") });
  await filter.getByLabel(m("filter.system"), { exact: true }).selectOption(String(system.id));
  await filter.getByLabel(m("filter.weeks"), { exact: true }).selectOption("4");
  await filter.getByRole("button", { name: m("filter.submit") }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/monitoring\\?system=${system.id}&weeks=4$`));
  await expect(page.getByRole("heading", { level: 2, name, exact: true })).toBeVisible();

  const item = page.getByRole("region", { name: m("alerts.title") }).getByRole("listitem").filter({ hasText: name });
  await item.getByRole("button", { name: new RegExp(m("alerts.acknowledge")) }).click();
  await expect(page.getByText(m("done.acknowledged"))).toBeVisible();

  const form = page.getByRole("form", { name: m("thresholds.formTitle") });
  await form.getByLabel(m("thresholds.metric"), { exact: true }).selectOption("breaches");
  await page.getByLabel(m("thresholds.value"), { exact: true }).fill("0.5");
  await page.getByRole("button", { name: m("thresholds.save") }).click();
  await expect(page.getByText(m("errors.value.count")).first()).toBeVisible();
  await expect(page.getByLabel(m("thresholds.value"), { exact: true })).toHaveValue("0.5");
  await page.getByLabel(m("thresholds.value"), { exact: true }).fill("3");
  await page.getByRole("button", { name: m("thresholds.save") }).click();
  await expect(page.getByText(m("done.thresholdSaved"))).toBeVisible();
  await expect(page.getByText(m("thresholds.rule.breaches", { value: "3" }))).toBeVisible();
});
