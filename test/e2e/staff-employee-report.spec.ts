/**
 * Employee reports (SPEC §12) and the queue above the fold (issue 11 item 10): an agent reports an
 * AI concern from the console; the queue's filter bar finds it with the origin filter; the
 * supervisor sees who reported it, the agent does not. Axe clean on each page.
 */
import { fileConcern } from "../../app/domain/concerns/index.server";
import { tr, trNs } from "../support/locales";
import { expectNoAxeViolations } from "./axe";
import { e2eDb, expect, signInStaff, test } from "./support";

const q = (key: string, params: Record<string, string | number> = {}) => trNs("en", "queue", key, params);

test("the queue's first rows show without scrolling at 1280×800; the filters open from one bar (axe clean)", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await fileConcern(e2eDb(), { customerId: null, contactEmail: null, contactMethod: "portal", lang: "en", kind: "other", interactionId: null, systemId: null, description: "A concern so the queue is not empty.", desiredOutcome: "" });
  await signInStaff(page, "agent", "/staff/concerns");
  await expect(page.locator(".queue-table tbody tr").first()).toBeInViewport();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  // Closed, the filters take no room; opened, every filter is there.
  await expect(page.getByLabel(q("filters.kind"))).toBeHidden();
  await page.getByText(q("filters.disclosure"), { exact: true }).click();
  await expect(page.getByLabel(q("filters.kind"))).toBeVisible();
  await expect(page.getByLabel(q("filters.origin"))).toBeVisible();
  await expectNoAxeViolations(page);
});

test("an agent reports an AI concern; the origin filter finds it; only the supervisor sees who reported it (axe clean)", async ({ page, browser }) => {
  const description = `The offer predictor ranked an upgrade first after the customer asked to pay less (${Date.now()}).`;
  await signInStaff(page, "agent", "/staff/report");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tr("en", "employeeReport.staffTitle"));
  await expectNoAxeViolations(page);

  // Sent empty: the error summary, nothing filed.
  await page.getByRole("button", { name: tr("en", "employeeReport.submit") }).click();
  await expect(page.getByText(tr("en", "errors.chooseKind")).first()).toBeVisible();

  await page.getByLabel(tr("en", "employeeReport.system")).selectOption("offer-predictor");
  await page.getByLabel(tr("en", "employeeReport.kinds.unwanted_action")).check();
  await page.getByLabel(tr("en", "employeeReport.description")).fill(description);
  await page.getByRole("button", { name: tr("en", "employeeReport.submit") }).click();
  const filed = page.getByText(/^Report C-[0-9A-Z]{4}-[0-9A-Z]{4} has been filed$/);
  await expect(filed).toBeVisible();
  const ref = (await filed.textContent())!.match(/C-[0-9A-Z]{4}-[0-9A-Z]{4}/)![0];
  await expectNoAxeViolations(page);

  // The queue, filtered to employee reports through the bar's disclosure.
  await page.goto("/staff/concerns");
  await page.getByText(q("filters.disclosure"), { exact: true }).click();
  await page.getByLabel(q("filters.origin")).selectOption("employee");
  await page.getByRole("button", { name: q("filters.applyFilters") }).click();
  await expect(page).toHaveURL(/origin=employee/);
  await expect(page.getByText(q("filters.disclosureActive_one", { count: 1 }))).toBeVisible();
  const row = page.locator("tr", { has: page.getByRole("link", { name: ref }) });
  await expect(row.getByText(q("badges.employee"))).toBeVisible();
  await expect(row.getByText(q("employee.reportedBy", { name: "Alex Agent" }))).toHaveCount(0);
  await expectNoAxeViolations(page);
  // The chip removes the filter.
  await page.getByRole("link", { name: q("filters.remove", { label: q("filters.origin"), value: q("filters.originEmployee") }) }).click();
  await expect(page).not.toHaveURL(/origin=/);

  // A supervisor sees who reported it.
  const supervisorContext = await browser.newContext();
  const supervisor = await supervisorContext.newPage();
  await signInStaff(supervisor, "supervisor", "/staff/concerns?origin=employee");
  const seen = supervisor.locator("tr", { has: supervisor.getByRole("link", { name: ref }) });
  await expect(seen.getByText(q("employee.reportedBy", { name: "Alex Agent" }))).toBeVisible();
  await supervisor.getByRole("link", { name: ref }).click();
  const section = supervisor.getByRole("region", { name: q("badges.employee") });
  await expect(section.getByRole("link", { name: "agent@nordlys.example" })).toBeVisible();
  await supervisorContext.close();

  // The agent's case page has the mark, not the reporter.
  await page.goto(`/staff/concerns/${ref}`);
  const agentSection = page.getByRole("region", { name: q("badges.employee") });
  await expect(agentSection.getByText(q("employee.hidden"))).toBeVisible();
  await expect(agentSection.getByRole("link", { name: "agent@nordlys.example" })).toHaveCount(0);
});
