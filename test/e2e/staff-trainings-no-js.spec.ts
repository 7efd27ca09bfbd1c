import { createStaffUser } from "../../app/domain/staff.server";
import { localDay } from "../../app/utils/calendar";
import { expect, e2eDb, signInStaff, test } from "./support";
import { trNs } from "../support/locales";

// Without JavaScript the refused form is answered by the server with a 400 page, which the browser logs.
test.use({ allowedBrowserErrors: [/status of 400 \(Bad Request\) \(http:\/\/localhost:\d+\/staff\/trainings\)$/] });

const t = (key: string, params: Record<string, string | number> = {}) => trNs("en", "trainings", key, params);

test("trainings without JavaScript: a refused training keeps what was typed, a corrected one is recorded", async ({ page }) => {
  const name = `Nico NoScript ${Date.now()}`;
  await createStaffUser(e2eDb(), { email: `nico-${Date.now()}@nordlys.example`, name, role: "agent", password: "long-enough-password-1" }, { type: "system" });
  await signInStaff(page, "admin", "/staff/trainings");
  const today = localDay(Date.now(), "Europe/Brussels");
  await page.getByLabel(t("form.person"), { exact: true }).selectOption({ label: name });
  await page.getByLabel(t("form.course"), { exact: true }).fill("AI basics without scripts");
  await page.getByLabel(t("form.completedOn"), { exact: true }).fill(today);
  await page.getByLabel(t("form.validUntil"), { exact: true }).fill("2020-01-01");
  await page.getByRole("button", { name: t("form.record") }).click();
  await expect(page.getByText(t("errors.ends_before_completed")).first()).toBeVisible();
  await expect(page.getByLabel(t("form.course"), { exact: true })).toHaveValue("AI basics without scripts");

  await page.getByLabel(t("form.validUntil"), { exact: true }).fill("");
  await page.getByRole("button", { name: t("form.record") }).click();
  await expect(page).toHaveURL(/done=recorded/);
  await expect(page.locator("table tbody tr", { hasText: name }).first()).toContainText(t("status.current"));
});
