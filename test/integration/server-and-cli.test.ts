import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../app/domain/api-keys.server";
import { inspectLink } from "../../app/domain/links.server";
import { createRateLimits } from "../../app/utils/rate-limit.server";
import { checkPassword } from "../../app/domain/staff.server";
import { MAX_FORM_BODY_BYTES } from "../../app/http.server";
import { sameTimeDaysLater } from "../../app/utils/calendar";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { openPostgresDatabase } from "../../app/utils/db-postgres.server";
import { openSqliteDatabase } from "../../app/utils/db-sqlite.server";
import { freshTestDatabase } from "../support/database";
import { recreateDatabase } from "../support/postgres";
import { rawColumn, rawRun, rawValue } from "../support/raw-sql";
import { databaseEnv, spawnServer, type SpawnedServer } from "../support/server";

const run = promisify(execFile);
const tsx = path.resolve("node_modules/.bin/tsx");

/**
 * A database the server and the CLI processes open themselves, on the suite's engine (a SQLite
 * file, or a PostgreSQL database when DATABASE_URL is postgres://…); closed in this process
 * between uses, so the children's connections are the only ones.
 */
interface ChildDatabase {
  /** DATABASE_URL / DATABASE_PATH for a child process. */
  env: Record<string, string>;
  /** The SQLite file; undefined on PostgreSQL. */
  file?: string;
  /** Opens another connection to it in this process (close it after use). */
  open(): AnyDatabase;
}

function childDatabase(database: AnyDatabase): ChildDatabase {
  const env = databaseEnv(database);
  if (database.engine === "sqlite") {
    const file = database.client.name;
    return { env, file, open: () => openSqliteDatabase(file) };
  }
  const { url } = database;
  return { env, open: () => openPostgresDatabase(url, { max: 1 }) };
}

/** A fresh copy of the seeded database, after `prepare` ran on it. */
async function freshChildDatabase(prepare?: (db: Db) => Promise<unknown>): Promise<ChildDatabase> {
  const database = await freshTestDatabase();
  try {
    await prepare?.(database.db);
  } finally {
    await database.close();
  }
  return childDatabase(database);
}

/** A copy of `source` (nobody connected to it), opened. */
async function copyOf(source: ChildDatabase): Promise<AnyDatabase> {
  if (source.file) {
    const copy = path.join(path.dirname(source.file), "copy.sqlite");
    fs.copyFileSync(source.file, copy);
    return openSqliteDatabase(copy);
  }
  const url = new URL(source.env.DATABASE_URL!);
  const name = url.pathname.slice(1);
  return recreateDatabase(url.toString(), `${name}_copy`, name);
}

describe("the production server (app/server.ts, as `npm start` runs it)", () => {
  let base: string;
  let server: SpawnedServer;
  let database: ChildDatabase;
  let key: string;
  beforeAll(async () => {
    database = await freshChildDatabase(async (db) => {
      ({ key } = await createApiKey(db, { name: "shutdown", scopes: ["decisions"] }));
    });
    server = await spawnServer({ args: [path.resolve(process.env.CANDOR_BUILD_DIR ?? "build", "server/index.js")], env: database.env, echo: true, timeoutMs: 25_000 });
    base = server.base;
  }, 30_000);
  afterAll(() => server?.stop());

  it("serves pages and static files", async () => {
    const page = await fetch(`${base}/en/ai-systems`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect((await fetch(`${base}/robots.txt`)).status).toBe(200);
    const html = await page.text();
    const css = html.match(/href="(\/assets\/[^"]+\.css)"/)![1];
    const asset = await fetch(`${base}${css}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toContain("immutable");
  });

  it("refuses oversized or unsized form bodies before reading them", async () => {
    const big = await fetch(`${base}/en/me/concerns/new`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
      body: "description=" + "x".repeat(MAX_FORM_BODY_BYTES + 1),
    });
    expect(big.status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("kind=other"));
        controller.close();
      },
    });
    const chunked = await fetch(`${base}/en/me/concerns/new`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(411);
  });

  // Last in this block: it stops the server.
  it("shuts down gracefully on SIGTERM, even when the signal comes twice (a parent relaying it): the hot path's call counts are audited, the database closed, exit 0", async () => {
    const call = await fetch(`${base}/api/v1/customers/demo-customer-1/preferences`, { headers: { authorization: `Bearer ${key}` } });
    expect(call.status).toBe(200);
    const stopped = server.stop();
    // The second signal once the stop is under way (readiness off), as a relaying parent's may come.
    for (const until = Date.now() + 5_000; (await fetch(`${base}/readyz`)).status !== 503 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    void server.stop();
    expect(await stopped).toBe(0);
    // Closed cleanly: on SQLite the last connection checkpointed and removed the write-ahead log.
    if (database.file) expect(fs.existsSync(`${database.file}-wal`)).toBe(false);
    const after = database.open();
    try {
      // On PostgreSQL the server left no connection behind (this one aside).
      if (after.engine === "postgres") {
        expect(await rawValue(after, "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")).toBe(0);
      }
      const usage = await rawColumn<string>(after, "select details from audit_log where action = 'api.preferences.get'");
      expect(usage.map((details) => JSON.parse(details).calls)).toEqual([1]);
    } finally {
      await after.close();
    }
  });
});

describe("npm run cli -- link create", () => {
  let database: ChildDatabase;
  const cli = (...args: string[]) => run(tsx, ["app/cli.ts", ...args], { env: { ...process.env, ...database.env, PUBLIC_URL: "https://portal.example" } });

  beforeAll(async () => {
    database = await freshChildDatabase();
  });

  it("prints a working personal link as its last line", async () => {
    const { stdout } = await cli("link", "create", "--customer", "demo-customer-2", "--lang", "de", "--interaction", "NL-1", "--days", "3");
    const url = stdout.trim().split("\n").pop()!;
    expect(url).toMatch(/^https:\/\/portal\.example\/l\/[A-Za-z0-9_-]{43}$/);
    const opened = database.open();
    const { status, link } = await inspectLink(opened.db, url.split("/l/")[1]!);
    expect(status).toBe("valid");
    expect(link).toMatchObject({ customerId: "demo-customer-2", lang: "de", interactionRef: "NL-1", createdBy: "cli" });
    expect(link!.expiresAt).toBe(sameTimeDaysLater(link!.createdAt, 3, "Europe/Brussels"));
    await opened.close();
  });

  it("explains bad arguments and exits with 2", async () => {
    const attempts = [
      ["link", "create"],
      ["link", "create", "--customer", "nobody"],
      ["link", "create", "--customer", "demo-customer-1", "--lang", "xx"],
      ["link", "create", "--customer", "demo-customer-1", "--days", "1000"],
      ["link", "create", "--customer", "demo-customer-1", "--bogus"],
      ["frobnicate"],
    ];
    const errors = await Promise.all(attempts.map((args) => cli(...args).then(() => null, (e: { code: number; stderr: string }) => e)));
    errors.forEach((error, i) => {
      expect(error?.code, attempts[i]!.join(" ")).toBe(2);
      expect(error?.stderr).toContain("Usage:");
    });
  });

  it("revokes every link and session of a customer", async () => {
    const { stdout } = await cli("link", "create", "--customer", "demo-customer-1");
    const token = stdout.trim().split("\n").pop()!.split("/l/")[1]!;
    const revoked = await cli("link", "revoke", "--customer", "demo-customer-1");
    expect(revoked.stdout).toMatch(/Revoked \d+ link/);
    const opened = database.open();
    expect((await inspectLink(opened.db, token)).status).toBe("revoked");
    await opened.close();
  });
});

describe("npm run cli -- staff create / audit verify", () => {
  let database: ChildDatabase;
  const cli = (...args: string[]) => run(tsx, ["app/cli.ts", ...args], { env: { ...process.env, ...database.env } });
  beforeAll(async () => {
    database = await freshChildDatabase();
  });

  it("creates a staff user with a generated password shown once, and refuses duplicates", async () => {
    const { stdout } = await cli("staff", "create", "--email", "new.admin@nordlys.example", "--role", "admin");
    const password = stdout.trim().split("\n").pop()!;
    expect(password.length).toBeGreaterThanOrEqual(20);
    const opened = database.open();
    expect(await checkPassword(opened.db, await createRateLimits(opened, { enabled: true, apiCallsPerMinute: 6000 }), "new.admin@nordlys.example", password, "127.0.0.9")).toMatchObject({ ok: true });
    await opened.close();
    const again = await cli("staff", "create", "--email", "new.admin@nordlys.example", "--role", "admin").then(() => null, (e: { code: number }) => e);
    expect(again?.code).toBe(2);
    const badRole = await cli("staff", "create", "--email", "x@nordlys.example", "--role", "owner").then(() => null, (e: { code: number }) => e);
    expect(badRole?.code).toBe(2);
  });

  it("audit verify passes on the demo and fails on a tampered copy", async () => {
    expect((await cli("audit", "verify")).stdout).toMatch(/Audit log OK: \d+ entries/);
    const opened = await copyOf(database);
    expect(await rawRun(opened, "update audit_log set action = 'staff.nothing_to_see' where id = 1")).toBe(1);
    await opened.close();
    const tampered = childDatabase(opened);
    const result = await run(tsx, ["app/cli.ts", "audit", "verify"], { env: { ...process.env, ...tampered.env } }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(result?.code).toBe(1);
    expect(result?.stderr).toContain("BROKEN: entry 1 edited");
  });
});
