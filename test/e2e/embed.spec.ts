/**
 * Help-center embedding (SPEC §6) in a real cross-site iframe: the demo help center on
 * http://127.0.0.1:<free port> frames the portal on http://localhost:3217, with third-party
 * cookies blocked (only Partitioned cookies come back; the URL handle covers the rest).
 */
import { type Page } from "@playwright/test";
import { createEmbedSite } from "../../app/domain/embed-sites.server";
import { startHelpCenter, type HelpCenterOptions } from "../fixtures/helpcenter/serve";
import { tr, trNs } from "../support/locales";
import { expectNoAxeViolations } from "./axe";
import { BASE, e2eDb, expect, newCustomer, test } from "./support";
import { chromiumPath } from "./support";

// Third-party cookies blocked, as in browsers that phase them out (Partitioned cookies still work).
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

const run = Math.random().toString(36).slice(2, 8);
const slug = `hc-${run}`;
const refusedSlug = `elsewhere-${run}`;
let helpCenter: Awaited<ReturnType<typeof startHelpCenter>>;
let refusedHost: Awaited<ReturnType<typeof startHelpCenter>>;

test.beforeAll(async () => {
  const options: HelpCenterOptions = { portalUrl: BASE, site: slug };
  helpCenter = await startHelpCenter(options);
  const { signingSecret } = await createEmbedSite(e2eDb(), {
    slug,
    name: "Nordlys Help Center",
    origins: [helpCenter.origin],
    accentColor: "#7a2e8f",
    withSigningSecret: true,
  });
  options.signingSecret = signingSecret; // the "backend" of the help center signs with it
  await createEmbedSite(e2eDb(), { slug: refusedSlug, name: "Someone else", origins: ["https://help.elsewhere.example"] });
  refusedHost = await startHelpCenter({ portalUrl: BASE, site: refusedSlug });
});

test.afterAll(async () => {
  await helpCenter?.close();
  await refusedHost?.close();
});

function portalFrame(page: Page) {
  return page.frameLocator("[data-candor-embed] iframe");
}

test("the AI register embedded in French follows the host's language, drops the chrome and resizes", async ({ page }) => {
  await page.goto(`${helpCenter.origin}/?lang=fr&page=ai-systems`);
  const frame = portalFrame(page);
  await expect(frame.getByRole("heading", { level: 1 })).toHaveText(tr("fr", "register.title"));
  await expect(frame.locator("html")).toHaveAttribute("lang", "fr");
  await expect(frame.locator(".site-header")).toHaveCount(0);
  // "Open in a new tab" opens the same page on the full portal.
  const [tab] = await Promise.all([page.waitForEvent("popup"), frame.getByRole("button", { name: /Ouvrir dans un nouvel onglet/ }).click()]);
  await expect(tab).toHaveURL(`${BASE}/fr/ai-systems`);
  await expect(tab.getByRole("heading", { level: 1 })).toHaveText(tr("fr", "register.title"));
  await tab.close();
  // The frame grows to its content (ResizeObserver → postMessage → embed.js), from 600px.
  const iframe = page.locator("[data-candor-embed] iframe");
  await expect
    .poll(async () => {
      const frameHeight = await iframe.evaluate((el) => el.getBoundingClientRect().height);
      const contentHeight = await frame.locator(".embed").evaluate((el) => el.getBoundingClientRect().height);
      return Math.abs(frameHeight - Math.ceil(contentHeight));
    })
    .toBeLessThan(2);
  expect(await iframe.evaluate((el) => el.getBoundingClientRect().height)).not.toBe(600);
  // A system's page stays inside the frame.
  await frame.locator("article h2 a").first().click();
  await expect(frame.getByRole("heading", { name: tr("fr", "register.detailsTitle") })).toBeVisible();
  expect(page.frames().some((f) => f.url().startsWith(`${BASE}/embed/${slug}/fr/ai-systems/`))).toBe(true);
});

test("a host page in a language Candor lacks: its regional variant's language, else the visitor's (issue 7.9)", async ({ browser }) => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await page.goto(`${helpCenter.origin}/?lang=fr-CA&page=ai-systems`);
  await expect(portalFrame(page).locator("html")).toHaveAttribute("lang", "fr");
  await page.goto(`${helpCenter.origin}/?lang=nb-NO&page=ai-systems`);
  await expect(portalFrame(page).locator("html")).toHaveAttribute("lang", "de");
  await expect(portalFrame(page).getByRole("heading", { level: 1 })).toHaveText(tr("de", "register.title"));
  await context.close();
});

test("raising a concern anonymously inside the frame, in German", async ({ page }) => {
  await page.goto(`${helpCenter.origin}/?lang=de&page=concerns/new`);
  const frame = portalFrame(page);
  await expect(frame.getByRole("heading", { level: 1 })).toHaveText(tr("de", "concernForm.title"));
  await frame.getByRole("radio", { name: new RegExp(tr("de", "concernKinds.not_told_ai")) }).check();
  await frame.getByLabel(tr("de", "concernForm.description")).fill("Ich wusste nicht, dass ich mit einer KI spreche.");
  await frame.getByRole("radio", { name: new RegExp(tr("de", "concernForm.contact.email")) }).check();
  await frame.getByLabel(tr("de", "concernForm.email")).fill("besucher@example.de");
  await frame.getByRole("button", { name: tr("de", "concernForm.submit") }).click();
  await expect(frame.getByText(tr("de", "concernStatus.trackingBody"))).toBeVisible();
  expect(page.frames().some((f) => f.url().startsWith(`${BASE}/embed/${slug}/de/concerns/track/`))).toBe(true);
  await expect(frame.getByText("Ich wusste nicht, dass ich mit einer KI spreche.")).toBeVisible();
});

test("a site-signed customer token opens the customer's choices, which save with cookies blocked", async ({ page, context }) => {
  const customer = await newCustomer("en");
  await page.goto(`${helpCenter.origin}/?lang=en&page=me/preferences&customer=${customer.id}`);
  const frame = portalFrame(page);
  await expect(frame.getByRole("heading", { level: 1 })).toHaveText(tr("en", "preferences.title"));
  // No ordinary (unpartitioned) portal cookie exists: only the partitioned one, if any.
  const cookies = await context.cookies(BASE);
  expect(cookies.filter((c) => c.name === "candor_session" && !c.partitionKey)).toEqual([]);
  const training = frame.getByRole("group", { name: /improve|train/i }).first();
  await training.getByRole("radio", { name: new RegExp(tr("en", "choiceValues.yes")) }).check();
  await frame.getByRole("button", { name: tr("en", "preferences.save") }).click();
  await expect(frame.getByText(tr("en", "preferences.savedTitle"))).toBeVisible();
  const embedded = page.frames().find((f) => f.url().startsWith(`${BASE}/embed/${slug}/en/me/preferences`))!;
  const withHandle = new URL(embedded.url());
  expect(withHandle.searchParams.get("h")).toBeTruthy();
  withHandle.searchParams.delete("saved");
  const withoutHandle = new URL(withHandle);
  withoutHandle.searchParams.delete("h");
  // The Partitioned cookie comes back inside the frame: signed in without the handle.
  await embedded.goto(withoutHandle.href);
  await expect(frame.getByRole("heading", { level: 1 })).toHaveText(tr("en", "preferences.title"));
  // With every cookie gone, the handle in the URL still carries the session…
  await context.clearCookies();
  await embedded.goto(withHandle.href);
  await expect(frame.getByRole("heading", { level: 1 })).toHaveText(tr("en", "preferences.title"));
  await expect(training.getByRole("radio", { name: new RegExp(tr("en", "choiceValues.yes")) })).toBeChecked();
  // "Open in a new tab" carries the session to the full portal (a first-party session of its own).
  const [tab] = await Promise.all([page.waitForEvent("popup"), frame.getByRole("button", { name: new RegExp(trNs("en", "embed", "openInNewTab")) }).click()]);
  await expect(tab).toHaveURL(`${BASE}/en/me/preferences`);
  await expect(tab.getByRole("heading", { level: 1 })).toHaveText(tr("en", "preferences.title"));
  await expect(tab.getByRole("group", { name: /improve|train/i }).first().getByRole("radio", { name: new RegExp(tr("en", "choiceValues.yes")) })).toBeChecked();
  await tab.close();
});

test.describe("signed out inside the frame", () => {
  // The 401 page itself is what this test expects; Chromium logs its status as a console error.
  test.use({ allowedBrowserErrors: [/Failed to load resource: the server responded with a status of 401/] });

  test("without cookie or handle the visitor is signed out; another site's handle does not sign in", async ({ page }) => {
    const customer = await newCustomer("en");
    await page.goto(`${helpCenter.origin}/?lang=en&page=me/preferences&customer=${customer.id}`);
    const frame = portalFrame(page);
    await expect(frame.getByRole("heading", { level: 1 })).toHaveText(tr("en", "preferences.title"));
    const embedded = page.frames().find((f) => f.url().startsWith(`${BASE}/embed/${slug}/en/me/preferences`))!;
    const handle = new URL(embedded.url()).searchParams.get("h")!;
    await page.context().clearCookies();
    await embedded.goto(`${BASE}/embed/${slug}/en/me/preferences`);
    await expect(frame.getByRole("heading", { level: 1 })).toHaveText(tr("en", "errors.signedOutTitle"));
    // The handle minted for this site, used under another site's embed: refused.
    await page.goto(`${BASE}/embed/${refusedSlug}/en/me/preferences?h=${handle}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(tr("en", "errors.signedOutTitle"));
  });
});

test("embed pages pass axe", async ({ page }) => {
  await page.goto(`${BASE}/embed/${slug}/en/ai-systems`);
  await expectNoAxeViolations(page);
  await page.goto(`${BASE}/embed/${slug}/ar/concerns/new`);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expectNoAxeViolations(page);
});

test.describe("framing refused", () => {
  // The browser's refusal to frame the page is what this test expects.
  test.use({ allowedBrowserErrors: [/Framing '[^']*' violates the following Content Security Policy directive: "frame-ancestors https:\/\/help\.elsewhere\.example"/] });

  test("a page framed by an origin the site did not register is refused", async ({ page, request }) => {
    const response = await request.get(`${BASE}/embed/${refusedSlug}/en/ai-systems`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-security-policy"]).toContain("frame-ancestors https://help.elsewhere.example");
    expect(response.headers()["x-frame-options"]).toBeUndefined();
    const portalPage = await request.get(`${BASE}/en/ai-systems`);
    expect(portalPage.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(portalPage.headers()["x-frame-options"]).toBe("DENY");

    await page.goto(`${refusedHost.origin}/?lang=en&page=ai-systems`);
    await page.waitForLoadState("load");
    await expect(page.locator("[data-candor-embed] iframe")).toHaveCount(1);
    // The browser blocks the document: no portal content appears in the frame.
    await page.waitForTimeout(500);
    await expect(portalFrame(page).getByRole("heading", { name: tr("en", "register.title") })).toHaveCount(0);
    expect(page.frames().some((f) => f.url().startsWith(`${BASE}/embed/`) && f !== page.mainFrame())).toBe(false);
  });
});
