import { expect, e2eDb, signInStaff, test } from "./support";
import { type Page } from "@playwright/test";
import { createRegisterEntry } from "../../app/domain/ai-register-editor.server";
import type { AiSystemTexts } from "../../app/domain/ai-register.server";
import { TEXT_FIELDS } from "../../app/domain/ai-register-schema";
import { tr, trNs } from "../support/locales";

const re = (key: string, params: Record<string, string | number> = {}) => trNs("en", "registerEditor", key, params);
const rd = (key: string, params: Record<string, string | number> = {}) => trNs("en", "registerData", key, params);
const row = (page: Page, n: number) => page.getByRole("group", { name: rd("recipients.row", { number: n }), exact: true });
test.use({ allowedBrowserErrors: [/status of 400 \(Bad Request\)/] });

// This file runs in the "no-javascript" project: JavaScript is disabled in the browser.
test("without JavaScript: recipients are added in the register editor after a refused first try that keeps what was typed", async ({ page }) => {
  const slug = `nojs-data-${Math.random().toString(36).slice(2, 8)}`;
  const texts = Object.fromEntries(TEXT_FIELDS.map((f) => [f, `No-JS ${f}`])) as unknown as AiSystemTexts;
  await createRegisterEntry(e2eDb(), { staffId: 1 }, { slug, provider: "Fjordtale AS", riskClass: "minimal", autonomy: "drafts", channels: ["phone"], contactEmail: "ai@nordlys.example", actionKeys: [], texts, changeNote: { en: "Added." } });
  await signInStaff(page, "admin", `/staff/ai-systems/${slug}`);
  await row(page, 1).getByLabel(rd("recipients.name"), { exact: true }).fill("Fjordtale AS");
  await row(page, 1).getByLabel(rd("recipients.role"), { exact: true }).selectOption("provider");
  await row(page, 1).getByLabel(rd("recipients.country"), { exact: true }).fill("N0");
  await row(page, 1).getByLabel(rd("recipients.safeguard"), { exact: true }).selectOption("eu_eea");
  await page.getByLabel(re("change.noteRequired", { language: "English" }), { exact: true }).fill("Recipients.");
  await page.getByRole("button", { name: re("change.submit", { version: 2 }) }).click();
  await expect(row(page, 1).getByText(rd("errors.country"))).toBeVisible();
  await expect(row(page, 1).getByLabel(rd("recipients.name"), { exact: true })).toHaveValue("Fjordtale AS");
  await row(page, 1).getByLabel(rd("recipients.country"), { exact: true }).fill("NO");
  await page.getByLabel(re("change.noteRequired", { language: "English" }), { exact: true }).fill("Recipients.");
  await page.getByRole("button", { name: re("change.submit", { version: 2 }) }).click();
  await expect(page.getByText(re("edit.saved", { version: 2 }))).toBeVisible();
  await page.goto(`/de/ai-systems/${slug}`);
  await expect(page.getByText(tr("de", "registerData.recipientLine", { name: "Fjordtale AS", role: tr("de", "registerData.role.provider"), country: "Norwegen", safeguard: tr("de", "registerData.safeguard.eu_eea") }))).toBeVisible();
});
