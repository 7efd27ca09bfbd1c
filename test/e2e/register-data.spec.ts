import { expect, signInStaff, test } from "./support";
import { type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { tr, trNs } from "../support/locales";

const re = (key: string, params: Record<string, string | number> = {}) => trNs("en", "registerEditor", key, params);
const rd = (key: string, params: Record<string, string | number> = {}) => trNs("en", "registerData", key, params);
const FIELDS = ["name", "shortDescription", "riskReason", "purpose", "notFor", "howItWorks", "limitations", "dataOperating", "dataTraining", "legalBasis", "oversight", "risks", "impactAssessment", "retention"] as const;

async function fillTexts(page: Page, prefix: string) {
  for (const f of FIELDS) await page.getByLabel(re(`fields.${f}.label`), { exact: true }).fill(`${prefix}: ${f}`);
}

const row = (page: Page, n: number) => page.getByRole("group", { name: rd("recipients.row", { number: n }), exact: true });

test("register data: a supervisor records who receives the data and the last bias test; the public page shows them (axe clean)", async ({ page }) => {
  const slug = `e2e-data-${Math.random().toString(36).slice(2, 8)}`;
  await signInStaff(page, "supervisor", "/staff/ai-systems/new");
  await page.getByLabel(re("create.slug"), { exact: true }).fill(slug);
  await page.getByLabel(re("facts.provider"), { exact: true }).fill("Mistral AI");
  await page.getByLabel(re("facts.riskClass"), { exact: true }).selectOption("limited");
  await page.getByLabel(re("facts.autonomy"), { exact: true }).selectOption("answers");
  await page.getByRole("checkbox", { name: tr("en", "channels.chat"), exact: true }).check();
  await page.getByLabel(re("facts.contactEmail"), { exact: true }).fill("ai@nordlys.example");
  await fillTexts(page, "Data helper");
  await page.getByRole("button", { name: re("create.submit") }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/ai-systems/${slug}\\?created=1$`));

  // The data section: no recipients yet, two empty rows.
  await expect(page.getByRole("heading", { name: rd("title"), exact: true })).toBeVisible();
  await expect(row(page, 2)).toBeVisible();
  await row(page, 1).getByLabel(rd("recipients.name"), { exact: true }).fill("Mistral AI SAS");
  await row(page, 1).getByLabel(rd("recipients.role"), { exact: true }).selectOption("provider");
  await row(page, 1).getByLabel(rd("recipients.country"), { exact: true }).fill("fr");
  await row(page, 1).getByLabel(rd("recipients.safeguard"), { exact: true }).selectOption("eu_eea");
  await row(page, 2).getByLabel(rd("recipients.name"), { exact: true }).fill("Tern Cloud Inc.");
  await page.getByRole("group", { name: rd("providerDataUse.legend") }).getByRole("radio", { name: tr("en", "registerData.providerUseValue.contractually_excluded"), exact: true }).check();
  await page.getByRole("group", { name: rd("usesProtected.legend") }).getByRole("radio", { name: rd("no"), exact: true }).check();
  await page.getByLabel(rd("fairnessTestedAt"), { exact: true }).fill("2026-10-12");
  await page.getByLabel(rd("fields.providerUseClause.label"), { exact: true }).fill("Our contract forbids Mistral AI to train on your chats.");
  await page.getByLabel(rd("fields.fairnessTestResult.label"), { exact: true }).fill("94% of answers were right in every language.");
  await page.getByLabel(re("change.noteRequired", { language: "English" }), { exact: true }).fill("Who receives the data.");
  await page.getByRole("button", { name: re("change.submit", { version: 2 }) }).click();

  // The half-filled row: a translated error, what was typed is kept.
  await expect(row(page, 2).locator(".field__error", { hasText: rd("errors.recipientIncomplete") }).first()).toBeVisible();
  await expect(row(page, 1).getByLabel(rd("recipients.name"), { exact: true })).toHaveValue("Mistral AI SAS");
  await expect(row(page, 2).getByLabel(rd("recipients.name"), { exact: true })).toHaveValue("Tern Cloud Inc.");
  await expectNoAxeViolations(page);

  await row(page, 2).getByLabel(rd("recipients.role"), { exact: true }).selectOption("sub_processor");
  await row(page, 2).getByLabel(rd("recipients.country"), { exact: true }).fill("US");
  await row(page, 2).getByLabel(rd("recipients.safeguard"), { exact: true }).selectOption("sccs");
  await page.getByRole("button", { name: re("change.submit", { version: 2 }) }).click();
  await expect(page.getByText(re("edit.saved", { version: 2 }))).toBeVisible();
  await expect(row(page, 2).getByLabel(rd("recipients.country"), { exact: true })).toHaveValue("US");
  // A new empty row is offered after the saved ones.
  await expect(row(page, 4)).toBeVisible();
  await expectNoAxeViolations(page);

  await page.goto(`/en/ai-systems/${slug}`);
  const section = page.getByRole("region", { name: tr("en", "registerData.title") });
  await expect(section).toBeVisible();
  await expect(section.getByText(tr("en", "registerData.recipientLine", { name: "Tern Cloud Inc.", role: tr("en", "registerData.role.sub_processor"), country: "United States", safeguard: tr("en", "registerData.safeguard.sccs") }))).toBeVisible();
  await expect(section.getByText("Our contract forbids Mistral AI to train on your chats.")).toBeVisible();
  await expect(section.getByText("94% of answers were right in every language.")).toBeVisible();
  await expectNoAxeViolations(page);
});
