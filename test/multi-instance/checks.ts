/**
 * What the seven checks of the multi-instance test (issue 10, item 1; SPEC §13: "everything that a
 * single process used to hold alone is then shared or coordinated through the database") share:
 * their context, their tally and the requests several of them send. Each check has its file
 * (check-*.ts); each returns how many of its assertions passed and failed, and what it measured.
 * They run against the processes test/multi-instance/run.ts started; all traffic passes through HAProxy.
 */
import type pg from "pg";
import type { Db } from "../../app/utils/db.server";
import type { Instance, Sink } from "./cluster";
import { call, signInCustomer, type Answer, type KeyPool } from "./client";

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

/** Counts a check's assertions. */
export class Tally {
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

/** The choice the checks flip, and the AI system whose decisions they ask for. */
export const CHOICE = "plan-changes";
const SYSTEM = "offer-predictor";
let ipCounter = 0;
/** A client address of its own (X-Forwarded-For), so per-address limits never mix test clients. */
export const nextIp = () => `10.77.${Math.floor(++ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;

/** An agent's decision check (POST /api/v1/decisions) on CHOICE for `customerId`, pinned to `instance` if given. */
export function decide(ctx: Context, customerId: string, instance?: string): Promise<Answer> {
  return call(ctx.base, "/api/v1/decisions", { json: { customerId, action: CHOICE, aiSystem: SYSTEM }, bearer: ctx.keys.next(), instance });
}

/** The "My choices" form with `value` for the choice under test. */
export function choiceForm(ctx: Context, value: "allow" | "never"): Record<string, string> {
  return { ...ctx.baseForm, [CHOICE]: value };
}

/** Session cookies of `customerIds`, each signed in through a personal link from an address of its own. */
export function signInCustomers(ctx: Context, customerIds: string[]): Promise<string[]> {
  return Promise.all(customerIds.map((id) => signInCustomer(ctx.base, ctx.keys.next(), id, nextIp())));
}

/**
 * A staff member's session cookie (password sign-in through the balancer), or null — counted as a
 * failed assertion in `tally` — when the sign-in is not answered with a 303 and a cookie.
 */
export async function signInStaff(ctx: Context, tally: Tally, email: string, password: string): Promise<string | null> {
  const login = await call(ctx.base, "/staff/login", { form: { step: "password", email, password }, ip: nextIp() });
  return tally.expect(login.status === 303 && Boolean(login.cookie), () => `staff sign-in ${email} answered ${login.status}`) ? login.cookie! : null;
}

/** Adds one to `key`'s count. */
export function countOne(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** What a request that got no answer ran into: the socket's error code (ECONNRESET, …) or the error's name. */
export function networkError(error: unknown): string {
  const cause = (error as Error).cause as { code?: string } | undefined;
  return cause?.code ?? (error as Error).name;
}
