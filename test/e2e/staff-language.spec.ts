import { type Page } from "@playwright/test";
import { createStaffUser } from "../../app/domain/staff.server";
import { trNs } from "../support/locales";
import { e2eDb, expect, test } from "./support";

// The staff console speaks one language per page. The sign-in page follows the browser (French
// here); from the first page after it, everything — menus, dates, names, notices — is in the
// account's language (English, then German), never a mix of the two.

/** The page's language and whether its menu is entirely in `lang`. */
async function expectConsoleIn(page: Page, lang: string) {
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
  const nav = page.getByRole("navigation", { name: trNs(lang, "common", "layout.mainNav") });
  await expect(nav.getByRole("link", { name: trNs(lang, "staff", "nav.queue"), exact: true })).toBeVisible();
  await expect(nav.getByRole("link", { name: trNs(lang, "staff", "nav.account"), exact: true })).toBeVisible();
}

test("sign-in in the browser's language, then the console in the account's, a language change and sign-out", async ({ browser }) => {
  const email = `lang-${Math.random().toString(36).slice(2, 8)}@nordlys.example`;
  const password = "a long enough password for the test";
  await createStaffUser(e2eDb(), { email, name: "Lena Lang", role: "agent", password, locale: "en" }, { type: "system" });

  const context = await browser.newContext({ locale: "fr-FR" });
  const page = await context.newPage();
  await page.goto("/staff/concerns");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await page.getByLabel(trNs("fr", "staff", "login.email")).fill(email);
  await page.getByLabel(trNs("fr", "staff", "login.password")).fill(password);
  await page.getByRole("button", { name: trNs("fr", "staff", "login.submit") }).click();
  await expect(page).toHaveURL(/\/staff\/concerns$/);
  await expectConsoleIn(page, "en");
  await expect(page.getByText(trNs("fr", "staff", "nav.queue"), { exact: true })).toHaveCount(0);

  // Moving around with client-side navigation stays in English.
  await page.getByRole("link", { name: trNs("en", "staff", "nav.account"), exact: true }).click();
  await expect(page).toHaveURL(/\/staff\/account$/);
  await expectConsoleIn(page, "en");

  await page.getByLabel(trNs("en", "staff", "account.language")).selectOption("de");
  await page.getByRole("button", { name: trNs("en", "staff", "account.save"), exact: true }).click();
  await expect(page).toHaveURL(/\/staff\/account\?done=language$/);
  await expect(page.getByText(trNs("de", "staff", "account.saved"), { exact: true })).toBeVisible();
  await expectConsoleIn(page, "de");
  await expect(page.getByText(trNs("en", "staff", "account.saved"), { exact: true })).toHaveCount(0);

  await page.getByRole("button", { name: trNs("de", "common", "nav.signOut"), exact: true }).click();
  await expect(page).toHaveURL(/\/staff\/login\?signedOut=1$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByText(trNs("fr", "staff", "login.signedOut"))).toBeVisible();
  await context.close();
});
