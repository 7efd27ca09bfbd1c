#!/usr/bin/env node
/**
 * A throw-away PostgreSQL cluster for the test suite's second engine: `initdb` in a temporary
 * folder, started on a free loopback port with trust authentication, stopped (and its folder
 * removed) by `stop()`. Uses Debian's server binaries (/usr/lib/postgresql/<major>/bin); as root
 * it runs them as the `postgres` user, since PostgreSQL refuses to run as root.
 *
 * Library: `const cluster = await startCluster(); cluster.url; await cluster.stop();`
 * CLI (for local runs): `node test/postgres-cluster.mjs` starts one, prints its URL, and stops it
 * on Ctrl+C.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** The newest installed server's bin folder, or null when PostgreSQL is not installed. */
export function findServerBinaries() {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return null;
  const majors = fs
    .readdirSync(root)
    .filter((name) => fs.existsSync(path.join(root, name, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length > 0 ? path.join(root, majors[0], "bin") : null;
}

/** A free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

function runAsOwner(binary, args) {
  const command = asRoot ? "runuser" : binary;
  const commandArgs = asRoot ? ["-u", "postgres", "--", binary, ...args] : args;
  const result = spawnSync(command, commandArgs, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${path.basename(binary)} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

/**
 * Starts a cluster; resolves to `{ url, stop }` where `url` is `postgres://postgres@127.0.0.1:<port>/postgres`.
 * Durability settings are off (fsync, synchronous_commit): the data is thrown away after the run.
 * Throws when the server binaries are missing or the server does not start.
 */
export async function startCluster() {
  const bin = findServerBinaries();
  if (!bin) throw new Error("PostgreSQL server binaries not found (apt-get install postgresql)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candor-pg-"));
  fs.chmodSync(dir, 0o777);
  if (asRoot) execFileSync("chown", ["postgres", dir]);
  const data = path.join(dir, "data");
  runAsOwner(path.join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=400",
    "-c shared_buffers=128MB",
  ].join(" ");
  runAsOwner(path.join(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "start"]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    async stop() {
      try {
        runAsOwner(path.join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cluster = await startCluster();
  console.log(cluster.url);
  const stop = () => void cluster.stop().finally(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  setInterval(() => {}, 1 << 30);
}
