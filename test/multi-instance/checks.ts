/**
 * The seven checks of the multi-instance test (issue 10, item 1; SPEC §13: "everything that a
 * single process used to hold alone is then shared or coordinated through the database"). Each
 * returns how many of its assertions passed and failed, and what it measured. They run against
 * the processes test/multi-instance/run.ts started; all traffic passes through HAProxy.
 */
import type pg from "pg";
import { verifyAudit } from "../../app/domain/audit.server";
import type { Db } from "../../app/utils/db.server";
import type { Instance, Sink } from "./cluster";
import { call, pool, signInCustomer, type Answer, type KeyPool } from "./client";

export interface Context {
  /** The balancer, e.g. http://127.0.0.1:41234 */
  base: string;
  instances: Instance[];
  db: Db;
  /** The same database for plain SQL (the checks read what was committed, as an operator would). */
  sql: pg.Pool;
  keys: KeyPool;
  /** A key no other check uses (the API rate-limit check spends it). */
  rateLimitKey: string;
  /** Another one, which the revocation check revokes. */
  revocableKey: { id: number; secret: string };
  apiLimitPerMinute: number;
  trials: number;
  /** Customers created for the test, one per lane of work. */
  customers: string[];
  /** The form's fields besides the choice under test: every choice at a neutral value, and `shown`. */
  baseForm: Record<string, string>;
  smtp: Sink;
  receiver: Sink;
  /** Keys (X-Multi-Id / Candor-Webhook-Id) of the emails and webhook events queued before the instances started. */
  emailKeys: string[];
  webhookKeys: string[];
  /** The endpoint those webhook events go to (the receiver). */
  webhookEndpointId: number;
  log: (line: string) => void;
}

export interface CheckResult {
  name: string;
  passed: number;
  failed: number;
  /** Figures and failures, one line each. */
  notes: string[];
}

class Tally {
  passed = 0;
  failed = 0;
  notes: string[] = [];
  private failures = 0;
  /** Counts one assertion; the first 10 failures are kept as notes. */
  expect(ok: boolean, failure: () => string): boolean {
    if (ok) this.passed++;
    else {
      this.failed++;
      if (++this.failures <= 10) this.notes.push(`FAIL ${failure()}`);
    }
    return ok;
  }
  result(name: string): CheckResult {
    if (this.failures > 10) this.notes.push(`… and ${this.failures - 10} more failures`);
    return { name, passed: this.passed, failed: this.failed, notes: this.notes };
  }
}

const CHOICE = "plan-changes";
const SYSTEM = "offer-predictor";
let ipCounter = 0;
/** A client address of its own (X-Forwarded-For), so per-address limits never mix test clients. */
const nextIp = () => `10.77.${Math.floor(++ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function decide(ctx: Context, customerId: string, instance?: string): Promise<Answer> {
  return call(ctx.base, "/api/v1/decisions", { json: { customerId, action: CHOICE, aiSystem: SYSTEM }, bearer: ctx.keys.next(), instance });
}

/** The "My choices" form with `value` for the choice under test. */
function choiceForm(ctx: Context, value: "allow" | "never"): Record<string, string> {
  return { ...ctx.baseForm, [CHOICE]: value };
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
  const cookies = await Promise.all(lanes.map((id) => signInCustomer(ctx.base, ctx.keys.next(), id, nextIp())));
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
  ]) {
    const login = await call(ctx.base, "/staff/login", { form: { step: "password", email: email!, password: password! }, ip: nextIp() });
    if (!tally.expect(login.status === 303 && Boolean(login.cookie), () => `staff sign-in ${email} answered ${login.status}`)) return tally.result("audit chain under concurrent staff actions");
    staff.push(login.cookie!);
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
        : { intent: "message", revision: String(current!.revision), visibility: "internal", body: `Multi-instance note ${n} (${Date.now()})` };
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
  const cookies = await Promise.all(customers.map((id) => signInCustomer(ctx.base, ctx.keys.next(), id, nextIp())));
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
  const countError = (what: string) => errors.set(what, (errors.get(what) ?? 0) + 1);
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
        countError(`${kind} network ${(error as Error).cause ? String(((error as Error).cause as { code?: string }).code) : (error as Error).name}`);
        writes.push({ kind, key: "", acknowledged: false });
      }
    }
  };
  const running = Array.from({ length: writers }, (_, w) => writer(w));
  await new Promise((resolve) => setTimeout(resolve, durationMs / 2));
  killedAt = writes.length;
  process.kill(victim.child.pid!, "SIGKILL");
  await victim.exited;
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

/**
 * 5. The API key cache's stated bound on staleness (SPEC §13 "caches (bounded staleness,
 * stated)"; app/domain/api-keys.server.ts: CACHE_TTL_MS = 2 s): a key an admin revokes on the
 * staff page of instance A is refused by A at once, and by B and C for every request sent 2 s or
 * more after the revocation was answered (earlier ones may still pass: that is the stated bound).
 */
export async function revocationBound(ctx: Context): Promise<CheckResult> {
  const tally = new Tally();
  const key = ctx.revocableKey;
  const login = await call(ctx.base, "/staff/login", { form: { step: "password", email: "admin@nordlys.example", password: "demo-admin-password" }, ip: nextIp() });
  if (!tally.expect(login.status === 303 && Boolean(login.cookie), () => `admin sign-in answered ${login.status}`)) return tally.result("revoked API key refused everywhere within the stated 2 s");
  const adminCookie = login.cookie!;
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
  const cookies = await Promise.all(customers.map((id) => signInCustomer(ctx.base, ctx.keys.next(), id, nextIp())));
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
        const cause = (error as Error).cause as { code?: string } | undefined;
        failures.set(`${what} network ${cause?.code ?? (error as Error).name}`, (failures.get(`${what} network ${cause?.code ?? (error as Error).name}`) ?? 0) + 1);
        continue;
      }
      answered++;
      if (instance) byInstance.set(instance, (byInstance.get(instance) ?? 0) + 1);
      const ok = what === "decision" ? status === 200 : status === 303;
      if (!ok) failures.set(`${what} ${status}`, (failures.get(`${what} ${status}`) ?? 0) + 1);
    }
  };
  const running = Array.from({ length: writers }, (_, w) => writer(w));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const stoppingAt = performance.now();
  process.kill(-victim.child.pid!, "SIGTERM");
  await victim.exited;
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
