import fs from "node:fs";
import path from "node:path";
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";
import { recordInteraction } from "../../app/domain/interactions.server";
import { mintLink } from "../../app/domain/links.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import type { Db } from "../../app/utils/db.server";
import type { Lang } from "../../app/utils/languages";
import { openSqliteDatabase } from "../../app/utils/db-sqlite.server";
import { openPostgresDatabase } from "../../app/utils/db-postgres.server";
import { eq } from "drizzle-orm";
import { aiSystems } from "../../db/schema";
import { DEMO_STAFF } from "../../db/seed";
import { trNs } from "../support/locales";
import { onPostgres, withDatabase } from "../support/postgres";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3217);
export const E2E_DB = path.resolve(`test/.tmp/e2e-${E2E_PORT}/candor.sqlite`);
export const BASE = `http://localhost:${E2E_PORT}`;

/**
 * On PostgreSQL (DATABASE_URL=postgres://…): the e2e server's own database on that server, named
 * after the port so two runs on different ports don't drop each other's; serve.ts drops and
 * recreates it on every run. Undefined on SQLite (the file E2E_DB instead).
 */
export function e2ePostgresUrl(): string | undefined {
  return onPostgres() ? withDatabase(process.env.DATABASE_URL!, `candor_e2e_${E2E_PORT}`) : undefined;
}

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  const found = candidates.find((p) => p && fs.existsSync(p));
  if (!found) throw new Error("No Chromium found: install the Debian package `chromium` or set CHROMIUM_PATH");
  return found;
}

let db: Db | undefined;
/**
 * The e2e server's own database, opened from the test process: its SQLite file (WAL allows both)
 * or, on PostgreSQL, its database (a small pool). The domain's async handle.
 */
export function e2eDb(): Db {
  const url = e2ePostgresUrl();
  db ??= url ? openPostgresDatabase(url, { max: 2, idleTimeoutMillis: 1_000 }).db : openSqliteDatabase(E2E_DB).db;
  return db;
}

export type DemoStaffRole = (typeof DEMO_STAFF)[number]["role"];

/** A string matched literally in a regular expression. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The one staff sign-in of the browser tests: opens `next` (a staff path), which sends a visitor
 * to the sign-in page, signs in there as the demo account of `who` (db/seed.ts DEMO_STAFF) or
 * with the given credentials, and waits until the console shows `next`. The sign-in form itself
 * (wrong password, kept email) is tested in staff-login.spec.ts.
 */
export async function signInStaff(page: Page, who: DemoStaffRole | { email: string; password: string }, next: string): Promise<void> {
  const { email, password } = typeof who === "string" ? DEMO_STAFF.find((staff) => staff.role === who)! : who;
  await page.goto(next);
  await expect(page).toHaveURL(new RegExp(`/staff/login\\?next=${literal(encodeURIComponent(next))}$`));
  await page.getByLabel(trNs("en", "staff", "login.email")).fill(email);
  await page.getByLabel(trNs("en", "staff", "login.password")).fill(password);
  await page.getByRole("button", { name: trNs("en", "staff", "login.submit") }).click();
  await expect(page).toHaveURL(new RegExp(`${literal(next)}$`));
}

/** A fresh customer with one AI-involved interaction (async), so tests that change data don't collide. */
export async function newCustomer(lang: Lang = "en", options: { subject?: string; actionDetail?: string } = {}) {
  const id = `e2e-${Math.random().toString(36).slice(2, 10)}`;
  const database = e2eDb();
  await upsertCustomer(database, { id, email: `${id}@example.com`, locale: lang });
  const [troubleshooter] = await database.select().from(aiSystems).where(eq(aiSystems.slug, "network-troubleshooter")).limit(1);
  await recordInteraction(database, {
    customerId: id,
    source: "e2e",
    ref: `REF-${id}`,
    channel: "app",
    subject: options.subject ?? "Slow internet in the evening",
    occurredAt: Date.now() - 86_400_000,
    ai: [{ systemId: troubleshooter!.id, role: "acted", actionKey: "troubleshooting", actionDetail: options.actionDetail ?? "Restarted your line", humanReviewed: false, trainingEligible: false }],
  });
  return { id, interactionRef: `REF-${id}` };
}

/** A personal link of the customer (async). */
export async function personalLink(customerId: string, options: { lang?: Lang; interactionRef?: string } = {}): Promise<string> {
  const { url } = await mintLink(e2eDb(), { customerId, lang: options.lang ?? null, interactionRef: options.interactionRef ?? null, createdBy: "cli", baseUrl: BASE });
  return url;
}

/** Reports CSP violations of every frame (iframes included) as console errors, which the guard sees. */
function reportCspViolations() {
  document.addEventListener("securitypolicyviolation", (event) => {
    console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"} in ${event.documentURI} (${event.sourceFile}:${event.lineNumber})`);
  });
}

/**
 * Every browser test fails on any CSP violation, console error or uncaught error, in any page or
 * frame of any context it opens (issue 7, item 7). A test that provokes one on purpose names it
 * with `test.use({ allowedBrowserErrors: [/…/] })` — one pattern (use alternation): Playwright reads a
 * two-element array given to `test.use` as a `[value, options]` tuple.
 */
export const test = base.extend<{ allowedBrowserErrors: RegExp[]; browserErrorGuard: void }>({
  allowedBrowserErrors: [[], { option: true }],
  browserErrorGuard: [
    async ({ context, browser, allowedBrowserErrors }, use) => {
      const problems: string[] = [];
      const watchPage = (page: Page) => {
        page.on("console", (message) => {
          if (message.type() === "error") problems.push(`console error on ${page.url()}: ${message.text()} (${message.location().url})`);
        });
        page.on("pageerror", (error) => problems.push(`uncaught error on ${page.url()}: ${error.stack ?? String(error)}`));
      };
      const watchContext = async (watched: BrowserContext) => {
        await watched.addInitScript(reportCspViolations);
        watched.pages().forEach(watchPage);
        watched.on("page", watchPage);
      };
      await watchContext(context);
      // Contexts a test opens itself (another viewport, a second user) are watched too.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args: Parameters<typeof browser.newContext>) => {
        const created = await newContext(...args);
        await watchContext(created);
        return created;
      };
      try {
        await use();
      } finally {
        browser.newContext = newContext;
      }
      const unexpected = problems.filter((problem) => !allowedBrowserErrors.some((allowed) => allowed.test(problem)));
      expect(unexpected, "CSP violations, console errors and uncaught errors in the browser").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
