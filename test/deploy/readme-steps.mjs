#!/usr/bin/env node
/**
 * Runs the README's production steps ("Deploying", the block between `deploy-steps:begin` and
 * `deploy-steps:end`) exactly as written, with bash, in a fresh clone of this repository's HEAD,
 * on a fresh PostgreSQL database: npm ci, build, migrate, first admin, two instances, their health
 * and readiness checks, a backup, a graceful stop, a restore. Exits non-zero when any step fails.
 *
 * `node test/deploy/readme-steps.mjs [postgres://…/postgres]` — without a URL it starts a
 * throw-away cluster (test/postgres-cluster.mjs). Used by test/run-all.mjs.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startCluster } from "../postgres-cluster.mjs";

const root = path.resolve(import.meta.dirname, "../..");

/** The README's deployment block, as the shell text it shows. */
export function deploySteps(readme = fs.readFileSync(path.join(root, "README.md"), "utf8")) {
  const match = readme.match(/<!-- deploy-steps:begin -->\s*```sh\n([\s\S]*?)```\s*<!-- deploy-steps:end -->/);
  if (!match) throw new Error("README.md has no deploy-steps block");
  return match[1];
}

async function main() {
  const cluster = process.argv[2] ? null : await startCluster();
  const adminUrl = process.argv[2] ?? cluster.url;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candor-deploy-"));
  try {
    const clone = spawnSync("git", ["clone", "--quiet", root, path.join(dir, "candor")], { stdio: "inherit" });
    if (clone.status !== 0) throw new Error("git clone failed");
    const database = `candor_deploy_${process.pid}`;
    const admin = spawnSync("psql", [adminUrl, "-v", "ON_ERROR_STOP=1", "-c", `drop database if exists ${database}`, "-c", `create database ${database}`], { stdio: "inherit" });
    if (admin.status !== 0) throw new Error("could not create the database (psql)");
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    const [first, second] = [await freePort(), await freePort()];
    // The README's values are examples: the ones that name this machine are set here.
    const script = deploySteps().replaceAll("3001", String(first)).replaceAll("3002", String(second));
    console.log(`Running the README's deployment steps in ${path.join(dir, "candor")} (instances on ${first} and ${second})`);
    // Not part of the README: if a step fails, the instances still running are stopped too.
    const guarded = `trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n${script}`;
    const run = spawnSync("bash", ["-euo", "pipefail", "-c", guarded], {
      cwd: path.join(dir, "candor"),
      stdio: "inherit",
      env: { ...process.env, DATABASE_URL: url.toString(), PUBLIC_URL: `http://127.0.0.1:${first}`, ADMIN_EMAIL: "first.admin@example.com", NODE_ENV: "" },
      timeout: 15 * 60_000,
    });
    if (run.status !== 0) throw new Error(`the deployment steps failed (exit ${run.status ?? run.signal})`);
    // The graceful stop of step 7: each instance logged that it stopped (JSON lines).
    for (const port of [first, second]) {
      const lines = fs.readFileSync(path.join(dir, "candor", `candor-${port}.log`), "utf8").split("\n").filter((line) => line.startsWith("{"));
      const events = lines.map((line) => JSON.parse(line).event);
      if (!events.includes("server.listening") || !events.includes("server.stopped")) throw new Error(`instance ${port} did not stop gracefully: ${events.join(", ")}`);
    }
    console.log("The README's deployment steps passed.");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await cluster?.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
