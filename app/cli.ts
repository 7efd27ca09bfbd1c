/**
 * Operator commands: `npm run cli -- <command> [options]`.
 *   link create --customer <id> [--lang <lng>] [--interaction <ref>] [--days <n>]
 *   link revoke --customer <id>
 * The last line of `link create` is the URL, so scripts can take it with `tail -1`.
 */
import { parseArgs } from "node:util";
import { mintLink, revokeAllLinks, UnknownCustomerError } from "./domain/links.server";
import { endAllCustomerSessions } from "./domain/customer-sessions.server";
import { getDb, runMigrations } from "./utils/db.server";
import { env } from "./utils/env.server";
import { isLang, LANGUAGES } from "./utils/languages";

const USAGE = `Usage:
  npm run cli -- link create --customer <id> [--lang ${LANGUAGES.join("|")}] [--interaction <ref>] [--days <n>]
  npm run cli -- link revoke --customer <id>     (revokes every link and ends every session)`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function main(argv: string[]) {
  const [group, command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      customer: { type: "string" },
      lang: { type: "string" },
      interaction: { type: "string" },
      days: { type: "string" },
    },
    strict: true,
  });
  const db = getDb();
  runMigrations(db);

  if (group === "link" && command === "create") {
    if (!values.customer) fail("--customer is required");
    if (values.lang !== undefined && !isLang(values.lang)) fail(`--lang must be one of ${LANGUAGES.join(", ")}`);
    const days = values.days === undefined ? undefined : Number(values.days);
    if (days !== undefined && !Number.isInteger(days)) fail("--days must be a whole number");
    try {
      const link = mintLink(db, {
        customerId: values.customer,
        lang: isLang(values.lang) ? values.lang : null,
        interactionRef: values.interaction ?? null,
        days,
        createdBy: "cli",
        baseUrl: env().PUBLIC_URL,
      });
      console.log(`Personal link for ${values.customer}, valid until ${new Date(link.expiresAt).toISOString()}:`);
      console.log(link.url);
    } catch (error) {
      if (error instanceof UnknownCustomerError) fail(`No customer with id "${values.customer}"`);
      if (error instanceof RangeError) fail(error.message);
      throw error;
    }
    return;
  }
  if (group === "link" && command === "revoke") {
    if (!values.customer) fail("--customer is required");
    const links = revokeAllLinks(db, values.customer);
    const sessions = endAllCustomerSessions(db, values.customer);
    console.log(`Revoked ${links} link(s) and ended ${sessions} session(s) of ${values.customer}`);
    return;
  }
  fail(group ? `Unknown command: ${[group, command].filter(Boolean).join(" ")}` : "No command given");
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) fail(error.message);
  throw error;
}
