/**
 * "Ask me first" asks someone (SPEC §11.1): the data and the answer of the customer's confirmation
 * page, shared by the portal (/:lang/me/confirmations/:id) and the embed twin, and the "Waiting for
 * your answer" block of the overview. Times are formatted here, on the server, in the page's
 * language and the customer's time zone.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect } from "react-router";
import { z } from "zod";
import type { ConfirmationView } from "~/components/confirmation-view";
import type { PendingConfirmationItem } from "~/components/confirmation-waiting";
import { aiSystemNames } from "~/domain/ai-register.server";
import {
  answerConfirmation,
  findCustomerConfirmation,
  pendingConfirmations,
  type Confirmation,
} from "~/domain/confirmations.server";
import type { Customer } from "~/domain/customers.server";
import { getPreferences, listChoices } from "~/domain/preferences.server";
import type { Db } from "~/utils/db.server";
import { dateFor, formatMoney, formatRelativeTime } from "~/utils/format.server";
import { readForm } from "~/utils/forms.server";
import { ConfirmationAnswerSchema } from "~/components/confirmation-view";

/** Confirmation ids are UUIDs (app/api/schemas.ts `ConfirmationId`); anything else is not found. */
const IdSchema = z.uuid();

/** After an answer (`?done=answered`) or a refused late/second answer (`?done=closed`). */
const DONE_VALUES = ["answered", "closed"] as const;
export type ConfirmationDone = (typeof DONE_VALUES)[number];

export function doneFlash(url: string): ConfirmationDone | null {
  const value = new URL(url).searchParams.get("done");
  return (DONE_VALUES as readonly string[]).includes(value ?? "") ? (value as ConfirmationDone) : null;
}

/** A customer-facing time: the page's language, the customer's own time zone, the zone named. */
export function customerTime(ms: number, lang: string, timeZone: string | null): { iso: string; text: string } {
  return dateFor(ms, lang, "dateTimeZone", timeZone);
}

/**
 * The agent's summary in the page's language (exact, else the same primary language), else the
 * first one it gave, with that language's name for the visible "shown in …" note.
 */
export function summaryFor(summary: Record<string, string>, lang: string): { text: string; lang: string; fallbackLanguage: string | null } {
  const entries = Object.entries(summary);
  const primary = (tag: string) => tag.toLowerCase().split(/[-_]/)[0];
  const chosen =
    entries.find(([tag]) => tag === lang) ?? entries.find(([tag]) => primary(tag) === primary(lang)) ?? entries[0] ?? [lang, ""];
  const [tag, text] = chosen;
  if (primary(tag) === primary(lang)) return { text, lang: tag, fallbackLanguage: null };
  let name = tag;
  try {
    name = new Intl.DisplayNames([lang], { type: "language" }).of(tag) ?? tag;
  } catch {
    // A tag Intl cannot name is shown as it was given.
  }
  return { text, lang: tag, fallbackLanguage: name };
}

/** The register's names of AI systems in `lang`, by slug. */
async function namesBySlug(db: Db, lang: string): Promise<Map<string, string>> {
  return new Map(Array.from(await aiSystemNames(db, lang), ([, system]) => [system.slug, system.name]));
}


/**
 * Everything the confirmation page shows of one request (SPEC §11.1): what (summary as text), which
 * AI system (register name in `lang`), the details (amount in hundredths → formatted with its
 * currency; channel code; effective time), why it asks (the customer's current value for the action
 * kind: own or default), when it expires, and the stored outcome (answer, use). `now` in ms.
 */
export async function confirmationView(db: Db, customer: Customer, c: Confirmation, lang: string, now = Date.now()): Promise<ConfirmationView> {
  const time = (ms: number) => customerTime(ms, lang, customer.timeZone);
  const choice = (await listChoices(db, lang)).find((x) => x.key === c.actionKey);
  const preference = (await getPreferences(db, customer.id)).find((p) => p.key === c.actionKey);
  return {
    id: c.id,
    status: c.status,
    summary: summaryFor(c.summary, lang),
    system: { slug: c.aiSystemSlug, name: (await namesBySlug(db, lang)).get(c.aiSystemSlug) ?? c.aiSystemSlug },
    action: { key: c.actionKey, label: choice?.label ?? c.actionKey },
    why: preference ? { value: preference.value, isDefault: preference.isDefault } : null,
    amount: c.amountHundredths !== null ? formatMoney(c.amountHundredths, c.currency, lang) : null,
    channel: c.channel,
    effectiveAt: c.effectiveAt !== null ? time(c.effectiveAt) : null,
    createdAt: time(c.createdAt),
    expiresAt: c.status === "pending" && now < c.expiresAt ? { ...time(c.expiresAt), relative: formatRelativeTime(c.expiresAt, now, lang) } : time(c.expiresAt),
    expired: now >= c.expiresAt,
    answer: c.answer ? { answer: c.answer.answer, method: c.answer.method, at: time(c.answer.createdAt) } : null,
    usedAt: c.usedAt !== null ? time(c.usedAt) : null,
  };
}

/** One of the customer's own requests by its URL id; another customer's or an unknown id → 404 (no oracle). */
export async function loadOwnConfirmation(db: Db, customer: Customer, rawId: string | undefined): Promise<Confirmation> {
  const id = IdSchema.safeParse(rawId);
  const confirmation = id.success ? await findCustomerConfirmation(db, customer.id, id.data) : undefined;
  if (!confirmation) throw data(null, { status: 404 });
  return confirmation;
}

/**
 * Approve or decline (one form, `intent=approve|decline`, a plain POST that works without
 * JavaScript): records the answer with its method ("portal" | "embed") and the page's language,
 * then redirects (303) to `pagePath?done=answered`; a second answer, or one after expiry, changes
 * nothing and redirects to `pagePath?done=closed`, where the stored outcome is shown.
 * A tampered intent → 400 with the form's error.
 */
export async function answerFromForm(
  request: Request,
  db: Db,
  input: { customer: Customer; confirmation: Confirmation; method: "portal" | "embed"; lang: string; pagePath: string },
) {
  const submission = parseWithZod(await readForm(request), { schema: ConfirmationAnswerSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const result = await answerConfirmation(db, {
    customerId: input.customer.id,
    id: input.confirmation.id,
    answer: submission.value.intent === "approve" ? "approved" : "declined",
    method: input.method,
    lang: input.lang,
  });
  if (result.status === "not_found") throw data(null, { status: 404 });
  const url = new URL(input.pagePath, "http://candor.invalid");
  url.searchParams.set("done", result.status === "answered" ? "answered" : "closed");
  return redirect(`${url.pathname}${url.search}#outcome`, 303);
}

/** The overview's "Waiting for your answer" block: pending requests, newest first. */
export async function pendingConfirmationItems(db: Db, customer: Customer, lang: string, now = Date.now()): Promise<PendingConfirmationItem[]> {
  const pending = await pendingConfirmations(db, customer.id, now);
  if (pending.length === 0) return [];
  const names = await namesBySlug(db, lang);
  return pending.map((c) => ({
    id: c.id,
    summary: summaryFor(c.summary, lang),
    systemName: names.get(c.aiSystemSlug) ?? c.aiSystemSlug,
    expiresAt: { ...customerTime(c.expiresAt, lang, customer.timeZone), relative: formatRelativeTime(c.expiresAt, now, lang) },
  }));
}
