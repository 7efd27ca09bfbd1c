/**
 * `npm run cli -- backup --to <file>` and `restore --from <file>` (README "Deploying") on the
 * suite's engine, as an operator runs them: separate processes on the database.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { openPostgresDatabase } from "../../app/utils/db-postgres.server";
import { openSqliteDatabase } from "../../app/utils/db-sqlite.server";
import { freshTestDatabase } from "../support/database";
import { rawRun, rawValue } from "../support/raw-sql";
import { databaseEnv } from "../support/server";

const run = promisify(execFile);
const tsx = path.resolve("node_modules/.bin/tsx");

describe("backup and restore", () => {
  it("a backup holds the data as it was; a restore brings it back, and a damaged backup is refused", async () => {
    const database = await freshTestDatabase();
    const env = { ...process.env, ...databaseEnv(database) };
    const cli = (...args: string[]) => run(tsx, ["app/cli.ts", ...args], { env });
    const concerns = async () => Number(await rawValue(database, "select count(*) from concerns"));
    const before = await concerns();
    expect(before).toBeGreaterThan(0);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candor-backup-"));
    const file = path.join(dir, "candor.backup");
    const backup = await cli("backup", "--to", file);
    expect(backup.stdout).toMatch(/Backup written and checked/);
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    // An existing file is never overwritten.
    await expect(cli("backup", "--to", file)).rejects.toMatchObject({ code: 1 });

    // After the backup: a change that the restore must undo.
    await rawRun(database, "delete from concern_events");
    await rawRun(database, "delete from concern_messages");
    await rawRun(database, "delete from outbox_emails");
    await rawRun(database, "delete from concerns");
    expect(await concerns()).toBe(0);
    // The server is stopped for a restore: nothing holds the database open.
    await database.close();
    const restored = await cli("restore", "--from", file);
    expect(restored.stdout).toMatch(/Restored/);
    const reopened = database.engine === "sqlite" ? openSqliteDatabase(database.client.name) : openPostgresDatabase(database.url);
    try {
      expect(Number(await rawValue(reopened, "select count(*) from concerns"))).toBe(before);
      const verify = await cli("audit", "verify");
      expect(verify.stdout).toMatch(/Audit log OK/);
    } finally {
      await reopened.close();
    }

    const damaged = path.join(dir, "damaged.backup");
    fs.writeFileSync(damaged, fs.readFileSync(file).subarray(0, 4096));
    await expect(cli("restore", "--from", damaged)).rejects.toMatchObject({ code: 1 });
  }, 60_000);
});
