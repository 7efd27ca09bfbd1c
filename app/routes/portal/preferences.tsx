import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import { z } from "zod";
import { FormErrorSummary } from "~/components/form-error-summary";
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
import { CHOICE_VALUES, TRAINING_KEY, type ChoiceKind } from "~/domain/vocabulary";
import { requireCustomer } from "~/middleware/customer.server";
import { getLang } from "~/middleware/i18n.server";
import { dateFor } from "~/utils/format.server";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import type { Route } from "./+types/preferences";
import { TableRegion } from "~/components/table-region";
import { usePortalHref } from "~/components/portal-link";

const VALUES: Record<ChoiceKind, readonly string[]> = CHOICE_VALUES;

/** One schema for client and server, built from the company's choice definitions. */
function preferencesSchema(choices: { key: string; kind: ChoiceKind }[]) {
  return z.object({
    ...Object.fromEntries(
      choices.map((c) => [c.key, z.enum(VALUES[c.kind] as [string, ...string[]], { error: msg("chooseOne") })]),
    ),
    // "key:version,…" — the notice versions the page showed, so nobody agrees to unseen text.
    shown: z
      .string({ error: msg("invalid") })
      .max(2000)
      .regex(/^[\w-]+:\d+(,[\w-]+:\d+)*$/, msg("invalid")),
  });
}

const parseShown = (shown: string) =>
  Object.fromEntries(shown.split(",").map((pair) => [pair.split(":")[0]!, Number(pair.split(":")[1])]));

const HISTORY_SHOWN = 30;

/** `?saved=<time of the save>` after a save: the confirmation counts what that save recorded. */
const QuerySchema = z.object({ saved: z.coerce.number().int().min(0).max(8.64e15).optional().catch(0) });

export async function loader({ request, context }: Route.LoaderArgs) {
  const customer = requireCustomer(context);
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const choices = await listChoices(db, lang);
  const gpc = context.get(gpcContext);
  const current = await getPreferences(db, customer.id, { gpc });
  const labels = Object.fromEntries(choices.map((c) => [c.key, c.label]));
  const events = await listConsentEvents(db, customer.id);
  const { saved } = QuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
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
    shownChoices.push({
      ...c,
      value: p.value,
      isDefault: p.isDefault,
      method: p.method,
      needsReconfirmation: p.needsReconfirmation,
      gpcApplied: p.gpcApplied,
      updatedAt: p.updatedAt ? dateFor(p.updatedAt, lang) : null,
      reask: p.needsReconfirmation ? await reaskFor(c.key, p.noticeVersion) : null,
    });
  }
  return {
    lang,
    saved: saved === undefined ? null : await countChangesSavedAt(db, customer.id, saved),
    gpc,
    choices: shownChoices,
    history: events.slice(0, HISTORY_SHOWN).map((e) => ({
      receiptId: e.receiptId,
      label: labels[e.choiceKey] ?? e.choiceKey,
      value: e.value,
      previousValue: e.previousValue,
      method: e.method,
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
  const submission = parseWithZod(await readForm(request), { schema: preferencesSchema(choices) });
  if (submission.status !== "success") {
    return data({ result: submission.reply() }, { status: 400 });
  }
  const { shown, ...values } = submission.value as Record<string, string>;
  try {
    const { savedAt } = await savePreferences(db, {
      customerId: customer.id,
      values,
      lang,
      method,
      noticeVersionsShown: parseShown(shown!),
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
  const { choices, history, historyTotal, lang, saved, gpc } = loaderData;
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    defaultValue: Object.fromEntries(choices.map((c) => [c.key, c.value])),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: preferencesSchema(choices) }),
  });
  const training = choices.find((c) => c.key === TRAINING_KEY);
  const gpcApplied = gpc && training?.gpcApplied;
  // The customer chose the training value themselves: the signal was received but does not decide.
  const gpcOverridden = gpc && training !== undefined && !training.isDefault && !training.gpcApplied;
  const groups: { kind: ChoiceKind; title: string; intro: string }[] = [
    { kind: "action", title: t("preferences.actionsTitle"), intro: t("preferences.actionsIntro") },
    { kind: "training", title: t("preferences.trainingTitle"), intro: t("preferences.trainingIntro") },
    { kind: "human_first", title: t("preferences.humanTitle"), intro: t("preferences.humanIntro") },
  ];
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
      {choices.some((c) => c.needsReconfirmation) ? (
        <Notice tone="warning" title={t("preferences.reconfirmTitle")}>
          <p>{t("preferences.reconfirmBody", { count: choices.filter((c) => c.needsReconfirmation).length })}</p>
          <ul>
            {choices
              .filter((c) => c.needsReconfirmation)
              .map((c) => (
                <li key={c.key}>
                  <a href={`#choice-${c.key}`}>{c.label}</a>
                </li>
              ))}
          </ul>
        </Notice>
      ) : null}
      <FormErrorSummary form={form} lead={t("preferences.invalid")} labels={Object.fromEntries(choices.map((c) => [c.key, c.label]))} />

      <Form method="post" {...getFormProps(form)} className="stack-lg">
        <input type="hidden" name="shown" value={choices.map((c) => `${c.key}:${c.noticeVersion}`).join(",")} />
        {groups.map((group) => {
          const inGroup = choices.filter((c) => c.kind === group.kind);
          if (inGroup.length === 0) return null;
          return (
            <section key={group.kind} className="card stack" aria-labelledby={`group-${group.kind}`}>
              <h2 id={`group-${group.kind}`}>{group.title}</h2>
              <p>{group.intro}</p>
              {inGroup.map((choice) => {
                const field = fields[choice.key];
                return (
                  <fieldset key={choice.key} id={`choice-${choice.key}`} className={`choice${choice.needsReconfirmation ? " choice--reconfirm" : ""}`} aria-describedby={`${choice.key}-explanation${choice.reask ? ` ${choice.key}-change` : ""}`}>
                    <legend>{choice.label}</legend>
                    <p id={`${choice.key}-explanation`} className="choice__explanation">
                      {choice.explanation}
                      {choice.fallback ? <span className="fallback-note"> {t("register.shownInEnglish")}</span> : null}
                    </p>
                    {choice.reask ? <ReaskNote id={`${choice.key}-change`} reask={choice.reask} lang={lang} /> : null}
                    <div className="segmented">
                      {VALUES[choice.kind].map((value, i) => (
                        <label key={value} className="segmented__option">
                          <input
                            type="radio"
                            id={i === 0 ? `${form.id}-${choice.key}` : undefined}
                            name={choice.key}
                            value={value}
                            defaultChecked={(field?.initialValue ?? choice.value) === value}
                          />
                          <span>
                            <span className="segmented__label">{t(`choiceValues.${value}`)}</span>
                            <span className="segmented__hint">{t(`choiceHints.${choice.kind}.${value}`)}</span>
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
                    </p>
                  </fieldset>
                );
              })}
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
                      {e.previousValue
                        ? t("preferences.history.fromTo", { from: t(`choiceValues.${e.previousValue}`), to: t(`choiceValues.${e.value}`) })
                        : t(`choiceValues.${e.value}`)}
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
