#!/usr/bin/env node
/**
 * The README's test command: typecheck, lint, unit, build, integration, fuzz (10,000 cases per
 * form action and API operation, fixed seed) and browser tests, in that order. Every step runs even when an earlier one fails; the last line is the
 * plain summary CI reads: "N passed, N failed".
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";

fs.mkdirSync("test-results", { recursive: true });
const results = [];

function run(name, command, args, count) {
  const started = Date.now();
  console.log(`\n━━ ${name}: ${command} ${args.join(" ")}`);
  const child = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, FORCE_COLOR: "0" } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let counted = count ? count() : null;
  if (!counted) counted = child.status === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  // A runner that crashed before reporting still counts as a failure.
  if (child.status !== 0 && counted.failed === 0) counted.failed = 1;
  results.push({ name, ...counted, seconds });
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function vitestCount(file) {
  return () => {
    const report = readJson(file);
    if (!report) return null;
    return { passed: report.numPassedTests, failed: report.numFailedTests + (report.numTotalTestSuites === 0 ? 1 : 0) };
  };
}

function playwrightCount(file) {
  return () => {
    const report = readJson(file);
    if (!report?.stats) return null;
    const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = report.stats;
    return { passed: expected + flaky, failed: unexpected + skipped };
  };
}

for (const file of ["test-results/unit.json", "test-results/integration.json", "test-results/fuzz.json", "test-results/e2e.json"]) fs.rmSync(file, { force: true });

run("typegen", "npx", ["react-router", "typegen"]);
run("typecheck", "npx", ["tsc", "--noEmit"]);
run("lint", "npx", ["eslint", "--config", "test/eslint.config.js", "--max-warnings", "0", "."]);
run("unit", "npx", ["vitest", "run", "--project", "unit", "--reporter=default", "--reporter=json", "--outputFile=test-results/unit.json"], vitestCount("test-results/unit.json"));
run("build", "npx", ["react-router", "build"]);
process.env.CANDOR_SKIP_BUILD = "1";
run("integration", "npx", ["vitest", "run", "--project", "integration", "--reporter=default", "--reporter=json", "--outputFile=test-results/integration.json"], vitestCount("test-results/integration.json"));
// Two workers: Vitest's default on two cores is one, and the fuzz files are independent.
run("fuzz", "npx", ["vitest", "run", "--project", "fuzz", "--maxWorkers=2", "--reporter=default", "--reporter=json", "--outputFile=test-results/fuzz.json"], vitestCount("test-results/fuzz.json"));
run("browser", "npx", ["playwright", "test", "--config", "test/e2e/playwright.config.ts"], playwrightCount("test-results/e2e.json"));

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log("\n━━ Summary");
for (const r of results) console.log(`  ${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  (${r.seconds}s)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
