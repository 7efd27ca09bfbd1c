import { upsertCustomer } from "../../app/domain/customers.server";
import { tr } from "../support/locales";
import { actedInteraction } from "../support/timeline-factories";
import { e2eDb, expect, personalLink, test } from "./support";

// This file runs in the "no-javascript" project: JavaScript is disabled in the browser.
test("without JavaScript: an action done without permission is marked, contested in one click, and then shows its concern (SPEC §11.5)", async ({ page }) => {
  const id = `e2e-tl-${Math.random().toString(36).slice(2, 10)}`;
  await upsertCustomer(e2eDb(), { id, email: `${id}@example.com`, locale: "en" });
  await actedInteraction(e2eDb(), { customerId: id, ref: `TL-${id}`, occurredAt: Date.now() - 60 * 60 * 1000 });
  await page.goto(await personalLink(id, { lang: "en" }));
  await page.getByRole("button", { name: tr("en", "link.continue") }).click();
  await expect(page).toHaveURL(/\/en$/);

  await page.goto("/en/me/interactions");
  const item = page.locator(`[id="interaction-TL-${id}"]`);
  const marker = item.getByRole("region", { name: tr("en", "breaches.marker") });
  await expect(marker).toBeVisible();
  await marker.getByRole("button", { name: tr("en", "breaches.contest") }).click();

  await expect(page).toHaveURL(/\/en\/me\/interactions\?contested=C-[0-9A-Z]{4}-[0-9A-Z]{4}&focus=/);
  await expect(page.getByText(tr("en", "breaches.filedTitle"))).toBeVisible();
  const ref = new URL(page.url()).searchParams.get("contested")!;
  // The item now names the concern, and offers no second contest.
  await expect(item.getByRole("link", { name: ref })).toBeVisible();
  await expect(item.getByRole("button", { name: tr("en", "breaches.contest") })).toHaveCount(0);

  await page.getByRole("link", { name: tr("en", "breaches.openConcern", { ref: `\u2068${ref}\u2069` }) }).click();
  await expect(page).toHaveURL(new RegExp(`/en/me/concerns/${ref}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(ref);
});
