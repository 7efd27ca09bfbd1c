/** Check 6 of the multi-instance test (test/multi-instance/checks.ts): a rolling restart without a failed request. */
import type { Instance } from "./cluster";
import { call } from "./client";
import { choiceForm, countOne, decide, networkError, signInCustomers, Tally, type CheckResult, type Context } from "./checks";

/**
 * 6. A rolling restart loses no request (SPEC §13: graceful shutdown, readiness): under a steady
 * load through HAProxy (decisions and choice saves, not pinned), one instance gets SIGTERM — its
 * /readyz turns 503, it finishes what it has and exits — and starts again on the same port;
 * every request of the load is answered 2xx/303, and HAProxy sends requests to the new process.
 */
export async function rollingRestart(ctx: Context, index: number, restart: (old: Instance) => Promise<Instance>): Promise<CheckResult> {
  const tally = new Tally();
  const victim = ctx.instances[index]!;
  const writers = 6;
  const customers = ctx.customers.slice(4, 4 + writers);
  const cookies = await signInCustomers(ctx, customers);
  let stop = false;
  const failures = new Map<string, number>();
  let answered = 0;
  const byInstance = new Map<string, number>();
  const writer = async (w: number) => {
    for (let n = 0; !stop; n++) {
      const what = n % 2 === 0 ? "decision" : "choice";
      let status = 0;
      let instance: string | null = null;
      try {
        const answer =
          what === "decision"
            ? await decide(ctx, customers[w]!)
            : await call(ctx.base, "/en/me/preferences", { form: choiceForm(ctx, n % 4 === 1 ? "allow" : "never"), cookie: cookies[w] });
        status = answer.status;
        instance = answer.instance;
      } catch (error) {
        countOne(failures, `${what} network ${networkError(error)}`);
        continue;
      }
      answered++;
      if (instance) byInstance.set(instance, (byInstance.get(instance) ?? 0) + 1);
      const ok = what === "decision" ? status === 200 : status === 303;
      if (!ok) countOne(failures, `${what} ${status}`);
    }
  };
  const running = Array.from({ length: writers }, (_, w) => writer(w));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const stoppingAt = performance.now();
  await victim.stop();
  const stoppedMs = performance.now() - stoppingAt;
  const replacement = await restart(victim);
  ctx.instances[index] = replacement;
  // Back in rotation once HAProxy's health check saw it ready twice.
  let back = false;
  for (const deadline = performance.now() + 10_000; !back && performance.now() < deadline; ) {
    const probe = await call(ctx.base, "/healthz", { instance: replacement.name }).catch(() => null);
    back = probe?.instance === replacement.name;
    if (!back) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const backMs = performance.now() - stoppingAt;
  await new Promise((resolve) => setTimeout(resolve, 1500));
  stop = true;
  await Promise.all(running);
  const failed = [...failures.values()].reduce((n, k) => n + k, 0);
  tally.expect(
    failed === 0,
    () => `${failed} requests failed during the restart (is SIGTERM handled by stopGracefully, app/http.server.ts?): ${[...failures].map(([what, n]) => `${n} × ${what}`).join(", ")}`,
  );
  tally.expect(back, () => `HAProxy did not route to the restarted ${replacement.name} within 10 s`);
  const after = await decide(ctx, customers[0]!, replacement.name);
  tally.expect(after.status === 200 && after.instance === replacement.name, () => `the restarted ${replacement.name} answered ${after.status} (served by ${after.instance})`);
  tally.notes.unshift(
    `${answered + failed} requests by ${writers} writers; SIGTERM to ${victim.name}: exited after ${stoppedMs.toFixed(0)} ms, new process in rotation after ${backMs.toFixed(0)} ms; ` +
      `${failed} failed; served: ${[...byInstance].map(([name, n]) => `${name} ${n}`).join(", ")}`,
  );
  return tally.result("rolling restart without a failed request");
}
