import { expect, newCustomer, personalLink, test } from "./support";
import { tr } from "../support/locales";

// An unknown personal link answers 404 on purpose; Chromium logs the status.
test.use({ allowedBrowserErrors: [/status of 404 \(Not Found\) \(http:\/\/localhost:\d+\/l\/definitely-not-a-token\?lang=de\)$/] });

test("link → overview → interactions → choices → concern → status → data (en)", async ({ page }) => {
  const customer = await newCustomer("en");
  await page.goto(await personalLink(customer.id));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tr("en", "link.title"));
  await page.getByRole("button", { name: tr("en", "link.continue") }).click();
  await expect(page).toHaveURL(/\/en$/);
  await expect(page.getByRole("heading", { name: tr("en", "home.yourChoices") })).toBeVisible();

  await page.getByRole("link", { name: tr("en", "nav.interactions"), exact: true }).click();
  await expect(page.getByText("Slow internet in the evening")).toBeVisible();
  await expect(page.getByText(tr("en", "aiRoles.acted")).first()).toBeVisible();

  await page.getByRole("link", { name: tr("en", "nav.preferences"), exact: true }).click();
  const training = page.getByRole("group", { name: /improve|train/i }).first();
  await training.getByRole("radio", { name: new RegExp(tr("en", "choiceValues.yes")) }).check();
  await page.getByRole("button", { name: tr("en", "preferences.save") }).click();
  await expect(page.getByText(tr("en", "preferences.savedTitle"))).toBeVisible();
  await expect(page.locator("table tbody tr")).not.toHaveCount(0);

  await page.getByRole("link", { name: tr("en", "nav.interactions"), exact: true }).click();
  await page.getByRole("link", { name: tr("en", "interactions.raiseConcern") }).first().click();
  await expect(page.getByLabel(tr("en", "concernForm.interaction"))).toHaveValue(customer.interactionRef);
  await page.getByRole("radio", { name: new RegExp(tr("en", "concernKinds.unwanted_action")) }).check();
  const description = page.getByLabel(tr("en", "concernForm.description"));
  // The counter counts what the server counts: a line break once, an emoji (even a flag) as one.
  await description.fill("Line one\nLine two 👍🏽🇧🇪");
  await expect(page.getByText(/of 4000 characters/)).toContainText("20");
  await description.fill("The troubleshooter restarted my line during a video call.");
  await expect(page.getByText(/of 4000 characters/)).toContainText("57");
  await page.getByRole("button", { name: tr("en", "concernForm.submit") }).click();
  await expect(page.getByText(tr("en", "concernStatus.filedTitle"))).toBeVisible();
  const ref = (await page.locator("h1.ref").textContent())!;
  expect(ref).toMatch(/^C-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

  await page.getByLabel(tr("en", "concernStatus.replyLabel")).fill("It happened at 20:15.");
  await page.getByRole("button", { name: tr("en", "concernStatus.send") }).click();
  await expect(page.getByText("It happened at 20:15.")).toBeVisible();

  await page.getByRole("link", { name: tr("en", "nav.data"), exact: true }).click();
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: tr("en", "data.download") }).click();
  const file = await download;
  const exported = JSON.parse(await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8")));
  expect(exported.customer.id).toBe(customer.id);
  expect(exported.concerns.map((c: { ref: string }) => c.ref)).toContain(ref);
});

test("the same journey in Arabic is right-to-left, and the language switcher keeps the page", async ({ page }) => {
  const customer = await newCustomer("ar");
  await page.goto(await personalLink(customer.id, { lang: "ar" }));
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await page.getByRole("button", { name: tr("ar", "link.continue") }).click();
  await expect(page).toHaveURL(/\/ar$/);
  await page.getByRole("link", { name: tr("ar", "nav.preferences"), exact: true }).click();
  await expect(page).toHaveURL(/\/ar\/me\/preferences$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tr("ar", "preferences.title"));
  await expect(page.locator("html")).toHaveAttribute("lang", "ar");
  const box = await page.locator("h1").boundingBox();
  const viewport = page.viewportSize()!;
  expect(box!.x + box!.width).toBeGreaterThan(viewport.width / 2);
  const languages = page.getByRole("navigation", { name: tr("ar", "layout.languages") });
  await languages.locator("summary").click();
  await languages.getByRole("link", { name: "Deutsch" }).click();
  await expect(page).toHaveURL(/\/de\/me\/preferences$/);
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tr("de", "preferences.title"));
});

test("anonymous visitor: register, concern with a tracking link (fr)", async ({ page }) => {
  await page.goto("/fr/ai-systems");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tr("fr", "register.title"));
  await page.locator("article h2 a").first().click();
  await expect(page.getByRole("heading", { name: tr("fr", "register.detailsTitle") })).toBeVisible();
  await page.getByRole("link", { name: tr("fr", "register.complain") }).click();
  await page.getByRole("radio", { name: new RegExp(tr("fr", "concernKinds.not_told_ai")) }).check();
  await page.getByLabel(tr("fr", "concernForm.description")).fill("Je ne savais pas que je parlais à une IA.");
  await page.getByRole("radio", { name: new RegExp(tr("fr", "concernForm.contact.email")) }).check();
  await page.getByLabel(tr("fr", "concernForm.email")).fill("pas-un-email");
  await page.getByRole("button", { name: tr("fr", "concernForm.submit") }).click();
  // The error is shown at the field and, as a link to it, in the summary above the form.
  await expect(page.locator(".field__error", { hasText: tr("fr", "errors.email") })).toBeVisible();
  await page.getByRole("link", { name: `${tr("fr", "concernForm.email")}: ${tr("fr", "errors.email")}` }).click();
  await expect(page.getByLabel(tr("fr", "concernForm.email"))).toBeFocused();
  await page.getByLabel(tr("fr", "concernForm.email")).fill("visiteur@example.fr");
  await page.getByRole("button", { name: tr("fr", "concernForm.submit") }).click();
  await expect(page).toHaveURL(/\/fr\/concerns\/track\//);
  await expect(page.getByText(tr("fr", "concernStatus.trackingBody"))).toBeVisible();
  const trackingUrl = (await page.locator(".tracking-url code").textContent())!;
  await page.goto(trackingUrl.replace(/^https?:\/\/[^/]+/, ""));
  await expect(page.getByText("Je ne savais pas que je parlais à une IA.")).toBeVisible();
});

test("expired and unknown links explain what to do", async ({ page }) => {
  await page.goto("/l/definitely-not-a-token?lang=de");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tr("de", "link.unknown.title"));
  await expect(page.getByText(tr("de", "link.whatToDo"))).toBeVisible();
});
