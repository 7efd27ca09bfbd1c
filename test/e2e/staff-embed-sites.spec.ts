import { expect, signInStaff, test } from "./support";
import { expectNoAxeViolations } from "./axe";
import { trNs } from "../support/locales";

const t = (key: string, params: Record<string, string | number> = {}) => trNs("en", "embedSites", key, params);

test("embed sites: an admin adds a site, sees its secret once, edits its origins and disables it (axe clean)", async ({ page }) => {
  await signInStaff(page, "admin", "/staff/embed-sites");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("title"));
  await expectNoAxeViolations(page);

  const slug = `e2e-${Date.now()}`;
  const create = page.getByRole("region", { name: t("create.title") });
  await create.getByLabel(t("fields.slug")).fill(slug);
  await create.getByLabel(t("fields.name"), { exact: true }).fill("E2E help center");
  await create.getByLabel(t("fields.origins")).fill("https://help.e2e.example");
  await create.getByLabel(t("fields.accentColor")).fill("#0b5cad");
  await create.getByRole("checkbox", { name: new RegExp(t("fields.signed")) }).check();
  await create.getByRole("button", { name: t("create.submit") }).click();
  await expect(page.getByText(t("secret.title", { slug }))).toBeVisible();
  const secret = (await page.locator("code.embedsites-secret").textContent())!;
  expect(secret.length).toBeGreaterThan(30);
  await expectNoAxeViolations(page);

  // The secret is not shown again; the snippet is.
  await page.goto("/staff/embed-sites");
  await expect(page.getByText(secret)).toHaveCount(0);
  const card = page.locator("article", { hasText: slug });
  await expect(card.getByText(`data-site="${slug}"`)).toBeVisible();

  // Edit the origins.
  await card.getByText(t("edit.title", { name: "E2E help center" })).click();
  await card.getByLabel(t("fields.origins")).fill("https://kb.e2e.example");
  await card.getByRole("button", { name: t("edit.submit") }).click();
  await expect(page).toHaveURL(/done=updated/);
  await expect(page.getByText(t("done.updated"))).toBeVisible();
  await expect(page.locator("article", { hasText: slug }).getByText("https://kb.e2e.example").first()).toBeVisible();

  // Disable it.
  await page.locator("article", { hasText: slug }).getByRole("button", { name: t("actions.disable") }).click();
  await expect(page).toHaveURL(/done=disabled/);
  await expect(page.locator("article", { hasText: slug }).getByRole("button", { name: t("actions.enable") })).toBeVisible();
  await expectNoAxeViolations(page);
});
