import { createStaffUser } from "../../app/domain/staff.server";
import { localDay } from "../../app/utils/calendar";
import { expectNoAxeViolations } from "./axe";
import { e2eDb, expect, signInStaff, test } from "./support";
import { trNs } from "../support/locales";

const t = (key: string, params: Record<string, string | number> = {}) => trNs("en", "trainings", key, params);

test("trainings: an admin records a training for an untrained agent, corrects it and deletes it (axe clean)", async ({ page }) => {
  const name = `Tess Trainee ${Date.now()}`;
  await createStaffUser(e2eDb(), { email: `tess-${Date.now()}@nordlys.example`, name, role: "agent", password: "long-enough-password-1" }, { type: "system" });

  await signInStaff(page, "admin", "/staff/trainings");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("title"));
  const person = page.locator("table tbody tr", { hasText: name });
  await expect(person.first()).toContainText(t("status.none"));
  await expectNoAxeViolations(page);

  // An end before the completion is refused; what was typed stays.
  const today = localDay(Date.now(), "Europe/Brussels");
  await page.getByLabel(t("form.person"), { exact: true }).selectOption({ label: name });
  await page.getByLabel(t("form.course"), { exact: true }).fill("AI literacy for customer care");
  await page.getByLabel(t("form.completedOn"), { exact: true }).fill(today);
  await page.getByLabel(t("form.validUntil"), { exact: true }).fill("2020-01-01");
  await page.getByLabel(t("form.evidence"), { exact: true }).fill("Certificate E2E-1");
  await page.getByRole("button", { name: t("form.record") }).click();
  await expect(page.getByText(t("errors.ends_before_completed")).first()).toBeVisible();
  await expect(page.getByLabel(t("form.course"), { exact: true })).toHaveValue("AI literacy for customer care");
  await expectNoAxeViolations(page);

  await page.getByLabel(t("form.validUntil"), { exact: true }).fill("2099-12-31");
  await page.getByRole("button", { name: t("form.record") }).click();
  await expect(page).toHaveURL(/done=recorded/);
  await expect(page.getByText(t("done.recorded"))).toBeVisible();
  await expect(page.locator("table tbody tr", { hasText: name }).first()).toContainText(t("status.current"));
  await expectNoAxeViolations(page);

  // Correct it: the end date moves to within 30 days, so it is listed as running out.
  await page.getByRole("link", { name: t("records.editLabel", { course: "AI literacy for customer care", name }) }).click();
  await expect(page.getByRole("heading", { name: t("form.correctTitle", { name }) })).toBeVisible();
  const soon = localDay(Date.now() + 10 * 24 * 60 * 60 * 1000, "Europe/Brussels");
  await page.getByLabel(t("form.validUntil"), { exact: true }).fill(soon);
  await page.getByRole("button", { name: t("form.saveCorrection") }).click();
  await expect(page).toHaveURL(/done=corrected/);
  await expect(page.locator("table tbody tr", { hasText: name }).first()).toContainText(t("status.expiring"));
  await expect(page.getByRole("listitem").filter({ hasText: name })).toBeVisible();

  // Delete it after ticking the box.
  const record = page.locator("table tbody tr", { hasText: "Certificate E2E-1" });
  await record.getByRole("checkbox", { name: t("records.confirmDelete") }).check();
  await record.getByRole("button", { name: t("records.deleteLabel", { course: "AI literacy for customer care", name }) }).click();
  await expect(page).toHaveURL(/done=deleted/);
  await expect(page.locator("table tbody tr", { hasText: "Certificate E2E-1" })).toHaveCount(0);
  await expectNoAxeViolations(page);
});

test("trainings: a supervisor sees coverage and expiries but no forms", async ({ page }) => {
  await signInStaff(page, "supervisor", "/staff/trainings");
  await expect(page.getByRole("heading", { name: t("coverage.title") })).toBeVisible();
  await expect(page.getByText(t("form.adminsOnly"))).toBeVisible();
  await expect(page.getByRole("button", { name: t("form.record") })).toHaveCount(0);
  await expectNoAxeViolations(page);
});
