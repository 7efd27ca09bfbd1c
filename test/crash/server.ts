/**
 * The crash test's processes: the production server (`node <build>/server/index.js`, as
 * `npm run serve` runs it) started and killed with SIGKILL, and the webhook receiver the server
 * delivers to (so webhook rows are written the way production writes them).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { spawnServer, type SpawnedServer } from "../support/server";

/**
 * Starts the production server (`node <entry>`) with `env` (the database's variables) on a free
 * port and waits for its "listening" line (`startupMs` includes WAL recovery and the migration
 * check); rate limits off (a load test from one address would get 429s), warnings and errors
 * logged. It stays in this process's group, so an interrupted run takes it down too. Rejects when
 * it exits first or is not listening within `timeoutMs`. `stop("SIGKILL")` is the crash.
 */
export function startProductionServer(entry: string, env: Record<string, string>, timeoutMs = 60_000): Promise<SpawnedServer> {
  return spawnServer({ args: [entry], env: { RATE_LIMITS: "off", LOG_LEVEL: "warn", ...env }, readyLine: "is listening on", timeoutMs, group: false });
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
