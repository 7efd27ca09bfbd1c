/** Check 3 of the multi-instance test (test/multi-instance/checks.ts): the audit chain under concurrent staff actions. */
import { verifyAudit } from "../../app/domain/audit.server";
import { call, pool } from "./client";
import { nextIp, signInStaff, Tally, type CheckResult, type Context } from "./checks";

/**
 * 3. The audit chain (SPEC §7, §13: appends one at a time across instances) verifies after
 * concurrent staff actions — internal notes and priority changes on the same and on different
 * cases, sent to all three instances at once by three staff members — while the workers append
 * their delivery entries too. Every action that succeeded (303) has its entry; a stale revision
 * (409) is an honest refusal.
 */
export async function auditChain(ctx: Context): Promise<CheckResult> {
  const tally = new Tally();
  const names = ctx.instances.map((i) => i.name);
  const staff: string[] = [];
  for (const [email, password] of [
    ["supervisor@nordlys.example", "demo-supervisor-password"],
    ["admin@nordlys.example", "demo-admin-password"],
  ] as const) {
    const cookie = await signInStaff(ctx, tally, email, password);
    if (!cookie) return tally.result("audit chain under concurrent staff actions");
    staff.push(cookie);
  }
  const { rows: cases } = await ctx.sql.query<{ ref: string }>(
    `select ref from concerns where status in ('new','in_progress','waiting_customer','escalated') order by id limit 3`,
  );
  const [{ last }] = (await ctx.sql.query<{ last: number }>(`select coalesce(max(id), 0) as last from audit_log`)).rows as [{ last: number }];
  const actions = Math.max(30, Math.round(ctx.trials / 10));
  const outcomes = { done: 0, stale: 0, other: 0 };
  const priorities = ["low", "normal", "high", "urgent"];
  await pool(actions, 9, async (n) => {
    // Half the actions on the first case (they collide), the rest spread over the others.
    const ref = cases[n % 2 === 0 ? 0 : 1 + (n % (cases.length - 1))]!.ref;
    const [current] = (await ctx.sql.query<{ revision: number; priority: string }>(`select revision, priority from concerns where ref = $1`, [ref])).rows;
    // Always a change (the same priority again is a no-op, with nothing to audit).
    const priority = priorities[(priorities.indexOf(current!.priority) + 1 + (n % 3)) % priorities.length]!;
    const form: Record<string, string> =
      n % 3 === 0
        ? { intent: "priority", revision: String(current!.revision), priority }
        : { intent: "note", revision: String(current!.revision), body: `Multi-instance note ${n} (${Date.now()})` };
    const answer = await call(ctx.base, `/staff/concerns/${ref}`, { form, cookie: staff[n % staff.length], instance: names[n % names.length], ip: nextIp() });
    if (answer.status === 303) outcomes.done++;
    else if (answer.status === 409) outcomes.stale++;
    else outcomes.other++;
  });
  tally.expect(outcomes.other === 0, () => `${outcomes.other} staff actions answered neither 303 nor 409`);
  // Most collide (stale revision) by design; enough must go through for the chain to be tested.
  tally.expect(outcomes.done >= actions / 10, () => `only ${outcomes.done} of ${actions} staff actions went through`);
  const [{ entries }] = (
    await ctx.sql.query<{ entries: number }>(`select count(*) as entries from audit_log where id > $1 and target_type = 'concern' and target_id = any($2)`, [
      last,
      cases.map((c) => c.ref),
    ])
  ).rows as [{ entries: number }];
  tally.expect(Number(entries) === outcomes.done, () => `${entries} audit entries on the cases for ${outcomes.done} actions that went through`);
  const verification = await verifyAudit(ctx.db);
  tally.expect(verification.ok, () => `audit chain: ${JSON.stringify(verification)}`);
  tally.notes.unshift(
    `${actions} staff actions (${names.join("/")}; 2 staff; 3 cases): ${outcomes.done} done, ${outcomes.stale} refused as stale (409); chain of ${verification.entries} entries ${verification.ok ? "verifies" : "BROKEN"}`,
  );
  return tally.result("audit chain under concurrent staff actions");
}
