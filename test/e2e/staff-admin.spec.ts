import { expect, signInStaff, test } from "./support";
import { expectNoAxeViolations } from "./axe";
import { trNs } from "../support/locales";

const t = (key: string, params: Record<string, string | number> = {}) => trNs("en", "admin", key, params);

test("admin: create a staff user (password shown once), change role, disable, enable; audit log verifies (axe clean)", async ({ page, browser }) => {
  await signInStaff(page, "admin", "/staff/users");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("users.title"));
  await expectNoAxeViolations(page);

  const name = `Robin E2E ${Date.now().toString(36)}`;
  const email = `${name.split(" ").at(-1)}@example.com`;
  await page.getByLabel(t("users.name"), { exact: true }).fill(name);
  await page.getByLabel(t("users.email"), { exact: true }).fill(email);
  await page.getByRole("radio", { name: new RegExp(trNs("en", "staff", "roles.agent")) }).check();
  await page.getByRole("button", { name: t("users.create") }).click();
  await expect(page.getByText(t("users.createdTitle", { name }))).toBeVisible();
  const password = (await page.locator(".admin-password").textContent())!.trim();
  expect(password.length).toBeGreaterThanOrEqual(20);
  await expectNoAxeViolations(page);

  // The new account signs in with the generated password.
  const other = await browser.newContext();
  const newcomer = await other.newPage();
  await signInStaff(newcomer, { email, password }, "/staff/account");
  await other.close();

  const row = page.getByRole("row", { name: new RegExp(name) });
  await row.getByLabel(t("users.roleFor", { name })).selectOption("supervisor");
  await row.getByRole("button", { name: new RegExp(t("users.changeRole")) }).click();
  await expect(page.getByText(t("users.done.role"))).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText(trNs("en", "staff", "roles.supervisor"));
  // Shown once: the list no longer carries the password.
  await expect(page.getByText(password)).toHaveCount(0);

  await page.getByRole("row", { name: new RegExp(name) }).getByRole("button", { name: new RegExp(t("users.disable")) }).click();
  await expect(page.getByText(t("users.done.disabled"))).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(name) }).getByRole("button", { name: new RegExp(t("users.enable")) })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("row", { name: new RegExp(name) }).getByRole("button", { name: new RegExp(t("users.enable")) }).click();
  await expect(page.getByText(t("users.done.enabled"))).toBeVisible();

  await page.getByRole("link", { name: trNs("en", "staff", "nav.audit") }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("audit.title"));
  await expect(page.getByRole("cell", { name: t("actions.staff.enabled") }).first()).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: t("audit.verify") }).click();
  await expect(page.getByText(t("audit.verifyOk"))).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel(t("audit.actionFilter")).fill("staff.role_changed");
  await page.getByRole("button", { name: t("audit.apply") }).click();
  await expect(page).toHaveURL(/action=staff\.role_changed/);
  await expect(page.locator("tbody tr").first()).toContainText(t("actions.staff.role_changed"));
  await expectNoAxeViolations(page);
});
