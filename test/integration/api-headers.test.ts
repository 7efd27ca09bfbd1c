/**
 * The lean API writes its answers' security headers in one list (app/http-security.server.ts
 * `writeSecureHead`, the agents' hot path): the same headers as every other answer (SPEC §9), each
 * exactly once — through the production server for the hot path's 200s, and through
 * `withSecurityHeaders` alone for the rules it keeps (HSTS only in production, `/l/` never
 * stored, headers set before kept, none without a wrapper).
 */
import { createServer, get, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../app/domain/api-keys.server";
import { withSecurityHeaders, writeSecureHead } from "../../app/http-security.server";
import { HSTS, securityHeaders } from "../../app/utils/security-headers";
import { startServer, type RunningServer } from "../support/server";

/** Status and raw header lines (name lower-cased → every value sent), so a duplicate shows. */
function rawHead(url: string, headers: Record<string, string> = {}): Promise<{ status: number; lines: Map<string, string[]> }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const lines = new Map<string, string[]>();
      for (let i = 0; i < response.rawHeaders.length; i += 2) {
        const name = response.rawHeaders[i]!.toLowerCase();
        lines.set(name, [...(lines.get(name) ?? []), response.rawHeaders[i + 1]!]);
      }
      response.resume();
      response.once("end", () => resolve({ status: response.statusCode!, lines }));
    }).once("error", reject);
  });
}

function expectEachOnce(lines: Map<string, string[]>, expected: Record<string, string>, label: string) {
  for (const [name, value] of Object.entries(expected)) expect(lines.get(name.toLowerCase()), `${label}: ${name}`).toEqual([value]);
}

async function listen(listener: RequestListener): Promise<[Server, string]> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
}

describe("the hot path's answers through the production server", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ echo: false });
  }, 60_000);
  afterAll(() => server?.stop());

  it("200s of both hot-path endpoints carry every security header once, HSTS included, and no-store", async () => {
    const { key } = await createApiKey(server.db, { name: "headers", scopes: ["decisions"] });
    const auth = { authorization: `Bearer ${key}` };
    const answers = [
      await rawHead(`${server.base}/api/v1/customers/demo-customer-1/preferences`, auth),
      // Twice: the second read finds the id among those already checked.
      await rawHead(`${server.base}/api/v1/customers/demo-customer-1/preferences`, auth),
      await rawHead(`${server.base}/api/v1/customers/no-such-customer/preferences`, auth),
      await rawHead(`${server.base}/api/v1/customers/${encodeURIComponent(" demo-customer-1")}/preferences`, auth),
      await rawHead(`${server.base}/api/v1/customers/demo-customer-1/preferences`),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 404, 400, 401]);
    for (const [i, { lines }] of answers.entries()) {
      expectEachOnce(lines, { ...securityHeaders({ production: true }), "Cache-Control": "no-store" }, `answer ${i}`);
      expect(lines.get("content-type")?.[0], `answer ${i}`).toMatch(/^application\/(problem\+)?json; charset=utf-8$/);
    }
    const decision = await fetch(`${server.base}/api/v1/decisions`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ customerId: "demo-customer-1", action: "plan-changes", aiSystem: "offer-predictor" }),
    });
    expect(decision.status).toBe(200);
    for (const [name, value] of Object.entries({ ...securityHeaders({ production: true }), "Cache-Control": "no-store" })) expect(decision.headers.get(name), name).toBe(value);
  });
});

describe("writeSecureHead keeps withSecurityHeaders' rules", () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));
  const answer: RequestListener = (req, res) => {
    if (req.url === "/closing") res.setHeader("Connection", "close");
    writeSecureHead(res, 200, ["cache-control", req.url?.startsWith("/l/") ? "public, max-age=60" : "no-store", "content-type", "application/json", "content-length", "2"]);
    res.end("{}");
  };

  it("HSTS in production only; the rest in both", async () => {
    for (const production of [true, false]) {
      const [server, base] = await listen(withSecurityHeaders(answer, { production }));
      servers.push(server);
      const { lines } = await rawHead(`${base}/api`);
      expectEachOnce(lines, { ...securityHeaders({ production }), "Cache-Control": "no-store" }, `production=${production}`);
      expect(lines.get("strict-transport-security")).toEqual(production ? [HSTS] : undefined);
    }
  });

  it("/l/ answers stay no-store, and a header set earlier is kept", async () => {
    const [server, base] = await listen(withSecurityHeaders(answer, { production: true }));
    servers.push(server);
    const link = await rawHead(`${base}/l/some-token`);
    expect(link.lines.get("cache-control")).toEqual(["no-store"]);
    expectEachOnce(link.lines, securityHeaders({ production: true }), "/l/");
    const closing = await rawHead(`${base}/closing`);
    expect(closing.lines.get("connection")).toEqual(["close"]);
    expectEachOnce(closing.lines, securityHeaders({ production: true }), "/closing");
  });

  it("without a wrapper: the security headers without HSTS", async () => {
    const [server, base] = await listen(answer);
    servers.push(server);
    const { lines } = await rawHead(`${base}/api`);
    expectEachOnce(lines, securityHeaders({ production: false }), "unwrapped");
    expect(lines.get("strict-transport-security")).toBeUndefined();
  });
});
