/**
 * Pages rendered in page threads (app/page-threads.server.ts) through the shipped server
 * (test/bench/shipped-server.ts → app/server.ts `serve`) with PAGE_THREADS=2, on the suite's
 * engine: pages, forms, HEAD, compression and error pages as before; a thread that dies is
 * replaced; what must be one per process (SQLite's rate limits, the API key cache the lean API
 * reads) is; and the agents' hot path answers while a page thread is held.
 *
 * The threads run test/support/page-thread-test-worker.mjs: the bundle's `renderPage` plus a
 * test-only way to crash or hold a thread (no hook in the application).
 */
import fs from "node:fs";
import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHE_TTL_MS, createApiKey } from "../../app/domain/api-keys.server";
import { PAGE_THREAD_NICENESS, pageAnswer } from "../../app/page-thread-worker.server";
import { sendPageAnswer, type PageTask } from "../../app/page-threads.server";
import { DEMO_STAFF } from "../../db/seed";
import en from "../../locales/en/common.json";
import { rawRun, rawValue } from "../support/raw-sql";
import { startServer, type RunningServer } from "../support/server";

const TMP = path.resolve("test/.tmp");
let server: RunningServer;
let base: string;
let apiKey: string;
let revocable: string;

beforeAll(async () => {
  server = await startServer({
    echo: false,
    env: { PAGE_THREADS: "2", RATE_LIMITS: "on", CANDOR_PAGE_WORKER: path.resolve("test/support/page-thread-test-worker.mjs") },
    async prepare(db) {
      apiKey = (await createApiKey(db, { name: "agent", scopes: ["decisions"] })).key;
      revocable = (await createApiKey(db, { name: "to revoke", scopes: ["decisions"] })).key;
    },
  });
  base = server.base;
  fs.mkdirSync(TMP, { recursive: true });
}, 60_000);
let stopped = false;
afterAll(() => (stopped ? undefined : server?.stop()));

const decide = (key = apiKey) =>
  fetch(`${base}/api/v1/decisions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ customerId: "demo-customer-1", action: "plan-changes", aiSystem: "offer-predictor", identity: { verified: true } }),
  });

/** A raw GET (fetch would decompress and drop Content-Encoding). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on("error", reject)
      .end();
  });
}

/**
 * A GET on a connection of its own (no keep-alive reuse: a pooled connection the server is just
 * closing as idle would fail the request for a reason that is not the one under test). `sent`
 * resolves once the whole request is written to the socket; `status` with the answer's status.
 */
function getOnNewConnection(url: string, headers: Record<string, string> = {}): { sent: Promise<void>; status: Promise<number> } {
  let sent!: () => void;
  const written = new Promise<void>((resolve) => (sent = resolve));
  const status = new Promise<number>((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.on("error", reject).on("finish", sent);
    req.end();
  });
  return { sent: written, status };
}

const signIn = (email: string, password: string) =>
  fetch(`${base}/staff/login`, { method: "POST", redirect: "manual", headers: { Origin: base }, body: new URLSearchParams({ step: "password", email, password }) });

describe("pages through page threads", () => {
  it("a page, HEAD, br/gzip compression done by the thread, and the translated 404 page", async () => {
    const page = await fetch(`${base}/en`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(/'nonce-[^']+'/);
    expect(await page.text()).toContain("<html");

    const head = await fetch(`${base}/en`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-security-policy")).toBeTruthy();
    expect(await head.text()).toBe("");

    const gzipped = await rawGet(`${base}/en`, { "accept-encoding": "gzip" });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(gzipped.headers["content-length"])).toBe(gzipped.body.length);
    expect(gunzipSync(gzipped.body).toString()).toContain("<html");
    expect((await rawGet(`${base}/en`, { "accept-encoding": "gzip, deflate, br" })).headers["content-encoding"]).toBe("br");
    expect((await rawGet(`${base}/en`, {})).headers["content-encoding"]).toBeUndefined();

    const missing = await fetch(`${base}/en/no-such-page`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain(en.errors.notFoundTitle);
  });

  it("page threads run at a lower OS priority than the main thread, which answers the decisions (Linux)", () => {
    // Elsewhere the priority applies to the whole process, so the threads keep it (and there is no /proc).
    if (!fs.existsSync(`/proc/${server.pid}/task`)) return expect(process.platform).not.toBe("linux");
    // /proc/<pid>/task/<tid>/stat: the 19th field is the niceness (counted after the command's closing parenthesis).
    const niceness = (tid: string) => {
      const stat = fs.readFileSync(`/proc/${server.pid}/task/${tid}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    };
    const threads = fs.readdirSync(`/proc/${server.pid}/task`);
    expect(niceness(String(server.pid))).toBe(0);
    expect(threads.filter((tid) => niceness(tid) === PAGE_THREAD_NICENESS)).toHaveLength(2);
  });

  it("a form post: the sign-in redirects with its cookie, which the next page accepts", async () => {
    const admin = DEMO_STAFF.find((s) => s.role === "admin")!;
    const signedIn = await signIn(admin.email, admin.password);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe("/staff");
    const cookie = signedIn.headers.getSetCookie()[0]!.split(";")[0]!;
    const queue = await fetch(`${base}/staff/concerns`, { headers: { cookie } });
    expect(queue.status).toBe(200);
  });

  it("several Set-Cookie values stay separate from the thread's answer to the written response", async () => {
    const headers = new Headers([
      ["Set-Cookie", "a=1; Path=/"],
      ["Set-Cookie", "b=2; Path=/, with a comma"],
      ["Content-Type", "text/plain"],
    ]);
    const task: PageTask = { method: "POST", url: "http://x/", headers: [], body: null, clientIp: "127.0.0.1" };
    const answer = await pageAnswer(task, new Response("moved", { status: 303, statusText: "See Other", headers }));
    expect(answer.setCookies).toEqual(["a=1; Path=/", "b=2; Path=/, with a comma"]);
    const written = createServer((_req, res) => sendPageAnswer(res, answer, "POST"));
    await new Promise<void>((resolve) => written.listen(0, "127.0.0.1", resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(written.address() as AddressInfo).port}/`, { redirect: "manual" });
      expect(response.status).toBe(303);
      expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/, with a comma"]);
      expect(await response.text()).toBe("moved");
    } finally {
      await new Promise((resolve) => written.close(resolve));
    }
  });

  it("a page whose loader fails answers the translated 500 page, without a stack", async () => {
    await rawRun(server.database, "ALTER TABLE ai_systems RENAME TO ai_systems_away");
    try {
      const failed = await fetch(`${base}/en/ai-systems`);
      expect(failed.status).toBe(500);
      const html = await failed.text();
      expect(html).toContain(en.errors.serverTitle);
      expect(html).not.toMatch(/\bat .*\.(m?js|ts):\d+|node_modules|SqliteError|error: relation/);
    } finally {
      await rawRun(server.database, "ALTER TABLE ai_systems_away RENAME TO ai_systems");
    }
    expect((await fetch(`${base}/en/ai-systems`)).status).toBe(200);
  });
});

describe("one per process, with two page threads", () => {
  it("the sign-in limit per account holds across threads (5 attempts, not 5 per thread)", async () => {
    const supervisor = DEMO_STAFF.find((s) => s.role === "supervisor")!;
    // At once, so both threads take some (each renders one page at a time).
    const statuses = await Promise.all(Array.from({ length: 12 }, () => signIn(supervisor.email, "wrong-password").then((r) => r.status)));
    expect(statuses.filter((status) => status === 401), statuses.join()).toHaveLength(5);
    expect(statuses.filter((status) => status === 429), statuses.join()).toHaveLength(7);
  });

  it("a key revoked on the staff page is refused by the very next API call", async () => {
    const admin = DEMO_STAFF.find((s) => s.role === "admin")!;
    const cookie = (await signIn(admin.email, admin.password)).headers.getSetCookie()[0]!.split(";")[0]!;
    const keyId = await rawValue<number>(server.database, "select id from api_keys where name = 'to revoke'");
    // The lean API's cache holds the key as active from here, for CACHE_TTL_MS.
    const cached = Date.now();
    expect((await decide(revocable)).status).toBe(200);
    const revoked = await fetch(`${base}/staff/api-keys`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, Origin: base },
      body: new URLSearchParams({ intent: "revoke", keyId: String(keyId), confirm: "yes" }),
    });
    expect(revoked.status).toBe(303);
    // Within the cache's 2 s, only the thread's invalidation reaching this process's cache refuses it.
    expect((await decide(revocable)).status).toBe(401);
    expect(Date.now() - cached, "the check ran within the cache's lifetime").toBeLessThan(CACHE_TTL_MS);
    expect((await decide()).status).toBe(200);
  });
});

describe("the hot path keeps its own event loop", () => {
  it("decisions and the other thread's pages are answered while a page thread is held", async () => {
    const hold = path.join(TMP, `hold-${process.pid}-${Date.now()}`);
    let pageDone = false;
    const held = fetch(`${base}/en`, { headers: { "x-test-hold-thread": hold } }).then((r) => {
      pageDone = true;
      return r.status;
    });
    try {
      // Waits until the thread holds (it writes the file, then blocks its event loop).
      for (const until = Date.now() + 15_000; !fs.existsSync(`${hold}.holding`) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
      expect(fs.existsSync(`${hold}.holding`)).toBe(true);
      for (let i = 0; i < 5; i++) expect((await decide()).status).toBe(200);
      expect((await fetch(`${base}/en/ai-systems`)).status).toBe(200);
      expect(pageDone).toBe(false);
    } finally {
      fs.writeFileSync(`${hold}.release`, "");
    }
    expect(await held).toBe(200);
    fs.rmSync(`${hold}.holding`, { force: true });
    fs.rmSync(`${hold}.release`, { force: true });
  });
});

describe("a page thread that dies", () => {
  it("a thread that dies mid-request answers the translated 500 page and is replaced", async () => {
    const crashed = await fetch(`${base}/en`, { headers: { "x-test-crash-thread": "1" } });
    expect(crashed.status).toBe(500);
    expect(await crashed.text()).toContain(en.errors.serverTitle);
    const after = await Promise.all([1, 2, 3, 4].map(() => fetch(`${base}/en`).then((r) => r.status)));
    expect(after).toEqual([200, 200, 200, 200]);
    expect(server.logs.join("").match(/page_thread\.request_failed/g)).toHaveLength(1);
  });
});

describe("the graceful stop", () => {
  it("answers the pages in flight and those waiting for a thread, then the threads close their databases and the process exits", async () => {
    const holds = [1, 2].map((n) => path.join(TMP, `stop-${process.pid}-${Date.now()}-${n}`));
    const statuses = holds.map((hold) => getOnNewConnection(`${base}/en`, { "x-test-hold-thread": hold }).status);
    try {
      // At least one thread is held. (PostgreSQL threads take several pages at once, so piscina may
      // hand the second hold to the thread already held: it then waits there, not in the queue.)
      for (const until = Date.now() + 15_000; !holds.some((hold) => fs.existsSync(`${hold}.holding`)) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
      expect(holds.some((hold) => fs.existsSync(`${hold}.holding`))).toBe(true);
      // This one waits for a thread (in the pool's queue, or behind a held page).
      const waiting = getOnNewConnection(`${base}/en/ai-systems`);
      statuses.push(waiting.status);
      await waiting.sent;
      stopped = true;
      const stopping = server.stop();
      for (const until = Date.now() + 5_000; (await fetch(`${base}/readyz`)).status !== 503 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      for (const hold of holds) fs.writeFileSync(`${hold}.release`, "");
      expect(await Promise.all(statuses)).toEqual([200, 200, 200]);
      await stopping;
    } finally {
      for (const hold of holds) for (const suffix of [".holding", ".release"]) fs.rmSync(hold + suffix, { force: true });
    }
    const logs = server.logs.join("");
    expect(logs).toContain('"event":"page_threads.stopped","threads":2,"closed":2');
    expect(logs).toContain('"event":"server.stopped"');
    expect(logs).not.toMatch(/page_thread\.close_timeout|shutdown\.(database|grace_exceeded)/);
  });
});
