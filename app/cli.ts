/**
 * Operator commands: `npm run cli -- <command> [options]`.
 *   link create --customer <id> [--lang <lng>] [--interaction <ref>] [--days <n>]
 *   link revoke --customer <id>
 *   staff create --email <email> --role agent|supervisor|admin [--name <name>] [--password <pw>]
 *   staff reset --email <email>
 *   audit verify
 *   reports rebuild         (rebuilds the pre-aggregated report figures; after a bulk load or before the first start on a large database)
 *   apikey create --name <name> --scopes links,customers,interactions,decisions,concerns,training
 *   apikey revoke --prefix <cnd_xxxxxxxx>
 *   embed-site create --slug <s> --name <n> --origin <o> [--origin …] [--lang <l>] [--signing-secret]
 *   backup --to <file>       (a consistent, checked copy while the server runs; see utils/backup.server.ts)
 *   restore --from <file>    (server stopped on SQLite; replaces the database's contents)
 *   purge [--dry-run]        (retention, SPEC §7: removes personal data past its period; prints counts per kind)
 * The last line of `link create` is the URL (of `apikey create`, the key), so scripts can take it with `tail -1`.
 */
import { parseArgs } from "node:util";
import { mintLink, revokeAllLinks, UnknownCustomerError } from "./domain/links.server";
import { verifyAudit } from "./domain/audit.server";
import { API_SCOPES, ApiKeyInputError, createApiKey, revokeApiKey } from "./domain/api-keys.server";
import { endAllCustomerSessions } from "./domain/customer-sessions.server";
import { createEmbedSite, EmbedSiteInputError } from "./domain/embed-sites.server";
import { isStaffRole } from "./domain/permissions";
import { createStaffUser, PASSWORD_MAX, PASSWORD_MIN, resetStaffAccess, StaffInputError } from "./domain/staff.server";
import { createServices } from "./services.server";
import { env } from "./utils/env.server";
import { BackupError, backupDatabase, restoreDatabase } from "./utils/backup.server";
import { databaseUrl, type Db } from "./utils/db.server";
import { isLang, LANGUAGES } from "./utils/languages";

const USAGE = `Usage:
  npm run cli -- link create --customer <id> [--lang ${LANGUAGES.join("|")}] [--interaction <ref>] [--days <n>]
  npm run cli -- link revoke --customer <id>     (revokes every link and ends every session)
  npm run cli -- staff create --email <email> --role agent|supervisor|admin [--name <name>] [--password <password>]
  npm run cli -- staff reset --email <email>     (new password, two-step sign-in off, sessions ended)
  npm run cli -- audit verify                    (exit 1 when the audit chain is broken)
  npm run cli -- reports rebuild                 (rebuilds the report figures from every concern and choice)
  npm run cli -- apikey create --name <name> --scopes ${API_SCOPES.join(",")}   (prints the key once, as the last line)
  npm run cli -- apikey revoke --prefix <prefix>
  npm run cli -- embed-site create --slug <slug> --name <name> --origin <https://help.example> [--origin …] [--lang <lng>] [--signing-secret]
                                                 (--signing-secret prints the site's secret once, as the last line)
  npm run cli -- backup --to <file>             (SQLite: online backup + integrity_check; PostgreSQL: pg_dump, checked)
  npm run cli -- restore --from <file>          (stop the server first on SQLite; PostgreSQL: pg_restore --clean)
  npm run cli -- purge [--dry-run]              (removes personal data past its retention period; --dry-run only counts)`;

/** A wrong command line: reported with the usage (exit code 2) once the database is closed. */
class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

const OPTIONS = {
  customer: { type: "string" },
  lang: { type: "string" },
  interaction: { type: "string" },
  days: { type: "string" },
  email: { type: "string" },
  role: { type: "string" },
  name: { type: "string" },
  password: { type: "string" },
  scopes: { type: "string" },
  prefix: { type: "string" },
  slug: { type: "string" },
  origin: { type: "string", multiple: true },
  "signing-secret": { type: "boolean" },
  to: { type: "string" },
  from: { type: "string" },
  "dry-run": { type: "boolean" },
} as const;

/** Commands of one word (`backup --to f`), the others are `group command`. */
const SINGLE_WORD = new Set(["backup", "restore", "purge"]);

async function main(argv: string[]) {
  const single = SINGLE_WORD.has(argv[0] ?? "");
  const group: string | undefined = argv[0];
  const command: string | undefined = single ? undefined : argv[1];
  const rest = argv.slice(single ? 1 : 2);
  const { values } = parseArgs({ args: rest, options: OPTIONS, strict: true });
  if (group === "restore") {
    // Not through the composition root: nothing may hold the database open while it is replaced.
    if (!values.from) fail("--from is required");
    restoreDatabase(databaseUrl(), values.from);
    console.log(`Restored the database from ${values.from}`);
    return;
  }
  // The composition root opens (and migrates) the database DATABASE_URL names; closed at the end.
  const services = await createServices();
  try {
    if (group === "backup") {
      if (!values.to) fail("--to is required");
      const bytes = await backupDatabase(services.database, values.to);
      console.log(`Backup written and checked: ${values.to} (${bytes} bytes)`);
    } else {
      await run(group, command, values, services.db);
    }
  } finally {
    await services.database.close();
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>["values"];

async function run(group: string | undefined, command: string | undefined, values: Values, db: Db): Promise<void> {
  if (group === "link" && command === "create") {
    if (!values.customer) fail("--customer is required");
    if (values.lang !== undefined && !isLang(values.lang)) fail(`--lang must be one of ${LANGUAGES.join(", ")}`);
    const days = values.days === undefined ? undefined : Number(values.days);
    if (days !== undefined && !Number.isInteger(days)) fail("--days must be a whole number");
    try {
      const link = await mintLink(db, {
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
    const links = await revokeAllLinks(db, values.customer);
    const sessions = await endAllCustomerSessions(db, values.customer);
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
  if (group === "apikey" && command === "create") {
    if (!values.name) fail("--name is required");
    if (!values.scopes) fail(`--scopes is required (comma-separated: ${API_SCOPES.join(", ")})`);
    try {
      const { key, prefix } = await createApiKey(db, { name: values.name, scopes: values.scopes.split(",").map((scope) => scope.trim()) });
      console.log(`Created API key "${values.name}" (prefix ${prefix}). It is shown once; store it now:`);
      console.log(key);
    } catch (error) {
      if (error instanceof ApiKeyInputError) {
        fail(error.message === "name" ? "--name must be 1 to 100 characters" : `--scopes must be a comma-separated list of: ${API_SCOPES.join(", ")}`);
      }
      throw error;
    }
    return;
  }
  if (group === "embed-site" && command === "create") {
    if (!values.slug) fail("--slug is required");
    if (!values.name) fail("--name is required");
    if (!values.origin?.length) fail("--origin is required (repeat it for several origins)");
    try {
      const { site, signingSecret } = await createEmbedSite(db, {
        slug: values.slug,
        name: values.name,
        origins: values.origin,
        defaultLang: values.lang,
        withSigningSecret: values["signing-secret"] ?? false,
      });
      console.log(`Created embed site "${site.slug}" for ${site.origins.join(", ")}; pages under ${env().PUBLIC_URL}/embed/${site.slug}/<lang>/…`);
      if (signingSecret) {
        console.log("Signing secret for customer tokens (HS256, aud = the slug, ≤ 10 minutes). It is shown once; store it now:");
        console.log(signingSecret);
      }
    } catch (error) {
      if (error instanceof EmbedSiteInputError) {
        const reasons: Record<string, string> = {
          slug: "--slug must be 1 to 40 lower-case letters, digits or dashes",
          name: "--name must be 1 to 100 characters",
          origin: "--origin must be an origin such as https://help.example.com (scheme, host, optional port; no path)",
          lang: `--lang must be one of ${LANGUAGES.join(", ")}`,
          duplicate: `an embed site "${values.slug}" already exists`,
        };
        fail(reasons[error.code] ?? error.message);
      }
      throw error;
    }
    return;
  }
  if (group === "apikey" && command === "revoke") {
    if (!values.prefix) fail("--prefix is required");
    const revoked = await revokeApiKey(db, { prefix: values.prefix });
    if (revoked === 0) fail(`No active API key with prefix "${values.prefix}"`);
    console.log(`Revoked ${revoked} API key(s) with prefix ${values.prefix}`);
    return;
  }
  if (group === "staff" && command === "reset") {
    if (!values.email) fail("--email is required");
    const reset = await resetStaffAccess(db, values.email);
    if (!reset) fail(`No staff user with email "${values.email}"`);
    console.log(`Reset ${reset.user.email}: two-step sign-in off, every session ended. New password (shown once):`);
    console.log(reset.password);
    return;
  }
  if (group === "audit" && command === "verify") {
    const result = await verifyAudit(db);
    if (result.ok) {
      console.log(`Audit log OK: ${result.entries} entries, head ${result.head}`);
      return;
    }
    console.error(`Audit log BROKEN: entry ${result.atId} ${result.problem} (${result.entries} entries read)`);
    process.exitCode = 1;
    return;
  }
  if (group === "purge") {
    const { purgeExpiredPersonalData } = await import("./domain/retention.server");
    const dryRun = values["dry-run"] === true;
    const counts = await purgeExpiredPersonalData(db, Date.now(), { dryRun, actor: { type: "cli" } });
    console.log(dryRun ? "Retention purge, dry run (nothing changed). Would remove:" : "Retention purge done. Removed:");
    for (const [kind, n] of Object.entries(counts)) console.log(`  ${kind}: ${n}`);
    return;
  }
  if (group === "reports" && command === "rebuild") {
    const { rebuildReportFigures } = await import("./domain/report-figures.server");
    const result = await rebuildReportFigures(db);
    console.log(`Report figures rebuilt: ${result.days} days of concerns, ${result.choices} choice values`);
    const { rebuildMonitoringFigures } = await import("./domain/monitoring.server");
    console.log(`Monitoring figures rebuilt: ${await rebuildMonitoringFigures(db)} records counted`);
    const { rebuildPublicStatistics } = await import("./domain/public-statistics.server");
    console.log(`Public statistics rebuilt: ${await rebuildPublicStatistics(db)} concerns counted`);
    return;
  }
  fail(group ? `Unknown command: ${[group, command].filter(Boolean).join(" ")}` : "No command given");
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof BackupError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    const usage = error instanceof UsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"));
    if (!usage) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  }
}
