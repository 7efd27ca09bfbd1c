import { expect, test } from "@playwright/test";
import { fileConcern } from "../../app/domain/concerns/index.server";
import { e2eDb, newCustomer, personalLink } from "./support";
import { tr } from "../support/locales";

async function signedInWithConcern(page: import("@playwright/test").Page) {
  const customer = await newCustomer("en");
  const { ref } = await fileConcern(e2eDb(), {
    customerId: customer.id, contactEmail: null, contactMethod: "portal", lang: "en", kind: "other",
    interactionId: null, systemId: null, description: "My line keeps dropping in the evening.", desiredOutcome: "",
  });
  await page.goto(await personalLink(customer.id));
  await page.getByRole("button", { name: tr("en", "link.continue") }).click();
  await expect(page).toHaveURL(/\/en$/);
  await page.goto(`/en/me/concerns/${ref}`);
  return ref;
}

test("with JavaScript, the reply box is emptied after sending and a double click sends once", async ({ page }) => {
  await signedInWithConcern(page);
  const box = page.getByLabel(tr("en", "concernStatus.replyLabel"));
  await box.fill("It happens every day at 20:00.");
  await page.getByRole("button", { name: tr("en", "concernStatus.send") }).dblclick();
  await expect(page.getByText(tr("en", "concernStatus.done.reply"))).toBeVisible();
  await expect(page.locator(".conversation .message")).toHaveCount(1);
  await expect(box).toHaveValue("");
  await expect(page.getByRole("button", { name: tr("en", "concernStatus.send") })).toBeEnabled();
  // A second, different reply is a new message.
  await box.fill("And sometimes at 21:00.");
  await page.getByRole("button", { name: tr("en", "concernStatus.send") }).click();
  await expect(page.locator(".conversation .message")).toHaveCount(2);
  await expect(box).toHaveValue("");
});

test("with JavaScript, withdrawing asks for confirmation", async ({ page }) => {
  await signedInWithConcern(page);
  page.once("dialog", (dialog) => void dialog.dismiss());
  await page.getByRole("button", { name: tr("en", "concernStatus.withdraw") }).click();
  await expect(page.getByRole("button", { name: tr("en", "concernStatus.withdraw") })).toBeVisible();
  await expect(page.getByText(tr("en", "concernStatus.done.withdraw"))).toHaveCount(0);
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: tr("en", "concernStatus.withdraw") }).click();
  await expect(page.getByText(tr("en", "concernStatus.done.withdraw"))).toBeVisible();
});

test("with JavaScript, the error summary lists every invalid field at once, linked", async ({ page }) => {
  await page.goto("/en/me/concerns/new");
  await page.getByLabel(tr("en", "concernForm.description")).fill("short");
  await page.getByRole("radio", { name: new RegExp(tr("en", "concernForm.contact.email")) }).check();
  await page.getByRole("button", { name: tr("en", "concernForm.submit") }).click();
  const summary = page.locator(".error-summary");
  await expect(summary.getByRole("link")).toHaveText([
    `${tr("en", "concernForm.kind")}: ${tr("en", "errors.chooseKind")}`,
    `${tr("en", "concernForm.description")}: ${tr("en", "errors.tooShort", { min: 10 })}`,
    `${tr("en", "concernForm.email")}: ${tr("en", "errors.emailRequired")}`,
  ]);
  await summary.getByRole("link", { name: new RegExp(tr("en", "concernForm.email")) }).click();
  await expect(page.getByLabel(tr("en", "concernForm.email"))).toBeFocused();
});
