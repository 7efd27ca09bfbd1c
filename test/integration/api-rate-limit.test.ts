/**
 * The per-key rate limit of the integration API through real HTTP: the shipped server composition
 * (test/bench/shipped-server.ts, as api.test.ts starts it) with API_RATE_LIMIT_PER_MINUTE=5.
 * (Needs the limiter in app/api/handler.server.ts to take its points from env().API_RATE_LIMIT_PER_MINUTE.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApiKey } from "../../app/domain/api-keys.server";
import { openDatabase } from "../../app/utils/db.server";
import { TEMPLATE_PATH } from "../support/database";

let server: ChildProcess;
let base: string;
let busy: string;
let other: string;

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candor-api-limit-"));
  const file = path.join(dir, "candor.sqlite");
  fs.copyFileSync(TEMPLATE_PATH, file);
  const db = openDatabase(file);
  busy = createApiKey(db, { name: "busy", scopes: ["decisions"] }).key;
  other = createApiKey(db, { name: "other", scopes: ["decisions"] }).key;
  db.$client.close();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(path.resolve("node_modules/.bin/tsx"), ["test/bench/shipped-server.ts"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: file, PUBLIC_URL: base, RATE_LIMITS: "on", API_RATE_LIMIT_PER_MINUTE: "5" },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
    server.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}, 60_000);
afterAll(() => {
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
});

const call = (key: string) => fetch(`${base}/api/v1/customers/demo-customer-1/preferences`, { headers: { authorization: `Bearer ${key}` } });

it("API_RATE_LIMIT_PER_MINUTE=5: the 6th call of a key within a minute gets 429 problem+json with Retry-After; other keys are unaffected", async () => {
  for (let i = 1; i <= 5; i++) {
    const ok = await call(busy);
    expect(ok.status, `call ${i}`).toBe(200);
    await ok.arrayBuffer();
  }
  const limited = await call(busy);
  expect(limited.status).toBe(429);
  expect(limited.headers.get("content-type")).toContain("application/problem+json");
  const retryAfter = Number(limited.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(await limited.json()).toMatchObject({ type: expect.stringMatching(/^urn:candor:problem:/), status: 429 });
  const stillLimited = await call(busy);
  expect(stillLimited.status).toBe(429);
  await stillLimited.arrayBuffer();
  const unaffected = await call(other);
  expect(unaffected.status).toBe(200);
  await unaffected.arrayBuffer();
});
