/** Check 7 of the multi-instance test (test/multi-instance/checks.ts): no acknowledged write lost when an instance is killed. */
import { verifyAudit } from "../../app/domain/audit.server";
import type { Instance } from "./cluster";
import { call, type Answer } from "./client";
import { CHOICE, choiceForm, countOne, decide, networkError, nextIp, signInCustomers, Tally, type CheckResult, type Context } from "./checks";

interface Write {
  kind: "choice" | "decision" | "concern";
  /** What to look for in the database. */
  key: string;
  extra?: string;
  acknowledged: boolean;
}

/**
 * 7. No acknowledged write lost when an instance dies (SPEC §10 durability, §13): writers send
 * choice saves, decisions and concern filings through the balancer (not pinned); after a while
 * instance B gets `kill -9`; the writers go on. Afterwards every write that got a 2xx/303 is in
 * the database, the chain still verifies, and HAProxy routes around the dead instance: later
 * requests — even ones asking for B — all succeed on A or C.
 */
export async function killOne(ctx: Context, victim: Instance, durationMs: number): Promise<CheckResult> {
  const tally = new Tally();
  const writers = 8;
  const customers = ctx.customers.slice(4, 4 + writers);
  const cookies = await signInCustomers(ctx, customers);
  const values = await Promise.all(
    customers.map(async (id) => {
      const { rows } = await ctx.sql.query<{ value: string }>(`select value from preferences where customer_id = $1 and choice_key = $2`, [id, CHOICE]);
      return rows[0]?.value ?? "ask";
    }),
  );
  const writes: Write[] = [];
  let stop = false;
  let killedAt = 0;
  const errors = new Map<string, number>();
  const countError = (what: string) => countOne(errors, what);
  const writer = async (w: number) => {
    for (let n = 0; !stop; n++) {
      const op = (n + w) % 3;
      const kind = (["choice", "decision", "concern"] as const)[op]!;
      try {
        if (op === 0) {
          const value = values[w] === "allow" ? "never" : "allow";
          const saved = await call(ctx.base, "/en/me/preferences", { form: choiceForm(ctx, value), cookie: cookies[w] });
          const savedAt = saved.status === 303 ? /[?&]saved=(\d+)/.exec(saved.location ?? "")?.[1] : undefined;
          writes.push({ kind: "choice", key: customers[w]!, extra: `${value}@${savedAt}`, acknowledged: Boolean(savedAt) });
          if (savedAt) values[w] = value;
          else {
            countError(`choice ${saved.status}`);
            // Unacknowledged: it may or may not have committed. Read what is stored, so the next save is a change.
            const { rows } = await ctx.sql.query<{ value: string }>(`select value from preferences where customer_id = $1 and choice_key = $2`, [customers[w], CHOICE]);
            values[w] = rows[0]?.value ?? values[w]!;
          }
        } else if (op === 1) {
          const answer = await decide(ctx, customers[w]!);
          const id = answer.status === 200 ? (JSON.parse(answer.text) as { decisionId: string }).decisionId : "";
          writes.push({ kind: "decision", key: id, acknowledged: answer.status === 200 });
          if (answer.status !== 200) countError(`decision ${answer.status}`);
        } else {
          const description = `Multi-instance concern ${w}-${n}-${Date.now()}: the assistant changed my plan without asking.`;
          const filed = await call(ctx.base, "/en/me/concerns/new", {
            form: { kind: "unwanted_action", description, contactMethod: "email", email: `filer-${w}-${n}@example.test`, desiredOutcome: "" },
            ip: nextIp(),
          });
          writes.push({ kind: "concern", key: description, acknowledged: filed.status === 303 });
          if (filed.status !== 303) countError(`concern ${filed.status}`);
        }
      } catch (error) {
        countError(`${kind} network ${networkError(error)}`);
        writes.push({ kind, key: "", acknowledged: false });
      }
    }
  };
  const running = Array.from({ length: writers }, (_, w) => writer(w));
  await new Promise((resolve) => setTimeout(resolve, durationMs / 2));
  killedAt = writes.length;
  await victim.stop("SIGKILL");
  ctx.log(`  kill -9 instance ${victim.name} (pid ${victim.child.pid}) after ${killedAt} writes`);
  await new Promise((resolve) => setTimeout(resolve, durationMs / 2));
  stop = true;
  await Promise.all(running);

  const acknowledged = writes.filter((w) => w.acknowledged);
  let missing = 0;
  for (const write of acknowledged) {
    let found: boolean;
    if (write.kind === "decision") {
      found = (await ctx.sql.query(`select 1 from decisions where id = $1`, [write.key])).rowCount === 1;
    } else if (write.kind === "concern") {
      found = (await ctx.sql.query(`select 1 from concerns where description = $1`, [write.key])).rowCount === 1;
    } else {
      const [value, savedAt] = write.extra!.split("@") as [string, string];
      found =
        (await ctx.sql.query(`select 1 from consent_events where customer_id = $1 and choice_key = $2 and value = $3 and created_at = $4`, [write.key, CHOICE, value, Number(savedAt)]))
          .rowCount === 1;
    }
    if (!found) missing++;
    tally.expect(found, () => `acknowledged ${write.kind} missing from the database: ${write.key} ${write.extra ?? ""}`);
  }
  const after: Answer[] = [];
  for (let n = 0; n < 30; n++) after.push(await decide(ctx, customers[0]!, n % 3 === 0 ? victim.name : undefined).catch((error: Error) => ({ status: 0, instance: null, location: null, cookie: null, text: error.message })));
  tally.expect(after.every((a) => a.status === 200), () => `after the kill: ${after.filter((a) => a.status !== 200).length} of 30 requests failed`);
  tally.expect(after.every((a) => a.instance !== victim.name), () => `after the kill, HAProxy still sent requests to ${victim.name}`);
  const verification = await verifyAudit(ctx.db);
  tally.expect(verification.ok, () => `audit chain after the kill: ${JSON.stringify(verification)}`);
  const byKind = (kind: Write["kind"]) => `${acknowledged.filter((w) => w.kind === kind).length} ${kind}s`;
  tally.notes.unshift(
    `${writes.length} writes by ${writers} writers over ${(durationMs / 1000).toFixed(0)} s, kill -9 of ${victim.name} after ${killedAt}: ` +
      `${acknowledged.length} acknowledged (${byKind("choice")}, ${byKind("decision")}, ${byKind("concern")}), ${missing} of them missing; ` +
      `not acknowledged: ${[...errors].map(([what, n]) => `${n} × ${what}`).join(", ") || "none"}; 30 requests after: ${after.filter((a) => a.status === 200).length} × 200, served by ${[...new Set(after.map((a) => a.instance))].join("/")}`,
  );
  return tally.result("no acknowledged write lost when an instance is killed");
}
