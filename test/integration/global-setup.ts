import { execSync } from "node:child_process";
import fs from "node:fs";
import { buildTemplate } from "../support/database";

/** Integration tests call the real built app: build it unless the test runner already did. */
export default async function setup() {
  const buildDir = process.env.CANDOR_BUILD_DIR ?? "build";
  if (!process.env.CANDOR_SKIP_BUILD || !fs.existsSync(`${buildDir}/server/index.js`)) {
    execSync("npx react-router build", { stdio: "ignore" });
  }
  await buildTemplate();
}
