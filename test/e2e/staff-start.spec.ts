import { eq } from "drizzle-orm";
import { fileConcern } from "../../app/domain/concerns/index.server";
import { concerns, staffUsers } from "../../db/schema";
import { DEMO_STAFF } from "../../db/seed";
import { expectNoAxeViolations } from "./axe";
import { e2eDb, expect, signInStaff, test } from "./support";
import { trNs } from "../support/locales";

const t = (key: string, params: Record<string, string | number> = {}) => trNs("en", "attention", key, params);
const n = (key: string, params: Record<string, string | number> = {}) => trNs("en", "notifications", key, params);

test("start page and notification choices: a supervisor sees what needs attention, opens a case, then chooses emails (axe clean)", async ({ page }) => {
  // An overdue case of the demo supervisor's own, so "My overdue cases" has something to show.
  const db = e2eDb();
  const [supervisor] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, DEMO_STAFF.find((s) => s.role === "supervisor")!.email)).limit(1);
  const { ref } = await fileConcern(db, { customerId: "demo-customer-1", contactEmail: null, contactMethod: "portal", lang: "en", kind: "other", interactionId: null, systemId: null, description: "The bot cancelled my order.", desiredOutcome: "" });
  await db.update(concerns).set({ assigneeId: supervisor!.id, status: "in_progress", slaDueAt: Date.now() - 3_600_000 }).where(eq(concerns.ref, ref));

  await signInStaff(page, "supervisor", "/staff");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("title"));
  const overdue = page.getByRole("region", { name: t("blocks.myOverdue.title") });
  await expect(overdue).toBeVisible();
  await expect(overdue.getByRole("link", { name: ref })).toBeVisible();
  await expect(page.getByText(t("allClear.title"))).toHaveCount(0);
  await expectNoAxeViolations(page);

  await overdue.getByRole("link", { name: ref }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/concerns/${ref}$`));

  await page.goto("/staff/account/notifications");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(n("title"));
  await expectNoAxeViolations(page);
  const breach = page.getByRole("checkbox", { name: new RegExp(n("kinds.breach.label")) });
  const newConcern = page.getByRole("checkbox", { name: new RegExp(n("kinds.new_concern.label")) });
  const wasOn = await breach.isChecked();
  await breach.setChecked(!wasOn);
  await newConcern.setChecked(true);
  await page.getByRole("button", { name: n("save") }).click();
  await expect(page).toHaveURL(/done=saved/);
  await expect(page.getByText(n("saved"))).toBeVisible();
  await expect(breach).toBeChecked({ checked: !wasOn });
  await expect(newConcern).toBeChecked();
  await expectNoAxeViolations(page);
});
