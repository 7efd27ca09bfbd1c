/** Check 4 of the multi-instance test (test/multi-instance/checks.ts): shared rate limits. */
import { call, pool, type Answer } from "./client";
import { nextIp, Tally, type CheckResult, type Context } from "./checks";

/**
 * 4. Shared rate limits (SPEC §9, §13): requests spread over the three instances (pinned in
 * turn) meet one limit, not three: API calls of one key (API_RATE_LIMIT_PER_MINUTE), staff
 * sign-in attempts on one account from many addresses (5 per 15 min) and from one address on
 * many accounts (20 per 15 min).
 */
export async function sharedRateLimits(ctx: Context): Promise<CheckResult> {
  const tally = new Tally();
  const names = ctx.instances.map((i) => i.name);
  const spread = async (count: number, send: (n: number, instance: string) => Promise<Answer>) => {
    const answers: Answer[] = [];
    await pool(count, 6, async (n) => void answers.push(await send(n, names[n % names.length]!)));
    const served = new Set(answers.map((a) => a.instance));
    return { ok: answers.filter((a) => a.status !== 429).length, limited: answers.filter((a) => a.status === 429).length, served, answers };
  };

  const apiCalls = ctx.apiLimitPerMinute * 3 + 20;
  const api = await spread(apiCalls, (_, instance) =>
    call(ctx.base, `/api/v1/customers/${encodeURIComponent(ctx.customers[0]!)}/preferences`, { bearer: ctx.rateLimitKey, instance }),
  );
  tally.expect(api.served.size === 3, () => `API calls were served by ${[...api.served].join(",")}`);
  tally.expect(api.ok === ctx.apiLimitPerMinute, () => `API: ${api.ok} calls allowed for a limit of ${ctx.apiLimitPerMinute}/min (per instance would allow ${3 * ctx.apiLimitPerMinute})`);
  tally.expect(api.answers.every((a) => a.status === 200 || a.status === 429), () => `API: unexpected statuses ${[...new Set(api.answers.map((a) => a.status))].join(",")}`);

  const account = await spread(15, () =>
    call(ctx.base, "/staff/login", { form: { step: "password", email: "agent@nordlys.example", password: "not-the-password-at-all" }, ip: nextIp(), instance: undefined }),
  );
  tally.expect(account.ok === 5, () => `sign-in per account: ${account.ok} attempts allowed for a limit of 5 (per instance would allow 15)`);
  const sameIp = nextIp();
  const address = await spread(27, (n, instance) =>
    call(ctx.base, "/staff/login", { form: { step: "password", email: `nobody-${n}@example.test`, password: "not-the-password-at-all" }, ip: sameIp, instance }),
  );
  tally.expect(address.served.size === 3, () => `sign-ins were served by ${[...address.served].join(",")}`);
  tally.expect(address.ok === 20, () => `sign-in per address: ${address.ok} attempts allowed for a limit of 20 (per instance would allow 27)`);
  tally.expect(
    [...account.answers, ...address.answers].every((a) => a.status === 401 || a.status === 429),
    () => `sign-in: unexpected statuses ${[...new Set([...account.answers, ...address.answers].map((a) => a.status))].join(",")}`,
  );
  tally.notes.unshift(
    `API: ${apiCalls} calls of one key over ${names.length} instances → ${api.ok} allowed, ${api.limited} × 429 (limit ${ctx.apiLimitPerMinute}/min); ` +
      `sign-in on one account: ${account.ok} of 15 allowed (limit 5); from one address: ${address.ok} of 27 allowed (limit 20)`,
  );
  return tally.result("shared rate limits");
}
