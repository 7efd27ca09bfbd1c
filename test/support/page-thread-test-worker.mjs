/**
 * A page thread's module for test/integration/page-threads.test.ts only (the shipped server runs
 * it when CANDOR_PAGE_WORKER names it; see test/bench/shipped-server.ts): the build's own
 * `renderPage`, plus two things a test cannot otherwise make a thread do —
 * - `x-test-crash-thread: 1`: the thread starts rendering, then ends (`process.exit` in a worker
 *   thread ends that thread only), as a thread that crashes mid-request would;
 * - `x-test-hold-thread: <path>`: the thread writes `<path>.holding`, then holds its event loop
 *   (synchronously, as a long render would) until `<path>.release` exists (15 s at most), then renders.
 * Plain JavaScript: threads load it as it is.
 */
import fs from "node:fs";
import path from "node:path";

const bundle = await import(path.resolve(process.env.CANDOR_BUILD_DIR ?? "build", "server/index.js"));

export async function renderPage(task) {
  const header = (name) => task.headers.find(([key]) => key === name)?.[1];
  if (header("x-test-crash-thread")) {
    void bundle.renderPage(task);
    process.exit(1);
  }
  const hold = header("x-test-hold-thread");
  if (hold) {
    fs.writeFileSync(`${hold}.holding`, "");
    const until = Date.now() + 15_000;
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    while (!fs.existsSync(`${hold}.release`) && Date.now() < until) Atomics.wait(sleeper, 0, 0, 10);
  }
  return bundle.renderPage(task);
}

/** The worker tick as the shipped thread runs it (app/page-thread-worker.server.ts `runWorkerTick`). */
export const runWorkerTick = (task) => bundle.runWorkerTick(task);
