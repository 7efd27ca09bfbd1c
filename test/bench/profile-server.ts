/**
 * The pages bench's `--profile` server (test/bench/pages.ts): the shipped server
 * (test/bench/shipped-server.ts) with V8's CPU profiler running from the start (node:inspector;
 * `--cpu-prof` is not allowed in NODE_OPTIONS). On SIGTERM it writes the profile to
 * `$PROFILE_DIR/server-<pid>.cpuprofile` (Chrome DevTools / speedscope format) and exits.
 */
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";

const dir = path.resolve(process.env.PROFILE_DIR ?? "/tmp/candor-page-profiles");
const session = new Session();
session.connect();
await session.post("Profiler.enable");
// 250 µs between samples: pages take a few milliseconds, the default (1 ms) sees too little of one.
await session.post("Profiler.setSamplingInterval", { interval: 250 });
await session.post("Profiler.start");
process.once("SIGTERM", () => {
  void session.post("Profiler.stop").then(({ profile }) => {
    fs.mkdirSync(dir, { recursive: true });
    // Written aside, then renamed: whoever waits for the file never reads half of it.
    const file = path.join(dir, `server-${process.pid}.cpuprofile`);
    fs.writeFileSync(`${file}.partial`, JSON.stringify(profile));
    fs.renameSync(`${file}.partial`, file);
    process.exit(0);
  });
});
await import("./shipped-server");
