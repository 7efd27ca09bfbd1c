#!/usr/bin/env node
/**
 * The README's test command: typecheck, lint, unit, build, integration, fuzz (10,000 cases per
 * form action and API operation, fixed seed) and browser tests on the embedded SQLite engine; then
 * unit, integration and browser tests again on PostgreSQL (a throw-away cluster started here from
 * the installed server binaries, or TEST_DATABASE_URL), three instances behind HAProxy on it (a
 * short run of `npm run test:multi`), and the README's deployment steps on a fresh
 * clone against it. Every step runs even when an earlier one fails; the last line is the plain summary CI reads: "N passed, N failed" (both engines).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { findServerBinaries, startCluster } from "./postgres-cluster.mjs";

fs.mkdirSync("test-results", { recursive: true });
const results = [];

function run(name, command, args, count, extraEnv = {}) {
  const started = Date.now();
  console.log(`\n━━ ${name}: ${command} ${args.join(" ")}`);
  const child = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, FORCE_COLOR: "0", ...extraEnv } });
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

/** test/multi-instance/run.ts's report (MULTI_REPORT): one count per check. */
function multiCount(file) {
  return () => {
    const report = readJson(file);
    return report ? { passed: report.passed, failed: report.failed } : null;
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

const reports = ["unit", "integration", "fuzz", "e2e", "pg-unit", "pg-integration", "pg-e2e", "pg-multi"].map((name) => `test-results/${name}.json`);
for (const file of reports) fs.rmSync(file, { force: true });
// The browser tests' JSON report goes where PLAYWRIGHT_JSON_OUTPUT_NAME says (see playwright.config.ts).
const vitest = (project, report) => ["vitest", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile=${report}`];

run("typegen", "npx", ["react-router", "typegen"]);
run("typecheck", "npx", ["tsc", "--noEmit"]);
run("lint", "npx", ["eslint", "--config", "test/eslint.config.js", "--max-warnings", "0", "."]);
run("unit", "npx", vitest("unit", "test-results/unit.json"), vitestCount("test-results/unit.json"), { DATABASE_URL: "" });
run("build", "npx", ["react-router", "build"]);
process.env.CANDOR_SKIP_BUILD = "1";
run("integration", "npx", vitest("integration", "test-results/integration.json"), vitestCount("test-results/integration.json"), { DATABASE_URL: "" });
// Two workers: Vitest's default on two cores is one, and the fuzz files are independent.
run("fuzz", "npx", [...vitest("fuzz", "test-results/fuzz.json"), "--maxWorkers=2"], vitestCount("test-results/fuzz.json"), { DATABASE_URL: "" });
// kill -9 under load, a short run (`npm run crash-test` runs 100 rounds per engine).
run("crash", "npx", ["tsx", "test/crash/run.ts", "--engine", "sqlite", "--rounds", "5", "--self-check"], null, { DATABASE_URL: "" });
run("browser", "npx", ["playwright", "test", "--config", "test/e2e/playwright.config.ts"], playwrightCount("test-results/e2e.json"), {
  DATABASE_URL: "",
  PLAYWRIGHT_JSON_OUTPUT_NAME: "test-results/e2e.json",
});

// The same suites on PostgreSQL.
let cluster = null;
let postgresUrl = process.env.TEST_DATABASE_URL;
if (!postgresUrl && findServerBinaries()) {
  try {
    cluster = await startCluster();
    postgresUrl = cluster.url;
  } catch (error) {
    console.error(`Could not start PostgreSQL: ${error.message}`);
    results.push({ name: "pg-cluster", passed: 0, failed: 1, seconds: "0.0" });
  }
}
if (postgresUrl) {
  const pg = { DATABASE_URL: postgresUrl };
  run("pg unit", "npx", vitest("unit", "test-results/pg-unit.json"), vitestCount("test-results/pg-unit.json"), pg);
  run("pg integration", "npx", vitest("integration", "test-results/pg-integration.json"), vitestCount("test-results/pg-integration.json"), pg);
  run("pg crash", "npx", ["tsx", "test/crash/run.ts", "--engine", "postgres", "--rounds", "5", "--self-check"], null, pg);
  run("pg browser", "npx", ["playwright", "test", "--config", "test/e2e/playwright.config.ts"], playwrightCount("test-results/pg-e2e.json"), {
    ...pg,
    PLAYWRIGHT_JSON_OUTPUT_NAME: "test-results/pg-e2e.json",
  });
  // Three instances of the build behind HAProxy on the same server: a short run (locally: 1,000 trials).
  run("pg multi", "npx", ["tsx", "test/multi-instance/run.ts"], multiCount("test-results/pg-multi.json"), {
    ...pg,
    TRIALS: "100",
    MULTI_REPORT: "test-results/pg-multi.json",
  });
  // The README's production steps, on a fresh clone of HEAD, against the same server.
  run("pg deploy", "node", ["test/deploy/readme-steps.mjs", postgresUrl]);
  await cluster?.stop();
} else if (!cluster) {
  console.log("\nPostgreSQL is not installed here: the suite ran on SQLite only (apt-get install postgresql, or set TEST_DATABASE_URL).");
  // CI must prove both engines.
  if (process.env.CI) results.push({ name: "pg missing", passed: 0, failed: 1, seconds: "0.0" });
}

const passed = results.reduce((n, r) => n + r.passed, 0);
/** The failed tests' names from the JSON reports, so a CI log's tail says which failed. */
function failedTests() {
  const lines = [];
  for (const file of reports) {
    const report = readJson(file);
    if (!report) continue;
    const suite = file.replace(/^test-results\/|\.json$/g, "");
    for (const result of report.testResults ?? []) {
      for (const assertion of result.assertionResults ?? []) {
        if (assertion.status === "failed") lines.push(`${suite}: ${result.name.replace(`${process.cwd()}/`, "")} › ${assertion.fullName}`);
      }
    }
    const walk = (s, path) => {
      for (const spec of s.specs ?? []) {
        for (const test of spec.tests ?? []) {
          if (test.status === "unexpected") lines.push(`${suite}: ${spec.file} › ${[...path, spec.title].join(" › ")}`);
        }
      }
      for (const child of s.suites ?? []) walk(child, [...path, child.title]);
    };
    for (const s of report.suites ?? []) walk(s, []);
  }
  return lines;
}

const failed = results.reduce((n, r) => n + r.failed, 0);
console.log("\n━━ Summary");
for (const r of results) console.log(`  ${r.name.padEnd(15)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  (${r.seconds}s)`);
const onEngine = (postgres) => results.filter((r) => r.name.startsWith("pg") === postgres).reduce((n, r) => ({ passed: n.passed + r.passed, failed: n.failed + r.failed }), { passed: 0, failed: 0 });
const [sqlite, postgres] = [onEngine(false), onEngine(true)];
console.log(`  SQLite: ${sqlite.passed} passed, ${sqlite.failed} failed · PostgreSQL: ${postgres.passed} passed, ${postgres.failed} failed`);
const failures = failedTests();
if (failures.length > 0) {
  console.log("\n━━ Failed tests");
  for (const line of failures) console.log(`  ${line}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
