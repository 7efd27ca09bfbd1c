/**
 * Operator commands: `npm run cli -- <command> [options]`.
 *   link create --customer <id> [--lang <lng>] [--interaction <ref>] [--days <n>]
 *   link revoke --customer <id>
 *   staff create --email <email> --role agent|supervisor|admin [--name <name>] [--password <pw>]
 *   audit verify
 * The last line of `link create` is the URL, so scripts can take it with `tail -1`.
 */
import { parseArgs } from "node:util";
import { mintLink, revokeAllLinks, UnknownCustomerError } from "./domain/links.server";
import { verifyAudit } from "./domain/audit.server";
import { endAllCustomerSessions } from "./domain/customer-sessions.server";
import { isStaffRole } from "./domain/permissions";
import { createStaffUser, PASSWORD_MAX, PASSWORD_MIN, StaffInputError } from "./domain/staff.server";
import { getDb, runMigrations } from "./utils/db.server";
import { env } from "./utils/env.server";
import { isLang, LANGUAGES } from "./utils/languages";

const USAGE = `Usage:
  npm run cli -- link create --customer <id> [--lang ${LANGUAGES.join("|")}] [--interaction <ref>] [--days <n>]
  npm run cli -- link revoke --customer <id>     (revokes every link and ends every session)
  npm run cli -- staff create --email <email> --role agent|supervisor|admin [--name <name>] [--password <password>]
  npm run cli -- audit verify                    (exit 1 when the audit chain is broken)`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(argv: string[]) {
  const [group, command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      customer: { type: "string" },
      lang: { type: "string" },
      interaction: { type: "string" },
      days: { type: "string" },
      email: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      password: { type: "string" },
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
  if (group === "staff" && command === "create") {
    if (!values.email) fail("--email is required");
    if (!isStaffRole(values.role)) fail("--role must be agent, supervisor or admin");
    try {
      const { user, password } = await createStaffUser(db, {
        email: values.email,
        role: values.role,
        name: values.name ?? values.email,
        password: values.password,
      });
      console.log(`Created ${user.role} ${user.email}${values.password ? "" : " with this generated password (shown once):"}`);
      if (!values.password) console.log(password);
    } catch (error) {
      if (error instanceof StaffInputError) {
        const reasons: Record<string, string> = {
          email: "--email is not a valid address",
          email_taken: "a staff user with this email already exists",
          password_length: `--password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`,
          role: "--role must be agent, supervisor or admin",
        };
        fail(reasons[error.message] ?? error.message);
      }
      throw error;
    }
    return;
  }
  if (group === "audit" && command === "verify") {
    const result = verifyAudit(db);
    if (result.ok) {
      console.log(`Audit log OK: ${result.entries} entries, head ${result.head}`);
      return;
    }
    console.error(`Audit log BROKEN: entry ${result.atId} ${result.problem} (${result.entries} entries read)`);
    process.exit(1);
  }
  fail(group ? `Unknown command: ${[group, command].filter(Boolean).join(" ")}` : "No command given");
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) fail(error.message);
  throw error;
}
