/**
 * The server side of "My choices" (portal and embed): what the page shows (`preferencesPageData`)
 * and what its two kinds of form do (`handlePreferencesPost`): the main form saves what the
 * customer changed; the form of a choice awaiting reconfirmation confirms (or changes) that one
 * choice under the notice it shows (SPEC §3.2, §7, §11.2; GDPR Art. 7).
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type RouterContextProvider } from "react-router";
import { z } from "zod";
import { gpcContext, servicesContext } from "~/context";
import {
  confirmChoice,
  countChangesSavedAt,
  getPreferences,
  listChoices,
  listConsentHistory,
  noticeChangesSince,
  savePreferences,
  StaleNoticeError,
  type Choice,
  type CurrentPreference,
} from "~/domain/preferences.server";
import { parseLimits } from "~/domain/permission-limits";
import { companyTimeZone } from "~/domain/settings.server";
import { LIMIT_MAX_AMOUNT_HUNDREDTHS } from "~/domain/vocabulary";
import { requireCustomer } from "~/middleware/customer.server";
import { getI18n, getLang } from "~/middleware/i18n.server";
import { dateFor } from "~/utils/format.server";
import { msg } from "~/utils/form-messages";
import { readForm } from "~/utils/forms.server";
import { limitsSummary } from "./limits-summary.server";
import { ALLOWED_FOR_DAYS_OPTIONS, LIMIT_CURRENCIES, limitsFormValues, type AmountOffer, type PreferencesFormOptions } from "./preferences-fields";
import { confirmSchema, formToSave, preferencesSchema } from "./preferences-form";
import { provideChoiceParts } from "./preferences-later";
import * as choiceParts from "./preferences-parts";
import { timeZoneGroups, timeZoneValues } from "./preferences-time-zones.server";

// The server renders the page's later parts at once (preferences-later.tsx).
provideChoiceParts(choiceParts);

type Args = { request: Request; context: Readonly<RouterContextProvider>; params: Record<string, string | undefined> };

/** The latest events on the page (the rest are a link away, in My data): short on a phone. */
const HISTORY_SHOWN = 10;

/** A cap is offered where the kind's actions involve money; one stored before may only stay or go. */
function amountOffer(choice: Choice, current: CurrentPreference | undefined): AmountOffer {
  if (choice.involvesAmount) return { offer: "offered" };
  const cap = current?.limits?.maxAmount;
  return cap ? { offer: "keep", hundredths: cap.hundredths, currency: cap.currency } : { offer: "no" };
}

/** The main form's options as the loader sends them: the action rebuilds the same schema from them. */
function formOptions(choices: Choice[], current: CurrentPreference[], zones: string[], lang: string): PreferencesFormOptions {
  const stored = current.flatMap((p) => (p.limits ? [p.limits] : []));
  return {
    choices: choices.map((c) => {
      const p = current.find((x) => x.key === c.key);
      return { key: c.key, kind: c.kind, ...(c.kind === "action" ? { amount: amountOffer(c, p) } : {}), ...(p?.needsReconfirmation ? { pending: true } : {}) };
    }),
    timeZones: zones,
    currencies: [...new Set([...LIMIT_CURRENCIES, ...stored.flatMap((l) => (l.maxAmount ? [l.maxAmount.currency] : []))])],
    dayOptions: [...new Set([...ALLOWED_FOR_DAYS_OPTIONS, ...stored.flatMap((l) => (l.allowedForDays ? [l.allowedForDays] : []))])].sort((a, b) => a - b),
    maxAmountText: new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(LIMIT_MAX_AMOUNT_HUNDREDTHS / 100),
  };
}

const parseShown = (shown: string) =>
  Object.fromEntries(shown.split(",").map((pair) => [pair.split(":")[0]!, Number(pair.split(":")[1])]));

/**
 * `?saved=<time of the save>` after a save, `&confirmed=<choice>` after a confirmation: the notice
 * counts what that save recorded. Built on the server only, so Zod stays out of the page's JavaScript.
 */
let savedQuery: z.ZodType<{ saved?: number; confirmed?: string }> | undefined;
const querySchema = () =>
  (savedQuery ??= z.object({
    saved: z.coerce.number().int().min(0).max(8.64e15).optional().catch(0),
    confirmed: z.string().max(100).optional().catch(undefined),
  }));

/** Everything "My choices" shows, formatted for the request's language. */
export async function preferencesPageData({ request, context }: Args) {
  const customer = requireCustomer(context);
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const t = getI18n(context).t;
  const choices = await listChoices(db, lang);
  const gpc = context.get(gpcContext);
  const current = await getPreferences(db, customer.id, { gpc });
  const labels = Object.fromEntries(choices.map((c) => [c.key, c.label]));
  const events = await listConsentHistory(db, customer.id);
  const timeZone = customer.timeZone ?? companyTimeZone();
  const zoneValues = timeZoneValues([companyTimeZone(), customer.timeZone]);
  const zones = timeZoneGroups(lang, zoneValues, (key) => t(`preferences.timeZones.${key}`));
  // The zone list reaches the page once, in its HTML (TimeZoneField): the browser's check leaves the zone to the server.
  const options = { ...formOptions(choices, current, zoneValues, lang), timeZones: [] };
  // Amounts are typed with the page's decimal sign; digits stay 0–9 in every language.
  const decimalComma = new Intl.NumberFormat(lang).formatToParts(1.5).find((p) => p.type === "decimal")?.value === ",";
  const currencyNames = new Intl.DisplayNames(lang, { type: "currency", fallback: "code" });
  const { saved, confirmed } = querySchema().parse(Object.fromEntries(new URL(request.url).searchParams));
  // What changed since the notice version the customer chose under: shown with the re-ask.
  const reaskFor = async (key: string, since: number) => {
    const { changes, earlier } = await noticeChangesSince(db, key, since, lang);
    return {
      changes: changes.map((ch) => ({ ...ch, publishedAt: dateFor(ch.publishedAt, lang, "date") })),
      earlierExplanation: changes.some((ch) => ch.textChanged) ? (earlier?.explanation ?? null) : null,
    };
  };
  const shownChoices = [];
  for (const c of choices) {
    const p = current.find((x) => x.key === c.key)!;
    const offer = c.kind === "action" ? amountOffer(c, p) : null;
    shownChoices.push({
      key: c.key,
      kind: c.kind,
      label: c.label,
      explanation: c.explanation,
      fallback: c.fallback,
      noticeVersion: c.noticeVersion,
      value: p.value,
      isDefault: p.isDefault,
      method: p.method,
      needsReconfirmation: p.needsReconfirmation,
      gpcApplied: p.gpcApplied,
      updatedAt: p.updatedAt ? dateFor(p.updatedAt, lang) : null,
      reask: p.noticeVersion < c.noticeVersion ? await reaskFor(c.key, p.noticeVersion) : null,
      permissionExpired: p.permissionExpired,
      allowedUntil: p.allowedUntil !== null ? dateFor(p.allowedUntil, lang, "date") : null,
      limits: offer
        ? {
            values: limitsFormValues(p.limits, decimalComma, LIMIT_CURRENCIES[0]),
            summary: limitsSummary(p.limits, lang),
            amountOffered: offer.offer !== "no",
          }
        : null,
    });
  }
  // Events are newest first: the one after an event is the same choice's previous record.
  const limitsChanged = (index: number) => {
    const event = events[index]!;
    const previous = events.slice(index + 1).find((e) => e.choiceKey === event.choiceKey);
    return JSON.stringify(parseLimits(event.limits)) !== JSON.stringify(parseLimits(previous?.limits ?? null));
  };
  const savedCount = saved === undefined ? null : await countChangesSavedAt(db, customer.id, saved);
  // A confirmation is announced only when that save recorded an event for that choice.
  const confirmedEvent = saved !== undefined && confirmed ? events.find((e) => e.createdAt === saved && e.choiceKey === confirmed && e.method !== "gpc") : undefined;
  return {
    lang,
    saved: savedCount,
    confirmed: confirmedEvent ? { label: labels[confirmedEvent.choiceKey] ?? confirmedEvent.choiceKey } : null,
    gpc,
    choices: shownChoices,
    options,
    timeZone,
    // No time-zone list: it is in the page's HTML only (TimeZoneField).
    timeZoneLabel: zones.labels.get(timeZone) ?? timeZone,
    currencies: options.currencies.map((code) => ({ code, name: currencyNames.of(code) ?? code })),
    history: events.slice(0, HISTORY_SHOWN).map((e, index) => ({
      receiptId: e.receiptId,
      label: labels[e.choiceKey] ?? e.choiceKey,
      value: e.value,
      previousValue: e.previousValue,
      method: e.method,
      limitsChanged: limitsChanged(index),
      createdAt: dateFor(e.createdAt, lang),
    })),
    historyTotal: events.length,
  };
}

/**
 * POST of "My choices": `intent=confirm` answers the re-ask of one choice (`confirmChoice`);
 * anything else is the main form (`savePreferences`, which records only what changed). Method
 * "embed" when the route's params name an embed site. Redirects (303) to the page with the saved
 * notice, or answers 400 (invalid form) / 409 (a notice changed meanwhile) with the form's errors.
 */
export async function handlePreferencesPost({ request, context, params }: Args) {
  const customer = requireCustomer(context);
  const method = "site" in params ? "embed" : "portal";
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const choices = await listChoices(db, lang);
  const current = await getPreferences(db, customer.id);
  const form = await readForm(request);
  const gpc = context.get(gpcContext);
  if (form.get("intent") === "confirm") {
    const pending = choices.filter((c) => current.find((p) => p.key === c.key)?.needsReconfirmation);
    const submission = parseWithZod(form, { schema: confirmSchema(pending) });
    if (submission.status !== "success") return data({ result: null, confirm: submission.reply() }, { status: 400 });
    const { choice, value, shown } = submission.value;
    try {
      const { savedAt } = await confirmChoice(db, { customerId: customer.id, choiceKey: choice, value, noticeVersionShown: shown, lang, method, gpc });
      return redirect(`/${lang}/me/preferences?saved=${savedAt}&confirmed=${encodeURIComponent(choice)}#saved`, 303);
    } catch (error) {
      if (error instanceof StaleNoticeError) return data({ result: null, confirm: submission.reply({ formErrors: [msg("noticeChanged")] }) }, { status: 409 });
      throw error;
    }
  }
  const schema = preferencesSchema(formOptions(choices, current, timeZoneValues([companyTimeZone(), customer.timeZone]), lang));
  const submission = parseWithZod(form, { schema });
  if (submission.status !== "success") return data({ result: submission.reply(), confirm: null }, { status: 400 });
  const { shown, values, limits, timeZone } = formToSave(submission.value);
  try {
    const { savedAt } = await savePreferences(db, {
      customerId: customer.id,
      values,
      limits,
      timeZone,
      lang,
      method,
      noticeVersionsShown: parseShown(shown),
      confirmed: [],
      gpc,
    });
    return redirect(`/${lang}/me/preferences?saved=${savedAt}#saved`, 303);
  } catch (error) {
    if (error instanceof StaleNoticeError) return data({ result: submission.reply({ formErrors: [msg("noticeChanged")] }), confirm: null }, { status: 409 });
    throw error;
  }
}
