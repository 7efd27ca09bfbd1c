import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { buildTemplate } from "../support/database";

/**
 * The environment for the production build started from inside Vitest: without Vitest's own
 * variables (VITEST, VITEST_*: vite.config.ts leaves the React Router plugin out under Vitest,
 * which breaks the build) and with NODE_ENV=production (Vitest sets "test").
 */
export function buildEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(env).filter(([name]) => name !== "VITEST" && !name.startsWith("VITEST_")));
  return { ...clean, NODE_ENV: "production" };
}

/** Integration tests call the real built app: build it unless the test runner already did. */
export default async function setup() {
  const buildDir = process.env.CANDOR_BUILD_DIR ?? "build";
  if (!process.env.CANDOR_SKIP_BUILD || !fs.existsSync(`${buildDir}/server/index.js`)) {
    execFileSync("npx", ["react-router", "build"], { stdio: ["ignore", "ignore", "inherit"], env: buildEnvironment() });
  }
  await buildTemplate();
}
