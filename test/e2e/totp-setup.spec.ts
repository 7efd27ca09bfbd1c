import { Secret, TOTP } from "otpauth";
import { createStaffUser } from "../../app/domain/staff.server";
import { expectNoAxeViolations } from "./axe";
import { e2eDb, expect, signInStaff, test } from "./support";
import { tr, trNs } from "../support/locales";

const s = (key: string) => trNs("en", "staff", key);

test.use({ allowedBrowserErrors: [/status of 400 \(Bad Request\)/] });

test("two-step sign-in setup: a QR code, a key that survives a reload and a wrong code, then on (axe clean)", async ({ page }) => {
  const email = `totp-${Math.random().toString(36).slice(2, 10)}@nordlys.example`;
  const password = "totp-setup-password-1";
  await createStaffUser(e2eDb(), { email, name: "Toni Totp", role: "agent", password });
  await signInStaff(page, { email, password }, "/staff/account");

  const qr = page.getByRole("img", { name: s("account.totpQrAlt") });
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const key = page.locator("#totp-secret");
  const secret = (await key.textContent())!;
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expectNoAxeViolations(page);

  await page.reload();
  await expect(key).toHaveText(secret);
  await page.getByLabel(s("login.code")).fill("000000");
  await page.getByRole("button", { name: s("account.totpEnable") }).click();
  await expect(page.getByRole("link", { name: new RegExp(tr("en", "errors.totpInvalid")) })).toBeVisible();
  await expect(key).toHaveText(secret);

  const code = new TOTP({ secret: Secret.fromBase32(secret), label: email, issuer: "Candor" }).generate();
  await page.getByLabel(s("login.code")).fill(code);
  await page.getByRole("button", { name: s("account.totpEnable") }).click();
  await expect(page.getByText(s("account.totpOn"))).toBeVisible();
  await expect(key).toHaveCount(0);
});
