/**
 * The crash test's processes: the production server (`node <build>/server/index.js`, as
 * `npm run serve` runs it) started and killed with SIGKILL, and the webhook receiver the server
 * delivers to (so webhook rows are written the way production writes them).
 */
import { execSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/** The build directory the server runs from (CANDOR_BUILD_DIR, default `build`); built when its server entry is missing. */
export function ensureBuild(): string {
  const buildDir = process.env.CANDOR_BUILD_DIR ?? "build";
  const entry = path.resolve(buildDir, "server/index.js");
  if (!fs.existsSync(entry)) {
    console.log(`crash-test: building the app into ${buildDir}/ …`);
    execSync(`${path.resolve("node_modules/.bin/react-router")} build`, { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  }
  return entry;
}

export interface ServerProcess {
  base: string;
  /** Milliseconds from spawn to the "listening" line (includes WAL recovery and the migration check). */
  startupMs: number;
  /** The server's last output lines (stderr and stdout), for failure reports. */
  output(): string;
  /** SIGKILL to the server's process; resolves when it has exited. */
  kill(): Promise<void>;
  /** SIGTERM (graceful shutdown); resolves with the exit code. */
  stop(): Promise<number | null>;
}

const OUTPUT_KEPT = 40;

/**
 * Starts the production server on `port` with `env` (the database's variables) and waits for its
 * "listening" line. Rejects when it exits first or is not listening within `timeoutMs`.
 */
export async function startProductionServer(entry: string, port: number, env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split("\n").filter(Boolean));
    if (lines.length > OUTPUT_KEPT) lines.splice(0, lines.length - OUTPUT_KEPT);
  };
  const child: ChildProcess = spawn(process.execPath, [entry], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: base,
      // A load test: the per-key and per-customer limits would answer 429.
      RATE_LIMITS: "off",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server was not listening after ${timeoutMs} ms:\n${lines.join("\n")}`));
    }, timeoutMs);
    child.stdout!.on("data", (chunk: Buffer) => {
      keep(chunk);
      if (chunk.toString().includes("is listening on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening:\n${lines.join("\n")}`));
    });
  });
  const startupMs = performance.now() - started;
  return {
    base,
    startupMs,
    output: () => lines.join("\n"),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

export interface Receiver {
  url: string;
  /** Webhook deliveries received (any endpoint). */
  received(): number;
  close(): Promise<void>;
}

/** A webhook endpoint that answers 204 to everything, on a free loopback port. */
export async function startReceiver(): Promise<Receiver> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      count += 1;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
