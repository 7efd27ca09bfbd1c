import { expect, signInStaff, test } from "./support";
import { expectNoAxeViolations } from "./axe";
import { trNs } from "../support/locales";

const t = (key: string, params: Record<string, string | number> = {}) => trNs("en", "outbox", key, params);

test("email outbox: an admin reads the seeded emails, opens one and asks for a retry (axe clean)", async ({ page }) => {
  await signInStaff(page, "admin", "/staff/outbox");

  // The list: SMTP is not configured in the e2e server, so the emails wait here.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("title"));
  await expect(page.getByText(t("smtp.offTitle"))).toBeVisible();
  const rows = page.locator("table tbody tr");
  await expect(rows).not.toHaveCount(0);
  await expectNoAxeViolations(page);

  // Filter by status (a plain GET form).
  await page.getByLabel(t("filter.label")).selectOption("pending");
  await page.getByRole("button", { name: t("filter.submit"), exact: true }).click();
  await expect(page).toHaveURL(/status=pending/);
  await expect(rows.first().getByText(t("statuses.pending"))).toBeVisible();

  // Open the first email: its text is shown as plain text.
  const subject = (await rows.first().getByRole("link").textContent())!;
  await rows.first().getByRole("link").click();
  await expect(page).toHaveURL(/email=\d+/);
  await expect(page.getByRole("heading", { level: 2, name: /\d+/ })).toBeVisible();
  await expect(page.getByText(subject, { exact: true })).toBeVisible();
  await expect(page.locator("pre.outbox-body")).not.toBeEmpty();
  await expectNoAxeViolations(page);

  // Retry now: confirmed, still pending, due now.
  await page.getByRole("button", { name: t("email.retry") }).click();
  await expect(page.getByText(t("done.retried"))).toBeVisible();
  await expect(page).toHaveURL(/done=retried/);
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: t("email.back") }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("title"));
});
