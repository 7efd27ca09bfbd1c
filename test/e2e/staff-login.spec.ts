import { expect, test } from "./support";
import { expectNoAxeViolations } from "./axe";
import { trNs } from "../support/locales";

// The wrong password answers 401 on purpose; Chromium logs the status of that form submission.
test.use({ allowedBrowserErrors: [/status of 401 \(Unauthorized\) \(http:\/\/localhost:\d+\/staff\/login\.data\?next=%2Fstaff%2Faccount\)$/] });

test("staff sign-in: wrong password, then in, account page, sign out (axe clean)", async ({ page }) => {
  await page.goto("/staff/account");
  await expect(page).toHaveURL(/\/staff\/login\?next=/);
  await expectNoAxeViolations(page);
  await page.getByLabel(trNs("en", "staff", "login.email")).fill("agent@nordlys.example");
  await page.getByLabel(trNs("en", "staff", "login.password")).fill("wrong password here");
  await page.getByRole("button", { name: trNs("en", "staff", "login.submit") }).click();
  await expect(page.getByText(trNs("en", "common", "errors.loginInvalid"))).toBeVisible();
  await expect(page.getByLabel(trNs("en", "staff", "login.email"))).toHaveValue("agent@nordlys.example");
  await expectNoAxeViolations(page);

  await page.getByLabel(trNs("en", "staff", "login.password")).fill("demo-agent-password");
  await page.getByRole("button", { name: trNs("en", "staff", "login.submit") }).click();
  await expect(page).toHaveURL(/\/staff\/account$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(trNs("en", "staff", "account.title"));
  await expectNoAxeViolations(page);
  // An agent sees no admin sections.
  await expect(page.getByRole("link", { name: trNs("en", "staff", "nav.users") })).toHaveCount(0);

  await page.getByRole("button", { name: trNs("en", "common", "nav.signOut"), exact: true }).click();
  await expect(page.getByText(trNs("en", "staff", "login.signedOut"))).toBeVisible();
  await page.goto("/staff/account");
  await expect(page).toHaveURL(/\/staff\/login/);
});
