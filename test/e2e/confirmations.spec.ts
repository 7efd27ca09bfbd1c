/**
 * "Ask me first" in the browser (SPEC §11.1, §6): the customer approves an AI agent's request inside
 * the help center's cross-site frame (third-party cookies blocked), and the page passes axe in
 * English and Arabic, pending and answered, and fits a 320 px screen.
 */
import { type Page } from "@playwright/test";
import { createEmbedSite } from "../../app/domain/embed-sites.server";
import { findConfirmation } from "../../app/domain/confirmations.server";
import { startHelpCenter, type HelpCenterOptions } from "../fixtures/helpcenter/serve";
import { confirmationFor } from "../support/confirmation-factories";
import { tr } from "../support/locales";
import { expectNoAxeViolations } from "./axe";
import { BASE, chromiumPath, e2eDb, expect, newCustomer, personalLink, test } from "./support";

// Third-party cookies blocked, as in embed.spec.ts (the whole file: a launch option cannot differ per
// group): inside the frame only the Partitioned cookie and the URL handle work.
test.use({
  launchOptions: {
    executablePath: chromiumPath(),
    args: [
      "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
      "--test-third-party-cookie-phaseout",
    ],
  },
});

/** Signs the customer in through their personal link (the "Continue" POST) in `lang`. */
async function signIn(page: Page, customerId: string, lang: "en" | "ar") {
  await page.goto(await personalLink(customerId, { lang }));
  await page.getByRole("button", { name: tr(lang, "link.continue") }).click();
  await page.waitForURL(new RegExp(`/${lang}$`));
}

/** A pending request of the offer predictor: a plan change for 20.00 EUR by email. */
const request = (customerId: string, summary: Record<string, string>) =>
  confirmationFor(e2eDb(), customerId, { summary, baseUrl: BASE, expiresInMinutes: 120 });

const overflowOf = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

for (const lang of ["en", "ar"] as const) {
  test(`axe finds no violations on the confirmation page, pending and answered, and on the overview's block (${lang})`, async ({ page }) => {
    const customer = await newCustomer(lang);
    const pending = await request(customer.id, { [lang]: lang === "ar" ? "نقلك إلى باقة أرخص مقابل 20 يورو شهريًا" : "Move you to a cheaper plan for 20 EUR a month" });
    // A summary only in another language shows the "shown in …" note.
    await request(customer.id, { fr: "Vous passer à un forfait moins cher" });
    await signIn(page, customer.id, lang);
    await expect(page.getByRole("heading", { level: 2, name: tr(lang, "confirmations.waitingTitle") })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: lang === "ar" ? "نقلك إلى باقة أرخص مقابل 20 يورو شهريًا" : "Move you to a cheaper plan for 20 EUR a month" }).click();
    await expect(page).toHaveURL(new RegExp(`/${lang}/me/confirmations/${pending.id}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(tr(lang, "confirmations.title"));
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: tr(lang, "confirmations.decline") }).click();
    await expect(page.getByText(tr(lang, "confirmations.done.declinedTitle"))).toBeVisible();
    await expect(page.getByRole("button", { name: tr(lang, "confirmations.approve") })).toHaveCount(0);
    await expectNoAxeViolations(page);
    expect((await findConfirmation(e2eDb(), pending.id))!.answer).toMatchObject({ answer: "declined", method: "portal", lang });
  });
}

test("320 px, dark, Arabic: the confirmation page fits, its amount reads left to right, axe is clean", async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: "dark", viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const customer = await newCustomer("ar");
  const pending = await request(customer.id, { en: "X".repeat(300) });
  await signIn(page, customer.id, "ar");
  await page.goto(`/ar/me/confirmations/${pending.id}`);
  expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
  expect(await overflowOf(page)).toBeLessThanOrEqual(0);
  const amount = page.locator("dd bdi").first();
  expect(await amount.evaluate((el) => getComputedStyle(el).direction)).toBe("ltr");
  await expectNoAxeViolations(page);
  await context.close();
});

test.describe("inside the help center's frame", () => {
  const slug = `hc-conf-${Math.random().toString(36).slice(2, 8)}`;
  let helpCenter: Awaited<ReturnType<typeof startHelpCenter>>;
  test.beforeAll(async () => {
    const options: HelpCenterOptions = { portalUrl: BASE, site: slug };
    helpCenter = await startHelpCenter(options);
    const { signingSecret } = await createEmbedSite(e2eDb(), { slug, name: "Nordlys Help Center", origins: [helpCenter.origin], withSigningSecret: true });
    options.signingSecret = signingSecret;
  });
  test.afterAll(async () => {
    await helpCenter?.close();
  });

  test("the customer approves a request inside the cross-site embed; recorded as embed", async ({ page }) => {
    const customer = await newCustomer("en");
    const pending = await request(customer.id, { en: "Move you to a cheaper plan for 20 EUR a month" });
    await page.goto(`${helpCenter.origin}/?lang=en&page=me/confirmations/${pending.id}&customer=${customer.id}`);
    const frame = page.frameLocator("[data-candor-embed] iframe");
    await expect(frame.getByRole("heading", { level: 1 })).toHaveText(tr("en", "confirmations.title"));
    await expect(frame.getByText("Move you to a cheaper plan for 20 EUR a month")).toBeVisible();
    await frame.getByRole("button", { name: tr("en", "confirmations.approve") }).click();
    await expect(frame.getByText(tr("en", "confirmations.done.approvedTitle"))).toBeVisible();
    expect(page.frames().some((f) => f.url().startsWith(`${BASE}/embed/${slug}/en/me/confirmations/${pending.id}`) && f.url().includes("done=answered"))).toBe(true);
    expect((await findConfirmation(e2eDb(), pending.id))!.answer).toMatchObject({ answer: "approved", method: "embed", lang: "en" });
  });
});
