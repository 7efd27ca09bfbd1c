import type { Page } from "@playwright/test";
import { getPreferences, listConsentEvents } from "../../app/domain/preferences.server";
import { tr } from "../support/locales";
import { widenedChoiceFor } from "../support/reconfirm-e2e";
import { e2eDb, expect, newCustomer, personalLink } from "./support";

/** Signs in, widens a choice the customer made, then: an unrelated save leaves it pending; its own button confirms it. */
export async function reconfirmJourney(page: Page) {
  const customer = await newCustomer("en");
  const widened = await widenedChoiceFor(e2eDb(), customer.id);
  await page.goto(await personalLink(customer.id, { lang: "en" }));
  await page.getByRole("button", { name: tr("en", "link.continue") }).click();
  await expect(page).toHaveURL(/\/en$/);
  await page.goto("/en/me/preferences");
  await expect(page.getByRole("heading", { name: tr("en", "preferences.reconfirmTitle") })).toBeVisible();
  const own = page.locator(`#choice-${widened.key}`);
  await expect(own).toContainText(widened.note);

  // An unrelated change, saved with the page's main button.
  await page.locator("#choice-orders").getByRole("radio", { name: tr("en", "choiceValues.never") }).check();
  await page.getByRole("button", { name: tr("en", "preferences.save") }).click();
  await expect(page.getByText(tr("en", "preferences.savedBody_one", { count: 1 }))).toBeVisible();
  const afterSave = await listConsentEvents(e2eDb(), customer.id);
  expect(afterSave.filter((e) => e.choiceKey === widened.key)).toHaveLength(1);
  expect((await getPreferences(e2eDb(), customer.id)).find((p) => p.key === widened.key)!.needsReconfirmation).toBe(true);
  await expect(page.locator(`#choice-${widened.key}`)).toContainText(widened.note);

  // The choice's own button: one consent event under the new notice.
  await page.locator(`#choice-${widened.key}`).getByRole("button", { name: new RegExp(tr("en", "preferences.confirm.button")) }).click();
  await expect(page.getByText(tr("en", "preferences.confirm.doneTitle"))).toBeVisible();
  const events = (await listConsentEvents(e2eDb(), customer.id)).filter((e) => e.choiceKey === widened.key);
  expect(events).toHaveLength(2);
  expect(events[0]).toMatchObject({ value: "allow", noticeVersion: widened.newVersion });
  await expect(page.getByRole("heading", { name: tr("en", "preferences.reconfirmTitle") })).toHaveCount(0);
}
