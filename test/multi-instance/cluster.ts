/**
 * The pieces of the multi-instance test (test/multi-instance/run.ts): one PostgreSQL database,
 * three Candor instances of the production build on it, a real HAProxy in front, an SMTP sink and
 * a webhook receiver. Every process started here runs in its own process group and is ended by
 * `stop()` (or `kill9()` for the instance that is to die).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { spawnServer, type SpawnedServer } from "../support/server";

/** The throw-away cluster of test/postgres-cluster.mjs (plain JavaScript, loaded at run time). */
interface Cluster {
  url: string;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL server URL (any database on it): DATABASE_URL or TEST_DATABASE_URL when either is
 * postgres://…, else a throw-away cluster started here (stopped by the returned `stop`).
 */
export async function postgresServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = [process.env.DATABASE_URL, process.env.TEST_DATABASE_URL].find((url) => url && /^postgres(ql)?:\/\//.test(url));
  if (given) return { url: given, stop: async () => undefined };
  const module = (await import(new URL("../postgres-cluster.mjs", import.meta.url).href)) as { startCluster(): Promise<Cluster> };
  return module.startCluster();
}

/** One Candor instance (`stop()`: SIGTERM to it, then its exit code). */
export interface Instance extends SpawnedServer {
  /** "a", "b" or "c": the server's name in HAProxy (X-Candor-Instance). */
  name: string;
}

/**
 * Starts the production build (`<build>/server/index.js`, as `npm run serve` does) on `port`
 * (default: a free one) with `env`, in its own process group; its output is appended to
 * `<logDir>/<name>.log`; resolves once it printed its "listening" line. Its workers (webhooks;
 * emails when SMTP_URL is set) start with it.
 */
export async function startInstance(name: string, options: { buildDir: string; env: Record<string, string>; logDir: string; port?: number }): Promise<Instance> {
  const log = fs.createWriteStream(path.join(options.logDir, `${name}.log`), { flags: "a" });
  try {
    const server = await spawnServer({
      args: [path.resolve(options.buildDir, "server/index.js")],
      port: options.port,
      env: options.env,
      readyLine: "is listening",
      onOutput: (text) => log.write(text),
    });
    return { ...server, name };
  } catch (error) {
    throw new Error(`instance ${name}: ${(error as Error).message}`);
  }
}

/** SIGTERM (graceful) and wait; nothing when the process has already exited. */
export async function stopProcess(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    const timeout = new Promise<"timeout">((resolve) => setTimeout(resolve, 10_000, "timeout").unref());
    if ((await Promise.race([exited, timeout])) === "timeout") process.kill(-child.pid, "SIGKILL");
  }
}

export interface Balancer {
  port: number;
  base: string;
  child: ChildProcess;
  exited: Promise<void>;
  configFile: string;
}

/**
 * HAProxy's configuration: round robin over the instances, a health check on /readyz every
 * 200 ms (down after 2 failures, up after 2 successes), connection failures retried on another
 * instance (`option redispatch`; a request that reached an instance is never sent twice: only
 * `conn-failure` is retried, HAProxy's default), the client address forwarded (X-Forwarded-For,
 * the instances trust loopback proxies) and the serving instance named in `X-Candor-Instance`. A
 * request carrying `X-Candor-Instance: <name>` goes to that instance while it is up (the checks
 * that need a particular instance use it; they still pass through the balancer).
 */
export function haproxyConfig(port: number, instances: readonly { name: string; port: number }[]): string {
  return [
    "global",
    "  maxconn 2000",
    "defaults",
    "  mode http",
    "  timeout connect 2s",
    "  timeout client 60s",
    "  timeout server 60s",
    "  retries 3",
    "  option redispatch 1",
    "  option forwardfor",
    "frontend candor",
    `  bind 127.0.0.1:${port}`,
    "  default_backend instances",
    "backend instances",
    "  balance roundrobin",
    "  option httpchk GET /readyz",
    "  http-check expect status 200",
    "  default-server inter 200ms fall 2 rise 2",
    "  http-response set-header X-Candor-Instance %s",
    ...instances.map((i) => `  use-server ${i.name} if { req.hdr(x-candor-instance) -m str ${i.name} }`),
    ...instances.map((i) => `  server ${i.name} 127.0.0.1:${i.port} check`),
    "",
  ].join("\n");
}

/** The HAProxy binary: HAPROXY_PATH, else the Debian package's. */
export function haproxyBinary(): string | null {
  for (const candidate of [process.env.HAPROXY_PATH, "/usr/sbin/haproxy", "/usr/bin/haproxy"]) if (candidate && fs.existsSync(candidate)) return candidate;
  return null;
}

/** Starts HAProxy in the foreground on `port`; resolves when it answers and sees every instance up. */
export async function startBalancer(instances: readonly Instance[], dir: string, port: number): Promise<Balancer> {
  const binary = haproxyBinary();
  if (!binary) throw new Error("HAProxy is not installed (apt-get install haproxy)");
  const configFile = path.join(dir, "haproxy.cfg");
  fs.writeFileSync(configFile, haproxyConfig(port, instances));
  const check = spawnSync(binary, ["-c", "-q", "-f", configFile], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`haproxy -c refused the configuration:\n${check.stderr}${check.stdout}`);
  const output: string[] = [];
  const child = spawn(binary, ["-db", "-f", configFile], { stdio: ["ignore", "pipe", "pipe"], detached: true });
  child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  // Up when a request pinned to each instance is answered by that instance.
  const deadline = Date.now() + 20_000;
  for (const instance of instances) {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`haproxy exited: ${output.join("")}`);
      const served = await fetch(`${base}/healthz`, { headers: { "x-candor-instance": instance.name } })
        .then((r) => (r.ok ? r.headers.get("x-candor-instance") : null))
        .catch(() => null);
      if (served === instance.name) break;
      if (Date.now() > deadline) throw new Error(`haproxy does not route to ${instance.name}: ${output.join("")}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { port, base, child, exited, configFile };
}

/** A sink that counts what is delivered to it, and the most deliveries it saw in flight at once. */
export interface Sink {
  port: number;
  /** Message key → how many times it arrived. */
  received: Map<string, number>;
  maxInFlight: number;
  close(): Promise<void>;
}

/**
 * An SMTP server accepting every message; each message is keyed by its `X-Multi-Id:` line in the
 * body (the test writes one into every email it queues). Each DATA is answered after `delayMs`,
 * so deliveries by different workers overlap and `maxInFlight` shows whether they raced.
 */
export async function startSmtpSink(delayMs: number): Promise<Sink> {
  const received = new Map<string, number>();
  let inFlight = 0;
  const sink: Sink = { port: 0, received, maxInFlight: 0, close: async () => undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      inFlight++;
      sink.maxInFlight = Math.max(sink.maxInFlight, inFlight);
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const key = /X-Multi-Id: (\S+)/.exec(Buffer.concat(chunks).toString("utf8"))?.[1] ?? "(none)";
        received.set(key, (received.get(key) ?? 0) + 1);
        setTimeout(() => {
          inFlight--;
          callback();
        }, delayMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  sink.port = (server.server.address() as AddressInfo).port;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

/** An HTTP receiver answering 200 after `delayMs`; each delivery is keyed by its Candor-Webhook-Id. */
export async function startWebhookReceiver(delayMs: number): Promise<Sink> {
  const received = new Map<string, number>();
  let inFlight = 0;
  const sink: Sink = { port: 0, received, maxInFlight: 0, close: async () => undefined };
  const server: Server = createHttpServer((req, res) => {
    inFlight++;
    sink.maxInFlight = Math.max(sink.maxInFlight, inFlight);
    req.resume();
    req.on("end", () => {
      const key = String(req.headers["candor-webhook-id"] ?? "(none)");
      received.set(key, (received.get(key) ?? 0) + 1);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  sink.port = (server.address() as AddressInfo).port;
  sink.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return sink;
}
