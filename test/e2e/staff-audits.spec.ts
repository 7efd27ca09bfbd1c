import { expect, e2eDb, signInStaff, test } from "./support";
import { expectNoAxeViolations } from "./axe";
import { auditSystem } from "../support/audit-factories";
import { trNs } from "../support/locales";

const a = (key: string, params: Record<string, string | number> = {}) => trNs("en", "audits", key, params);
// A refused form answers 400, and the agent's page 403, on purpose; Chromium logs the status.
test.use({ allowedBrowserErrors: [/status of (400 \(Bad Request\)|403 \(Forbidden\))/] });

test("staff audits: an overdue system, recording an audit with a translated error first, an action added and done (axe clean)", async ({ page }) => {
  const system = await auditSystem(e2eDb(), { name: "E2E audit system", createdAt: Date.now() - 400 * 86_400_000 });
  const path = `/staff/ai-systems/${system.slug}/audits`;
  await signInStaff(page, "supervisor", path);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(a("title", { name: "E2E audit system" }));
  await expect(page.getByText(a("overdue"), { exact: true })).toBeVisible();
  await expect(page.getByText(a("list.empty"))).toBeVisible();
  await expectNoAxeViolations(page);

  const form = page.locator("form#audit-record");
  await form.getByLabel(a("fields.auditedOn")).fill("2026-02-03");
  await form.getByLabel(a("fields.auditorName"), { exact: true }).fill("Fairlytics GmbH");
  await form.getByLabel(a("fields.scope")).fill("Fairness across age groups.");
  await form.getByLabel(a("fields.findings")).fill("No difference found.");
  await form.getByRole("radio", { name: a("results.passed_with_actions") }).check();
  await form.getByRole("button", { name: a("record.submit") }).click();
  // English summary missing: the error is shown and what was typed is kept.
  await expect(form.getByText(trNs("en", "common", "errors.required"))).toBeVisible();
  await expect(form.getByLabel(a("fields.scope"))).toHaveValue("Fairness across age groups.");
  await expectNoAxeViolations(page);

  await form.getByLabel(a("fields.summary", { language: "English" })).fill("An external auditor found no unfair differences.");
  // The other 26 languages are collapsed; French is written after opening them.
  const others = form.locator("details.language-fieldsets");
  await expect(others).not.toHaveAttribute("open", /.*/);
  await others.locator("summary").click();
  await form.getByLabel(a("fields.summary", { language: "Français" })).fill("Un auditeur externe n’a trouvé aucune différence injuste.");
  await form.getByRole("button", { name: a("record.submit") }).click();
  await expect(page.getByText(a("done.recorded"))).toBeVisible();
  const card = page.getByRole("article").filter({ hasText: "Fairlytics GmbH" });
  await expect(card.getByRole("heading", { level: 3 })).toContainText(a("results.passed_with_actions"));
  await expect(page.getByText(a("overdue"), { exact: true })).toHaveCount(0);

  await card.getByText(a("actions.addTitle")).click();
  await card.getByLabel(a("fields.actionText"), { exact: true }).fill("Repeat the test in three months.");
  await card.getByLabel(a("fields.owner"), { exact: true }).selectOption({ label: "Ada Admin" });
  await card.getByLabel(a("fields.dueOn"), { exact: true }).fill("2026-05-03");
  await card.getByRole("button", { name: a("actions.add") }).click();
  await expect(page.getByText(a("done.actionAdded"))).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "Repeat the test in three months." });
  await expect(row).toContainText("Ada Admin");
  await row.getByRole("button", { name: new RegExp(a("actions.complete")) }).click();
  await expect(page.getByText(a("done.actionDone"))).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Repeat the test in three months." })).toContainText(a("actions.doneOn"));
  await expectNoAxeViolations(page);
});

test("staff audits: an agent is refused the page", async ({ page }) => {
  const system = await auditSystem(e2eDb());
  const path = `/staff/ai-systems/${system.slug}/audits`;
  await signInStaff(page, "agent", "/staff/concerns");
  const response = await page.goto(path);
  expect(response!.status()).toBe(403);
});
