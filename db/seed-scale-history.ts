/**
 * One bulk customer's history for `npm run seed:scale` (db/seed-scale.ts), as rows for the bulk
 * writer (db/seed-scale-writer.ts): choices with their consent events, interactions with their AI
 * involvement and the decision checks behind them, now and then a concern, a confirmation request
 * or a permission breach. Deterministic per customer number (a PRNG seeded with it), apart from
 * the random bits of the UUIDs.
 */
import { randomUUID } from "node:crypto";
import { concernSearchText } from "../app/utils/text";
import { AI_SYSTEMS, CONCERN_TEXTS, INTERACTION_TEMPLATES, STAFF_REPLIES, OUTCOME_REASONS, type Lang } from "./seed-data";
import type { ScaleRows } from "./seed-scale-writer";
import { mulberry32 } from "./seeded-random";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;
/** Customer ids of the bulk: `scale-` and seven digits. */
export const SCALE_PREFIX = "scale-";
/** Bulk customer `n`'s id: `scale-0000042`. */
export const scaleCustomerId = (n: number) => `${SCALE_PREFIX}${String(n).padStart(7, "0")}`;
/** Words that make search meaningful: each concern names a place and a product. */
const PLACES = ["München", "Zürich", "Köln", "Genève", "Tromsø", "Besançon", "Düsseldorf", "Orléans", "Malmö", "Straßburg", "Nîmes", "Göteborg", "Århus", "Brønnøysund", "Sète", "Lübeck"];
const PRODUCTS = ["Fibre 500", "Mobil 40 GB", "Family Flex", "Roaming Plus", "TV Basis", "Business Pro", "Prepaid Smart", "Home Wi-Fi Mesh"];
/** Customers' languages, in proportion (also the scale staff's). */
export const LANGS: Lang[] = ["en", "en", "en", "en", "en", "fr", "fr", "de", "de", "ar"];
const CHANNELS = ["chat", "email", "phone", "app", "web", "sms"];

// ── Deterministic randomness per customer ──────────────────────────────────
/** Seeded per customer number, so growth is reproducible. */
function prng(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}

/**
 * UUIDv7-shaped ids (RFC 9562) in increasing order: a 48-bit millisecond clock that advances every
 * 4,096 ids, a 12-bit counter, random bits. Bulk rows then append to the primary-key and
 * receipt-id indexes instead of landing on random pages (a 1M seed 2-3x faster).
 */
export function orderedIds(startMs: number) {
  let counter = 0;
  return () => {
    const ms = startMs + Math.floor(counter / 4096);
    const sequence = counter++ % 4096;
    const random = randomUUID();
    const time = ms.toString(16).padStart(12, "0");
    return `${time.slice(0, 8)}-${time.slice(8)}-7${sequence.toString(16).padStart(3, "0")}-${random.slice(19, 23)}-${random.slice(24)}`;
  };
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** A unique, random-looking reference per concern number (an odd multiplier is a bijection mod 2^40). */
function concernRef(n: number): string {
  let value = (BigInt(n + 1) * 0x9e3779b97fn) & ((1n << 40n) - 1n);
  let chars = "";
  for (let i = 0; i < 8; i++) {
    chars = CROCKFORD[Number(value & 31n)]! + chars;
    value >>= 5n;
  }
  return `C-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

// ── What already exists ─────────────────────────────────────────────────────
/** What exists before the bulk (read by db/seed-scale.ts) and the counters the bulk advances. */
export interface ScaleContext {
  now: number;
  systems: { id: number; slug: string }[];
  systemIdBySlug: Map<string, number>;
  choices: { key: string; kind: string; noticeVersion: number }[];
  staff: { id: number; name: string }[];
  /** The demo agent (agent@nordlys.example): gets a share of the assignments, for "assigned to me". */
  demoAgentId: number;
  nextId: Record<"consentEvents" | "interactions" | "interactionAi" | "concerns", number>;
  /** Decision ids and consent receipt ids (UUIDs). */
  uuid: () => string;
}

// ── One customer's history ──────────────────────────────────────────────────
const TEMPLATE_NAMES = Object.keys(INTERACTION_TEMPLATES);
const OPEN_STATUSES = ["new", "in_progress", "waiting_customer", "waiting_third_party", "escalated"] as const;
const OUTCOMES = ["upheld", "partly_upheld", "not_upheld", "explained", "explained", "explained", "action_reversed"] as const;
const RIGHTS_BASED = new Set(["explanation", "human_review", "privacy"]);

/** Appends customer `n`'s rows to `rows` (ids from `ctx.nextId` and `ctx.uuid`, which advance). */
export function customerRows(ctx: ScaleContext, n: number, rows: ScaleRows): void {
  const r = prng(n * 2654435761 + 17);
  const { now } = ctx;
  const id = scaleCustomerId(n);
  const lang = r.pick(LANGS);
  const createdAt = now - r.int(30, 730) * DAY - r.int(0, DAY - 1);
  const span = now - createdAt;
  const at = () => createdAt + Math.floor(r.next() * span);

  // Choices: each save is a consent event; the current value is the last one.
  let preferenceVersion = 0;
  const values = new Map<string, string>();
  const chosen = ctx.choices.filter(() => r.chance(0.3)).slice(0, 4);
  for (const choice of chosen) {
    const options = choice.kind === "action" ? ["allow", "ask", "never"] : ["yes", "no"];
    const saves = r.chance(0.3) ? 2 : 1;
    let previous: string | null = null;
    let savedAt = createdAt + r.int(0, Math.floor(span / 2));
    let value = r.pick(options);
    let limits: string | null = null;
    for (let s = 0; s < saves; s++) {
      value = r.pick(options);
      limits = value === "allow" && r.chance(0.25) ? JSON.stringify(r.chance(0.5) ? { maxAmount: { hundredths: r.pick([1000, 2500, 5000, 10000]), currency: "EUR" } } : { channels: [r.pick(CHANNELS)] }) : null;
      rows.consentEvents.push([ctx.nextId.consentEvents++, ctx.uuid(), id, choice.key, value, previous, choice.noticeVersion, lang, r.pick(["portal", "portal", "embed", "api"]), limits, savedAt]);
      preferenceVersion++;
      previous = value;
      if (s + 1 < saves) savedAt += r.int(1, 60) * DAY;
    }
    values.set(choice.key, value);
    rows.preferences.push([id, choice.key, value, choice.noticeVersion, "portal", savedAt, limits]);
  }
  rows.customers.push([id, `${id}@customers.example`, lang, preferenceVersion, createdAt, now, r.chance(0.05) ? r.pick(["Europe/Paris", "Europe/Berlin", "Asia/Dubai", "Europe/Oslo"]) : null]);

  // Interactions, their AI involvement, and the checks an acting AI made first (SPEC §11.5).
  const interactionIds: number[] = [];
  const actedAiIds: { aiId: number; interactionId: number; systemId: number; actionKey: string }[] = [];
  const count = r.int(2, 5);
  for (let k = 0; k < count; k++) {
    const templateName = r.pick(TEMPLATE_NAMES);
    const template = INTERACTION_TEMPLATES[templateName]!;
    const interactionId = ctx.nextId.interactions++;
    const occurredAt = at();
    interactionIds.push(interactionId);
    rows.interactions.push([interactionId, id, "contact-center", `SC-${String(n).padStart(7, "0")}-${k}`, template.channel, template.subject[lang], occurredAt, occurredAt]);
    for (const ai of template.ai) {
      const systemId = ctx.systemIdBySlug.get(ai.system);
      if (systemId === undefined) continue;
      let decisionId: string | null = null;
      // An AI acts only after an "allow" (SPEC §11.5); without one it asked, and a person acted.
      const acts = ai.role === "acted" && ai.actionKey !== undefined && values.get(ai.actionKey) === "allow";
      if (ai.role === "acted" && ai.actionKey) {
        decisionId = ctx.uuid();
        const context = JSON.stringify({ channel: template.channel, identity: { verified: true } });
        const [decision, reason] = acts ? ["allow", "preference_allow"] : values.get(ai.actionKey) === "never" ? ["deny", "preference_never"] : ["ask", values.has(ai.actionKey) ? "preference_ask" : "default_ask"];
        rows.decisions.push([decisionId, id, ai.actionKey, ai.system, interactionId, decision, reason, preferenceVersion, context, occurredAt - 60_000]);
        if (!acts) decisionId = null;
      }
      const aiId = ctx.nextId.interactionAi++;
      const role = ai.role === "acted" && !acts ? "drafted" : ai.role;
      rows.interactionAi.push([aiId, interactionId, systemId, role, acts ? ai.actionKey : null, acts ? ai.actionDetail?.[lang] ?? null : null, ai.humanReviewed, ai.trainingEligible && values.get("training") !== "no", decisionId, false]);
      if (acts) actedAiIds.push({ aiId, interactionId, systemId, actionKey: ai.actionKey! });
    }
    // Checks that did not lead to an action (asked, refused).
    for (const check of template.checks ?? []) {
      const own = values.get(check.actionKey);
      const decision = own === "never" ? "deny" : "ask";
      const reason = own === "never" ? "preference_never" : own === "ask" ? "preference_ask" : "default_ask";
      rows.decisions.push([ctx.uuid(), id, check.actionKey, check.system, interactionId, decision, reason, preferenceVersion, null, occurredAt - 30_000]);
    }
  }
  // Agents' checks without an interaction of their own (the hot path's everyday traffic).
  for (let k = r.int(0, 2); k > 0; k--) {
    const actionKey = r.pick(["plan-changes", "billing-arrangements", "troubleshooting", "proactive-outreach", "orders"]);
    const own = values.get(actionKey);
    const [decision, reason] = own === "allow" ? ["allow", "preference_allow"] : own === "never" ? ["deny", "preference_never"] : ["ask", own ? "preference_ask" : "default_ask"];
    rows.decisions.push([ctx.uuid(), id, actionKey, r.pick(AI_SYSTEMS).slug, null, decision, reason, preferenceVersion, null, at()]);
  }

  // A concern for about one customer in twenty.
  if (r.chance(0.05)) concernRows(ctx, r, rows, { customerId: id, lang, interactionIds, filedAt: Math.max(createdAt, now - Math.floor(r.next() * 2 * YEAR)) });

  // Confirmation requests ("ask me first", SPEC §11.1): about one customer in 500.
  if (r.chance(0.002)) {
    const confirmationId = ctx.uuid();
    const createdAtC = at();
    const summary = JSON.stringify({ [lang]: `${r.pick(PRODUCTS)}: ${r.int(5, 60)} EUR` });
    rows.confirmations.push([confirmationId, id, "plan-changes", "offer-predictor", interactionIds[0] ?? null, summary, r.int(5, 60) * 100, "EUR", "app", createdAtC + 2 * DAY, createdAtC]);
    if (createdAtC + 2 * DAY < now || r.chance(0.7)) {
      const answer = createdAtC + 2 * DAY < now && r.chance(0.2) ? "expired" : r.pick(["approved", "approved", "declined"]);
      rows.confirmationAnswers.push([confirmationId, id, answer, answer === "expired" ? "system" : "portal", lang, createdAtC + r.int(1, 40) * HOUR]);
    }
  }

  // Permission breaches (SPEC §11.5): about one customer in 5,000, with a staff case each.
  const acted = actedAiIds[0];
  if (acted && r.chance(0.0002)) {
    const concernId = concernRows(ctx, r, rows, { customerId: id, lang, interactionIds: [acted.interactionId], filedAt: at(), breach: true });
    rows.breaches.push([acted.aiId, acted.interactionId, id, acted.systemId, acted.actionKey, null, "decision_missing", concernId, now - r.int(1, 300) * DAY]);
  }
}

/** Appends one concern with its events and messages; returns its id. */
function concernRows(
  ctx: ScaleContext,
  r: ReturnType<typeof prng>,
  rows: ScaleRows,
  input: { customerId: string; lang: Lang; interactionIds: number[]; filedAt: number; breach?: boolean },
): number {
  const { now } = ctx;
  const concernId = ctx.nextId.concerns++;
  const text = r.pick(CONCERN_TEXTS);
  const kind = input.breach ? "unwanted_action" : text.kind;
  const ref = concernRef(concernId);
  const description = `${text.description[input.lang]}\n${r.pick(PLACES)} · ${r.pick(PRODUCTS)} · ${input.breach ? "breach" : `#${r.int(10000, 99999)}`}`;
  const desiredOutcome = text.desiredOutcome[input.lang];
  const createdAt = input.filedAt;
  const age = now - createdAt;
  // Recent concerns are mostly open; older ones resolved, closed (or withdrawn, spam).
  const openChance = age < 3 * DAY ? 0.95 : age < 14 * DAY ? 0.6 : age < 45 * DAY ? 0.25 : age < 120 * DAY ? 0.02 : 0;
  let status: string;
  if (r.chance(openChance)) status = age < 2 * DAY && r.chance(0.6) ? "new" : r.pick(OPEN_STATUSES);
  else if (age < 30 * DAY) status = r.chance(0.9) ? "resolved" : r.pick(["withdrawn", "spam"]);
  else status = r.chance(0.93) ? "closed" : r.pick(["withdrawn", "spam", "resolved"]);
  const assigneeId = status === "new" && r.chance(0.7) ? null : r.chance(0.2) ? ctx.demoAgentId : r.pick(ctx.staff).id;
  const staff = ctx.staff.find((s) => s.id === assigneeId) ?? ctx.staff[0]!;
  const slaDueAt = createdAt + 48 * HOUR;
  const statutoryDueAt = RIGHTS_BASED.has(kind) ? createdAt + 30 * DAY : null;
  const firstResponseAt = status === "new" ? null : Math.min(now - 1, createdAt + r.int(1, 60) * HOUR);
  const resolved = status === "resolved" || status === "closed";
  const resolvedAt = resolved ? Math.min(now - 1, (firstResponseAt ?? createdAt) + r.int(1, 20 * 24) * HOUR) : null;
  const closedAt = status === "closed" ? Math.min(now - 1, resolvedAt! + 14 * DAY) : status === "withdrawn" || status === "spam" ? Math.min(now - 1, createdAt + r.int(1, 10) * DAY) : null;
  const slaPausedAt = status === "waiting_customer" ? Math.min(now - 1, (firstResponseAt ?? createdAt) + HOUR) : null;
  const outcomeCode = resolved ? r.pick(OUTCOMES) : null;
  const outcomeReason = resolved ? OUTCOME_REASONS["offer-explained"][input.lang] : null;
  const updatedAt = closedAt ?? resolvedAt ?? slaPausedAt ?? firstResponseAt ?? createdAt;
  const systemId = r.pick(ctx.systems).id;
  rows.concerns.push([
    concernId, ref, input.customerId, `${input.customerId}@customers.example`, "portal", input.lang, kind, input.interactionIds[0] ?? null, Number(systemId), description, desiredOutcome,
    input.breach ? "breach" : "customer", concernSearchText({ ref, description, desiredOutcome }),
    status, input.breach ? "high" : r.pick(["normal", "normal", "normal", "low", "high", "urgent"]), outcomeCode, outcomeReason, assigneeId, !input.breach && r.chance(0.003), slaPausedAt, slaDueAt, statutoryDueAt,
    firstResponseAt, resolvedAt, closedAt, 1, createdAt, updatedAt,
  ]);
  const event = (from: string | null, to: string, actor: string, when: number) => rows.concernEvents.push([concernId, from, to, actor, actor === "staff" ? assigneeId ?? staff.id : null, when]);
  event(null, "new", input.breach ? "system" : "customer", createdAt);
  if (firstResponseAt !== null) {
    const reply = STAFF_REPLIES["offer-explained"];
    rows.concernMessages.push([concernId, "staff", staff.id, reply.authorName, "public", reply.body[input.lang], firstResponseAt]);
    if (r.chance(0.3)) rows.concernMessages.push([concernId, "staff", staff.id, staff.name, "internal", `${r.pick(PRODUCTS)} — ${r.pick(PLACES)}`, firstResponseAt + 60_000]);
    event("new", "in_progress", "staff", firstResponseAt);
  }
  if (status !== "new" && status !== "in_progress") {
    const last = status === "closed" ? "resolved" : status;
    const when = resolvedAt ?? slaPausedAt ?? closedAt ?? Math.min(now - 1, (firstResponseAt ?? createdAt) + HOUR);
    event(firstResponseAt !== null ? "in_progress" : "new", last, status === "withdrawn" ? "customer" : "staff", when);
    if (status === "closed") event("resolved", "closed", "system", closedAt!);
  }
  return concernId;
}

