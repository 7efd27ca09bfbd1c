import { expect, signInStaff, test } from "./support";
import { type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { tr, trNs } from "../support/locales";

const re = (key: string, params: Record<string, string | number> = {}) => trNs("en", "registerEditor", key, params);
const FIELDS = ["name", "shortDescription", "riskReason", "purpose", "notFor", "howItWorks", "limitations", "dataOperating", "dataTraining", "legalBasis", "oversight", "risks", "impactAssessment", "retention"] as const;

async function fillTexts(page: Page, prefix: string) {
  for (const f of FIELDS) await page.getByLabel(re(`fields.${f}.label`), { exact: true }).fill(`${prefix}: ${f}`);
}

test("register editor: a supervisor adds a system, then its French texts reach the public register (axe clean)", async ({ page }) => {
  const slug = `e2e-helper-${Math.random().toString(36).slice(2, 8)}`;

  await signInStaff(page, "supervisor", "/staff/ai-systems");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(re("list.title"));
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: re("list.new") }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(re("create.title"));
  await expectNoAxeViolations(page);

  // A bad address name: a translated error, and what was typed is kept.
  await page.getByLabel(re("create.slug"), { exact: true }).fill("Not A Slug");
  await page.getByLabel(re("facts.provider"), { exact: true }).fill("Acme AI");
  await page.getByRole("button", { name: re("create.submit") }).click();
  await expect(page.locator(".field__error", { hasText: re("errors.slugFormat") })).toBeVisible();
  await expect(page.getByRole("link", { name: `${re("create.slug")}: ${re("errors.slugFormat")}` })).toBeVisible();
  await expect(page.getByLabel(re("facts.provider"), { exact: true })).toHaveValue("Acme AI");
  await expectNoAxeViolations(page);

  await page.getByLabel(re("create.slug"), { exact: true }).fill(slug);
  await page.getByLabel(re("facts.riskClass"), { exact: true }).selectOption("limited");
  await page.getByLabel(re("facts.autonomy"), { exact: true }).selectOption("answers");
  await page.getByRole("checkbox", { name: tr("en", "channels.chat"), exact: true }).check();
  await page.getByLabel(re("facts.contactEmail"), { exact: true }).fill("ai@nordlys.example");
  await fillTexts(page, "Billing helper");
  await page.getByRole("button", { name: re("create.submit") }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/ai-systems/${slug}\\?created=1$`));
  await expect(page.getByText(re("create.done"))).toBeVisible();
  await expectNoAxeViolations(page);

  // French is missing: the editor says so; fill it in and save it as a new version.
  await page.getByRole("navigation", { name: re("edit.languagesNav") }).getByRole("link", { name: re("list.missing", { language: "Français" }) }).click();
  await expect(page).toHaveURL(/lang=fr$/);
  await expect(page.getByText(re("edit.missingTitle", { language: "Français" }))).toBeVisible();
  await expectNoAxeViolations(page);
  await fillTexts(page, "Assistant de facturation");
  await page.getByLabel(re("change.noteRequired", { language: "English" }), { exact: true }).fill("French texts added.");
  await page.getByLabel(re("change.noteOptional", { language: "Français" }), { exact: true }).fill("Textes français ajoutés.");
  await page.getByRole("button", { name: re("change.submit", { version: 2 }) }).click();
  await expect(page.getByText(re("edit.saved", { version: 2 }))).toBeVisible();
  await expect(page.getByLabel(re("fields.name.label"), { exact: true })).toHaveValue("Assistant de facturation: name");
  await expectNoAxeViolations(page);

  await page.goto(`/fr/ai-systems/${slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Assistant de facturation: name");
  await expect(page.getByText(tr("fr", "register.shownInEnglish"))).toHaveCount(0);
  await expect(page.getByText("Textes français ajoutés.")).toBeVisible();
});
