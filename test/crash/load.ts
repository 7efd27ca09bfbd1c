/**
 * The crash test's clients: concurrent loops that write through the real server as its users do —
 * agents' decision checks (POST /api/v1/decisions with an API key), customers saving their choices
 * and filing concerns (the portal's forms, with their session cookie and their own Origin, as a
 * browser without JavaScript posts them), staff writing notes on a case (the case page's form).
 * Every write that got its success answer is logged with what identifies it; a request still
 * unanswered when the server dies is remembered as "pending" (it may or may not have committed).
 */
import { randomBytes } from "node:crypto";
import { DECISION_ACTIONS, DECISION_SYSTEM, ROTATED_CHOICE, ROTATED_VALUES, type CrashFixture } from "./fixture";

export interface AckedDecision {
  id: string;
  customerId: string;
  action: string;
  round: number;
  /** From sending the request to its answer (ms). */
  latencyMs: number;
}
export interface AckedPreference {
  customerId: string;
  value: string;
  /** `saved` in the redirect: the consent event's created_at (ms). */
  savedAt: number;
  round: number;
}
export interface AckedConcern {
  ref: string;
  customerId: string;
  description: string;
  round: number;
}
export interface AckedNote {
  caseRef: string;
  body: string;
  round: number;
}

/** Everything acknowledged so far, over all rounds. */
export interface Journal {
  decisions: AckedDecision[];
  preferences: AckedPreference[];
  concerns: AckedConcern[];
  notes: AckedNote[];
}

export function emptyJournal(): Journal {
  return { decisions: [], preferences: [], concerns: [], notes: [] };
}

/** What one round starts from (read from the database while the server was down). */
export interface RoundStart {
  round: number;
  base: string;
  /** Each customer's current value of every choice (the preferences form posts them all). */
  choiceValues: Map<string, Record<string, string>>;
  /** Each staff case's current revision (the case forms post it). */
  caseRevisions: Map<string, number>;
}

/** What a preference client left behind: the value last acknowledged and the one in flight when the server died. */
export interface PreferenceOutcome {
  customerId: string;
  startValue: string;
  lastAcked: string | null;
  pending: string | null;
}

export interface RoundLoad {
  /** Sets the kill flag: every answer from now on counts, every failure is expected. */
  killed(): void;
  /** Aborts the requests still waiting (none should be: the kill closed their connections). */
  abort(): void;
  /** Resolves when every client has stopped (after the kill, their requests fail). */
  finished: Promise<void>;
  /** Resolves once each kind of write (decision, preferences, concern, note) has been acknowledged at least once. */
  everyKindAcknowledged: Promise<void>;
  counts(): { decisions: number; preferences: number; concerns: number; notes: number };
  /** Requests the kill left without an answer (sent, or being sent, when the server died). */
  unanswered(): number;
  preferenceOutcomes(): PreferenceOutcome[];
  /** Answers that were not the expected success (any status, or a network error before the kill). */
  refusals(): string[];
}

export const DECISION_CLIENTS = 6;
export const CONCERN_CLIENTS = 2;

class RequestFailed extends Error {}

function token(): string {
  return randomBytes(6).toString("hex");
}

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
function cookieFrom(response: Response): string | undefined {
  const pairs = response.headers.getSetCookie().map((line) => line.split(";")[0]!.trim());
  return pairs.length > 0 ? pairs.join("; ") : undefined;
}

async function drain(response: Response): Promise<string> {
  return response.text().catch(() => "");
}

/**
 * Signs in every customer (their personal link's "Continue") and staff member (password form) who
 * has no session yet. The sessions are stored server-side: one sign-in serves every round.
 */
export async function signInAll(fixture: CrashFixture, base: string): Promise<void> {
  const origin = new URL(base).origin;
  for (const customer of fixture.customers) {
    if (customer.cookie) continue;
    const response = await fetch(`${base}/l/${customer.linkToken}`, { method: "POST", redirect: "manual", headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" }, body: "" });
    await drain(response);
    const cookie = cookieFrom(response);
    if (response.status !== 303 || !cookie) throw new Error(`customer ${customer.id}: the personal link answered ${response.status} without a session`);
    customer.cookie = cookie;
  }
  for (const staff of fixture.staff) {
    if (staff.cookie) continue;
    const body = new URLSearchParams({ step: "password", email: staff.email, password: staff.password });
    const response = await fetch(`${base}/staff/login`, { method: "POST", redirect: "manual", headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" }, body });
    await drain(response);
    const cookie = cookieFrom(response);
    if (response.status !== 303 || !cookie) throw new Error(`staff ${staff.email}: sign-in answered ${response.status} without a session`);
    staff.cookie = cookie;
  }
}

/**
 * Starts the round's clients against `start.base`; they run until the server stops answering.
 * Acknowledged writes are appended to `journal` as their answers arrive.
 */
export function startLoad(fixture: CrashFixture, start: RoundStart, journal: Journal, random: () => number): RoundLoad {
  const { base, round } = start;
  const origin = new URL(base).origin;
  let killed = false;
  let unanswered = 0;
  const aborter = new AbortController();
  const refused: string[] = [];
  const counts = { decisions: 0, preferences: 0, concerns: 0, notes: 0 };
  const outcomes: PreferenceOutcome[] = [];
  let allKinds: () => void = () => undefined;
  const everyKindAcknowledged = new Promise<void>((resolve) => (allKinds = resolve));
  const acknowledged = (kind: keyof typeof counts) => {
    counts[kind] += 1;
    if (Object.values(counts).every((n) => n > 0)) allKinds();
  };

  /** One POST; a network failure before the kill is a refusal, after it the end of the loop. */
  async function post(path: string, init: { headers: Record<string, string>; body: string }): Promise<Response> {
    try {
      return await fetch(base + path, { method: "POST", redirect: "manual", headers: init.headers, body: init.body, signal: aborter.signal });
    } catch (error) {
      if (killed) unanswered += 1;
      else refused.push(`POST ${path}: ${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? "")}`);
      throw new RequestFailed();
    }
  }
  const formHeaders = (cookie: string) => ({ Cookie: cookie, Origin: origin, "Content-Type": "application/x-www-form-urlencoded" });
  const refuse = async (what: string, response: Response) => {
    const text = (await drain(response)).slice(0, 300).replace(/\s+/g, " ");
    if (!killed) refused.push(`${what}: ${response.status} ${response.headers.get("Location") ?? ""} ${text}`);
    throw new RequestFailed();
  };

  async function decisions() {
    for (;;) {
      const customer = fixture.customers[Math.floor(random() * fixture.customers.length)]!;
      const action = DECISION_ACTIONS[Math.floor(random() * DECISION_ACTIONS.length)]!;
      const body = JSON.stringify({
        customerId: customer.id,
        action,
        aiSystem: DECISION_SYSTEM,
        interactionRef: `crash-${round}-${token()}`,
        identity: { verified: true, method: "app_login" },
      });
      const sent = performance.now();
      const response = await post("/api/v1/decisions", { headers: { Authorization: `Bearer ${fixture.apiKey}`, "Content-Type": "application/json" }, body });
      if (response.status !== 200) await refuse("decision", response);
      let answer: { decisionId?: unknown };
      try {
        answer = (await response.json()) as { decisionId?: unknown };
      } catch {
        // The body was cut off by the kill: not an answer.
        unanswered += 1;
        throw new RequestFailed();
      }
      if (typeof answer.decisionId !== "string") return refuse("decision without decisionId", response);
      journal.decisions.push({ id: answer.decisionId, customerId: customer.id, action, round, latencyMs: performance.now() - sent });
      acknowledged("decisions");
    }
  }

  async function preferences(customerIndex: number) {
    const customer = fixture.customers[customerIndex]!;
    const values = { ...start.choiceValues.get(customer.id)! };
    const outcome: PreferenceOutcome = { customerId: customer.id, startValue: values[ROTATED_CHOICE]!, lastAcked: null, pending: null };
    outcomes.push(outcome);
    for (;;) {
      const current = values[ROTATED_CHOICE]!;
      const next = ROTATED_VALUES[(ROTATED_VALUES.indexOf(current as (typeof ROTATED_VALUES)[number]) + 1) % ROTATED_VALUES.length]!;
      const form = new URLSearchParams({ ...values, [ROTATED_CHOICE]: next, shown: fixture.shown });
      outcome.pending = next;
      const response = await post("/en/me/preferences", { headers: formHeaders(customer.cookie!), body: form.toString() });
      const saved = /\/me\/preferences\?saved=(\d+)/.exec(response.headers.get("Location") ?? "");
      if (response.status !== 303 || !saved) await refuse(`preferences of ${customer.id}`, response);
      await drain(response);
      outcome.pending = null;
      outcome.lastAcked = next;
      values[ROTATED_CHOICE] = next;
      journal.preferences.push({ customerId: customer.id, value: next, savedAt: Number(saved![1]), round });
      acknowledged("preferences");
    }
  }

  async function concerns(customerIndex: number) {
    const customer = fixture.customers[customerIndex]!;
    for (;;) {
      const description = `Crash test concern ${round}-${token()}: the assistant changed my plan.`;
      const form = new URLSearchParams({ kind: "unwanted_action", description, desiredOutcome: "", contactMethod: "email", email: customer.email, interaction: "", system: "", website: "" });
      const response = await post("/en/me/concerns/new", { headers: formHeaders(customer.cookie!), body: form.toString() });
      const filed = /\/en\/me\/concerns\/([^/?#]+)\?new=1/.exec(response.headers.get("Location") ?? "");
      if (response.status !== 303 || !filed) await refuse(`concern of ${customer.id}`, response);
      await drain(response);
      journal.concerns.push({ ref: decodeURIComponent(filed![1]!), customerId: customer.id, description, round });
      acknowledged("concerns");
    }
  }

  async function notes(staffIndex: number) {
    const staff = fixture.staff[staffIndex]!;
    let revision = start.caseRevisions.get(staff.caseRef)!;
    for (;;) {
      const body = `Crash test note ${round}-${token()}: called the customer back.`;
      const form = new URLSearchParams({ intent: "note", revision: String(revision), body });
      const response = await post(`/staff/concerns/${staff.caseRef}`, { headers: formHeaders(staff.cookie!), body: form.toString() });
      if (response.status !== 303 || !/\?done=note/.test(response.headers.get("Location") ?? "")) await refuse(`note by ${staff.email}`, response);
      await drain(response);
      revision += 1;
      journal.notes.push({ caseRef: staff.caseRef, body, round });
      acknowledged("notes");
    }
  }

  const stopQuietly = (loop: Promise<void>) =>
    loop.catch((error: unknown) => {
      if (!(error instanceof RequestFailed)) refused.push(`client crashed: ${(error as Error).stack ?? String(error)}`);
    });
  const loops: Promise<void>[] = [];
  for (let i = 0; i < DECISION_CLIENTS; i++) loops.push(stopQuietly(decisions()));
  // One preference client per customer (each owns its customer's choices), concern clients on the first customers, one note client per staff member.
  for (let i = 0; i < fixture.customers.length; i++) loops.push(stopQuietly(preferences(i)));
  for (let i = 0; i < CONCERN_CLIENTS; i++) loops.push(stopQuietly(concerns(i)));
  for (let i = 0; i < fixture.staff.length; i++) loops.push(stopQuietly(notes(i)));

  return {
    killed: () => {
      killed = true;
    },
    abort: () => aborter.abort(),
    finished: Promise.all(loops).then(() => undefined),
    everyKindAcknowledged,
    counts: () => ({ ...counts }),
    unanswered: () => unanswered,
    preferenceOutcomes: () => outcomes,
    refusals: () => refused,
  };
}
