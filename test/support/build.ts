/** The production build the test tools run (crash test, benches, Lighthouse): built once when missing. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** Where the build is (CANDOR_BUILD_DIR, default `build`; parallel working copies use their own). */
export const BUILD_DIR = process.env.CANDOR_BUILD_DIR ?? "build";

/**
 * Builds the app into BUILD_DIR as `npm run build` does when its server entry is missing (or
 * always with CANDOR_REBUILD=1), saying so as `<tool>: building …`; the build's own listing is
 * not shown, its errors are (and throw). Returns the absolute path of the server entry: `node
 * <it>` is what `npm run serve` runs.
 */
export function ensureBuild(tool = "candor"): string {
  const entry = path.resolve(BUILD_DIR, "server/index.js");
  if (process.env.CANDOR_REBUILD === "1" || !fs.existsSync(entry)) {
    console.log(`${tool}: building the app into ${BUILD_DIR}/ …`);
    execFileSync(path.resolve("node_modules/.bin/react-router"), ["build"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
  }
  return entry;
}
