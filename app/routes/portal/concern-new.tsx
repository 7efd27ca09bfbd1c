import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useState } from "react";
import { useTranslation } from "~/utils/i18n";
import { data, Form, redirect, useNavigation } from "react-router";
import { z } from "zod";
import { CharacterCount } from "~/components/character-count";
import { describedBy, Field, FieldErrors } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { PageHeader } from "~/components/page-header";
import { clientIpContext, customerContext, servicesContext } from "~/context";
import { listAiSystems } from "~/domain/ai-register.server";
import { fileConcern } from "~/domain/concerns/index.server";
import { once } from "~/domain/submissions.server";
import { CONCERN_KINDS, DESCRIPTION_MAX, DESCRIPTION_MIN, DESIRED_OUTCOME_MAX } from "~/domain/vocabulary";
import { findInteractionByRef, interactionOptions } from "~/domain/interactions.server";
import { getLang } from "~/middleware/i18n.server";
import { formatDate } from "~/utils/format.server";
import { crossField, msg, optionalText, text } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import type { Route } from "./+types/concern-new";
import { isolate } from "~/utils/bidi";

const ConcernSchema = z
  .object({
    interaction: optionalText(200),
    system: optionalText(100),
    kind: z.enum(CONCERN_KINDS, { error: msg("chooseKind") }),
    description: text({ max: DESCRIPTION_MAX, min: DESCRIPTION_MIN }),
    desiredOutcome: optionalText(DESIRED_OUTCOME_MAX),
    contactMethod: z.enum(["portal", "email"], { error: msg("chooseOne") }),
    email: z.preprocess(
      (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
      z.email(msg("email")).max(254, msg("tooLong", { max: 254 })).optional(),
    ),
    /** Honeypot: hidden from people, filled by bots. */
    website: z.string().max(0, msg("honeypot")).optional(),
  })
  .refine((v) => v.contactMethod !== "email" || v.email, { path: ["email"], message: msg("emailRequired"), when: crossField });

export async function loader({ request, context }: Route.LoaderArgs) {
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const customer = context.get(customerContext);
  const url = new URL(request.url);
  return {
    lang,
    signedIn: Boolean(customer),
    customerEmail: customer?.email ?? null,
    preselected: {
      interaction: url.searchParams.get("interaction")?.slice(0, 200) ?? "",
      system: url.searchParams.get("system")?.slice(0, 100) ?? "",
    },
    interactions: customer
      ? (await interactionOptions(db, customer.id)).map((i) => ({ ref: i.ref, label: `${isolate(i.subject)} · ${isolate(formatDate(i.occurredAt, lang, "date"))}` }))
      : [],
    systems: (await listAiSystems(db, lang)).map((s) => ({ slug: s.slug, name: s.texts.name })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const customer = context.get(customerContext);
  const submission = parseWithZod(await readForm(request), { schema: ConcernSchema });
  // The look-ups run even when the schema refused something, so all errors come in one round.
  const payload = submission.payload as Record<string, unknown>;
  const interactionRef = typeof payload.interaction === "string" ? payload.interaction.trim().slice(0, 200) : "";
  const systemSlug = typeof payload.system === "string" ? payload.system.trim().slice(0, 100) : "";
  // Only a signed-in customer can link a concern to one of their interactions.
  const interaction = interactionRef && customer ? await findInteractionByRef(db, customer.id, interactionRef) : undefined;
  const system = systemSlug ? (await listAiSystems(db, lang)).find((s) => s.slug === systemSlug) : undefined;
  const lookupErrors: Record<string, string[]> = {
    ...(interactionRef && customer && !interaction ? { interaction: [msg("unknownInteraction")] } : {}),
    ...(systemSlug && !system ? { system: [msg("unknownSystem")] } : {}),
  };
  if (submission.status !== "success" || Object.keys(lookupErrors).length > 0) {
    return data({ result: submission.reply({ fieldErrors: lookupErrors }) }, { status: 400 });
  }

  const input = submission.value;
  const wait = await context.get(servicesContext).rateLimits.consume("concernFile", customer?.id ?? context.get(clientIpContext));
  if (wait !== null) {
    return data({ result: submission.reply({ formErrors: [msg("tooMany", { count: Math.ceil(wait / 60) })] }) }, { status: 429 });
  }
  const concern = {
    customerId: customer?.id ?? null,
    contactEmail: input.email ?? null,
    contactMethod: input.contactMethod,
    lang,
    kind: input.kind,
    interactionId: interaction?.id ?? null,
    systemId: system?.id ?? null,
    description: input.description,
    desiredOutcome: input.desiredOutcome ?? "",
  };
  // A double click or a resent form within the window leads to the concern filed the first time.
  const actor = customer ? `customer:${customer.id}` : `ip:${context.get(clientIpContext)}`;
  const { ref, trackingToken } = await once(db, { actor, action: "concern.file", content: concern }, (tx) => fileConcern(tx, concern));
  return redirect(
    trackingToken ? `/${lang}/concerns/track/${trackingToken}?new=1` : `/${lang}/me/concerns/${ref}?new=1`,
    303,
  );
}

export default function NewConcern({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { signedIn, interactions, systems, preselected, customerEmail } = loaderData;
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    defaultValue: {
      interaction: preselected.interaction,
      system: preselected.system,
      contactMethod: signedIn ? "portal" : "email",
      email: customerEmail ?? "",
    },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ConcernSchema }),
  });
  // The value sent back can be anything a client posted (two values make an array).
  const initialDescription = fields.description.initialValue;
  const [description, setDescription] = useState(typeof initialDescription === "string" ? initialDescription : "");
  const descriptionHint = t("concernForm.descriptionHint", { min: DESCRIPTION_MIN, max: DESCRIPTION_MAX });
  return (
    <div className="stack-lg">
      <PageHeader title={t("concernForm.title")} lead={t("concernForm.lead")}>
        {!signedIn ? <p>{t("concernForm.anonymousNote")}</p> : null}
      </PageHeader>

      <FormErrorSummary
        form={form}
        labels={{
          interaction: t("concernForm.interaction"),
          system: t("concernForm.system"),
          kind: t("concernForm.kind"),
          description: t("concernForm.description"),
          desiredOutcome: t("concernForm.desiredOutcome"),
          contactMethod: t("concernForm.contactTitle"),
          email: t("concernForm.email"),
          website: t("concernForm.honeypot"),
        }}
        idFor={(name) => (name === "website" ? "concern-website" : `${form.id}-${name}`)}
      />

      <Form method="post" {...getFormProps(form)} className="card stack">
        <fieldset className="stack">
          <legend>{t("concernForm.aboutTitle")}</legend>
          {signedIn ? (
            <Field id={fields.interaction.id} label={t("concernForm.interaction")} errors={fields.interaction.errors}>
              <select name={fields.interaction.name} id={fields.interaction.id} defaultValue={fields.interaction.initialValue as string} aria-describedby={describedBy(fields.interaction.id, { errors: fields.interaction.errors })} aria-invalid={fields.interaction.errors ? true : undefined}>
                <option value="">{t("concernForm.noInteraction")}</option>
                {preselected.interaction && !interactions.some((i) => i.ref === preselected.interaction) ? (
                  <option value={preselected.interaction}>{preselected.interaction}</option>
                ) : null}
                {interactions.map((i) => (
                  <option key={i.ref} value={i.ref}>{i.label}</option>
                ))}
              </select>
            </Field>
          ) : null}
          <Field id={fields.system.id} label={t("concernForm.system")} errors={fields.system.errors}>
            <select name={fields.system.name} id={fields.system.id} defaultValue={fields.system.initialValue as string} aria-describedby={describedBy(fields.system.id, { errors: fields.system.errors })} aria-invalid={fields.system.errors ? true : undefined}>
              <option value="">{t("concernForm.noSystem")}</option>
              {systems.map((s) => (
                <option key={s.slug} value={s.slug}>{s.name}</option>
              ))}
            </select>
          </Field>
        </fieldset>

        <fieldset className={`stack${fields.kind.errors ? " field--invalid" : ""}`} aria-describedby={describedBy(fields.kind.id, { errors: fields.kind.errors })}>
          <legend>{t("concernForm.kind")}</legend>
          <div className="radio-list">
            {CONCERN_KINDS.map((kind, i) => (
              <label key={kind} className="radio">
                <input type="radio" id={i === 0 ? fields.kind.id : undefined} name={fields.kind.name} value={kind} defaultChecked={fields.kind.initialValue === kind} />
                <span>
                  <span className="radio__label">{t(`concernKinds.${kind}`)}</span>
                  <span className="radio__hint">{t(`concernKindHints.${kind}`)}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldErrors id={`${fields.kind.id}-error`} errors={fields.kind.errors} t={t} />
        </fieldset>

        <Field id={fields.description.id} label={t("concernForm.description")} hint={descriptionHint} errors={fields.description.errors}>
          <textarea
            {...getTextareaProps(fields.description, { ariaDescribedBy: `${fields.description.id}-hint ${fields.description.id}-count` })}
            rows={8}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <CharacterCount id={`${fields.description.id}-count`} value={description} max={DESCRIPTION_MAX} label={(count, max) => t("concernForm.count", { count, max })} />
        </Field>

        <Field id={fields.desiredOutcome.id} label={t("concernForm.desiredOutcome")} hint={t("concernForm.desiredOutcomeHint", { max: DESIRED_OUTCOME_MAX })} errors={fields.desiredOutcome.errors}>
          <textarea {...getTextareaProps(fields.desiredOutcome, { ariaDescribedBy: `${fields.desiredOutcome.id}-hint` })} rows={3} />
        </Field>

        <fieldset className="stack">
          <legend>{t("concernForm.contactTitle")}</legend>
          <div className="radio-list">
            {(["portal", "email"] as const).map((method, i) => (
              <label key={method} className="radio">
                <input type="radio" id={i === 0 ? fields.contactMethod.id : undefined} name={fields.contactMethod.name} value={method} defaultChecked={fields.contactMethod.initialValue === method} />
                <span>
                  <span className="radio__label">{t(`concernForm.contact.${method}`)}</span>
                  <span className="radio__hint">{t(`concernForm.contactHint.${method}${signedIn ? "" : "Anonymous"}`)}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldErrors id={`${fields.contactMethod.id}-error`} errors={fields.contactMethod.errors} t={t} />
          <Field id={fields.email.id} label={t("concernForm.email")} hint={t("concernForm.emailHint")} errors={fields.email.errors}>
            <input {...getInputProps(fields.email, { type: "email", ariaDescribedBy: `${fields.email.id}-hint` })} autoComplete="email" maxLength={254} />
          </Field>
        </fieldset>

        <div className="honeypot" aria-hidden="true">
          <label htmlFor="concern-website">{t("concernForm.honeypot")}</label>
          <input id="concern-website" name="website" type="text" tabIndex={-1} autoComplete="off" />
        </div>

        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {t("concernForm.submit")}
          </button>
        </div>
      </Form>
    </div>
  );
}
