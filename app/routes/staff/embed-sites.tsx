import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, Form, redirect, useNavigation } from "react-router";
import { z } from "zod";
import { describedBy, Field, FieldErrors } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { Notice } from "~/components/notice";
import { useSubmission } from "~/components/use-submission";
import { PageHeader } from "~/components/page-header";
import { EmbedSitesSecret, EmbedSitesSiteCard, type EmbedSiteView } from "~/components/staff/embedsites-site";
import {
  createEmbedSite,
  EmbedSiteInputError,
  listEmbedSites,
  removeEmbedSiteSecret,
  rotateEmbedSiteSecret,
  setEmbedSiteEnabled,
  updateEmbedSite,
} from "~/domain/embed-sites.server";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { once } from "~/domain/submissions.server";
import { env } from "~/utils/env.server";
import { dateFor } from "~/utils/format.server";
import { msg, text } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { LANGUAGE_NAMES, LANGUAGES } from "~/utils/languages";
import type { Route } from "./+types/embed-sites";

/** Mirrors the domain's normaliseOrigin (a .server module the form cannot import); the domain re-checks. */
function isOrigin(line: string): boolean {
  try {
    const url = new URL(line);
    return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password && !url.search && !url.hash && (url.pathname === "/" || url.pathname === "");
  } catch {
    return false;
  }
}
const lines = (value: string) => value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
function isLogo(value: string): boolean {
  if (value.startsWith("/")) return !value.startsWith("//") && !value.includes("\\");
  return value.startsWith("https://") && URL.canParse(value);
}

const slug = z.string({ error: msg("required") }).trim().regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, msg("embedSites:errors.slug"));
const siteFields = {
  name: text({ max: 100 }),
  origins: z
    .string({ error: msg("embedSites:errors.origin") })
    .max(4000, msg("embedSites:errors.origin"))
    .refine((v) => lines(v).length > 0 && lines(v).length <= 20 && lines(v).every(isOrigin), msg("embedSites:errors.origin")),
  defaultLang: z.enum(LANGUAGES, { error: msg("chooseOne") }),
  accentColor: z.string().trim().regex(/^#[0-9a-fA-F]{6}$/, msg("embedSites:errors.color")).optional(),
  logoUrl: z.string().trim().max(500, msg("tooLong", { max: 500 })).refine(isLogo, msg("embedSites:errors.logo")).optional(),
};

const EmbedSitesSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), slug, ...siteFields, signed: z.literal("on").optional() }),
  z.object({ intent: z.literal("update"), slug, ...siteFields }),
  z.object({ intent: z.enum(["disable", "enable", "rotate", "removeSecret"]), slug }),
]);

const DONE = ["created", "updated", "disabled", "enabled", "removeSecret"] as const;

type ActionResult = {
  intent: string;
  slug: string;
  result: SubmissionResult<string[]>;
  secret: { slug: string; value: string } | null;
};

export async function loader({ request, context }: Route.LoaderArgs) {
  requireStaff(context, request, "admin.manage");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const done = new URL(request.url).searchParams.get("done");
  const portal = env().PUBLIC_URL;
  const sites: EmbedSiteView[] = (await listEmbedSites(db)).map((s) => ({
    slug: s.slug,
    name: s.name,
    origins: s.origins,
    defaultLang: s.defaultLang,
    accentColor: s.accentColor,
    logoUrl: s.logoUrl,
    signed: Boolean(s.signingSecret),
    disabled: s.disabledAt ? dateFor(s.disabledAt, lang) : null,
    snippet: `<div data-candor-embed data-site="${s.slug}"></div>\n<script src="${portal}/embed.js" async></script>`,
  }));
  return { done: (DONE as readonly (string | null)[]).includes(done) ? (done as (typeof DONE)[number]) : null, sites };
}

export async function action({ request, context }: Route.ActionArgs) {
  const admin = requireStaff(context, request, "admin.manage");
  const { db } = context.get(servicesContext);
  const actor = { type: "staff" as const, id: admin.id };
  const submission = parseWithZod(await readForm(request), { schema: EmbedSitesSchema });
  const payload = submission.payload as Record<string, unknown>;
  const intent = String(payload.intent ?? "");
  const target = String(payload.slug ?? "");
  const fail = (result: SubmissionResult<string[]>, status: number) => data<ActionResult>({ intent, slug: target, result, secret: null }, { status });
  if (submission.status !== "success") return fail(submission.reply(), 400);
  const value = submission.value;
  const inputError = (error: unknown) => {
    if (!(error instanceof EmbedSiteInputError)) throw error;
    const field = { slug: "slug", duplicate: "slug", name: "name", origin: "origins", lang: "defaultLang", color: "accentColor", logo: "logoUrl" }[error.code];
    return fail(submission.reply({ fieldErrors: { [field]: [msg(`embedSites:errors.${error.code}`)] } }), 400);
  };
  switch (value.intent) {
    case "create": {
      try {
        const site = {
          slug: value.slug,
          name: value.name,
          origins: lines(value.origins),
          defaultLang: value.defaultLang,
          accentColor: value.accentColor ?? null,
          logoUrl: value.logoUrl ?? null,
          withSigningSecret: value.signed === "on",
        };
        const { signingSecret } = await once(db, { actor: `staff:${admin.id}`, action: "embed_site.create", content: site }, async (tx) => ({
          signingSecret: (await createEmbedSite(tx, { ...site, actor })).signingSecret ?? null,
        }));
        if (!signingSecret) return redirect("/staff/embed-sites?done=created", 303);
        return data<ActionResult>({ intent, slug: value.slug, result: submission.reply({ resetForm: true }), secret: { slug: value.slug, value: signingSecret } });
      } catch (error) {
        return inputError(error);
      }
    }
    case "update": {
      try {
        const site = await updateEmbedSite(
          db,
          value.slug,
          { name: value.name, origins: lines(value.origins), defaultLang: value.defaultLang, accentColor: value.accentColor ?? null, logoUrl: value.logoUrl ?? null },
          actor,
        );
        if (!site) return fail(submission.reply({ formErrors: [msg("embedSites:errors.notFound")] }), 404);
        return redirect("/staff/embed-sites?done=updated", 303);
      } catch (error) {
        return inputError(error);
      }
    }
    case "disable":
    case "enable": {
      const result = await setEmbedSiteEnabled(db, value.slug, value.intent === "enable", actor);
      if (result === "notFound") return fail(submission.reply({ formErrors: [msg("embedSites:errors.notFound")] }), 404);
      return redirect(`/staff/embed-sites?done=${value.intent}d`, 303);
    }
    case "rotate": {
      const secret = await rotateEmbedSiteSecret(db, value.slug, actor);
      if (!secret) return fail(submission.reply({ formErrors: [msg("embedSites:errors.notFound")] }), 404);
      return data<ActionResult>({ intent, slug: value.slug, result: submission.reply(), secret: { slug: value.slug, value: secret } });
    }
    case "removeSecret": {
      if (!(await removeEmbedSiteSecret(db, value.slug, actor))) return fail(submission.reply({ formErrors: [msg("embedSites:errors.notFound")] }), 404);
      return redirect("/staff/embed-sites?done=removeSecret", 303);
    }
  }
}

export default function StaffEmbedSites({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const createResult = actionData?.intent === "create" ? actionData.result : undefined;
  const [form, fields] = useForm({
    id: "create-embed-site",
    lastResult: createResult,
    defaultValue: { intent: "create", defaultLang: "en" },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EmbedSitesSchema }),
  });
  const f = fields as unknown as Record<"slug" | "name" | "origins" | "defaultLang" | "accentColor" | "logoUrl" | "signed", typeof fields.intent>;
  const rowErrors =
    actionData && actionData.intent !== "create" && actionData.intent !== "update"
      ? Object.values(actionData.result.error ?? {}).flatMap((e) => (e ?? []) as string[])
      : [];
  const createProps = getFormProps(form);
  const creating = useSubmission(createProps.onSubmit);
  return (
    <div className="stack-lg">
      <PageHeader title={t("embedSites:title")} lead={t("embedSites:lead")} />
      {actionData?.secret ? <EmbedSitesSecret slug={actionData.secret.slug} secret={actionData.secret.value} /> : null}
      {loaderData.done && !actionData ? <Notice tone="success" title={t(`embedSites:done.${loaderData.done}`)} /> : null}
      {rowErrors.length ? (
        <Notice tone="error" title={t("errors.formTitle")}>
          <FieldErrors id="embedsites-row-error" errors={rowErrors} t={t} />
        </Notice>
      ) : null}

      <section className="stack" aria-labelledby="embedsites-list-title">
        <h2 id="embedsites-list-title">{t("embedSites:list.title")}</h2>
        {loaderData.sites.length === 0 ? <p className="muted">{t("embedSites:list.empty")}</p> : null}
        {loaderData.sites.map((site) => (
          <EmbedSitesSiteCard key={site.slug} site={site} busy={busy} editOpen={actionData?.intent === "update" && actionData.slug === site.slug}>
            <EditSiteForm site={site} busy={busy} lastResult={actionData?.intent === "update" && actionData.slug === site.slug ? actionData.result : undefined} />
          </EmbedSitesSiteCard>
        ))}
      </section>

      <section className="card stack" aria-labelledby="embedsites-create-title">
        <h2 id="embedsites-create-title">{t("embedSites:create.title")}</h2>
        <FormErrorSummary form={form} labels={{ slug: t("embedSites:fields.slug"), name: t("embedSites:fields.name"), origins: t("embedSites:fields.origins"), defaultLang: t("embedSites:fields.defaultLang"), accentColor: t("embedSites:fields.accentColor"), logoUrl: t("embedSites:fields.logoUrl"), signed: t("embedSites:fields.signed") }} />
        <Form method="post" {...createProps} onSubmit={creating.onSubmit} className="stack">
          <input type="hidden" name="intent" value="create" />
          <Field id={f.slug.id} label={t("embedSites:fields.slug")} hint={t("embedSites:fields.slugHint")} errors={f.slug.errors}>
            <input {...getInputProps(f.slug, { type: "text" })} aria-describedby={describedBy(f.slug.id, { hint: true, errors: f.slug.errors })} maxLength={40} autoComplete="off" spellCheck={false} />
          </Field>
          <Field id={f.name.id} label={t("embedSites:fields.name")} errors={f.name.errors}>
            <input {...getInputProps(f.name, { type: "text" })} autoComplete="off" />
          </Field>
          <Field id={f.origins.id} label={t("embedSites:fields.origins")} hint={t("embedSites:fields.originsHint")} errors={f.origins.errors}>
            <textarea {...getTextareaProps(f.origins)} aria-describedby={describedBy(f.origins.id, { hint: true, errors: f.origins.errors })} rows={3} spellCheck={false} />
          </Field>
          <Field id={f.defaultLang.id} label={t("embedSites:fields.defaultLang")} errors={f.defaultLang.errors}>
            <select id={f.defaultLang.id} name={f.defaultLang.name} key={`${form.key}-lang`} defaultValue={String(f.defaultLang.initialValue ?? "en")}>
              {LANGUAGES.map((lang) => (
                <option key={lang} value={lang} lang={lang}>{LANGUAGE_NAMES[lang]}</option>
              ))}
            </select>
          </Field>
          <Field id={f.accentColor.id} label={t("embedSites:fields.accentColor")} hint={t("embedSites:fields.accentColorHint")} errors={f.accentColor.errors}>
            <input {...getInputProps(f.accentColor, { type: "text" })} aria-describedby={describedBy(f.accentColor.id, { hint: true, errors: f.accentColor.errors })} maxLength={7} autoComplete="off" spellCheck={false} />
          </Field>
          <Field id={f.logoUrl.id} label={t("embedSites:fields.logoUrl")} hint={t("embedSites:fields.logoUrlHint")} errors={f.logoUrl.errors}>
            <input {...getInputProps(f.logoUrl, { type: "text" })} aria-describedby={describedBy(f.logoUrl.id, { hint: true, errors: f.logoUrl.errors })} maxLength={500} autoComplete="off" spellCheck={false} />
          </Field>
          <label className="radio" key={`${form.key}-signed`}>
            <input type="checkbox" id={f.signed.id} name={f.signed.name} value="on" defaultChecked={f.signed.initialValue === "on"} />
            <span>
              <span className="radio__label">{t("embedSites:fields.signed")}</span>
              <span className="radio__hint">{t("embedSites:fields.signedHint")}</span>
            </span>
          </label>
          <div className="form-actions">
            <button type="submit" className="button" disabled={busy || creating.pending}>{t("embedSites:create.submit")}</button>
          </div>
        </Form>
      </section>
    </div>
  );
}

function EditSiteForm({ site, busy, lastResult }: { site: EmbedSiteView; busy: boolean; lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: `embedsites-edit-${site.slug}`,
    lastResult,
    defaultValue: {
      intent: "update",
      slug: site.slug,
      name: site.name,
      origins: site.origins.join("\n"),
      defaultLang: site.defaultLang,
      accentColor: site.accentColor ?? "",
      logoUrl: site.logoUrl ?? "",
    },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EmbedSitesSchema }),
  });
  const f = fields as unknown as Record<"name" | "origins" | "defaultLang" | "accentColor" | "logoUrl", typeof fields.intent>;
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <input type="hidden" name="intent" value="update" />
      <input type="hidden" name="slug" value={site.slug} />
      <FieldErrors id={form.errorId} errors={form.errors} t={t} />
      <Field id={f.name.id} label={t("embedSites:fields.name")} errors={f.name.errors}>
        <input {...getInputProps(f.name, { type: "text" })} autoComplete="off" />
      </Field>
      <Field id={f.origins.id} label={t("embedSites:fields.origins")} hint={t("embedSites:fields.originsHint")} errors={f.origins.errors}>
        <textarea {...getTextareaProps(f.origins)} aria-describedby={describedBy(f.origins.id, { hint: true, errors: f.origins.errors })} rows={3} spellCheck={false} />
      </Field>
      <Field id={f.defaultLang.id} label={t("embedSites:fields.defaultLang")} errors={f.defaultLang.errors}>
        <select id={f.defaultLang.id} name={f.defaultLang.name} key={`${form.key}-lang`} defaultValue={String(f.defaultLang.initialValue ?? site.defaultLang)}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>
          ))}
        </select>
      </Field>
      <Field id={f.accentColor.id} label={t("embedSites:fields.accentColor")} hint={t("embedSites:fields.accentColorHint")} errors={f.accentColor.errors}>
        <input {...getInputProps(f.accentColor, { type: "text" })} aria-describedby={describedBy(f.accentColor.id, { hint: true, errors: f.accentColor.errors })} maxLength={7} autoComplete="off" spellCheck={false} />
      </Field>
      <Field id={f.logoUrl.id} label={t("embedSites:fields.logoUrl")} hint={t("embedSites:fields.logoUrlHint")} errors={f.logoUrl.errors}>
        <input {...getInputProps(f.logoUrl, { type: "text" })} aria-describedby={describedBy(f.logoUrl.id, { hint: true, errors: f.logoUrl.errors })} maxLength={500} autoComplete="off" spellCheck={false} />
      </Field>
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy}>{t("embedSites:edit.submit")}</button>
      </div>
    </Form>
  );
}
