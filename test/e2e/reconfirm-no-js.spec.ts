import { reconfirmJourney } from "./reconfirm-journey";
import { test } from "./support";

// This file runs in the "no-javascript" project: JavaScript is disabled in the browser.
test("a widened choice is confirmed only by its own button, not by saving the page (without JavaScript)", async ({ page }) => {
  await reconfirmJourney(page);
});
