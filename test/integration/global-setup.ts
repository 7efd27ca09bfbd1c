import { execSync } from "node:child_process";
import fs from "node:fs";
import { buildTemplate } from "../support/database";

/** Integration tests call the real built app: build it unless the test runner already did. */
export default function setup() {
  if (!process.env.CANDOR_SKIP_BUILD || !fs.existsSync("build/server/index.js")) {
    execSync("npx react-router build", { stdio: "ignore" });
  }
  buildTemplate();
}
