import { defineConfig, devices } from "@playwright/test";
import { chromiumPath, E2E_PORT } from "./support";

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  outputDir: "../../test-results/e2e-artifacts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Generous: the axe sweeps visit a dozen pages each, and CI machines are shared.
  timeout: 120_000,
  // test/run-all.mjs names the report per engine (e2e.json, pg-e2e.json).
  reporter: [["list"], ["json", { outputFile: `../../${process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? "test-results/e2e.json"}` }]],
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined }, testIgnore: /no-js\.spec\.ts/ },
    { name: "no-javascript", use: { ...devices["Desktop Chrome"], channel: undefined, javaScriptEnabled: false }, testMatch: /no-js\.spec\.ts/ },
  ],
  webServer: {
    command: "npx tsx test/e2e/serve.ts",
    url: `http://localhost:${E2E_PORT}/en`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    cwd: "../..",
  },
});
