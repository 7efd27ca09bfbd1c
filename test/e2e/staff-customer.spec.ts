import { fileConcern } from "../../app/domain/concerns/index.server";
import { decisions } from "../../db/schema";
import { expectNoAxeViolations } from "./axe";
import { e2eDb, expect, newCustomer, signInStaff, test } from "./support";
import { tr, trNs } from "../support/locales";

const c = (key: string, params: Record<string, string | number> = {}) => trNs("en", "customerOverview", key, params);

test("one customer at a glance: from the case to the customer's sections, paged in the URL (axe clean)", async ({ page }) => {
  const customer = await newCustomer("en");
  const { ref } = await fileConcern(e2eDb(), {
    customerId: customer.id,
    contactEmail: null,
    contactMethod: "portal",
    lang: "en",
    kind: "unwanted_action",
    interactionId: null,
    systemId: null,
    description: `My line was restarted (${customer.id}).`,
    desiredOutcome: "",
  });
  const t0 = Date.now() - 3_600_000;
  await e2eDb()
    .insert(decisions)
    .values(
      Array.from({ length: 12 }, (_, i) => ({
        id: `${customer.id}-check-${String(i).padStart(2, "0")}`,
        customerId: customer.id,
        actionKey: "troubleshooting",
        aiSystemSlug: "network-troubleshooter",
        interactionId: null,
        decision: "allow",
        reason: "preference_allow",
        preferenceVersion: 0,
        confirmationId: null,
        context: null,
        retryAfter: null,
        createdAt: t0 + i * 60_000,
      })),
    );

  await signInStaff(page, "supervisor", `/staff/concerns/${ref}`);
  await page.getByRole("link", { name: new RegExp(customer.id) }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/customers/${customer.id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(c("title", { id: customer.id }));
  for (const section of ["choices", "consents", "decisions", "confirmations", "breaches", "interactions", "concerns"]) {
    await expect(page.getByRole("heading", { level: 2, name: c(`sections.${section}`), exact: true })).toBeVisible();
  }
  const checks = page.getByRole("region", { name: c("sections.decisions"), exact: true });
  await expect(checks.getByText(c("count_other", { count: 12, total: "12" }))).toBeVisible();
  await expect(checks.getByText(`${customer.id}-check-11`)).toBeVisible();
  await expect(checks.getByText(`${customer.id}-check-01`)).toHaveCount(0);
  const interactions = page.getByRole("region", { name: c("sections.interactions"), exact: true });
  await expect(interactions.getByText(customer.interactionRef)).toBeVisible();
  await expect(page.getByRole("region", { name: c("sections.concerns"), exact: true }).getByRole("link", { name: ref })).toBeVisible();
  await expectNoAxeViolations(page);

  await checks.getByRole("link", { name: tr("en", "pagination.next") }).click();
  await expect(page).toHaveURL(/decisions=2/);
  const older = page.getByRole("region", { name: c("sections.decisions"), exact: true });
  await expect(older.getByText(`${customer.id}-check-01`)).toBeVisible();
  await expect(older.getByText(`${customer.id}-check-11`)).toHaveCount(0);
  await expectNoAxeViolations(page);
});

test.describe("roles", () => {
  test.use({ allowedBrowserErrors: [/status of 403 \(Forbidden\)/] });

  test("an agent is refused one customer at a glance", async ({ page }) => {
    const customer = await newCustomer("en");
    await signInStaff(page, "agent", "/staff/concerns");
    const response = await page.goto(`/staff/customers/${customer.id}`);
    expect(response?.status()).toBe(403);
  });
});
