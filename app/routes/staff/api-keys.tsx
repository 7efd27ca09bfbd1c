import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, Form, redirect, useNavigation } from "react-router";
import { z } from "zod";
import { describedBy, Field, FieldErrors } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { ApikeysCreatedKey, ApikeysTable } from "~/components/staff/apikeys-table";
import { ApiKeyInputError, createApiKey, listApiKeys, revokeApiKeyById } from "~/domain/api-keys.server";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { once } from "~/domain/submissions.server";
import { dateFor } from "~/utils/format.server";
import { msg, text } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import type { Route } from "./+types/api-keys";
import { API_KEY_NAME_MAX, API_SCOPES } from "~/domain/vocabulary";

const SCOPES = API_SCOPES;
const NAME_MAX = API_KEY_NAME_MAX;

const ApiKeysSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    name: text({ max: NAME_MAX }),
    scopes: z
      .array(z.string(), { error: msg("apikeys:errors.scopes") })
      .min(1, msg("apikeys:errors.scopes"))
      .refine((values) => values.every((value) => (SCOPES as readonly string[]).includes(value)), msg("apikeys:errors.scopes")),
  }),
  z.object({
    intent: z.literal("revoke"),
    keyId: z.number({ error: msg("invalid") }).int(msg("invalid")).positive(msg("invalid")).max(Number.MAX_SAFE_INTEGER, msg("invalid")),
    confirm: z.literal("yes", { error: msg("apikeys:errors.confirm") }),
  }),
]);

type ActionResult = {
  intent: string;
  result: SubmissionResult<string[]>;
  created: { name: string; key: string } | null;
};

export async function loader({ request, context }: Route.LoaderArgs) {
  requireStaff(context, request, "admin.manage");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const done = new URL(request.url).searchParams.get("done");
  return {
    done: done === "revoked" ? ("revoked" as const) : null,
    keys: (await listApiKeys(db)).map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      scopes: k.scopes,
      created: dateFor(k.createdAt, lang),
      lastUsed: k.lastUsedAt ? dateFor(k.lastUsedAt, lang) : null,
      revoked: k.revokedAt ? dateFor(k.revokedAt, lang) : null,
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const admin = requireStaff(context, request, "admin.manage");
  const { db, apiKeys } = context.get(servicesContext);
  const submission = parseWithZod(await readForm(request), { schema: ApiKeysSchema });
  const intent = String((submission.payload as Record<string, unknown>).intent ?? "");
  const fail = (result: SubmissionResult<string[]>, status: number) => data<ActionResult>({ intent, result, created: null }, { status });
  if (submission.status !== "success") return fail(submission.reply(), 400);
  const value = submission.value;
  if (value.intent === "create") {
    try {
      const content = { name: value.name, scopes: value.scopes };
      const { key } = await once(db, { actor: `staff:${admin.id}`, action: "api_key.create", content }, async (tx) => {
        const { key: secret } = await createApiKey(tx, { name: value.name, scopes: value.scopes, actor: { type: "staff", id: admin.id } });
        return { key: secret };
      });
      await apiKeys.invalidate(); // committed: this process's lean API knows the key at once
      return data<ActionResult>(
        { intent, result: submission.reply({ resetForm: true }), created: { name: value.name, key } },
        { headers: { "Cache-Control": "private, no-store" } },
      );
    } catch (error) {
      if (!(error instanceof ApiKeyInputError)) throw error;
      return fail(submission.reply({ fieldErrors: { [error.message]: [msg(`apikeys:errors.${error.message}`)] } }), 400);
    }
  }
  // This process's lean API refuses the key at once; other instances within apiKeys.maxAgeMs.
  const result = await revokeApiKeyById(db, { id: value.keyId, actor: { type: "staff", id: admin.id }, cache: apiKeys });
  if (result === "revoked") return redirect("/staff/api-keys?done=revoked", 303);
  return fail(submission.reply({ formErrors: [msg(`apikeys:errors.${result}`)] }), result === "notFound" ? 404 : 409);
}

export default function StaffApiKeys({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const createResult = actionData?.intent === "create" ? actionData.result : undefined;
  const rowErrors = actionData && actionData.intent !== "create" ? Object.values(actionData.result.error ?? {}).flatMap((e) => e ?? []) : [];
  const [form, fields] = useForm({
    id: "create-api-key",
    lastResult: createResult,
    defaultValue: { intent: "create" },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ApiKeysSchema }),
  });
  const f = fields as unknown as Record<"name" | "scopes", typeof fields.intent>;
  const chosen = new Set(([] as unknown[]).concat(f.scopes.initialValue ?? []).map(String));
  const created = actionData?.created;
  return (
    <div className="stack-lg">
      <PageHeader title={t("apikeys:title")} lead={t("apikeys:lead")} />
      {created ? <ApikeysCreatedKey name={created.name} secret={created.key} /> : null}
      {loaderData.done && !actionData ? <Notice tone="success" title={t(`apikeys:done.${loaderData.done}`)} /> : null}
      {rowErrors.length ? (
        <Notice tone="error" title={t("errors.formTitle")}>
          <FieldErrors id="apikeys-row-error" errors={rowErrors} t={t} />
        </Notice>
      ) : null}

      <section className="stack" aria-labelledby="apikeys-list-title">
        <h2 id="apikeys-list-title">{t("apikeys:list.title")}</h2>
        <ApikeysTable rows={loaderData.keys} busy={busy} />
      </section>

      <section className="card stack" aria-labelledby="apikeys-create-title">
        <h2 id="apikeys-create-title">{t("apikeys:create.title")}</h2>
        <p>{t("apikeys:create.lead")}</p>
        <FormErrorSummary form={form} labels={{ name: t("apikeys:create.name"), scopes: t("apikeys:create.scopes") }} />
        <Form method="post" {...getFormProps(form)} className="stack">
          <input type="hidden" name="intent" value="create" />
          <Field id={f.name.id} label={t("apikeys:create.name")} hint={t("apikeys:create.nameHint")} errors={f.name.errors}>
            <input
              {...getInputProps(f.name, { type: "text" })}
              aria-describedby={describedBy(f.name.id, { hint: true, errors: f.name.errors })}
              autoComplete="off"
            />
          </Field>
          <fieldset className={`stack${f.scopes.errors ? " field--invalid" : ""}`} aria-describedby={describedBy(f.scopes.id, { errors: f.scopes.errors })}>
            <legend>{t("apikeys:create.scopes")}</legend>
            <div className="radio-list">
              {SCOPES.map((scope, i) => (
                <label key={`${form.key}-${scope}`} className="radio">
                  <input type="checkbox" id={i === 0 ? f.scopes.id : undefined} name={f.scopes.name} value={scope} defaultChecked={chosen.has(scope)} />
                  <span>
                    <span className="radio__label"><code>{scope}</code></span>
                    <span className="radio__hint">{t(`apikeys:scopes.${scope}`)}</span>
                  </span>
                </label>
              ))}
            </div>
            <FieldErrors id={`${f.scopes.id}-error`} errors={f.scopes.errors} t={t} />
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="button" disabled={busy}>{t("apikeys:create.submit")}</button>
          </div>
        </Form>
      </section>
    </div>
  );
}
