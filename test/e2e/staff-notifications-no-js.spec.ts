import { expect, signInStaff, test } from "./support";
import { trNs } from "../support/locales";

const n = (key: string) => trNs("en", "notifications", key);

test("notification choices without JavaScript: an agent ticks a kind, saves, and sees it kept (axe: staff-start.spec.ts; axe needs scripts)", async ({ page }) => {
  await signInStaff(page, "agent", "/staff/account/notifications");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(n("title"));
  // An agent is offered their role's kinds only.
  await expect(page.getByRole("checkbox", { name: new RegExp(n("kinds.breach.label")) })).toHaveCount(0);
  const reports = page.getByRole("checkbox", { name: new RegExp(n("kinds.employee_report.label")) });
  const deadline = page.getByRole("checkbox", { name: new RegExp(n("kinds.deadline_soon.label")) });
  await reports.setChecked(true);
  await deadline.setChecked(false);
  await page.getByRole("button", { name: n("save") }).click();
  await expect(page).toHaveURL(/done=saved$/);
  await expect(page.getByText(n("saved"))).toBeVisible();
  await expect(reports).toBeChecked();
  await expect(deadline).not.toBeChecked();

  await page.goto("/staff");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(trNs("en", "attention", "title"));
});
