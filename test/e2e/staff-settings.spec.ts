import { expect, signInStaff, test } from "./support";
import { expectNoAxeViolations } from "./axe";
import { trNs } from "../support/locales";

const t = (key: string, params: Record<string, string | number> = {}) => trNs("en", "settings", key, params);

/** A 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

test("settings: an admin names the authorities (a bad address is refused and kept), uploads a logo the portal shows, and removes it (axe clean)", async ({ page }) => {
  await signInStaff(page, "admin", "/staff/settings");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("title"));
  await expectNoAxeViolations(page);

  const dpa = page.getByRole("group", { name: t("authorities.dpa") });
  await dpa.getByLabel(t("fields.authorityName"), { exact: true }).fill("E2E Data Protection Authority");
  await dpa.getByLabel(t("fields.authorityUrl")).fill("ftp://dpa.example");
  await page.getByRole("button", { name: t("company.submit") }).click();
  await expect(page.getByText(t("errors.url")).first()).toBeVisible();
  await expect(dpa.getByLabel(t("fields.authorityName"), { exact: true })).toHaveValue("E2E Data Protection Authority");
  await expectNoAxeViolations(page);

  await dpa.getByLabel(t("fields.authorityUrl")).fill("https://dpa.example/");
  await page.getByRole("button", { name: t("company.submit") }).click();
  await expect(page).toHaveURL(/done=saved/);
  await expect(page.getByText(t("done.saved"))).toBeVisible();
  await expect(dpa.getByLabel(t("fields.authorityUrl"))).toHaveValue("https://dpa.example/");

  const logo = page.getByRole("region", { name: t("logo.title") });
  await logo.getByLabel(t("logo.file")).setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: PNG });
  await logo.getByRole("button", { name: t("logo.upload") }).click();
  await expect(page).toHaveURL(/done=logo/);
  await expect(page.getByRole("img", { name: t("logo.currentAlt") })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.goto("/en");
  const src = await page.locator(".site-header img").getAttribute("src");
  expect(src).toMatch(/^\/brand\/logo\/[0-9a-f]{16}$/);
  const served = await page.request.get(src!);
  expect(served.headers()["content-type"]).toBe("image/png");

  await page.goto("/staff/settings");
  await page.getByRole("button", { name: t("logo.remove") }).click();
  await expect(page).toHaveURL(/done=logoRemoved/);
  await page.goto("/en");
  await expect(page.locator(".site-header img")).toHaveCount(0);
});
