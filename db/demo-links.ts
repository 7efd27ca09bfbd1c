/** Prints fresh personal links for the demo customers (called by `npm start`). */
import { DEMO_CUSTOMERS, DEMO_STAFF } from "./seed";
import { mintLink } from "../app/domain/links.server";
import { findCustomer } from "../app/domain/customers.server";
import type { Db } from "../app/utils/db.server";

export function printDemoLinks(db: Db, baseUrl: string): void {
  const lines = DEMO_CUSTOMERS.filter((c) => findCustomer(db, c.id)).map((c) => {
    const { url } = mintLink(db, { customerId: c.id, lang: c.locale, createdBy: "seed", baseUrl });
    return `  ${c.id} (${c.locale}): ${url}`;
  });
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
      "",
    ].join("\n"),
  );
}
