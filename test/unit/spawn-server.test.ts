/** spawnServer (test/support/server.ts): the one way tests, benches and tools start a server process. */
import { describe, expect, it } from "vitest";
import { spawnServer } from "../support/server";

/** A child running `code` (node -e). */
const script = (code: string) => ["-e", code];

describe("spawnServer", () => {
  it("resolves on the ready line even when it comes in two pieces, with the port it was given, and stops it with its exit code", async () => {
    const server = await spawnServer({
      args: script(`process.stdout.write("lis"); setTimeout(() => console.log("tening on " + process.env.PORT), 50); process.on("SIGTERM", () => process.exit(7)); setInterval(() => {}, 1000);`),
      timeoutMs: 10_000,
    });
    expect(server.output()).toBe(`listening on ${server.port}`);
    expect(server.base).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.startupMs).toBeGreaterThan(0);
    expect(await server.stop()).toBe(7);
    expect(await server.stop()).toBe(7);
  });

  it("rejects with the tail of what the child wrote when it exits before it is ready", async () => {
    const start = spawnServer({ args: script(`console.error("no database at /nowhere"); process.exit(3);`), timeoutMs: 10_000 });
    await expect(start).rejects.toThrow(/exited \(3\) before it was ready; its last output:\nno database at \/nowhere/);
  });

  it("kills a child that is not ready in time and rejects with what it wrote", async () => {
    const start = spawnServer({ args: script(`console.error("still migrating, pid " + process.pid); setInterval(() => {}, 1000);`), timeoutMs: 500 });
    const error = (await start.catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/not ready \("listening"\) after 500 ms; its last output:\nstill migrating, pid \d+/);
    // It rejected only once the child had exited: nothing is left running.
    const pid = Number(/pid (\d+)/.exec(error.message)![1]);
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });

  it("rejects when the program cannot be started at all", async () => {
    await expect(spawnServer({ command: "/nonexistent/candor-server", args: ["x.js"] })).rejects.toThrow(/x\.js: could not start \(spawn \/nonexistent\/candor-server ENOENT\)/);
  });
});
