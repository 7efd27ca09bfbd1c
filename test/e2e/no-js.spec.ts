import { type Page } from "@playwright/test";
import { BASE, e2eDb, expect, newCustomer, personalLink, test } from "./support";
import { createEmbedSite, signEmbedToken } from "../../app/domain/embed-sites.server";
import { tr, trNs } from "../support/locales";

// This file runs in the "no-javascript" project: JavaScript is disabled in the browser.
test.describe("signed in by a personal link", () => {
  // The form sent back with a validation error answers 400 (on purpose), which Chromium logs.
  // So does withdrawing without ticking "I understand".
  test.use({ allowedBrowserErrors: [/status of 400 \(Bad Request\) \(http:\/\/localhost:\d+\/de\/me\/concerns\/(new|C-[\w-]+\?done=reply)\)/] });

  test("without JavaScript: link → choices → concern → reply (de)", async ({ page }) => {
    const customer = await newCustomer("de");
    await page.goto(await personalLink(customer.id, { lang: "de" }));
    await page.getByRole("button", { name: tr("de", "link.continue") }).click();
    await expect(page).toHaveURL(/\/de$/);

    await page.goto("/de/me/preferences");
    await page.getByRole("main").getByRole("group").filter({ hasText: /./ }).first().getByRole("radio", { name: new RegExp(tr("de", "choiceValues.never")) }).check();
    await page.getByRole("button", { name: tr("de", "preferences.save") }).click();
    await expect(page.getByText(tr("de", "preferences.savedTitle"))).toBeVisible();

    await page.goto("/de/me/concerns/new");
    await page.getByRole("radio", { name: new RegExp(tr("de", "concernKinds.human_review")) }).check();
    await page.getByLabel(tr("de", "concernForm.description")).fill("kurz");
    await page.getByRole("button", { name: tr("de", "concernForm.submit") }).click();
    // Server-side validation: translated error, text kept.
    await expect(page.locator(".field__error", { hasText: tr("de", "errors.tooShort", { min: 10 }) })).toBeVisible();
    await expect(page.getByRole("link", { name: `${tr("de", "concernForm.description")}: ${tr("de", "errors.tooShort", { min: 10 })}` })).toBeVisible();
    await expect(page.getByLabel(tr("de", "concernForm.description"))).toHaveValue("kurz");
    await expect(page.getByRole("radio", { name: new RegExp(tr("de", "concernKinds.human_review")) })).toBeChecked();
    await page.getByLabel(tr("de", "concernForm.description")).fill("Bitte lassen Sie die Entscheidung von einem Menschen prüfen.");
    await page.getByRole("button", { name: tr("de", "concernForm.submit") }).click();
    await expect(page.getByText(tr("de", "concernStatus.filedTitle"))).toBeVisible();

    await page.getByLabel(tr("de", "concernStatus.replyLabel")).fill("Noch eine Ergänzung.");
    await page.getByRole("button", { name: tr("de", "concernStatus.send") }).click();
    await expect(page.getByText("Noch eine Ergänzung.")).toBeVisible();
    // Withdrawing without ticking "I understand" changes nothing and says why; with it, it is done.
    await page.getByRole("button", { name: tr("de", "concernStatus.withdraw") }).click();
    await expect(page.locator(".field__error", { hasText: tr("de", "errors.confirmWithdraw") })).toBeVisible();
    await page.getByRole("checkbox", { name: tr("de", "concernStatus.withdrawConfirm") }).check();
    await page.getByRole("button", { name: tr("de", "concernStatus.withdraw") }).click();
    await expect(page.getByText(tr("de", "concernStatus.done.withdraw"))).toBeVisible();
  });
});

test("without JavaScript: an anonymous concern in Arabic", async ({ page }) => {
  await page.goto("/ar/me/concerns/new");
  await page.getByRole("radio", { name: new RegExp(tr("ar", "concernKinds.other")) }).check();
  await page.getByLabel(tr("ar", "concernForm.description")).fill("لدي سؤال عن استخدام الذكاء الاصطناعي.");
  await page.getByRole("radio", { name: new RegExp(tr("ar", "concernForm.contact.portal")) }).check();
  await page.getByRole("button", { name: tr("ar", "concernForm.submit") }).click();
  await expect(page).toHaveURL(/\/ar\/concerns\/track\//);
  await expect(page.getByText(tr("ar", "concernStatus.filedTitle"))).toBeVisible();
});

test.describe("length limits", () => {
  // The over-long description is refused with a 400 on purpose, which Chromium logs.
  test.use({ allowedBrowserErrors: [/status of 400 \(Bad Request\) \(http:\/\/localhost:\d+\/en\/me\/concerns\/new\)/] });

  test("without JavaScript: 3,999 characters in 40 lines are accepted; the browser's CRLF counts once (issue 7.11)", async ({ page }) => {
    const lines = Array.from({ length: 40 }, (_, i) => `${String(i).padStart(2, "0")} ${"x".repeat(96)}`);
    lines[39] = lines[39]!.slice(0, 3999 - 39 - 39 * 99);
    const typed = lines.join("\n");
    expect(typed).toHaveLength(3999);
    await page.goto("/en/me/concerns/new");
    await page.getByRole("radio", { name: new RegExp(tr("en", "concernKinds.other")) }).check();
    await page.getByLabel(tr("en", "concernForm.description")).fill(typed);
    await page.getByRole("radio", { name: new RegExp(tr("en", "concernForm.contact.portal")) }).check();
    await page.getByRole("button", { name: tr("en", "concernForm.submit") }).click();
    await expect(page).toHaveURL(/\/en\/concerns\/track\//);
    await expect(page.getByText(tr("en", "concernStatus.filedTitle"))).toBeVisible();

    // Two characters over: refused, and the text is kept as typed.
    await page.goto("/en/me/concerns/new");
    await page.getByRole("radio", { name: new RegExp(tr("en", "concernKinds.other")) }).check();
    await page.getByLabel(tr("en", "concernForm.description")).fill(`${typed}ab`);
    await page.getByRole("button", { name: tr("en", "concernForm.submit") }).click();
    await expect(page.getByText(tr("en", "errors.tooLong", { max: 4000 })).first()).toBeVisible();
    await expect(page.getByLabel(tr("en", "concernForm.description"))).toHaveValue(`${typed}ab`);
  });
});

/** Every link and form on the page stays in the embed of `site` (fragments and mailto: aside). */
async function expectAllTargetsInEmbed(page: Page, site: string, handle: string) {
  const targets = await page.locator("a[href], form").evaluateAll((elements) =>
    elements.map((el) => (el instanceof HTMLFormElement ? el.getAttribute("action") ?? "(no action)" : el.getAttribute("href")!)),
  );
  const leaving = targets.filter((t) => !t.startsWith("#") && !t.startsWith("mailto:") && !(t.startsWith(`/embed/${site}/`) && new URL(t, BASE).searchParams.get("h") === handle));
  expect(leaving, page.url()).toEqual([]);
  expect(targets.length).toBeGreaterThan(2);
}

test("without JavaScript: links and forms inside the embed stay in the embed, with the session handle (fr)", async ({ page, context }) => {
  const site = `nojs-${Math.random().toString(36).slice(2, 8)}`;
  const { signingSecret } = await createEmbedSite(e2eDb(), { slug: site, name: "No-JS Help", origins: ["https://help.example"], withSigningSecret: true });
  const customer = await newCustomer("fr");
  const token = await signEmbedToken(signingSecret!, site, customer.id);
  await page.goto(`/embed/${site}/fr/ai-systems?token=${token}`);
  const handle = new URL(page.url()).searchParams.get("h")!;
  expect(handle).toBeTruthy();
  // As in a frame whose cookies are blocked: only the handle in the URL carries the session.
  await context.clearCookies();
  await expectAllTargetsInEmbed(page, site, handle);

  await page.locator("article h2 a").first().click();
  await expect(page).toHaveURL(new RegExp(`/embed/${site}/fr/ai-systems/[\\w-]+\\?h=`));
  await expectAllTargetsInEmbed(page, site, handle);
  await page.getByRole("link", { name: tr("fr", "register.back") }).click();
  await expect(page).toHaveURL(`${BASE}/embed/${site}/fr/ai-systems?h=${handle}`);

  // The language menu is a <details> disclosure: it opens without JavaScript.
  await page.locator(".language-switcher summary").click();
  await page.getByRole("link", { name: "Deutsch" }).click();
  await expect(page).toHaveURL(`${BASE}/embed/${site}/de/ai-systems?h=${handle}`);
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await page.locator(".language-switcher summary").click();
  await page.getByRole("link", { name: "Français" }).click();

  await page.getByRole("link", { name: tr("fr", "register.manageChoices") }).first().click();
  await expect(page).toHaveURL(new RegExp(`/embed/${site}/fr/me/preferences\\?h=`));
  await expectAllTargetsInEmbed(page, site, handle);
  await page.getByRole("main").getByRole("group").filter({ hasText: /./ }).first().getByRole("radio", { name: new RegExp(tr("fr", "choiceValues.never")) }).check();
  await page.getByRole("button", { name: tr("fr", "preferences.save") }).click();
  await expect(page.getByText(tr("fr", "preferences.savedTitle"))).toBeVisible();
  expect(page.url()).toContain(`/embed/${site}/fr/me/preferences?saved=`);

  await page.goto(`/embed/${site}/fr/concerns/new?h=${handle}`);
  await page.getByRole("radio", { name: new RegExp(tr("fr", "concernKinds.human_review")) }).check();
  await page.getByLabel(tr("fr", "concernForm.description")).fill("Merci de faire vérifier cette décision par une personne.");
  await page.getByRole("button", { name: tr("fr", "concernForm.submit") }).click();
  await expect(page).toHaveURL(new RegExp(`/embed/${site}/fr/me/concerns/C-[\\w-]+\\?(.+&)?h=${handle}`));
  await expectAllTargetsInEmbed(page, site, handle);
  await page.getByRole("link", { name: tr("fr", "concernStatus.back") }).click();
  await expect(page).toHaveURL(`${BASE}/embed/${site}/fr/me/concerns?h=${handle}`);
  await expectAllTargetsInEmbed(page, site, handle);

  // "Open in a new tab" (a form posting to a new tab) signs the full portal in, without JavaScript.
  const [tab] = await Promise.all([page.waitForEvent("popup"), page.getByRole("button", { name: new RegExp(trNs("fr", "embed", "openInNewTab")) }).click()]);
  await expect(tab).toHaveURL(`${BASE}/fr/me/concerns`);
  await expect(tab.getByRole("heading", { level: 1 })).toHaveText(tr("fr", "concerns.title"));
});
