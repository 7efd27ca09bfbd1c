/**
 * The public employee form (SPEC §12) without JavaScript: this file runs in the "no-javascript"
 * project. A refused submission keeps what was typed and says why; a good one leads to the
 * report's private tracking page with its reference.
 */
import { findConcernByRef } from "../../app/domain/concerns/index.server";
import { tr } from "../support/locales";
import { e2eDb, expect, test } from "./support";

// The refused submission is a 400 page: the browser logs it, and that is expected here.
test.use({ allowedBrowserErrors: [/status of 400 \(Bad Request\) \(http:\/\/localhost:\d+\/de\/report\)$/] });

test("without JavaScript: an employee reports an AI concern in German, first with an error, then filed", async ({ page }) => {
  const description = `Der Störungsassistent hat einen Technikertermin versprochen, den es nicht gab (${Date.now()}).`;
  await page.goto("/de/report");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tr("de", "employeeReport.title"));
  await page.getByLabel(tr("de", "employeeReport.description")).fill(description);
  await page.getByRole("button", { name: tr("de", "employeeReport.submit") }).click();
  // No kind chosen: the server's translated error, the text kept.
  await expect(page.getByText(tr("de", "errors.chooseKind")).first()).toBeVisible();
  await expect(page.getByLabel(tr("de", "employeeReport.description"))).toHaveValue(description);

  await page.getByLabel(tr("de", "employeeReport.kinds.wrong_information")).check();
  await page.getByLabel(tr("de", "employeeReport.name"), { exact: true }).fill("Jonas");
  await page.getByRole("button", { name: tr("de", "employeeReport.submit") }).click();
  await expect(page).toHaveURL(/\/de\/concerns\/track\/[^/?]+\?new=1$/);
  const ref = (await page.locator("body").textContent())!.match(/C-[0-9A-Z]{4}-[0-9A-Z]{4}/)![0];
  expect(await findConcernByRef(e2eDb(), ref)).toMatchObject({ origin: "employee", reporterName: "Jonas", lang: "de", kind: "wrong_information" });
});
