import { parseWithZod } from "@conform-to/zod/v4";
import { useCallback } from "react";
import { useTranslation } from "~/utils/i18n";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import { z } from "zod";
import { ChoiceLimits } from "~/components/choice-limits";
import { describedBy, Field } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { limitsSummary } from "./limits-summary.server";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { Time } from "~/components/time";
import { gpcContext, servicesContext } from "~/context";
import {
  countChangesSavedAt,
  getPreferences,
  listChoices,
  listConsentEvents,
  noticeChangesSince,
  savePreferences,
  StaleNoticeError,
} from "~/domain/preferences.server";
import { parseLimits } from "~/domain/permission-limits";
import { companyTimeZone } from "~/domain/settings.server";
import { CHOICE_VALUES, TRAINING_KEY, type ChoiceKind, type PermissionLimits } from "~/domain/vocabulary";
import { requireCustomer } from "~/middleware/customer.server";
import { getLang } from "~/middleware/i18n.server";
import { dateFor } from "~/utils/format.server";
import { msg } from "~/utils/form-messages";
import { readForm } from "~/utils/forms.server";
import { useLightForm } from "~/utils/light-form";
import type { Route } from "./+types/preferences";
import { TableRegion } from "~/components/table-region";
import { usePortalHref } from "~/components/portal-link";
import {
  ALLOWED_FOR_DAYS_OPTIONS,
  LIMIT_CURRENCIES,
  LIMIT_FIELDS,
  limitsFormValues,
  type LimitField,
  type LimitsFormValues,
  type PreferencesFormOptions,
} from "./preferences-fields";
import { formToSave, preferencesSchema } from "./preferences-form";

const VALUES: Record<ChoiceKind, readonly string[]> = CHOICE_VALUES;

/** Every IANA zone this server knows (read once per process). */
let knownZones: string[] | undefined;

/** Every IANA zone this server knows, plus the ones in use (the company's, the customer's). */
function timeZoneList(...inUse: (string | null)[]): string[] {
  knownZones ??= [...new Set([...Intl.supportedValuesOf("timeZone"), "UTC"])].sort();
  const extra = inUse.filter((zone): zone is string => Boolean(zone) && !knownZones!.includes(zone!));
  return extra.length ? [...knownZones, ...extra].sort() : knownZones;
}

/** The form's options as the loader sends them: the action rebuilds the same schema from them. */
function formOptions(choices: { key: string; kind: ChoiceKind }[], current: { limits: PermissionLimits | null }[], customerZone: string | null): PreferencesFormOptions {
  const stored = current.flatMap((p) => (p.limits ? [p.limits] : []));
  return {
    choices: choices.map((c) => ({ key: c.key, kind: c.kind })),
    timeZones: timeZoneList(companyTimeZone(), customerZone),
    currencies: [...new Set([...LIMIT_CURRENCIES, ...stored.flatMap((l) => (l.maxAmount ? [l.maxAmount.currency] : []))])],
    dayOptions: [...new Set([...ALLOWED_FOR_DAYS_OPTIONS, ...stored.flatMap((l) => (l.allowedForDays ? [l.allowedForDays] : []))])].sort((a, b) => a - b),
  };
}

const parseShown = (shown: string) =>
  Object.fromEntries(shown.split(",").map((pair) => [pair.split(":")[0]!, Number(pair.split(":")[1])]));

const HISTORY_SHOWN = 30;

/**
 * `?saved=<time of the save>` after a save: the confirmation counts what that save recorded. A
 * function, so the schema is built on the server only and Zod stays out of the page's JavaScript.
 */
let savedQuery: z.ZodType<{ saved?: number }> | undefined;
const querySchema = () => (savedQuery ??= z.object({ saved: z.coerce.number().int().min(0).max(8.64e15).optional().catch(0) }));

export async function loader({ request, context }: Route.LoaderArgs) {
  const customer = requireCustomer(context);
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const choices = await listChoices(db, lang);
  const gpc = context.get(gpcContext);
  const current = await getPreferences(db, customer.id, { gpc });
  const labels = Object.fromEntries(choices.map((c) => [c.key, c.label]));
  const events = await listConsentEvents(db, customer.id);
  const options = formOptions(choices, current, customer.timeZone);
  const timeZone = customer.timeZone ?? companyTimeZone();
  // Amounts are typed with the page's decimal sign; digits stay 0–9 in every language.
  const decimalComma = new Intl.NumberFormat(lang).formatToParts(1.5).find((p) => p.type === "decimal")?.value === ",";
  const currencyNames = new Intl.DisplayNames(lang, { type: "currency", fallback: "code" });
  const { saved } = querySchema().parse(Object.fromEntries(new URL(request.url).searchParams));
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
    const olderNotice = p.noticeVersion < c.noticeVersion;
    shownChoices.push({
      ...c,
      value: p.value,
      isDefault: p.isDefault,
      method: p.method,
      needsReconfirmation: p.needsReconfirmation,
      gpcApplied: p.gpcApplied,
      updatedAt: p.updatedAt ? dateFor(p.updatedAt, lang) : null,
      reask: olderNotice ? await reaskFor(c.key, p.noticeVersion) : null,
      permissionExpired: p.permissionExpired,
      allowedUntil: p.allowedUntil !== null ? dateFor(p.allowedUntil, lang, "date") : null,
      limits:
        c.kind === "action"
          ? {
              values: limitsFormValues(p.limits, decimalComma, LIMIT_CURRENCIES[0]),
              summary: limitsSummary(p.limits, lang),
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
  return {
    lang,
    saved: saved === undefined ? null : await countChangesSavedAt(db, customer.id, saved),
    gpc,
    choices: shownChoices,
    options,
    timeZone,
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

export async function action({ request, context, params }: Route.ActionArgs) {
  const customer = requireCustomer(context);
  // The embed preferences page reuses this action; its params carry the embed site.
  const method = "site" in params ? "embed" : "portal";
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const choices = await listChoices(db, lang);
  const current = await getPreferences(db, customer.id);
  const schema = preferencesSchema(formOptions(choices, current, customer.timeZone));
  const submission = parseWithZod(await readForm(request), { schema });
  if (submission.status !== "success") {
    return data({ result: submission.reply() }, { status: 400 });
  }
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
      gpc: context.get(gpcContext),
    });
    return redirect(`/${lang}/me/preferences?saved=${savedAt}#saved`, 303);
  } catch (error) {
    if (error instanceof StaleNoticeError) {
      return data({ result: submission.reply({ formErrors: [msg("noticeChanged")] }) }, { status: 409 });
    }
    throw error;
  }
}

export default function Preferences({ loaderData, actionData }: Route.ComponentProps) {
  const href = usePortalHref();
  const { t } = useTranslation();
  const { choices, history, historyTotal, lang, saved, gpc, options, timeZone, currencies } = loaderData;
  const navigation = useNavigation();
  // Zod and Conform's parser load at the first focus in the form; the action checks every post.
  const loadValidator = useCallback(() => import("./preferences-validate").then((m) => m.preferencesValidator(options)), [options]);
  const form = useLightForm({
    lastResult: actionData?.result,
    defaultValue: { ...Object.fromEntries(choices.map((c) => [c.key, c.value])), timeZone },
    loadValidator,
    messages: ["common:errors.", "common:preferences.limits.errors."],
  });
  // What the limit fields show: what was typed before an error, else the stored limits.
  const typed = (actionData?.result.initialValue as { limits?: Record<string, Partial<Record<LimitField, unknown>>> } | null | undefined)?.limits;
  const limitValues = (key: string, stored: LimitsFormValues): LimitsFormValues => {
    const posted = typed?.[key];
    if (!posted) return stored;
    const text = (field: LimitField) => (typeof posted[field] === "string" ? (posted[field] as string) : "");
    const channels = posted.channels;
    return {
      amount: text("amount"),
      currency: text("currency") || stored.currency,
      channels: Array.isArray(channels) ? channels.filter((c): c is string => typeof c === "string") : typeof channels === "string" ? [channels] : [],
      quietFrom: text("quietFrom"),
      quietTo: text("quietTo"),
      days: text("days"),
    };
  };
  const limitErrors = (key: string) =>
    Object.fromEntries(LIMIT_FIELDS.map((field) => [field, form.allErrors[`limits.${key}.${field}`]])) as Partial<Record<LimitField, string[]>>;
  const expired = choices.filter((c) => c.permissionExpired);
  const summaryLabels = Object.fromEntries(
    choices.flatMap((c) => [
      [c.key, c.label],
      ...(c.limits
        ? ([
            [`limits.${c.key}.amount`, `${c.label} — ${t("preferences.limits.amount")}`],
            [`limits.${c.key}.currency`, `${c.label} — ${t("preferences.limits.currency")}`],
            [`limits.${c.key}.channels`, `${c.label} — ${t("preferences.limits.channels")}`],
            [`limits.${c.key}.quietFrom`, `${c.label} — ${t("preferences.limits.quietFrom")}`],
            [`limits.${c.key}.quietTo`, `${c.label} — ${t("preferences.limits.quietTo")}`],
            [`limits.${c.key}.days`, `${c.label} — ${t("preferences.limits.allowedFor")}`],
          ] as const)
        : []),
    ]),
  );
  summaryLabels.timeZone = t("preferences.limits.timeZone");
  const training = choices.find((c) => c.key === TRAINING_KEY);
  const gpcApplied = gpc && training?.gpcApplied;
  // The customer chose the training value themselves: the signal was received but does not decide.
  const gpcOverridden = gpc && training !== undefined && !training.isDefault && !training.gpcApplied;
  const groups: { kind: ChoiceKind; title: string; intro: string }[] = [
    { kind: "action", title: t("preferences.actionsTitle"), intro: t("preferences.actionsIntro") },
    { kind: "identity", title: t("identity.title"), intro: t("identity.intro") },
    { kind: "training", title: t("preferences.trainingTitle"), intro: t("preferences.trainingIntro") },
    { kind: "human_first", title: t("preferences.humanTitle"), intro: t("preferences.humanIntro") },
  ];
  const timeZoneErrors = form.allErrors.timeZone;
  return (
    <div className="stack-lg">
      <PageHeader title={t("preferences.title")} lead={t("preferences.lead")} />

      {saved !== null ? (
        <div id="saved">
          <Notice tone="success" title={t("preferences.savedTitle")}>
            <p>{saved > 0 ? t("preferences.savedBody", { count: saved }) : t("preferences.savedNothing")}</p>
          </Notice>
        </div>
      ) : null}
      {gpcApplied ? (
        <Notice tone="info" title={t("preferences.gpcTitle")}>
          <p>{t("preferences.gpcBody")}</p>
        </Notice>
      ) : gpcOverridden ? (
        <Notice tone="info" title={t("preferences.gpcOverriddenTitle")}>
          <p>{t("preferences.gpcOverriddenBody")}</p>
        </Notice>
      ) : null}
      {expired.length > 0 ? (
        <Notice tone="warning" title={t("preferences.limits.expiredTitle")}>
          <p>{t("preferences.limits.expiredBody")}</p>
          <ul>
            {expired.map((c) => (
              <li key={c.key}>
                <a href={`#choice-${c.key}`}>{c.label}</a>
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
      {choices.some((c) => c.reask) ? (
        <Notice tone="warning" title={t("preferences.reconfirmTitle")}>
          <p>{t("preferences.reconfirmBody", { count: choices.filter((c) => c.reask).length })}</p>
          <ul>
            {choices
              .filter((c) => c.reask)
              .map((c) => (
                <li key={c.key}>
                  <a href={`#choice-${c.key}`}>{c.label}</a>
                </li>
              ))}
          </ul>
        </Notice>
      ) : null}
      <FormErrorSummary form={form} labels={summaryLabels} />

      <Form method="post" {...form.props} className="stack-lg">
        <input type="hidden" name="shown" value={choices.map((c) => `${c.key}:${c.noticeVersion}`).join(",")} />
        {groups.map((group) => {
          const inGroup = choices.filter((c) => c.kind === group.kind);
          if (inGroup.length === 0) return null;
          return (
            <section key={group.kind} className="card stack" aria-labelledby={`group-${group.kind}`}>
              <h2 id={`group-${group.kind}`}>{group.title}</h2>
              <p>{group.intro}</p>
              {inGroup.map((choice) => {
                const initialValue = form.initialValue(choice.key);
                return (
                  <fieldset key={choice.key} id={`choice-${choice.key}`} className={`choice${choice.needsReconfirmation ? " choice--reconfirm" : ""}`} aria-describedby={`${choice.key}-explanation${choice.reask ? ` ${choice.key}-change` : ""}${choice.permissionExpired && choice.allowedUntil ? ` ${choice.key}-expired` : ""}`}>
                    <legend>{choice.label}</legend>
                    <p id={`${choice.key}-explanation`} className="choice__explanation">
                      {choice.explanation}
                      {choice.fallback ? <span className="fallback-note"> {t("register.shownInEnglish")}</span> : null}
                    </p>
                    {choice.reask ? <ReaskNote id={`${choice.key}-change`} reask={choice.reask} lang={lang} /> : null}
                    {choice.permissionExpired && choice.allowedUntil ? (
                      <p id={`${choice.key}-expired`} className="choice__reconfirm">
                        {t("preferences.limits.expiredChoice", { date: choice.allowedUntil.text })}
                      </p>
                    ) : null}
                    <div className="segmented">
                      {VALUES[choice.kind].map((value, i) => (
                        <label key={value} className="segmented__option">
                          <input
                            type="radio"
                            id={i === 0 ? `${form.id}-${choice.key}` : undefined}
                            name={choice.key}
                            value={value}
                            defaultChecked={(initialValue ?? choice.value) === value}
                          />
                          <span>
                            <span className="segmented__label">{t(`choiceValues.${value}`)}</span>
                            <span className="segmented__hint">{t(choice.kind === "identity" ? `identity.hint.${value}` : `choiceHints.${choice.kind}.${value}`)}</span>
                          </span>
                        </label>
                      ))}
                    </div>
                    <p className="muted choice__status">
                      {choice.isDefault
                        ? t(choice.gpcApplied ? "preferences.gpcDefault" : "preferences.isDefault")
                        : choice.updatedAt
                          ? <>{t(`preferences.setBy.${choice.method ?? "portal"}`)} <Time value={choice.updatedAt} /></>
                          : null}
                      {choice.value === "allow" && choice.allowedUntil && !choice.permissionExpired ? (
                        <> {t("preferences.limits.allowedUntil", { date: choice.allowedUntil.text })}</>
                      ) : null}
                    </p>
                    {choice.limits ? (
                      <ChoiceLimits
                        formId={form.id}
                        choiceKey={choice.key}
                        values={limitValues(choice.key, choice.limits.values)}
                        errors={limitErrors(choice.key)}
                        summary={choice.limits.summary}
                        currencies={currencies}
                        dayOptions={options.dayOptions}
                        timeZone={timeZone}
                      />
                    ) : null}
                  </fieldset>
                );
              })}
              {group.kind === "action" ? (
                <Field id={`${form.id}-timeZone`} label={t("preferences.limits.timeZone")} hint={t("preferences.limits.timeZoneHint")} errors={timeZoneErrors}>
                  <select
                    id={`${form.id}-timeZone`}
                    name="timeZone"
                    defaultValue={(form.initialValue("timeZone") as string | undefined) ?? timeZone}
                    aria-invalid={timeZoneErrors?.length ? true : undefined}
                    aria-describedby={describedBy(`${form.id}-timeZone`, { hint: true, errors: timeZoneErrors })}
                  >
                    {options.timeZones.map((zone) => (
                      <option key={zone} value={zone}>
                        {zone.replaceAll("_", " ")}
                      </option>
                    ))}
                  </select>
                </Field>
              ) : null}
              {group.kind === "training" ? <TrainingUndo lang={lang} /> : null}
            </section>
          );
        })}
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {t("preferences.save")}
          </button>
          <p className="muted">{t("preferences.saveHint")}</p>
        </div>
      </Form>

      <section className="card stack" aria-labelledby="history-title">
        <h2 id="history-title">{t("preferences.historyTitle")}</h2>
        {history.length === 0 ? (
          <p>{t("preferences.historyEmpty")}</p>
        ) : (
          <TableRegion label={t("preferences.historyTitle")}>
            <table>
              <caption className="visually-hidden">{t("preferences.historyTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("preferences.history.when")}</th>
                  <th scope="col">{t("preferences.history.choice")}</th>
                  <th scope="col">{t("preferences.history.change")}</th>
                  <th scope="col">{t("preferences.history.how")}</th>
                  <th scope="col">{t("preferences.history.receipt")}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((e) => (
                  <tr key={e.receiptId}>
                    <td><Time value={e.createdAt} /></td>
                    <td>{e.label}</td>
                    <td>
                      {e.previousValue && e.previousValue !== e.value
                        ? t("preferences.history.fromTo", { from: t(`choiceValues.${e.previousValue}`), to: t(`choiceValues.${e.value}`) })
                        : t(`choiceValues.${e.value}`)}
                      {e.limitsChanged ? <> {t("preferences.limits.historyChanged")}</> : null}
                    </td>
                    <td>{t(`consentMethods.${e.method}`)}</td>
                    <td>
                      <a href={href(`/${lang}/me/data/receipts/${e.receiptId}.json`)} download>
                        {t("preferences.history.download")}
                        <span className="visually-hidden"> {e.receiptId}</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
        {historyTotal > history.length ? (
          <p><Link to={href(`/${lang}/me/data`)}>{t("preferences.historyMore", { count: historyTotal })}</Link></p>
        ) : null}
      </section>
    </div>
  );
}

/**
 * What saying "No" to training can and cannot undo (SPEC §11.4), said plainly next to the choice:
 * future use stops at once; a model already trained keeps what it learnt; the timeline shows
 * where the customer's interactions were used.
 */
function TrainingUndo({ lang }: { lang: string }) {
  const { t } = useTranslation();
  const href = usePortalHref();
  return (
    <div className="stack-sm" id="training-undo">
      <h3>{t("training.undoTitle")}</h3>
      <ul>
        <li>{t("training.undoStops")}</li>
        <li>{t("training.undoCannot")}</li>
        <li>
          {t("training.undoTimeline")} <Link to={href(`/${lang}/me/interactions`)}>{t("training.timelineLink")}</Link>
        </li>
      </ul>
    </div>
  );
}

/** The re-ask of one choice: what changed since the customer chose, and the text they agreed to. */
function ReaskNote({
  id,
  reask,
  lang,
}: {
  id: string;
  reask: {
    changes: { version: number; publishedAt: { iso: string; text: string }; note: string | null; system: { slug: string; name: string } | null; textChanged: boolean }[];
    earlierExplanation: string | null;
  };
  lang: string;
}) {
  const { t } = useTranslation();
  const href = usePortalHref();
  return (
    <div id={id} className="choice__change stack-sm">
      <p className="choice__reconfirm">{t("preferences.reconfirmChoice")}</p>
      <p>{t("preferences.whatChanged")}</p>
      <ul>
        {reask.changes.map((change) => (
          <li key={change.version}>
            <Time value={change.publishedAt} />
            {" — "}
            {change.system ? (
              <>
                <Link to={href(`/${lang}/ai-systems/${change.system.slug}`)}>{t("preferences.changeBySystem", { system: change.system.name })}</Link>
                {change.note ? ": " : ". "}
              </>
            ) : null}
            {change.note ? <><q>{change.note}</q>{" "}</> : null}
            {change.textChanged ? t("preferences.textChanged") : t(change.note ? "preferences.textUnchanged" : "preferences.noNote")}
          </li>
        ))}
      </ul>
      {reask.earlierExplanation ? (
        <details>
          <summary>{t("preferences.earlierText")}</summary>
          <p>{reask.earlierExplanation}</p>
        </details>
      ) : null}
    </div>
  );
}
