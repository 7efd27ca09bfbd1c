/**
 * `npx tsx test/lighthouse/page-weight.ts` (SPEC §10 "Pages"): the gzipped JavaScript each customer
 * page loads (test/bench/pages-support.ts scriptsOfPage, as `npm run bench` measures it) and the
 * size of its HTML (gzip -9), per file with `--files`. Builds into CANDOR_BUILD_DIR when it holds
 * no build (CANDOR_REBUILD=1: always); the demo data on a fresh database, the demo customer signed
 * in for the choices page. Exits 1 when a page loads more than 120 KB of gzipped JavaScript.
 */
import path from "node:path";
import zlib from "node:zlib";
import { BUILD_DIR, customerCookie, ensureBuild, kb, scriptsOfPage, startCandor, sum } from "../bench/pages-support";

const JS_TARGET_BYTES = 120 * 1024;
const listFiles = process.argv.includes("--files");

ensureBuild();
const server = await startCandor();
let failed = false;
try {
  const cookie = await customerCookie(server);
  const pages = [
    { name: "overview", path: "/en" },
    { name: "register", path: "/en/ai-systems" },
    { name: "choices", path: "/en/me/preferences", cookie },
  ];
  const clientDir = path.resolve(BUILD_DIR, "client");
  console.log("page        JavaScript (gzip)  files  HTML (gzip)");
  for (const page of pages) {
    const response = await fetch(server.base + page.path, { headers: page.cookie ? { Cookie: page.cookie } : {} });
    const html = await response.text();
    if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}`);
    const scripts = scriptsOfPage(html, clientDir);
    const total = sum(scripts);
    if (total > JS_TARGET_BYTES) failed = true;
    const htmlGzip = zlib.gzipSync(html, { level: 9 }).length;
    console.log(`${page.name.padEnd(11)} ${kb(total).padStart(17)}  ${String(scripts.length).padStart(5)}  ${kb(htmlGzip).padStart(11)}`);
    if (listFiles) for (const s of [...scripts].sort((a, b) => b.gzipBytes - a.gzipBytes)) console.log(`    ${kb(s.gzipBytes).padStart(9)}  ${s.url}`);
  }
} finally {
  await server.stop();
}
console.log(`page weight: ${failed ? "FAILED" : "PASSED"} (≤ ${kb(JS_TARGET_BYTES)} of gzipped JavaScript per page)`);
process.exit(failed ? 1 : 0);
