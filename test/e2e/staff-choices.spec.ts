import { expect, signInStaff, test } from "./support";
import { expectNoAxeViolations } from "./axe";
import { trNs } from "../support/locales";

const t = (key: string, params: Record<string, string | number> = {}) => trNs("en", "choiceEditor", key, params);

test("choices: an admin opens a choice, is told a new version needs a change note (text kept), and saves a wording fix that keeps the version (axe clean)", async ({ page }) => {
  await signInStaff(page, "admin", "/staff/choices");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("title"));
  await expectNoAxeViolations(page);

  await page.locator(`a[href="/staff/choices/orders"]`).click();
  await expect(page).toHaveURL(/\/staff\/choices\/orders$/);
  // The choice's page, rendered (the URL can change before the new page is on screen).
  await expect(page.getByRole("heading", { level: 1 })).toContainText(t("edit.title", { label: "" }).trim());
  const lead = await page.locator(".page-header .lead").textContent();
  await expectNoAxeViolations(page);

  // A new version without a note: refused, what was typed is kept.
  const english = page.getByRole("group", { name: "English" });
  const label = english.getByLabel(t("fields.label"));
  const typed = `${await label.inputValue()}`;
  await page.getByRole("radio", { name: new RegExp(t("modes.version").slice(0, 12)) }).check();
  await page.getByRole("button", { name: t("edit.submit") }).click();
  await expect(page.getByText(t("errors.noteRequired")).first()).toBeVisible();
  await expect(label).toHaveValue(typed);
  await expectNoAxeViolations(page);

  // A wording fix with the same text: saved, the version stays.
  await page.getByRole("radio", { name: new RegExp(t("modes.fix").slice(0, 12)) }).check();
  await page.getByRole("button", { name: t("edit.submit") }).click();
  await expect(page).toHaveURL(/done=fix/);
  await expect(page.getByText(t("done.fix"))).toBeVisible();
  await expect(page.locator(".page-header .lead")).toHaveText(lead!);
});
