import fs from "node:fs";
import path from "node:path";
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";
import { recordInteraction } from "../../app/domain/interactions.server";
import { mintLink } from "../../app/domain/links.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import type { Db } from "../../app/utils/db.server";
import { openSqliteDatabase } from "../../app/utils/db-sqlite.server";
import { eq } from "drizzle-orm";
import { aiSystems } from "../../db/schema";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3217);
export const E2E_DB = path.resolve("test/.tmp/e2e/candor.sqlite");
export const BASE = `http://localhost:${E2E_PORT}`;

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  const found = candidates.find((p) => p && fs.existsSync(p));
  if (!found) throw new Error("No Chromium found: install the Debian package `chromium` or set CHROMIUM_PATH");
  return found;
}

let db: Db | undefined;
/** The e2e server's own SQLite file, opened from the test process (WAL allows both): the domain's async handle. */
export function e2eDb(): Db {
  db ??= openSqliteDatabase(E2E_DB).db;
  return db;
}

/** A fresh customer with one AI-involved interaction (async), so tests that change data don't collide. */
export async function newCustomer(lang: "en" | "fr" | "de" | "ar" = "en", options: { subject?: string; actionDetail?: string } = {}) {
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
export async function personalLink(customerId: string, options: { lang?: "en" | "fr" | "de" | "ar"; interactionRef?: string } = {}): Promise<string> {
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
