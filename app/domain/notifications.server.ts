/**
 * Notification emails to customers (SPEC §4, §8): written to the durable outbox in the same
 * transaction as the change that causes them, in the customer's language. Sending (SMTP via
 * nodemailer, retries with backoff) is done by the outbox worker.
 */
import i18next, { type TFunction } from "i18next";
import { eq } from "drizzle-orm";
import { concerns, confirmations, customers, outboxEmails } from "../../db/schema";
import { sameTimeDaysLater } from "../utils/calendar";
import type { Db } from "../utils/db.server";
import { env } from "../utils/env.server";
import { formatMoney } from "../utils/format.server";
import { languageNameIn } from "../utils/language-names";
import { DEFAULT_LANG, isLang } from "../utils/languages";
import { readLocaleResources } from "../utils/locale-files.server";
import { aiSystemNames } from "./ai-register.server";
import type { Concern } from "./concerns/concern";
import type { Confirmation } from "./confirmations.server";
import { MAX_LINK_DAYS, mintLink } from "./links.server";
import { listChoices } from "./preferences.server";
import { companyTimeZone, getSetting, outcomeAuthorities } from "./settings.server";

export type EmailTemplate = "concern_received" | "concern_reply" | "concern_resolved" | "confirmation_request";

/** Stands for the "open your concern" line and a personal link, decided and minted at send time. */
const ACCOUNT_LINK_PLACEHOLDER = "{{account-link}}";
/**
 * Stands for the personal link that opens confirmation request <id> (SPEC §11.1), minted at send
 * time like the account link; written after the agent's summary, so the last one is Candor's.
 */
const CONFIRMATION_LINK_PLACEHOLDER = /\{\{confirmation-link:([0-9a-f-]{36})\}\}/g;
/** Rows queued before ACCOUNT_LINK_PLACEHOLDER: the link alone, after the "open your concern" line. */
const LEGACY_PERSONAL_LINK_PLACEHOLDER = "{{personal-link}}";

type CustomerRecord = Pick<typeof customers.$inferSelect, "email" | "erasedAt">;

/**
 * Whether `address` is the customer's email on record (`customers.email`), ignoring case and
 * surrounding spaces. Only that address may receive a link that opens the account (SPEC §11.3).
 * An erased customer has no address on record.
 */
export function isAddressOnRecord(customer: CustomerRecord | undefined | null, address: string | null | undefined): boolean {
  if (!customer || customer.erasedAt || !customer.email || !address) return false;
  return customer.email.trim().toLowerCase() === address.trim().toLowerCase();
}

/**
 * Whether a concern being filed needs its own private tracking link (SPEC §11.3): always for an
 * anonymous filer (it is their only way back); for a signed-in customer only when its emails go
 * to an address typed into the form that is not their email on record — that address may follow
 * this one concern, never open the account. Async.
 */
export async function needsTrackingLink(
  db: Db,
  input: { customerId: string | null; contactEmail: string | null; contactMethod: string },
): Promise<boolean> {
  if (!input.customerId) return true;
  if (input.contactMethod !== "email" || !input.contactEmail) return false;
  const [customer] = await db
    .select({ email: customers.email, erasedAt: customers.erasedAt })
    .from(customers)
    .where(eq(customers.id, input.customerId))
    .limit(1);
  return !isAddressOnRecord(customer, input.contactEmail);
}

/**
 * The text to send for an outbox row. The account-link placeholder becomes a fresh personal link
 * (7 days) only if, now, the row's recipient is the email on record of the concern's customer
 * and that customer is not erased; otherwise the "no link" line. So an address changed or erased
 * between queueing and sending gets nothing that opens the account (SPEC §11.3). The stored text
 * never holds a personal-link token. Async (it may mint a link).
 */
export async function emailTextToSend(
  db: Db,
  email: { bodyText: string; concernId: number | null; lang: string; toAddress: string; template?: string },
  now = Date.now(),
): Promise<string> {
  if (email.template === "confirmation_request") return confirmationEmailText(db, email, now);
  const hasNew = email.bodyText.includes(ACCOUNT_LINK_PLACEHOLDER);
  const hasLegacy = email.bodyText.includes(LEGACY_PERSONAL_LINK_PLACEHOLDER);
  if (!hasNew && !hasLegacy) return email.bodyText;
  const lang = isLang(email.lang) ? email.lang : DEFAULT_LANG;
  const tr = t(lang);
  const [concern] = email.concernId === null ? [] : await db.select().from(concerns).where(eq(concerns.id, email.concernId)).limit(1);
  const [customer] = concern?.customerId ? await db.select().from(customers).where(eq(customers.id, concern.customerId)).limit(1) : [];
  if (!concern || !customer || !isAddressOnRecord(customer, email.toAddress)) {
    const legacyLines = `${tr("openLink")}\n${LEGACY_PERSONAL_LINK_PLACEHOLDER}`;
    let text = replaceLast(email.bodyText, ACCOUNT_LINK_PLACEHOLDER, tr("noLink"));
    text = text.includes(legacyLines) ? replaceLast(text, legacyLines, tr("noLink")) : text;
    return replaceLast(text, LEGACY_PERSONAL_LINK_PLACEHOLDER, "");
  }
  const { url } = await mintLink(db, { customerId: customer.id, lang, concernRef: concern.ref, createdBy: "email", baseUrl: env().PUBLIC_URL, now });
  return replaceLast(replaceLast(email.bodyText, ACCOUNT_LINK_PLACEHOLDER, `${tr("openLink")}\n${url}`), LEGACY_PERSONAL_LINK_PLACEHOLDER, url);
}

/**
 * The text with the last `needle` replaced by `value` (as is). The placeholder written by
 * queueConcernEmail comes after every staff-written text, so one typed into a reply stays literal.
 */
function replaceLast(text: string, needle: string, value: string): string {
  const at = text.lastIndexOf(needle);
  return at < 0 ? text : text.slice(0, at) + value + text.slice(at + needle.length);
}

let translator: typeof i18next | undefined;

/**
 * The email texts of every language (emails and common namespaces), read once. Inline resources
 * with initAsync off make i18next ready synchronously, so no translation waits on anything.
 */
function t(lang: string): TFunction {
  if (!translator) {
    const resources = readLocaleResources(["emails", "common"]);
    translator = i18next.createInstance();
    void translator.init({ resources, fallbackLng: DEFAULT_LANG, defaultNS: "emails", interpolation: { escapeValue: false }, initAsync: false });
  }
  return translator.getFixedT(isLang(lang) ? lang : DEFAULT_LANG);
}

/**
 * Queues one email about a concern, if the customer can be reached by email. Returns the outbox
 * id, or null when there is no address. `trackingToken` is only known when the concern is filed
 * (see needsTrackingLink); `replyBody` carries the staff reply. Links (SPEC §11.3): an email to
 * the customer's email on record gets a personal link, decided again and minted when sent;
 * any other address gets at most the concern's tracking link, never a link to the account. Async.
 */
export async function queueConcernEmail(
  db: Db,
  concern: Concern,
  template: EmailTemplate,
  extra: { trackingToken?: string | null; replyBody?: string; now?: number } = {},
): Promise<number | null> {
  const [customer] = concern.customerId ? await db.select().from(customers).where(eq(customers.id, concern.customerId)).limit(1) : [];
  const to = concern.contactEmail ?? customer?.email ?? null;
  if (!to || concern.contactMethod !== "email" || customer?.erasedAt) return null;
  const now = extra.now ?? Date.now();
  const lang = isLang(concern.lang) ? concern.lang : DEFAULT_LANG;
  const tr = t(lang);
  const company = await getSetting(db, "companyName");
  const baseUrl = env().PUBLIC_URL;

  let linkLines: string[];
  if (isAddressOnRecord(customer, to)) {
    // Links are credentials: the personal link is minted when the email is sent, never stored.
    linkLines = [ACCOUNT_LINK_PLACEHOLDER];
  } else if (extra.trackingToken) {
    linkLines = [tr("trackingLink"), `${baseUrl}/${lang}/concerns/track/${extra.trackingToken}`];
  } else {
    linkLines = [tr("noLink")];
  }

  const parts: string[] = [tr("greeting"), ""];
  if (template === "concern_received") parts.push(tr("concern_received.body", { ref: concern.ref }));
  if (template === "concern_reply") parts.push(tr("concern_reply.body"), "", extra.replyBody ?? "");
  if (template === "concern_resolved") {
    const reopenGraceDays = await getSetting(db, "reopenGraceDays");
    parts.push(
      tr("concern_resolved.body", { outcome: concern.outcomeCode ? tr(`common:outcomes.${concern.outcomeCode}`) : "" }),
      "",
      concern.outcomeReason ?? "",
      "",
      tr("concern_resolved.remedies", { count: reopenGraceDays }),
    );
    // Every outcome names the competent authorities (SPEC §12; GDPR Art. 77, AI Act Art. 85).
    const { dpa, msa } = await outcomeAuthorities(db, lang);
    if (dpa && msa) parts.push("", tr("concern_resolved.authorities", { dpa: dpa.name, dpaUrl: dpa.url, msa: msa.name, msaUrl: msa.url }));
    else if (dpa) parts.push("", tr("concern_resolved.authorityDpa", { dpa: dpa.name, dpaUrl: dpa.url }));
    else if (msa) parts.push("", tr("concern_resolved.authorityMsa", { msa: msa.name, msaUrl: msa.url }));
  }
  parts.push("", ...linkLines, "", tr("signature", { company }), "", "—", tr("footer", { company, ref: concern.ref }));

  const [row] = await db
    .insert(outboxEmails)
    .values({
      concernId: concern.id,
      toAddress: to,
      lang,
      template,
      subject: tr(`${template}.subject`, { ref: concern.ref }),
      bodyText: parts.join("\n"),
      nextAttemptAt: now,
      createdAt: now,
    })
    .returning({ id: outboxEmails.id });
  return row!.id;
}

// ── "Ask me first" (SPEC §11.1) ─────────────────────────────────────────────

/** What the confirmation email needs of the request (see confirmations.server.ts). */
export interface ConfirmationEmailInput {
  confirmation: Pick<Confirmation, "id" | "actionKey" | "summary" | "amountHundredths" | "currency" | "channel" | "effectiveAt" | "expiresAt">;
  systemId: number;
  customer: Pick<typeof customers.$inferSelect, "email" | "erasedAt" | "locale" | "timeZone">;
  now: number;
}

/**
 * Queues the "ask me first" email (template confirmation_request) in the customer's language, in
 * the caller's transaction: which AI system (register name in that language), what it wants to do
 * (the agent's summary in that language, else the first one given with a note naming its
 * language; plain text, never HTML), the details (amount formatted for the language, channel,
 * when), why we ask (the customer chose "Ask me first" for this action), until when (their time
 * zone, else the company's), and a personal link that opens the request — a placeholder in the
 * stored text, minted when the email is sent (`emailTextToSend`). Only to the customer's email on
 * record (SPEC §11.3): none without one, none for an erased customer. Returns the outbox id or null.
 */
export async function queueConfirmationEmail(db: Db, input: ConfirmationEmailInput): Promise<number | null> {
  const { confirmation: c, customer, now } = input;
  if (!customer.email || customer.erasedAt) return null;
  const lang = isLang(customer.locale) ? customer.locale : DEFAULT_LANG;
  const tr = t(lang);
  const company = await getSetting(db, "companyName");
  const system = (await aiSystemNames(db, lang)).get(input.systemId)?.name ?? "";
  const action = (await listChoices(db, lang)).find((choice) => choice.key === c.actionKey)?.label ?? c.actionKey;
  const [firstLang, firstText] = Object.entries(c.summary)[0] ?? ["", ""];
  const summary = c.summary[lang] ?? firstText;
  const timeZone = customer.timeZone ?? companyTimeZone();
  const when = (ms: number) =>
    new Intl.DateTimeFormat(lang, { weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone, timeZoneName: "short" }).format(ms);

  const details: string[] = [];
  if (c.amountHundredths !== null && c.currency) {
    const amount = formatMoney(c.amountHundredths, c.currency, lang);
    details.push(tr("confirmation_request.amount", { amount }));
  }
  if (c.channel) details.push(tr("confirmation_request.channel", { channel: tr(`common:channels.${c.channel}`, { defaultValue: c.channel }) }));
  if (c.effectiveAt !== null) details.push(tr("confirmation_request.effectiveAt", { date: when(c.effectiveAt) }));

  const parts: string[] = [tr("greeting"), "", tr("confirmation_request.intro", { system }), "", tr("confirmation_request.what"), summary];
  if (c.summary[lang] === undefined) parts.push(tr("confirmation_request.otherLanguage", { language: languageNameIn(firstLang, lang) }));
  if (details.length > 0) parts.push("", ...details);
  parts.push(
    "",
    tr("confirmation_request.why", { action, choice: tr("common:choiceValues.ask") }),
    tr("confirmation_request.until", { date: when(c.expiresAt) }),
    "",
    `{{confirmation-link:${c.id}}}`,
    "",
    tr("signature", { company }),
    "",
    "—",
    tr("confirmation_request.footer", { company }),
  );

  const [row] = await db
    .insert(outboxEmails)
    .values({
      concernId: null,
      toAddress: customer.email,
      lang,
      template: "confirmation_request",
      subject: tr("confirmation_request.subject", { system }),
      bodyText: parts.join("\n"),
      nextAttemptAt: now,
      createdAt: now,
    })
    .returning({ id: outboxEmails.id });
  return row!.id;
}

/**
 * The text to send for a confirmation email: Candor's placeholder (the last one: an agent's
 * summary cannot plant one after it) becomes the "answer here" line and a fresh personal link that
 * opens the request — only if, now, the recipient is the email on record of the request's
 * customer and that customer is not erased; otherwise a line saying to sign in. The link lives at
 * least until the request expires (whole days on the company's calendar, at least 1, at most
 * MAX_LINK_DAYS). Placeholders the agent typed stay as the text they were.
 */
async function confirmationEmailText(db: Db, email: { bodyText: string; lang: string; toAddress: string }, now: number): Promise<string> {
  const last = [...email.bodyText.matchAll(CONFIRMATION_LINK_PLACEHOLDER)].at(-1);
  if (!last || last.index === undefined) return email.bodyText;
  const lang = isLang(email.lang) ? email.lang : DEFAULT_LANG;
  const tr = t(lang);
  const [request] = await db
    .select({ id: confirmations.id, customerId: confirmations.customerId, expiresAt: confirmations.expiresAt })
    .from(confirmations)
    .where(eq(confirmations.id, last[1]!))
    .limit(1);
  const [customer] = request ? await db.select().from(customers).where(eq(customers.id, request.customerId)).limit(1) : [];
  let lines = tr("confirmation_request.noLink");
  if (request && customer && isAddressOnRecord(customer, email.toAddress)) {
    const expiresAt = Number(request.expiresAt);
    let days = 1;
    while (days < MAX_LINK_DAYS && sameTimeDaysLater(now, days, companyTimeZone()) < expiresAt) days++;
    const { url } = await mintLink(db, { customerId: customer.id, lang, confirmationId: request.id, days, createdBy: "email", baseUrl: env().PUBLIC_URL, now });
    lines = `${tr("confirmation_request.openLink")}\n${url}`;
  }
  return email.bodyText.slice(0, last.index) + lines + email.bodyText.slice(last.index + last[0].length);
}
