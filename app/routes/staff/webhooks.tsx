import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, Form, redirect, useNavigation } from "react-router";
import { z } from "zod";
import { describedBy, Field, FieldErrors } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { WebhooksCreatedSecret, WebhooksDeliveriesTable, WebhooksEndpointsTable } from "~/components/staff/webhooks-tables";
import {
  createWebhookEndpoint,
  disableWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  retryWebhookDelivery,
  WebhookInputError,
} from "~/domain/webhooks.server";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { once } from "~/domain/submissions.server";
import { dateFor, formatNumber } from "~/utils/format.server";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import type { Route } from "./+types/webhooks";
import { WEBHOOK_EVENTS, WEBHOOK_URL_MAX } from "~/domain/vocabulary";

const EVENTS = WEBHOOK_EVENTS;
const URL_MAX = WEBHOOK_URL_MAX;

const id = z.number({ error: msg("invalid") }).int(msg("invalid")).positive(msg("invalid")).max(Number.MAX_SAFE_INTEGER, msg("invalid"));

const WebhooksSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    url: z
      .string({ error: msg("required") })
      .trim()
      .min(1, msg("required"))
      .max(URL_MAX, msg("tooLong", { max: URL_MAX }))
      .refine((value) => {
        try {
          const url = new URL(value);
          return (url.protocol === "http:" || url.protocol === "https:") && !url.username && !url.password;
        } catch {
          return false;
        }
      }, msg("webhooks:errors.url")),
    events: z.array(z.enum(EVENTS, { error: msg("webhooks:errors.events") }), { error: msg("webhooks:errors.events") }).min(1, msg("webhooks:errors.events")),
  }),
  z.object({ intent: z.literal("disable"), endpointId: id }),
  z.object({ intent: z.literal("retry"), deliveryId: id }),
]);

const DONE = ["disabled", "retried"] as const;

type ActionResult = {
  intent: string;
  result: SubmissionResult<string[]>;
  created: { url: string; secret: string } | null;
};

export async function loader({ request, context }: Route.LoaderArgs) {
  requireStaff(context, request, "admin.manage");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const done = new URL(request.url).searchParams.get("done");
  return {
    done: (DONE as readonly (string | null)[]).includes(done) ? (done as (typeof DONE)[number]) : null,
    endpoints: (await listWebhookEndpoints(db)).map((e) => ({
      id: e.id,
      url: e.url,
      events: e.events,
      created: dateFor(e.createdAt, lang),
      disabled: e.disabledAt ? dateFor(e.disabledAt, lang) : null,
    })),
    deliveries: (await listWebhookDeliveries(db)).map((d) => ({
      id: d.id,
      endpointId: d.endpointId,
      url: d.url,
      event: d.event,
      status: d.status,
      attempts: formatNumber(d.attempts, lang),
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      created: dateFor(d.createdAt, lang),
      nextAttempt: d.status === "pending" ? dateFor(d.nextAttemptAt, lang) : null,
      delivered: d.deliveredAt ? dateFor(d.deliveredAt, lang) : null,
      canRetry: d.status === "failed",
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const admin = requireStaff(context, request, "admin.manage");
  const { db } = context.get(servicesContext);
  const submission = parseWithZod(await readForm(request), { schema: WebhooksSchema });
  const intent = String((submission.payload as Record<string, unknown>).intent ?? "");
  const fail = (result: SubmissionResult<string[]>, status: number) => data<ActionResult>({ intent, result, created: null }, { status });
  if (submission.status !== "success") return fail(submission.reply(), 400);

  const value = submission.value;
  switch (value.intent) {
    case "create": {
      try {
        const created = await once(db, { actor: `staff:${admin.id}`, action: "webhook.create", content: { url: value.url, events: value.events } }, async (tx) => {
          const { endpoint, secret } = await createWebhookEndpoint(tx, { url: value.url, events: value.events, staffId: admin.id });
          return { url: endpoint.url, secret };
        });
        return data<ActionResult>({ intent, result: submission.reply({ resetForm: true }), created });
      } catch (error) {
        if (!(error instanceof WebhookInputError)) throw error;
        return fail(submission.reply({ fieldErrors: { [error.code]: [msg(`webhooks:errors.${error.code}`)] } }), 400);
      }
    }
    case "disable": {
      const result = await disableWebhookEndpoint(db, { id: value.endpointId, staffId: admin.id });
      if (result === "disabled") return redirect("/staff/webhooks?done=disabled", 303);
      return fail(submission.reply({ formErrors: [msg(`webhooks:errors.${result}`)] }), result === "notFound" ? 404 : 409);
    }
    case "retry": {
      const result = await retryWebhookDelivery(db, { id: value.deliveryId, staffId: admin.id });
      if (result === "retried") return redirect("/staff/webhooks?done=retried", 303);
      return fail(submission.reply({ formErrors: [msg(`webhooks:errors.${result}`)] }), result === "notFound" ? 404 : 409);
    }
  }
}

export default function StaffWebhooks({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const createResult = actionData?.intent === "create" ? actionData.result : undefined;
  const rowErrors = actionData && actionData.intent !== "create" ? Object.values(actionData.result.error ?? {}).flatMap((e) => e ?? []) : [];
  const [form, fields] = useForm({
    id: "create-webhook",
    lastResult: createResult,
    defaultValue: { intent: "create" },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: WebhooksSchema }),
  });
  const f = fields as unknown as Record<"url" | "events", typeof fields.intent>;
  const chosen = new Set(([] as unknown[]).concat(f.events.initialValue ?? []).map(String));
  const created = actionData?.created;
  return (
    <div className="stack-lg">
      <PageHeader title={t("webhooks:title")} lead={t("webhooks:lead")} />
      {created ? <WebhooksCreatedSecret url={created.url} secret={created.secret} /> : null}
      {loaderData.done && !actionData ? <Notice tone="success" title={t(`webhooks:done.${loaderData.done}`)} /> : null}
      {rowErrors.length ? (
        <Notice tone="error" title={t("errors.formTitle")}>
          <FieldErrors id="webhooks-row-error" errors={rowErrors} t={t} />
        </Notice>
      ) : null}

      <section className="stack" aria-labelledby="webhooks-endpoints-title">
        <h2 id="webhooks-endpoints-title">{t("webhooks:endpoints.title")}</h2>
        <WebhooksEndpointsTable rows={loaderData.endpoints} busy={busy} />
      </section>

      <section className="card stack" aria-labelledby="webhooks-create-title">
        <h2 id="webhooks-create-title">{t("webhooks:create.title")}</h2>
        <p>{t("webhooks:create.lead")}</p>
        <FormErrorSummary form={form} labels={{ url: t("webhooks:create.url"), events: t("webhooks:create.events") }} />
        <Form method="post" {...getFormProps(form)} className="stack">
          <input type="hidden" name="intent" value="create" />
          <Field id={f.url.id} label={t("webhooks:create.url")} hint={t("webhooks:create.urlHint")} errors={f.url.errors}>
            <input
              {...getInputProps(f.url, { type: "url" })}
              aria-describedby={describedBy(f.url.id, { hint: true, errors: f.url.errors })}
              maxLength={URL_MAX}
              autoComplete="off"
              spellCheck={false}
              inputMode="url"
            />
          </Field>
          <fieldset className={`stack${f.events.errors ? " field--invalid" : ""}`} aria-describedby={describedBy(f.events.id, { errors: f.events.errors })}>
            <legend>{t("webhooks:create.events")}</legend>
            <div className="radio-list">
              {EVENTS.map((event, i) => (
                <label key={`${form.key}-${event}`} className="radio">
                  <input type="checkbox" id={i === 0 ? f.events.id : undefined} name={f.events.name} value={event} defaultChecked={chosen.has(event)} />
                  <span>
                    <span className="radio__label"><code>{event}</code></span>
                    <span className="radio__hint">{t(`webhooks:events.${event}`)}</span>
                  </span>
                </label>
              ))}
            </div>
            <FieldErrors id={`${f.events.id}-error`} errors={f.events.errors} t={t} />
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="button" disabled={busy}>{t("webhooks:create.submit")}</button>
          </div>
        </Form>
      </section>

      <section className="stack" aria-labelledby="webhooks-deliveries-title">
        <h2 id="webhooks-deliveries-title">{t("webhooks:deliveries.title")}</h2>
        <p className="muted">{t("webhooks:deliveries.lead")}</p>
        <WebhooksDeliveriesTable rows={loaderData.deliveries} busy={busy} />
      </section>
    </div>
  );
}
