/**
 * A newcomer's start: `npm start` (app/start.mjs) as a process — its steps announced, the server in
 * production mode — and `npm run demo:helpcenter` against that server, working without any setup.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSteps } from "../../app/start.mjs";
import { DEMO_EMBED_SITE } from "../../db/seed";
import { buildEnvironment } from "./global-setup";
import { freePort } from "../support/server";

const packageJson = JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };

/** Starts a process in its own group; resolves once its output contains `ready`. */
function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve({ child, output: () => output });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${output}`)));
  });
}

function stop(child: ChildProcess | undefined) {
  // tsx and npm run node as a child: end the whole process group.
  if (child?.pid) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

describe("the build started by the integration tests", () => {
  it("runs without Vitest's variables and in production mode", () => {
    expect(process.env.VITEST).toBeTruthy();
    const env = buildEnvironment({ ...process.env, VITEST: "true", VITEST_POOL_ID: "1", VITEST_WORKER_ID: "3", NODE_ENV: "test", PATH: "/usr/bin" });
    expect(Object.keys(env).filter((name) => name.startsWith("VITEST"))).toEqual([]);
    expect(env.NODE_ENV).toBe("production");
    expect(env.PATH).toBe("/usr/bin");
  });
});

describe("npm start's steps", () => {
  it("keep the build tools under NODE_ENV=production and run the build and the server in production mode", () => {
    expect(packageJson.scripts.start).toBe("node app/start.mjs");
    const steps = startSteps({ NODE_ENV: "production" });
    expect(steps.map((s) => s.skip ?? false)).toEqual([false, false, false, false]);
    expect(steps[0]!.args).toContain("--include=dev");
    expect(steps[1]!.env?.NODE_ENV).toBe("production");
    expect(steps.at(-1)!.args).toEqual(["build/server/index.js", "--demo"]);
    expect(steps.at(-1)!.env?.NODE_ENV).toBe("production");
    // `exec`: npm forwards SIGTERM to the server itself, not to a shell that would drop it.
    expect(packageJson.scripts.serve).toMatch(/^NODE_ENV=production exec node build\/server\/index\.js$/);
    expect(packageJson.scripts.test).toContain("--include=dev");
  });
});

describe("npm start, then npm run demo:helpcenter", () => {
  let dir: string;
  let portal: string;
  let server: { child: ChildProcess; output: () => string } | undefined;
  let helpCenter: { child: ChildProcess; output: () => string } | undefined;
  let helpCenterOrigin: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "candor-start-"));
    const port = await freePort();
    portal = `http://localhost:${port}`;
    // The install and build steps are the ones CI already ran; a user's NODE_ENV=production is kept.
    // A newcomer's quick start is the embedded SQLite file, whatever engine the suite runs on: no DATABASE_URL.
    const env: NodeJS.ProcessEnv = { ...buildEnvironment(), CANDOR_SKIP_INSTALL: "1", CANDOR_SKIP_BUILD: "1", PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: path.join(dir, "candor.sqlite") };
    delete env.DATABASE_URL;
    server = await startProcess("node", ["app/start.mjs"], env, /Integration API:.*\n.*\n/);
    const helpPort = await freePort();
    helpCenter = await startProcess(
      "npm",
      ["run", "--silent", "demo:helpcenter"],
      { ...env, HELPCENTER_PORT: String(helpPort), PORTAL_URL: portal },
      /Signed-in customer:|no signing secret/,
    );
    helpCenterOrigin = `http://127.0.0.1:${helpPort}`;
  }, 90_000);

  afterAll(() => {
    stop(helpCenter?.child);
    stop(server?.child);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("announces every step it runs and ends with the demo links", () => {
    const output = server!.output();
    expect(output).toMatch(/\[1\/2\] Migrating the database and adding the demo data…/);
    expect(output).toMatch(/\[1\/2\] done in/);
    expect(output).toMatch(/\[2\/2\] Starting the server \(production build\)…/);
    expect(output).toContain("Candor is ready.");
    expect(output).not.toContain("TRUST_PROXY");
  });

  it("runs the server in production mode: the session cookie is Secure, and sign-in works on http://localhost", async () => {
    const link = server!.output().match(/demo-customer-1 \(en\): (http\S+)/)![1]!;
    const redeemed = await fetch(link, { method: "POST", headers: { Origin: portal, "Content-Type": "application/x-www-form-urlencoded" }, redirect: "manual" });
    expect(redeemed.status).toBe(303);
    const cookie = redeemed.headers.get("set-cookie")!;
    expect(cookie).toMatch(/; Secure/i);
    const page = await fetch(`${portal}/en/me/preferences`, { headers: { Cookie: cookie.split(";")[0]! } });
    expect(page.status).toBe(200);
  });

  it("the help center embeds the seeded demo site and signs in a demo customer that exists", async () => {
    expect(helpCenter!.output()).toContain("Signed-in customer:");
    const html = await (await fetch(`${helpCenterOrigin}/?lang=en&page=me/preferences&customer=demo-customer-1`)).text();
    expect(html).toContain(`data-site="${DEMO_EMBED_SITE.slug}"`);
    const token = html.match(/data-token="([^"]+)"/)?.[1];
    expect(token).toBeTruthy();
    const start = await fetch(`${portal}/embed/${DEMO_EMBED_SITE.slug}/en/me/preferences?token=${token}`, { redirect: "manual" });
    expect(start.status).toBe(303);
    expect(start.headers.get("set-cookie")).toMatch(/Partitioned/i);
    const framed = await fetch(new URL(start.headers.get("location")!, portal));
    expect(framed.status).toBe(200);
    expect(framed.headers.get("content-security-policy")).toContain(`frame-ancestors ${DEMO_EMBED_SITE.origin}`);
    // The "Signed-in customer" link of the demo page names that customer.
    const home = await (await fetch(`${helpCenterOrigin}/`)).text();
    expect(home).toContain("customer=demo-customer-1");
  });
});
