/**
 * The crash test's database, prepared once per engine: migrations, the demo's register and choices
 * without its stories (seedChoicesAndRegister, db/seed.ts), a few customers and staff of the test's
 * own, an API key, a webhook endpoint (the test's receiver) and one case per staff member to write
 * notes on (concernFor, test/support/factories.ts).
 */
import { randomBytes } from "node:crypto";
import { createApiKey } from "../../app/domain/api-keys.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { mintLink } from "../../app/domain/links.server";
import { setSetting } from "../../app/domain/settings.server";
import { createStaffUser } from "../../app/domain/staff.server";
import { createWebhookEndpoint } from "../../app/domain/webhooks.server";
import { WEBHOOK_EVENTS } from "../../app/domain/vocabulary";
import { runMigrations, type AnyDatabase } from "../../app/utils/db.server";
import { choiceDefinitions, concerns, customers as customersTable } from "../../db/schema";
import { seedChoicesAndRegister } from "../../db/seed";
import { concernFor } from "../support/factories";

export const CUSTOMER_COUNT = 6;
export const STAFF_COUNT = 2;
/** The choice each preference client turns through its values (an action kind: allow → ask → never). */
export const ROTATED_CHOICE = "orders";
export const ROTATED_VALUES = ["allow", "ask", "never"] as const;
/** What the decision clients ask about. */
export const DECISION_ACTIONS = ["plan-changes", "billing-arrangements", "proactive-outreach"] as const;
export const DECISION_SYSTEM = "offer-predictor";

export interface CrashCustomer {
  id: string;
  email: string;
  /** A personal link, spent on the first round to start the session. */
  linkToken: string;
  /** `name=value` of the customer session, once signed in (sessions live in the database: they survive restarts). */
  cookie?: string;
}

export interface CrashStaff {
  id: number;
  email: string;
  password: string;
  /** The case this staff member writes notes on (nobody else touches it). */
  caseRef: string;
  cookie?: string;
}

export interface CrashFixture {
  customers: CrashCustomer[];
  staff: CrashStaff[];
  apiKey: string;
  /** The preferences form's hidden `shown` field: every choice's notice version. */
  shown: string;
  /** When the fixture was made (ms): rows the test's clients write come later. */
  preparedAt: number;
  /** Each customer's preference version and each staff case's revision when the fixture was made. */
  initialVersions: Map<string, number>;
  initialRevisions: Map<string, number>;
}

/** Prepares `database` (empty) for the crash test; `webhookUrl` receives every webhook event. */
export async function prepareCrashDatabase(database: AnyDatabase, webhookUrl: string): Promise<CrashFixture> {
  const { db } = database;
  await runMigrations(database);
  const now = Date.now();
  await setSetting(db, "companyName", "Crash Test Telecom");
  await seedChoicesAndRegister(db, now);
  const customers: CrashCustomer[] = [];
  for (let i = 0; i < CUSTOMER_COUNT; i++) {
    const id = `crash-customer-${i}`;
    const email = `crash-customer-${i}@example.test`;
    await upsertCustomer(db, { id, email, locale: "en" });
    const { token } = await mintLink(db, { customerId: id, lang: "en", createdBy: "cli", baseUrl: "http://127.0.0.1" });
    customers.push({ id, email, linkToken: token });
  }
  const admin = await createStaffUser(db, { email: "crash-admin@example.test", name: "Crash Admin", role: "admin", password: randomBytes(12).toString("hex") }, { type: "system" });
  const staff: CrashStaff[] = [];
  for (let i = 0; i < STAFF_COUNT; i++) {
    const password = randomBytes(12).toString("hex");
    const email = `crash-agent-${i}@example.test`;
    const { user } = await createStaffUser(db, { email, name: `Crash Agent ${i}`, role: "agent", password }, { type: "system" });
    const { ref } = await concernFor(db, { customerId: customers[i % customers.length]!.id, description: `The case crash agent ${i} writes notes on.` });
    staff.push({ id: user.id, email, password, caseRef: ref });
  }
  const { key } = await createApiKey(db, { name: "crash-test", scopes: ["decisions"] });
  await createWebhookEndpoint(db, { url: webhookUrl, events: [...WEBHOOK_EVENTS], staffId: admin.user.id });
  const definitions = await db.select({ key: choiceDefinitions.key, version: choiceDefinitions.noticeVersion }).from(choiceDefinitions);
  const versions = await db.select({ id: customersTable.id, version: customersTable.preferenceVersion }).from(customersTable);
  const revisions = await db.select({ ref: concerns.ref, revision: concerns.revision }).from(concerns);
  return {
    customers,
    staff,
    apiKey: key,
    shown: definitions.map((d) => `${d.key}:${d.version}`).join(","),
    preparedAt: Date.now(),
    initialVersions: new Map(versions.map((v) => [v.id, v.version])),
    initialRevisions: new Map(revisions.map((r) => [r.ref, r.revision])),
  };
}
