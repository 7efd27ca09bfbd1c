/** Check 2 of the multi-instance test (test/multi-instance/checks.ts): exactly-once delivery with three workers. */
import { Tally, type CheckResult, type Context } from "./checks";

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * 2. Exactly-once delivery with three workers (SPEC §5.1, §13: claims `FOR UPDATE SKIP LOCKED`):
 * the emails and webhook events queued before the three instances started (so their workers'
 * first runs race for the same rows) are all delivered, each exactly once at the SMTP sink and
 * the receiver, each row marked sent/delivered after one attempt.
 */
export async function exactlyOnce(ctx: Context): Promise<CheckResult> {
  const tally = new Tally();
  const started = Date.now();
  const pendingCount = async () => {
    const { rows } = await ctx.sql.query<{ n: number }>(
      `select (select count(*) from outbox_emails where status <> 'sent' and body_text like '%X-Multi-Id:%')
            + (select count(*) from webhook_deliveries where endpoint_id = $1 and status <> 'delivered') as n`,
      [ctx.webhookEndpointId],
    );
    return Number(rows[0]!.n);
  };
  const done = await waitFor(async () => (await pendingCount()) === 0, 150_000);
  tally.expect(done, () => `${"rows"} still undelivered after 150 s`);
  // Time for a late duplicate to show up.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (const [what, keys, sink] of [
    ["email", ctx.emailKeys, ctx.smtp],
    ["webhook", ctx.webhookKeys, ctx.receiver],
  ] as const) {
    const counts = keys.map((key) => sink.received.get(key) ?? 0);
    tally.expect(
      counts.every((n) => n === 1),
      () => `${what}s: ${counts.filter((n) => n === 0).length} never arrived, ${counts.filter((n) => n > 1).length} arrived more than once`,
    );
    const foreign = [...sink.received.keys()].filter((key) => key !== "(none)" && !keys.includes(key));
    tally.expect(foreign.length === 0, () => `${what}s: unknown keys arrived: ${foreign.slice(0, 3).join(", ")}`);
  }
  const { rows } = await ctx.sql.query<{ emails: number; webhooks: number }>(
    `select (select count(*) from outbox_emails where body_text like '%X-Multi-Id:%' and (status <> 'sent' or attempts <> 1)) as emails,
            (select count(*) from webhook_deliveries where endpoint_id = $1 and (status <> 'delivered' or attempts <> 1)) as webhooks`,
    [ctx.webhookEndpointId],
  );
  tally.expect(Number(rows[0]!.emails) === 0 && Number(rows[0]!.webhooks) === 0, () => `rows not delivered in exactly one attempt: ${JSON.stringify(rows[0])}`);
  tally.notes.unshift(
    `${ctx.emailKeys.length} emails and ${ctx.webhookKeys.length} webhook events, 3 workers each: all delivered ${((Date.now() - started) / 1000).toFixed(1)} s into this check; ` +
      `most deliveries in flight at once: SMTP ${ctx.smtp.maxInFlight}, webhooks ${ctx.receiver.maxInFlight} (one worker sends one at a time: >1 means workers raced)`,
  );
  return tally.result("exactly-once delivery with three workers");
}
