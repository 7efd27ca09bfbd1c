/**
 * `npm run demo:agent`: a reference AI agent that walks through "permission that means something"
 * (SPEC §11) against a running Candor (`npm start`), printing each step plainly:
 *
 *   1. sets itself up like an integrator: its own API key and a webhook endpoint pointing at a small
 *      HTTP receiver it starts (written straight to the database DATABASE_URL / DATABASE_PATH names,
 *      through the same domain functions the CLI and the staff console use);
 *   2. asks POST /api/v1/decisions before acting (→ ask), creates a confirmation request, prints the
 *      personal link and the page where the customer answers;
 *   3. waits for the `confirmation.answered` webhook (HMAC signature checked), asks again with the
 *      confirmationId (→ allow, confirmed_by_customer), acts and records the interaction with its
 *      decisionId, shows that the approval is spent (→ deny, confirmation_used);
 *   4. once, on purpose, acts without permission: the interaction's answer names the breach, the
 *      `breach.detected` webhook arrives, and it prints where customer and staff see it.
 *
 * Options: --url <base> (default PUBLIC_URL, else http://localhost:3000), --customer <id> (default
 * demo-customer-1, Alex), --timeout <seconds> (default 600: time for a person to approve),
 * --approve-as-customer (approves through the portal over HTTP, as a browser without JavaScript
 * would: a minted personal link, "Continue", then the form's Approve button).
 * Exit code 0 when the whole loop completed; 1 with a message on failure, refusal or timeout; 2 on
 * a wrong command line. The key is revoked and the endpoint disabled at the end, whatever happened.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { and, asc, eq, isNull } from "drizzle-orm";
import { staffUsers } from "../db/schema";
import { createApiKey, revokeApiKey } from "./domain/api-keys.server";
import { createWebhookEndpoint, disableWebhookEndpoint } from "./domain/webhooks.server";
import { createServices } from "./services.server";
import type { Db } from "./utils/db.server";

const USAGE = "Usage: npm run demo:agent -- [--url http://localhost:3000] [--customer demo-customer-1] [--timeout 600] [--approve-as-customer]";

/** What the agent wants to do: the network assistant offers to send a signal booster (orders: "Ask me first" by default). */
const ACTION = "orders";
const AI_SYSTEM = "network-troubleshooter";
const CONTEXT = { amount: 39, currency: "EUR", channel: "app" } as const;
const IDENTITY = { verified: true, method: "app_login" } as const;
const SUMMARY = {
  en: "Send you a Wi-Fi signal booster for 39.00 EUR, added to your next bill, because your connection keeps dropping in the back rooms.",
  fr: "Vous envoyer un amplificateur de signal Wi-Fi à 39,00 EUR, ajouté à votre prochaine facture, car votre connexion coupe souvent dans les pièces du fond.",
  de: "Ihnen einen WLAN-Verstärker für 39,00 EUR schicken, der mit Ihrer nächsten Rechnung abgerechnet wird, weil Ihre Verbindung in den hinteren Räumen oft abbricht.",
  ar: "إرسال جهاز لتقوية إشارة الواي فاي إليكم بسعر 39.00 يورو يُضاف إلى فاتورتكم القادمة، لأن الاتصال ينقطع كثيرًا في الغرف الخلفية.",
};

class DemoFailure extends Error {}
class UsageError extends Error {}

const say = (line: string) => console.log(line);
const step = (n: number, title: string) => say(`\n[${n}] ${title}`);

interface Received {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

/**
 * The receiving side of Candor's webhooks, as an integrator writes it: check the signature
 * (HMAC-SHA256 of "<timestamp>.<raw body>" with the endpoint's secret, header `v1=<hex>`), refuse
 * timestamps older than five minutes, answer 2xx quickly, deduplicate on Candor-Webhook-Id.
 * Deliberately not Candor's own helper: this is the code a company writes in its own service.
 */
function verifySignature(secret: string, timestamp: string | undefined, body: string, header: string | undefined): boolean {
  if (!timestamp || !header || !/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest();
  return header.split(/[\s,]+/).some((part) => {
    const given = Buffer.from(part.replace(/^v1=/, ""), "hex");
    return part.startsWith("v1=") && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

class WebhookReceiver {
  private readonly seen = new Set<string>();
  private readonly events: Received[] = [];
  private waiters: (() => void)[] = [];
  private server: Server | undefined;
  secret = "";
  rejected = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then((status) => {
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/candor-webhooks`;
  }

  private async handle(req: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const header = (name: string) => (typeof req.headers[name] === "string" ? (req.headers[name] as string) : undefined);
    if (!verifySignature(this.secret, header("candor-webhook-timestamp"), body, header("candor-webhook-signature"))) {
      this.rejected += 1;
      say("    webhook refused: the signature does not match (answered 401)");
      return 401;
    }
    const event = JSON.parse(body) as Received;
    if (this.seen.has(event.id)) return 200;
    this.seen.add(event.id);
    say(`    webhook received: ${event.event} (signature verified) ${JSON.stringify(event.data)}`);
    this.events.push(event);
    for (const wake of this.waiters.splice(0)) wake();
    return 200;
  }

  /** The first event matching `match`, or a DemoFailure after `deadline` (ms since epoch). */
  async waitFor(match: (event: Received) => boolean, deadline: number, what: string): Promise<Received> {
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new DemoFailure(`Timed out waiting for ${what}.`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }
}

/** A JSON call to Candor's API with the agent's key; a non-2xx answer is a DemoFailure with its problem text. */
async function api<T>(base: string, key: string, method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new DemoFailure(`${method} /api/v1${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

interface DecisionAnswer {
  decision: "allow" | "ask" | "deny";
  reason: string;
  decisionId: string;
  retryAfter?: string;
}

/** The cookies a response sets, merged into `jar` (name → value). */
function keepCookies(jar: Map<string, string>, response: Response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const at = pair!.indexOf("=");
    if (at > 0) jar.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

const decodeHtml = (value: string) =>
  value.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/**
 * The fields a browser would send when this form is submitted with the button `name=value`: the
 * form's hidden inputs plus that button. Finds the POST form holding that button in `html`.
 */
function formSubmission(html: string, button: { name: string; value: string }, pageUrl: string): { action: string; fields: URLSearchParams } | undefined {
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, attributes = "", inner = ""] = match;
    if (!/method="post"/i.test(attributes)) continue;
    const buttons = [...inner.matchAll(/<button\b[^>]*>/gi)].map((b) => b[0]);
    if (!buttons.some((b) => new RegExp(`name="${button.name}"`).test(b) && new RegExp(`value="${button.value}"`).test(b))) continue;
    const fields = new URLSearchParams();
    for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
      const tag = input[0];
      if (!/type="hidden"/i.test(tag)) continue;
      const name = /name="([^"]*)"/.exec(tag)?.[1];
      if (name) fields.append(decodeHtml(name), decodeHtml(/value="([^"]*)"/.exec(tag)?.[1] ?? ""));
    }
    fields.append(button.name, button.value);
    const action = /action="([^"]*)"/i.exec(attributes)?.[1];
    return { action: new URL(action ? decodeHtml(action) : pageUrl, pageUrl).toString(), fields };
  }
  return undefined;
}

/**
 * Approves as the customer would in a browser with JavaScript off: opens the personal link,
 * presses "Continue" (a POST that starts the session), opens the request's page and presses
 * Approve (the page's own form, with whatever hidden fields it carries).
 */
async function approveAsCustomer(base: string, link: string, confirmationUrl: string): Promise<void> {
  const jar = new Map<string, string>();
  // A browser sends its own origin with a form POST; the portal checks it (CSRF, SPEC §9).
  const origin = new URL(base).origin;
  const opened = await fetch(link, { redirect: "manual" });
  if (opened.status !== 200) throw new DemoFailure(`Opening the personal link answered ${opened.status}.`);
  const signedIn = await fetch(link, { method: "POST", redirect: "manual", headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" }, body: "" });
  keepCookies(jar, signedIn);
  if (signedIn.status !== 303 || jar.size === 0) throw new DemoFailure(`Pressing "Continue" on the personal link answered ${signedIn.status} without a session.`);
  const page = await fetch(confirmationUrl, { headers: { Cookie: cookieHeader(jar) }, redirect: "manual" });
  keepCookies(jar, page);
  const html = await page.text();
  if (page.status !== 200) throw new DemoFailure(`The confirmation page answered ${page.status}.`);
  const form = formSubmission(html, { name: "intent", value: "approve" }, confirmationUrl);
  if (!form) throw new DemoFailure("The confirmation page has no Approve button (is the request still waiting for an answer?).");
  const answered = await fetch(form.action, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookieHeader(jar), Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: form.fields.toString(),
  });
  if (answered.status >= 400) throw new DemoFailure(`Approving answered ${answered.status}.`);
  say(`    approved as the customer: POST ${new URL(form.action).pathname} answered ${answered.status}`);
}

/** The first active admin: webhook endpoints are an admin's setting, so the endpoint is recorded as theirs. */
async function firstAdmin(db: Db): Promise<{ id: number; email: string }> {
  const [admin] = await db
    .select({ id: staffUsers.id, email: staffUsers.email })
    .from(staffUsers)
    .where(and(eq(staffUsers.role, "admin"), isNull(staffUsers.disabledAt)))
    .orderBy(asc(staffUsers.id))
    .limit(1);
  if (!admin) throw new DemoFailure("No active admin in this database: run `npm run db:seed` (or `npm start`) first, or create one with `npm run cli -- staff create --role admin …`.");
  return admin;
}

interface Options {
  base: string;
  customerId: string;
  timeoutMs: number;
  approveAsCustomer: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { url: { type: "string" }, customer: { type: "string" }, timeout: { type: "string" }, "approve-as-customer": { type: "boolean" } },
    strict: true,
  });
  const base = (values.url ?? process.env.PUBLIC_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  if (!URL.canParse(base)) throw new UsageError(`--url must be an absolute URL such as http://localhost:3000, not "${base}"`);
  const timeout = values.timeout === undefined ? 600 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError("--timeout must be a positive number of seconds");
  return { base, customerId: values.customer ?? "demo-customer-1", timeoutMs: timeout * 1000, approveAsCustomer: values["approve-as-customer"] ?? false };
}

async function runLoop(options: Options, db: Db, receiver: WebhookReceiver, cleanup: (() => Promise<void>)[]): Promise<void> {
  const { base, customerId } = options;
  const deadline = Date.now() + options.timeoutMs;

  step(1, "Setting up like an integrator would");
  const { key, prefix } = await createApiKey(db, { name: `demo-agent ${new Date().toISOString()}`, scopes: ["decisions", "interactions", "links"] });
  cleanup.push(async () => {
    await revokeApiKey(db, { prefix });
    say(`    API key ${prefix}… revoked`);
  });
  say(`    API key ${prefix}… created with scopes decisions, interactions, links (what \`npm run cli -- apikey create\` does)`);
  const receiverUrl = await receiver.start();
  const admin = await firstAdmin(db);
  const { endpoint, secret } = await createWebhookEndpoint(db, { url: receiverUrl, events: ["confirmation.answered", "breach.detected"], staffId: admin.id });
  receiver.secret = secret;
  cleanup.push(async () => {
    await disableWebhookEndpoint(db, { id: endpoint.id, staffId: admin.id });
    say(`    webhook endpoint #${endpoint.id} disabled`);
  });
  say(`    webhook endpoint #${endpoint.id} → ${receiverUrl} for confirmation.answered and breach.detected (as ${admin.email} would at ${base}/staff/webhooks)`);
  say("    (both written directly to this machine's Candor database: DATABASE_URL, else DATABASE_PATH)");

  const ref = `DEMO-${randomUUID().slice(0, 8).toUpperCase()}`;
  const ask = { customerId, action: ACTION, aiSystem: AI_SYSTEM, interactionRef: ref, context: CONTEXT, identity: IDENTITY };

  step(2, `Before acting: may ${AI_SYSTEM} do "${ACTION}" (${CONTEXT.amount} ${CONTEXT.currency}, via ${CONTEXT.channel}) for ${customerId}?`);
  // The conversation comes first, so that the checks and the request below are shown on it.
  await api(base, key, "POST", "/interactions", {
    customerId,
    source: "demo-agent",
    ref,
    channel: CONTEXT.channel,
    subject: "Wi-Fi dropouts in the back rooms",
    occurredAt: new Date().toISOString(),
    ai: [{ aiSystem: AI_SYSTEM, role: "predicted", humanReviewed: false, trainingEligible: false }],
  });
  say(`    POST /api/v1/interactions ${ref}: the conversation in which the assistant found the weak signal`);
  say(`    POST /api/v1/decisions ${JSON.stringify(ask)}`);
  const first = await api<DecisionAnswer>(base, key, "POST", "/decisions", ask);
  say(`    → ${first.decision} (${first.reason})`);
  if (first.decision !== "ask") {
    throw new DemoFailure(
      `Expected "ask" (the demo customer's shipped choice for ${ACTION} is "Ask me first", without limits), got ${first.decision} (${first.reason}). ` +
        `Set that choice back to "Ask me first" on the customer's choices page, or start again from fresh demo data (npm start seeds it).`,
    );
  }

  step(3, "Asking the customer: a confirmation request");
  const created = await api<{ confirmationId: string; status: string; expiresAt: string; url: string }>(base, key, "POST", "/confirmations", {
    customerId,
    action: ACTION,
    aiSystem: AI_SYSTEM,
    interactionRef: ref,
    summary: SUMMARY,
    details: CONTEXT,
    // The customer gets at least 10 minutes to answer, however short the agent's own wait.
    expiresInMinutes: Math.max(10, Math.ceil(options.timeoutMs / 60_000)),
  });
  say(`    → confirmation ${created.confirmationId}, ${created.status}, expires ${created.expiresAt}`);
  say("    Candor emailed the customer (see the outbox at /staff/outbox) and sent confirmation.created to subscribed webhooks.");
  const link = await api<{ url: string }>(base, key, "POST", "/links", { customerId, expiresInDays: 1 });
  say(`    The customer answers here: ${created.url}`);
  if (options.approveAsCustomer) say(`    (--approve-as-customer: the agent approves it itself, through this personal link: ${link.url})`);
  else {
    say(`    Sign in as the customer first with this personal link: ${link.url}`);
    say('    (press "Continue"; the overview then lists the request under "Waiting for your answer")');
  }

  step(4, `Waiting for confirmation.answered (up to ${Math.round((deadline - Date.now()) / 1000)} s)`);
  if (options.approveAsCustomer) await approveAsCustomer(base, link.url, created.url);
  const answered = await receiver.waitFor((e) => e.event === "confirmation.answered" && e.data.confirmationId === created.confirmationId, deadline, "the customer's answer (confirmation.answered)");
  const polled = await api<{ status: string; answeredAt: string | null }>(base, key, "GET", `/confirmations/${created.confirmationId}`);
  say(`    GET /api/v1/confirmations/${created.confirmationId} → ${polled.status} at ${polled.answeredAt}`);
  if (answered.data.status !== "approved") throw new DemoFailure(`The customer's answer is "${String(answered.data.status)}": nothing is done. That is the product working; run the demo again to see an approval.`);

  step(5, "Asking again, presenting the approval");
  const second = await api<DecisionAnswer>(base, key, "POST", "/decisions", { ...ask, confirmationId: created.confirmationId });
  say(`    POST /api/v1/decisions … "confirmationId": "${created.confirmationId}" → ${second.decision} (${second.reason}), decisionId ${second.decisionId}`);
  if (second.decision !== "allow") throw new DemoFailure(`Expected allow (confirmed_by_customer), got ${second.decision} (${second.reason}).`);

  step(6, "Acting, and recording the action with the decision that allowed it");
  const actionRef = `${ref}-A`;
  const interaction = await api<{ id: number; created: boolean; breaches: unknown[] }>(base, key, "POST", "/interactions", {
    customerId,
    source: "demo-agent",
    ref: actionRef,
    channel: CONTEXT.channel,
    subject: "Wi-Fi signal booster ordered",
    occurredAt: new Date().toISOString(),
    ai: [{ aiSystem: AI_SYSTEM, role: "acted", action: ACTION, actionDetail: SUMMARY.en, humanReviewed: false, trainingEligible: false, decisionId: second.decisionId }],
  });
  say(`    POST /api/v1/interactions ${actionRef} with decisionId → recorded (#${interaction.id}), breaches: ${JSON.stringify(interaction.breaches)}`);
  if (interaction.breaches.length > 0) throw new DemoFailure("A permitted action was recorded as a breach.");
  const replay = await api<DecisionAnswer>(base, key, "POST", "/decisions", { ...ask, confirmationId: created.confirmationId });
  say(`    The approval is single-use: presenting it again → ${replay.decision} (${replay.reason})`);
  if (replay.decision !== "deny") throw new DemoFailure(`A spent approval answered ${replay.decision} (${replay.reason}).`);

  step(7, "Once, on purpose: acting WITHOUT permission (no decisionId)");
  const breachRef = `${ref}-B`;
  const breached = await api<{ id: number; breaches: { index: number; reason: string; concernRef: string | null }[] }>(base, key, "POST", "/interactions", {
    customerId,
    source: "demo-agent",
    ref: breachRef,
    channel: "app",
    subject: "Line restarted by the network assistant",
    occurredAt: new Date().toISOString(),
    ai: [{ aiSystem: AI_SYSTEM, role: "acted", action: "troubleshooting", actionDetail: "Restarted the line remotely (about two minutes offline).", humanReviewed: false, trainingEligible: false }],
  });
  say(`    POST /api/v1/interactions ${breachRef} without decisionId → breaches: ${JSON.stringify(breached.breaches)}`);
  const breach = breached.breaches[0];
  if (!breach) throw new DemoFailure("Candor did not report the action without permission as a breach.");
  await receiver.waitFor((e) => e.event === "breach.detected" && e.data.ref === breachRef, deadline, "the breach.detected webhook");
  say(`    The customer sees "done without your permission" on their timeline: ${base}/en/me/interactions`);
  if (breach.concernRef) say(`    Staff got a case of its own (possible serious incident): ${base}/staff/concerns/${breach.concernRef}`);

  if (receiver.rejected > 0) throw new DemoFailure(`${receiver.rejected} webhook(s) had a signature that did not verify.`);
  say("\nDone: asked → confirmed by the customer → allowed once → acted with its decisionId; the action without permission was caught.");
}

async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  say(`Candor demo agent → ${options.base}, customer ${options.customerId}${options.approveAsCustomer ? " (approving as the customer itself)" : ""}`);
  // Before opening the database: without a running Candor there is nothing to show (and no file to create).
  const health = await fetch(`${options.base}/healthz`).catch(() => undefined);
  if (!health?.ok) {
    console.error(`\nThe demo stopped: no Candor answers at ${options.base}. Start it with \`npm start\` (or pass --url).`);
    return 1;
  }
  const services = await createServices();
  const receiver = new WebhookReceiver();
  const cleanup: (() => Promise<void>)[] = [];
  let code = 0;
  try {
    await runLoop(options, services.db, receiver, cleanup);
  } catch (error) {
    code = 1;
    console.error(`\nThe demo stopped: ${error instanceof DemoFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    say("\nCleaning up");
    for (const undo of cleanup.reverse()) await undo().catch((error: unknown) => console.error(`    cleanup failed: ${String(error)}`));
    await receiver.stop();
    await services.database.close();
  }
  return code;
}

process.exitCode = await main(process.argv.slice(2));
