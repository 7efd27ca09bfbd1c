import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, Link, redirect, type ShouldRevalidateFunctionArgs } from "react-router";
import { z } from "zod";
import { FieldErrors } from "~/components/field";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { QueueFilters, QueuePagination, QueueStatusCounts, type CountText, type QueueView } from "~/components/staff/queue-filters";
import { QueueShortcuts, QueueTable } from "~/components/staff/queue-table";
import { BULK_STATUSES, CONCERN_STATUSES, PRIORITIES, QUEUE_SEARCH_MAX } from "~/domain/vocabulary";
import { aiSystemNames } from "~/domain/ai-register.server";
import { assignableStaff, bulkUpdate, ConcernStateError, listQueue, QUEUE_COUNT_CAP, referenceQuery, type BulkAction, type QueueFilters as Filters } from "~/domain/concerns/index.server";
import { can } from "~/domain/permissions";
import { CONCERN_KINDS } from "~/domain/vocabulary";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { dateFor, formatNumber } from "~/utils/format.server";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { LANGUAGES } from "~/utils/languages";
import { normaliseConcernRef } from "~/utils/tokens.server";
import queueBarStylesUrl from "~/styles/queue-bar.css?url";
import type { Route } from "./+types/concerns";

/** The filter bar's and the employee-report mark's styles (this page's own sheet). */
export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: queueBarStylesUrl }];

/** The view in the URL; a value that makes no sense is ignored (the default applies), never a 500. */
const QueueViewSchema = z.object({
  status: z.enum(["open", "all", ...CONCERN_STATUSES]).catch("open"),
  kind: z.enum(CONCERN_KINDS).optional().catch(undefined),
  system: z.string().max(100).optional().catch(undefined),
  lang: z.enum(LANGUAGES).optional().catch(undefined),
  assignee: z.string().regex(/^(me|none|[1-9]\d{0,8})$/).optional().catch(undefined),
  overdue: z.literal("1").optional().catch(undefined),
  priority: z.enum(PRIORITIES).optional().catch(undefined),
  origin: z.enum(["customer", "employee", "breach"]).optional().catch(undefined),
  q: z.string().trim().max(QUEUE_SEARCH_MAX).optional().catch(undefined),
  sort: z.enum(["due", "created"]).catch("due"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

const selectedRefs = z.array(z.string().max(40), { error: msg("queue:errors.noneSelected") }).min(1, msg("queue:errors.noneSelected")).max(200, msg("queue:errors.tooMany"));

/** Bulk actions: one form, one submit button per action. */
const BulkSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("status"), ref: selectedRefs, to: z.enum(BULK_STATUSES, { error: msg("chooseOne") }) }),
  z.object({ intent: z.literal("assign"), ref: selectedRefs, assignee: z.string().regex(/^(none|[1-9]\d{0,8})$/, msg("chooseOne")) }),
  // Spam closes cases without a reply: a ticked "I understand" box confirms it (works without JavaScript).
  z.object({ intent: z.literal("spam"), ref: selectedRefs, confirm: z.literal("yes", { error: msg("queue:errors.confirmSpam") }) }),
]);

function readView(url: URL) {
  const raw = Object.fromEntries([...url.searchParams.entries()].map(([k, v]) => [k, v.slice(0, 300)]));
  return QueueViewSchema.parse(raw);
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = requireStaff(context, request, "concerns.work");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const url = new URL(request.url);
  const v = readView(url);
  const systemNames = await aiSystemNames(db, lang);
  const systemId = v.system ? [...systemNames].find(([, s]) => s.slug === v.system)?.[0] : undefined;
  const filters: Filters = {
    status: v.status,
    kind: v.kind,
    // An unknown system matches nothing rather than everything.
    systemId: v.system ? (systemId ?? -1) : undefined,
    lang: v.lang,
    assignee: v.assignee === "me" || v.assignee === "none" ? v.assignee : v.assignee ? Number(v.assignee) : undefined,
    overdue: v.overdue === "1",
    priority: v.priority,
    origin: v.origin,
    q: v.q,
    sort: v.sort,
    page: v.page,
  };
  const result = await listQueue(db, filters, staff, lang, Date.now(), { systems: systemNames });
  const view: QueueView = {
    status: v.status,
    kind: v.kind ?? "",
    system: v.system ?? "",
    lang: v.lang ?? "",
    assignee: v.assignee ?? "",
    overdue: v.overdue ?? "",
    priority: v.priority ?? "",
    origin: v.origin ?? "",
    q: v.q ?? "",
    sort: v.sort,
    page: String(result.page),
  };
  // Filtered counts stop at the cap (listQueue): "over 1,000", never a pass over every matching case;
  // a word search past the cap gives lower bounds ("at least 312"), and no figure where it saw none,
  // except for the view shown once its last page is reached (then its total is exact).
  const viewIsExact = !result.totalIsLowerBound && !result.totalIsMinimum;
  const countText = (status: string, n: number): CountText =>
    result.countsAreCapped && n > QUEUE_COUNT_CAP
      ? { text: formatNumber(QUEUE_COUNT_CAP, lang), bound: "more" }
      : { text: formatNumber(n, lang), bound: !result.countsAreLowerBounds || (status === v.status && viewIsExact) ? "exact" : n > 0 ? "atLeast" : "uncounted" };
  const bulkDone = url.searchParams.get("bulkDone");
  return {
    view,
    // A whole reference ignores the other filters (see listQueue): say so, or the status tab misleads.
    referenceSearch: v.q ? referenceQuery(v.q) : null,
    counts: Object.fromEntries(Object.entries(result.counts).map(([status, n]) => [status, countText(status, n)])),
    total: result.total,
    totalText: formatNumber(result.total, lang),
    totalBound: (result.totalIsLowerBound ? "more" : result.totalIsMinimum ? "atLeast" : "exact") as "more" | "atLeast" | "exact",
    searchStoppedAt: result.countsAreLowerBounds ? formatNumber(QUEUE_COUNT_CAP, lang) : null,
    page: result.page,
    pageCount: result.pageCount,
    hasNext: result.hasNext,
    rows: result.rows.map((r) => ({
      ...r,
      system: r.system?.name ?? null,
      assignee: r.assignee?.name ?? null,
      createdAt: dateFor(r.createdAt, lang, "date"),
      dueAt: r.dueAt !== null ? dateFor(r.dueAt, lang) : null,
    })),
    systems: [...systemNames].map(([, s]) => s).sort((a, b) => a.name.localeCompare(b.name, lang)),
    staff: (await assignableStaff(db)).map((s) => ({ id: s.id, name: s.name, trained: s.trained })),
    canAssign: can(staff.role, "concerns.assign"),
    canManageCanned: can(staff.role, "concerns.assign"),
    bulkDone: bulkDone && /^\d{1,3}$/.test(bulkDone) ? Number(bulkDone) : null,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const staff = requireStaff(context, request, "concerns.work");
  const { db } = context.get(servicesContext);
  const form = await readForm(request);
  // Bulk assignment is for supervisors and admins: a crafted request gets no further.
  if (form.get("intent") === "assign") requireStaff(context, request, "concerns.assign");
  const submission = parseWithZod(form, { schema: BulkSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), bulk: null }, { status: 400 });
  const value = submission.value;
  const refs = value.ref.map((r) => normaliseConcernRef(r) ?? r);
  const bulkAction: BulkAction =
    value.intent === "assign"
      ? { type: "assign", assigneeId: value.assignee === "none" ? null : Number(value.assignee) }
      : value.intent === "status"
        ? { type: "status", to: value.to }
        : { type: "spam" };
  let outcome;
  try {
    outcome = await bulkUpdate(db, refs, staff, bulkAction);
  } catch (error) {
    if (!(error instanceof ConcernStateError)) throw error;
    if (error.code === "forbidden") throw data({ reason: "no_permission" as const }, { status: 403 });
    return data({ result: submission.reply({ formErrors: [msg(`queue:errors.${error.code}`)] }), bulk: null }, { status: 400 });
  }
  if (outcome.rejected.length === 0) {
    const url = new URL(request.url);
    url.searchParams.set("bulkDone", String(outcome.applied.length));
    return redirect(`${url.pathname}${url.search}`, 303);
  }
  // Some cases could not take the action: say which and why (the others were changed).
  return data({ result: submission.reply({ resetForm: true }), bulk: { intent: value.intent, ...outcome } }, { status: 409 });
}

/** After a refused (4xx) bulk action the list is still re-read: the cases that did change show it. */
export function shouldRevalidate({ formMethod, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  return formMethod?.toUpperCase() === "POST" ? true : defaultShouldRevalidate;
}

export default function Queue({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { view } = loaderData;
  const bulk = actionData?.bulk;
  const formErrors = Object.values(actionData?.result?.error ?? {}).flatMap((e) => e ?? []);
  return (
    <div className="stack-lg">
      <PageHeader title={t("queue:title")} lead={t("queue:lead")}>
        {loaderData.canManageCanned ? (
          <p><Link to="/staff/canned-replies">{t("queue:cannedLink")}</Link></p>
        ) : null}
      </PageHeader>
      {loaderData.bulkDone !== null ? <Notice tone="success" title={t("queue:bulk.done", { count: loaderData.bulkDone })} /> : null}
      {bulk ? (
        <Notice tone="warning" title={t("queue:bulk.partial", { count: bulk.applied.length })}>
          <p>{t("queue:bulk.rejectedIntro")}</p>
          <ul>
            {bulk.rejected.map((r) => (
              <li key={r.ref}>
                <span className="ref">{r.ref}</span>{t("queue:bulk.separator")}{t(`queue:errors.${r.reason}`, { defaultValue: t("queue:errors.illegal_transition") })}
              </li>
            ))}
          </ul>
        </Notice>
      ) : formErrors.length > 0 ? (
        <Notice tone="error" title={t("errors.formTitle")}>
          <FieldErrors id="queue-bulk-error" errors={formErrors} t={t} />
        </Notice>
      ) : null}
      {loaderData.referenceSearch ? <Notice title={t("queue:referenceSearch", { ref: loaderData.referenceSearch })} /> : null}
      {loaderData.searchStoppedAt ? (
        <Notice title={t("queue:searchStopped.title", { n: loaderData.searchStoppedAt })}>
          <p>{t("queue:searchStopped.body", { n: loaderData.searchStoppedAt })}</p>
        </Notice>
      ) : null}
      <QueueStatusCounts view={view} counts={loaderData.counts} />
      <QueueFilters view={view} systems={loaderData.systems} staff={loaderData.staff} />
      <section className="stack" aria-labelledby="queue-results-title">
        <h2 id="queue-results-title">
          {loaderData.totalBound === "more"
            ? t("queue:table.titleMore", { n: loaderData.totalText })
            : loaderData.totalBound === "atLeast"
              ? t("queue:table.titleAtLeast", { count: loaderData.total })
              : t("queue:table.title", { count: loaderData.total })}
        </h2>
        <QueueTable rows={loaderData.rows} canAssign={loaderData.canAssign} staff={loaderData.staff} />
        <QueuePagination view={view} page={loaderData.page} pageCount={loaderData.pageCount} hasNext={loaderData.hasNext} bound={loaderData.totalBound} />
      </section>
      <QueueShortcuts />
    </div>
  );
}
