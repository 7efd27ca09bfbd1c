/**
 * `npm run demo:agent` (app/demo-agent.ts) against a real server on a fresh seeded database: the
 * whole loop of SPEC §11 run by the script as a separate process, approving as the customer over
 * HTTP, then checked in the database itself.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawAll, rawValue } from "../support/raw-sql";
import { databaseEnv, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
beforeAll(async () => {
  // The built server itself (not the test composition): its worker delivers the webhooks.
  server = await startServer({ script: path.resolve(process.env.CANDOR_BUILD_DIR ?? "build", "server/index.js") });
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** Runs the demo agent to its end; resolves to its exit code and everything it printed. */
function runAgent(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["app/demo-agent.ts", ...args], {
      env: { ...process.env, NODE_ENV: "production", ...databaseEnv(server.database), PUBLIC_URL: server.base },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("npm run demo:agent", () => {
  it("completes the loop: ask → confirmation approved by the customer → allow once → acted with its decisionId → the action without permission is a breach", async () => {
    const started = Date.now();
    const { code, output } = await runAgent(["--url", server.base, "--approve-as-customer", "--timeout", "90"]);
    expect(code, output).toBe(0);
    expect(output).toContain("confirmation.answered (signature verified)");
    expect(output).toContain("breach.detected (signature verified)");

    const [confirmation] = await rawAll<{ id: string; answer: string; method: string }>(
      server.database,
      `SELECT c.id, a.answer, a.method FROM confirmations c JOIN confirmation_answers a ON a.confirmation_id = c.id
       WHERE c.customer_id = 'demo-customer-1' AND c.action_key = 'orders' AND c.ai_system_slug = 'network-troubleshooter' AND c.created_at >= ?`,
      started,
    );
    expect(confirmation).toMatchObject({ answer: "approved", method: "portal" });
    const allowed = await rawAll<{ id: string }>(
      server.database,
      "SELECT id FROM decisions WHERE confirmation_id = ? AND decision = 'allow' AND reason = 'confirmed_by_customer'",
      confirmation!.id,
    );
    expect(allowed).toHaveLength(1);
    // The approval was spent once: presenting it again was refused.
    expect(await rawValue(server.database, "SELECT reason FROM decisions WHERE confirmation_id = ? AND decision = 'deny'", confirmation!.id)).toBe("confirmation_used");

    const acted = await rawAll<{ ref: string; decisionId: string | null }>(
      server.database,
      `SELECT i.ref, a.decision_id AS decisionId FROM interactions i JOIN interaction_ai a ON a.interaction_id = i.id
       WHERE i.source = 'demo-agent' AND a.role = 'acted' ORDER BY i.id`,
    );
    expect(acted).toHaveLength(2);
    expect(acted[0]!.decisionId).toBe(allowed[0]!.id);
    expect(acted[1]!.decisionId).toBeNull();
    const breaches = await rawAll<{ reason: string; ref: string; origin: string }>(
      server.database,
      `SELECT b.reason, i.ref, c.origin FROM permission_breaches b JOIN interactions i ON i.id = b.interaction_id JOIN concerns c ON c.id = b.concern_id
       WHERE i.source = 'demo-agent'`,
    );
    expect(breaches).toEqual([{ reason: "decision_missing", ref: acted[1]!.ref, origin: "breach" }]);

    // It cleaned up after itself: its key revoked, its webhook endpoint disabled.
    expect(Number(await rawValue(server.database, "SELECT count(*) FROM api_keys WHERE name LIKE 'demo-agent %' AND revoked_at IS NULL"))).toBe(0);
    expect(Number(await rawValue(server.database, "SELECT count(*) FROM webhook_endpoints WHERE disabled_at IS NULL"))).toBe(0);
  }, 120_000);

  it("gives up with a clear message and a non-zero exit when nobody answers before --timeout, and still cleans up", async () => {
    const { code, output } = await runAgent(["--url", server.base, "--timeout", "4"]);
    expect(code, output).toBe(1);
    expect(output).toContain("Timed out waiting for the customer's answer (confirmation.answered).");
    expect(output).not.toContain("Done:");
    expect(Number(await rawValue(server.database, "SELECT count(*) FROM api_keys WHERE name LIKE 'demo-agent %' AND revoked_at IS NULL"))).toBe(0);
    expect(Number(await rawValue(server.database, "SELECT count(*) FROM webhook_endpoints WHERE disabled_at IS NULL"))).toBe(0);
  }, 60_000);

  it("fails with a clear message and a non-zero exit when no Candor answers", async () => {
    const { code, output } = await runAgent(["--url", "http://127.0.0.1:9", "--timeout", "5"]);
    expect(code).toBe(1);
    expect(output).toContain("no Candor answers at http://127.0.0.1:9");
  }, 60_000);

  it("refuses a wrong command line with its usage (exit 2)", async () => {
    const { code, output } = await runAgent(["--timeout", "soon"]);
    expect(code).toBe(2);
    expect(output).toContain("Usage: npm run demo:agent");
  }, 60_000);
});
