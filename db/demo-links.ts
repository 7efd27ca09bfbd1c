/** Prints fresh personal links for the demo customers (called by `npm start`). */
import { DEMO_CUSTOMERS } from "./seed";
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
      "",
    ].join("\n"),
  );
}
