import { expect, signInStaff, test } from "./support";
import { expectNoAxeViolations } from "./axe";
import { trNs } from "../support/locales";

const t = (key: string, params: Record<string, string | number> = {}) => trNs("en", "apikeys", key, params);

test("api keys: an admin creates a key, sees it once, and revokes it after confirming (axe clean)", async ({ page }) => {
  await signInStaff(page, "admin", "/staff/api-keys");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("title"));
  await expectNoAxeViolations(page);

  // Create a key with one scope.
  const name = `e2e-${Date.now()}`;
  await page.getByLabel(t("create.name")).fill(name);
  await page.getByRole("checkbox", { name: /decisions/ }).check();
  await page.getByRole("button", { name: t("create.submit") }).click();
  await expect(page.getByText(t("created.title"))).toBeVisible();
  const key = (await page.locator("code.apikeys-secret").textContent())!;
  expect(key).toMatch(/^cnd_/);
  await expect(page.locator("table tbody tr", { hasText: name })).toHaveCount(1);
  await expectNoAxeViolations(page);

  // The key is not shown again.
  await page.goto("/staff/api-keys");
  await expect(page.getByText(key)).toHaveCount(0);

  // Revoke it: the box must be ticked first.
  const row = page.locator("table tbody tr", { hasText: name });
  await row.getByRole("checkbox", { name: t("list.confirm", { name }) }).check();
  await row.getByRole("button", { name: t("list.revokeLabel", { name }) }).click();
  await expect(page).toHaveURL(/done=revoked/);
  await expect(page.getByText(t("done.revoked"))).toBeVisible();
  await expect(page.locator("table tbody tr", { hasText: name }).getByRole("button")).toHaveCount(0);
  await expectNoAxeViolations(page);
});
