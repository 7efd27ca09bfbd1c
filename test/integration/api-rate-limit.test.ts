/**
 * The per-key rate limit of the integration API through real HTTP: the shipped server composition
 * (test/bench/shipped-server.ts, as api.test.ts starts it) with API_RATE_LIMIT_PER_MINUTE=5.
 * (Needs the limiter in app/api/handler.server.ts to take its points from env().API_RATE_LIMIT_PER_MINUTE.)
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApiKey } from "../../app/domain/api-keys.server";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let base: string;
let busy: string;
let other: string;

beforeAll(async () => {
  server = await startServer({
    env: { RATE_LIMITS: "on", API_RATE_LIMIT_PER_MINUTE: "5" },
    async prepare(db) {
      busy = (await createApiKey(db, { name: "busy", scopes: ["decisions"] })).key;
      other = (await createApiKey(db, { name: "other", scopes: ["decisions"] })).key;
    },
  });
  base = server.base;
}, 60_000);
afterAll(() => server?.stop());

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
