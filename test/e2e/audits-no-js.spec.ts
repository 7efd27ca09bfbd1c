import { expect, e2eDb, signInStaff, test } from "./support";
import { auditSystem } from "../support/audit-factories";
import { tr, trNs } from "../support/locales";

const a = (key: string, params: Record<string, string | number> = {}) => trNs("en", "audits", key, params);
test.use({ allowedBrowserErrors: [/status of 400 \(Bad Request\)/] });

// This file runs in the "no-javascript" project: JavaScript is disabled in the browser.
test("without JavaScript: the statistics page shows its tables", async ({ page }) => {
  await page.goto("/fr/statistics");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tr("fr", "statistics.title"));
  await expect(page.getByRole("table", { name: tr("fr", "statistics.allCaption") })).toBeVisible();
});

test("without JavaScript: an audit is recorded after a refused first try that keeps what was typed", async ({ page }) => {
  const system = await auditSystem(e2eDb(), { name: "No-JS audit system" });
  const path = `/staff/ai-systems/${system.slug}/audits`;
  await signInStaff(page, "admin", path);
  const form = page.locator("form#audit-record");
  await form.getByLabel(a("fields.auditedOn")).fill("2026-02-28");
  await form.getByLabel(a("fields.auditorName"), { exact: true }).fill("Internal audit");
  await form.getByLabel(a("fields.scope")).fill("Data use.");
  await form.getByLabel(a("fields.findings")).fill("All fine.");
  await form.getByRole("radio", { name: a("results.passed"), exact: true }).check();
  await form.getByRole("button", { name: a("record.submit") }).click();
  await expect(page.locator("form#audit-record").getByText(trNs("en", "common", "errors.required"))).toBeVisible();
  await expect(page.locator("form#audit-record").getByLabel(a("fields.auditorName"), { exact: true })).toHaveValue("Internal audit");
  await page.locator("form#audit-record").getByLabel(a("fields.summary", { language: "English" })).fill("All fine.");
  await page.locator("form#audit-record").getByRole("button", { name: a("record.submit") }).click();
  await expect(page.getByText(a("done.recorded"))).toBeVisible();
  await expect(page.getByRole("article").filter({ hasText: "Internal audit" })).toBeVisible();
});
