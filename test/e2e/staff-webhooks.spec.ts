import { expect, signInStaff, test } from "./support";
import { expectNoAxeViolations } from "./axe";
import { trNs } from "../support/locales";

const t = (key: string, params: Record<string, string | number> = {}) => trNs("en", "webhooks", key, params);

test("webhooks: an admin adds an endpoint, sees its secret once, and disables it (axe clean)", async ({ page }) => {
  await signInStaff(page, "admin", "/staff/webhooks");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("title"));
  await expectNoAxeViolations(page);

  // Add an endpoint (nothing listens there: the worker's attempts simply fail and are retried).
  const url = `http://127.0.0.1:9/e2e-${Date.now()}`;
  await page.getByLabel(t("create.url")).fill(url);
  await page.getByRole("checkbox", { name: /concern\.created/ }).check();
  await page.getByRole("button", { name: t("create.submit") }).click();
  await expect(page.getByText(t("created.title"))).toBeVisible();
  const secret = (await page.locator("code.webhooks-secret").textContent())!;
  expect(secret).toMatch(/^whsec_/);
  const row = page.locator("table tbody tr", { hasText: url });
  await expect(row).toHaveCount(1);
  await expectNoAxeViolations(page);

  // The secret is not shown again.
  await page.goto("/staff/webhooks");
  await expect(page.getByText(secret)).toHaveCount(0);

  // Disable it.
  await row.getByRole("button", { name: t("endpoints.disable") }).click();
  await expect(page).toHaveURL(/done=disabled/);
  await expect(page.getByText(t("done.disabled"))).toBeVisible();
  await expect(page.locator("table tbody tr", { hasText: url }).getByRole("button", { name: t("endpoints.disable") })).toHaveCount(0);
  await expectNoAxeViolations(page);
});
