import { reconfirmJourney } from "./reconfirm-journey";
import { test } from "./support";

test("a widened choice is confirmed only by its own button, not by saving the page (with JavaScript)", async ({ page }) => {
  await reconfirmJourney(page);
});
