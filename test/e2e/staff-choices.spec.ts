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

test("choices: the languages without text are collapsed; a field there with an error opens them (JavaScript validation)", async ({ page }) => {
  await signInStaff(page, "admin", "/staff/choices");
  const form = page.locator("form#choice-new");
  const others = form.locator("details.language-fieldsets");
  await expect(others).toBeVisible();
  await expect(others).not.toHaveAttribute("open", /.*/);
  await expect(form.getByRole("group", { name: "Suomi" })).toBeHidden();
  await form.getByLabel(t("fields.key")).fill("collapsed-probe");
  const english = form.getByRole("group", { name: "English" });
  await english.getByLabel(t("fields.label")).fill("Probe");
  await english.getByLabel(t("fields.explanation")).fill("Probe explanation");
  // A Finnish label typed without its explanation, inside the closed part (set as a script would).
  await form.locator('input[name="label_fi"]').evaluate((input: HTMLInputElement) => {
    input.value = "Kokeilu";
  });
  await form.getByRole("button", { name: t("create.submit") }).click();
  await expect(others).toHaveAttribute("open", "");
  const finnish = form.getByRole("group", { name: "Suomi" });
  await expect(finnish.getByText(trNs("en", "common", "errors.required"))).toBeVisible();
  await expect(page).toHaveURL(/\/staff\/choices$/);
  await expectNoAxeViolations(page);
});
