/** Check 5 of the multi-instance test (test/multi-instance/checks.ts): a revoked API key is refused everywhere within the stated bound. */
import { call } from "./client";
import { nextIp, signInStaff, Tally, type CheckResult, type Context } from "./checks";

/**
 * 5. The API key cache's stated bound on staleness (SPEC §13 "caches (bounded staleness,
 * stated)"; app/domain/api-keys.server.ts: CACHE_TTL_MS = 2 s): a key an admin revokes on the
 * staff page of instance A is refused by A at once, and by B and C for every request sent 2 s or
 * more after the revocation was answered (earlier ones may still pass: that is the stated bound).
 */
export async function revocationBound(ctx: Context): Promise<CheckResult> {
  const tally = new Tally();
  const key = ctx.revocableKey;
  const adminCookie = await signInStaff(ctx, tally, "admin@nordlys.example", "demo-admin-password");
  if (!adminCookie) return tally.result("revoked API key refused everywhere within the stated 2 s");
  const [a, b, c] = ctx.instances.map((i) => i.name) as [string, string, string];
  const use = (instance: string) => call(ctx.base, `/api/v1/customers/${encodeURIComponent(ctx.customers[0]!)}/preferences`, { bearer: key.secret, instance });
  for (const instance of [b, c]) {
    const warm = await use(instance);
    tally.expect(warm.status === 200 && warm.instance === instance, () => `before the revocation the key answered ${warm.status} on ${warm.instance}`);
  }
  const revoked = await call(ctx.base, "/staff/api-keys", { form: { intent: "revoke", keyId: String(key.id), confirm: "yes" }, cookie: adminCookie, instance: a, ip: nextIp() });
  const answeredAt = performance.now();
  tally.expect(revoked.status === 303 && revoked.instance === a, () => `revoking through ${a} answered ${revoked.status} from ${revoked.instance}`);
  const own = await use(a);
  tally.expect(own.status === 401, () => `the instance that revoked the key answered ${own.status} right after`);
  const seen: { instance: string; sentAfterMs: number; status: number }[] = [];
  const late = (instance: string) => seen.filter((s) => s.instance === instance && s.sentAfterMs >= 2000);
  // Until 2.6 s have passed and each of B and C answered at least two requests sent after 2 s (a slow machine answers fewer per second).
  for (let n = 0; (performance.now() - answeredAt < 2600 || late(b).length < 2 || late(c).length < 2) && performance.now() - answeredAt < 20_000; n++) {
    const instance = n % 2 === 0 ? b : c;
    const sentAfterMs = performance.now() - answeredAt;
    const answer = await use(instance);
    seen.push({ instance: answer.instance ?? "?", sentAfterMs, status: answer.status });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const instance of [b, c]) {
    const after = late(instance);
    tally.expect(after.length > 0 && after.every((s) => s.status === 401), () => `${instance} accepted the key ${after.filter((s) => s.status !== 401).length} times 2 s or more after the revocation`);
  }
  const firstRefusal = (instance: string) => seen.find((s) => s.instance === instance && s.status === 401)?.sentAfterMs.toFixed(0) ?? "never";
  tally.notes.unshift(`revoked through ${a} (refused there at once); first refusal on ${b} after ${firstRefusal(b)} ms, on ${c} after ${firstRefusal(c)} ms (bound 2000 ms)`);
  return tally.result("revoked API key refused everywhere within the stated 2 s");
}
