#!/usr/bin/env node
/**
 * `npm start`: install → build → database with demo data → production server, each step announced
 * with its number, and a "still working" line whenever a step has been silent for a while (npm
 * prints nothing while it downloads). Plain JavaScript: it runs before `tsx` is installed.
 *
 * Env: CANDOR_SKIP_INSTALL=1 and CANDOR_SKIP_BUILD=1 leave out those steps (tests; a second start
 * right after the first); everything else (PORT, DATABASE_URL or DATABASE_PATH, …) goes through to the seed and the server.
 * The server always runs with NODE_ENV=production (React's production build, Secure cookies —
 * which browsers accept on http://localhost).
 */
import { spawn } from "node:child_process";
import path from "node:path";

const QUIET_NOTICE_MS = Number(process.env.CANDOR_START_NOTICE_MS ?? 10_000);
const bin = (name) => path.join("node_modules", ".bin", name);

/** The steps, in order; `serve` is the last one and keeps running. */
export function startSteps(env = process.env) {
  return [
    // --include=dev: with NODE_ENV=production npm would otherwise leave out (prune) the build tools.
    { title: "Installing dependencies (npm install; the first time takes a few minutes)", skip: env.CANDOR_SKIP_INSTALL === "1", command: "npm", args: ["install", "--include=dev", "--no-audit", "--no-fund"] },
    { title: "Building the app (react-router build)", skip: env.CANDOR_SKIP_BUILD === "1", command: bin("react-router"), args: ["build"], env: { NODE_ENV: "production" } },
    { title: "Migrating the database and adding the demo data", command: bin("tsx"), args: ["db/seed.ts"] },
    { title: "Starting the server (production build)", command: process.execPath, args: [path.join(env.CANDOR_BUILD_DIR ?? "build", "server", "index.js"), "--demo"], env: { NODE_ENV: "production", LOG_LEVEL: env.LOG_LEVEL ?? "warn" }, serve: true },
  ];
}

function run(step, number, total) {
  const label = `[${number}/${total}]`;
  console.log(`\n${label} ${step.title}…`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { env: { ...process.env, ...step.env }, stdio: ["inherit", "pipe", "pipe"] });
    let lastOutput = Date.now();
    const forward = (target) => (chunk) => {
      lastOutput = Date.now();
      target.write(chunk);
    };
    child.stdout.on("data", forward(process.stdout));
    child.stderr.on("data", forward(process.stderr));
    const timer = step.serve
      ? null
      : setInterval(() => {
          if (Date.now() - lastOutput < QUIET_NOTICE_MS) return;
          lastOutput = Date.now();
          console.log(`${label} … still working (${Math.round((Date.now() - started) / 1000)} s)`);
        }, 1000);
    if (step.serve) {
      // Ctrl-C or a stop signal reaches the server, which shuts down cleanly.
      for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal === "SIGINT" ? "SIGTERM" : signal));
    }
    child.on("error", (error) => {
      if (timer) clearInterval(timer);
      console.error(`${label} could not run ${step.command}: ${error.message}`);
      resolve(1);
    });
    child.on("close", (code, signal) => {
      if (timer) clearInterval(timer);
      if (!step.serve && code === 0) console.log(`${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      resolve(code ?? (signal ? 0 : 1));
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("app/start.mjs")) {
  const steps = startSteps().filter((step) => !step.skip);
  for (const [index, step] of steps.entries()) {
    const code = await run(step, index + 1, steps.length);
    if (code !== 0) {
      console.error(`\nnpm start stopped: "${step.title}" failed (exit code ${code}).`);
      process.exit(code);
    }
  }
}
