/** Prints fresh personal links for the demo customers (called by `npm start`). */
import { DEMO_CUSTOMERS, DEMO_STAFF } from "./seed";
import { mintLink } from "../app/domain/links.server";
import { findCustomer } from "../app/domain/customers.server";
import { API_SCOPES, createApiKey, revokeApiKey } from "../app/domain/api-keys.server";
import { apiKeys } from "./schema";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../app/utils/db.server";

export async function printDemoLinks(db: Db, baseUrl: string): Promise<void> {
  const lines: string[] = [];
  for (const c of DEMO_CUSTOMERS) {
    if (!(await findCustomer(db, c.id))) continue;
    const { url } = await mintLink(db, { customerId: c.id, lang: c.locale, createdBy: "seed", baseUrl });
    lines.push(`  ${c.id} (${c.locale}): ${url}`);
  }
  // A fresh demo API key at every start (the previous demo keys are revoked): shown once.
  for (const { prefix } of await db.select({ prefix: apiKeys.prefix }).from(apiKeys).where(and(eq(apiKeys.name, "demo"), isNull(apiKeys.revokedAt)))) {
    await revokeApiKey(db, { prefix, actor: { type: "system" } });
  }
  const { key } = await createApiKey(db, { name: "demo", scopes: API_SCOPES, actor: { type: "system" } });
  console.log(
    [
      "",
      "Candor is ready.",
      `  Public portal:      ${baseUrl}/en`,
      `  AI register:        ${baseUrl}/en/ai-systems`,
      "Personal links for the demo customers (valid 7 days):",
      ...lines,
      `Staff console:        ${baseUrl}/staff (demo accounts, change them before real use)`,
      ...DEMO_STAFF.map((s) => `  ${s.role.padEnd(10)} ${s.email} / ${s.password}`),
      `Integration API:      ${baseUrl}/api/v1/openapi.json (demo key, every scope, shown once):`,
      `  curl -H "Authorization: Bearer ${key}" ${baseUrl}/api/v1/customers/demo-customer-1/preferences`,
      "",
    ].join("\n"),
  );
}
