/** Check 1 of the multi-instance test (test/multi-instance/checks.ts): read-your-writes across instances. */
import { call } from "./client";
import { CHOICE, choiceForm, decide, signInCustomers, Tally, type CheckResult, type Context } from "./checks";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * 1. Read-your-writes across instances (SPEC §5.2): TRIALS times, a customer saves "allow" or
 * "never" for plan-changes on the "My choices" page through instance A (pinned), and as soon as
 * the 303 arrives an agent's decision through instance B or C (pinned, alternating) must answer
 * allow / deny accordingly, with a higher preference version than the lane's previous one, and
 * the preferences read through the third instance must show the new value with that version. The
 * values alternate, so a stale read is always a wrong answer. Lanes (one customer each) run side by side.
 */
export async function readYourWrites(ctx: Context): Promise<CheckResult> {
  const tally = new Tally();
  const [a, b, c] = ctx.instances.map((i) => i.name) as [string, string, string];
  const lanes = ctx.customers.slice(0, 4);
  const cookies = await signInCustomers(ctx, lanes);
  const lastVersion = lanes.map(() => 0);
  const flips: number[] = [];
  // One customer per lane, each lane's trials one after the other (trial n belongs to lane n mod lanes).
  const trial = async (n: number) => {
    const lane = n % lanes.length;
    const value = Math.floor(n / lanes.length) % 2 === 0 ? "never" : "allow";
    const [reader, other] = n % 2 === 0 ? [b, c] : [c, b];
    const started = performance.now();
    const saved = await call(ctx.base, "/en/me/preferences", { form: choiceForm(ctx, value), cookie: cookies[lane], instance: a });
    if (!tally.expect(saved.status === 303 && saved.instance === a, () => `trial ${n}: save through ${a} answered ${saved.status} from ${saved.instance}`)) return;
    const answer = await decide(ctx, lanes[lane]!, reader);
    flips.push(performance.now() - started);
    const body = answer.status === 200 ? (JSON.parse(answer.text) as { decision: string; preferenceVersion: number }) : null;
    const expected = value === "allow" ? "allow" : "deny";
    tally.expect(
      answer.instance === reader && body?.decision === expected && body.preferenceVersion > lastVersion[lane]!,
      () => `trial ${n}: saved ${value} through ${a}; decision through ${answer.instance} answered ${answer.status} ${body?.decision} v${body?.preferenceVersion} (want ${expected}, > v${lastVersion[lane]})`,
    );
    // The agents' other read (GET …/preferences) on the third instance: the same value and version.
    const read = await call(ctx.base, `/api/v1/customers/${lanes[lane]}/preferences`, { bearer: ctx.keys.next(), instance: other });
    const snapshot = read.status === 200 ? (JSON.parse(read.text) as { preferenceVersion: number; choices: { key: string; value: string }[] }) : null;
    const shown = snapshot?.choices.find((choice) => choice.key === CHOICE)?.value;
    tally.expect(
      read.instance === other && shown === value && snapshot?.preferenceVersion === body?.preferenceVersion,
      () => `trial ${n}: saved ${value} through ${a}; preferences through ${read.instance} answered ${read.status} ${shown} v${snapshot?.preferenceVersion} (want v${body?.preferenceVersion})`,
    );
    if (body) lastVersion[lane] = Math.max(lastVersion[lane]!, body.preferenceVersion);
  };
  await Promise.all(
    lanes.map(async (_, lane) => {
      for (let n = lane; n < ctx.trials; n += lanes.length) await trial(n);
    }),
  );
  tally.notes.unshift(
    `${ctx.trials} flip-then-check trials (save on ${a}, decide on ${b}/${c} and read on the other, ${lanes.length} customers side by side): save+decision p50 ${percentile(flips, 50).toFixed(1)} ms, p99 ${percentile(flips, 99).toFixed(1)} ms`,
  );
  return tally.result("read-your-writes across instances");
}
