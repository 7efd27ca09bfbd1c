import { expect, test } from "@playwright/test";
import { newCustomer, personalLink } from "./support";
import { tr } from "../support/locales";

// This file runs in the "no-javascript" project: JavaScript is disabled in the browser.
test("without JavaScript: link → choices → concern → reply (de)", async ({ page }) => {
  const customer = newCustomer("de");
  await page.goto(personalLink(customer.id, { lang: "de" }));
  await page.getByRole("button", { name: tr("de", "link.continue") }).click();
  await expect(page).toHaveURL(/\/de$/);

  await page.goto("/de/me/preferences");
  await page.getByRole("group").filter({ hasText: /./ }).first().getByRole("radio", { name: new RegExp(tr("de", "choiceValues.never")) }).check();
  await page.getByRole("button", { name: tr("de", "preferences.save") }).click();
  await expect(page.getByText(tr("de", "preferences.savedTitle"))).toBeVisible();

  await page.goto("/de/me/concerns/new");
  await page.getByRole("radio", { name: new RegExp(tr("de", "concernKinds.human_review")) }).check();
  await page.getByLabel(tr("de", "concernForm.description")).fill("kurz");
  await page.getByRole("button", { name: tr("de", "concernForm.submit") }).click();
  // Server-side validation: translated error, text kept.
  await expect(page.getByText(tr("de", "errors.tooShort", { min: 10 }))).toBeVisible();
  await expect(page.getByLabel(tr("de", "concernForm.description"))).toHaveValue("kurz");
  await expect(page.getByRole("radio", { name: new RegExp(tr("de", "concernKinds.human_review")) })).toBeChecked();
  await page.getByLabel(tr("de", "concernForm.description")).fill("Bitte lassen Sie die Entscheidung von einem Menschen prüfen.");
  await page.getByRole("button", { name: tr("de", "concernForm.submit") }).click();
  await expect(page.getByText(tr("de", "concernStatus.filedTitle"))).toBeVisible();

  await page.getByLabel(tr("de", "concernStatus.replyLabel")).fill("Noch eine Ergänzung.");
  await page.getByRole("button", { name: tr("de", "concernStatus.send") }).click();
  await expect(page.getByText("Noch eine Ergänzung.")).toBeVisible();
  await page.getByRole("button", { name: tr("de", "concernStatus.withdraw") }).click();
  await expect(page.getByText(tr("de", "concernStatus.done.withdraw"))).toBeVisible();
});

test("without JavaScript: an anonymous concern in Arabic", async ({ page }) => {
  await page.goto("/ar/me/concerns/new");
  await page.getByRole("radio", { name: new RegExp(tr("ar", "concernKinds.other")) }).check();
  await page.getByLabel(tr("ar", "concernForm.description")).fill("لدي سؤال عن استخدام الذكاء الاصطناعي.");
  await page.getByRole("radio", { name: new RegExp(tr("ar", "concernForm.contact.portal")) }).check();
  await page.getByRole("button", { name: tr("ar", "concernForm.submit") }).click();
  await expect(page).toHaveURL(/\/ar\/concerns\/track\//);
  await expect(page.getByText(tr("ar", "concernStatus.filedTitle"))).toBeVisible();
});

test("without JavaScript: 3,999 characters in 40 lines are accepted; the browser's CRLF counts once (issue 7.11)", async ({ page }) => {
  const lines = Array.from({ length: 40 }, (_, i) => `${String(i).padStart(2, "0")} ${"x".repeat(96)}`);
  lines[39] = lines[39]!.slice(0, 3999 - 39 - 39 * 99);
  const typed = lines.join("\n");
  expect(typed).toHaveLength(3999);
  await page.goto("/en/me/concerns/new");
  await page.getByRole("radio", { name: new RegExp(tr("en", "concernKinds.other")) }).check();
  await page.getByLabel(tr("en", "concernForm.description")).fill(typed);
  await page.getByRole("radio", { name: new RegExp(tr("en", "concernForm.contact.portal")) }).check();
  await page.getByRole("button", { name: tr("en", "concernForm.submit") }).click();
  await expect(page).toHaveURL(/\/en\/concerns\/track\//);
  await expect(page.getByText(tr("en", "concernStatus.filedTitle"))).toBeVisible();

  // Two characters over: refused, and the text is kept as typed.
  await page.goto("/en/me/concerns/new");
  await page.getByRole("radio", { name: new RegExp(tr("en", "concernKinds.other")) }).check();
  await page.getByLabel(tr("en", "concernForm.description")).fill(`${typed}ab`);
  await page.getByRole("button", { name: tr("en", "concernForm.submit") }).click();
  await expect(page.getByText(tr("en", "errors.tooLong", { max: 4000 })).first()).toBeVisible();
  await expect(page.getByLabel(tr("en", "concernForm.description"))).toHaveValue(`${typed}ab`);
});
