import { useTranslation } from "~/utils/i18n";
import { Form, Link } from "react-router";
import { CONCERN_KINDS } from "~/domain/vocabulary";
import { LANGUAGE_NAMES, LANGUAGES } from "~/utils/languages";
import { CONCERN_STATUSES, PRIORITIES, QUEUE_SEARCH_MAX } from "~/domain/vocabulary";

/** The queue's view as it stands in the URL (every value a string; "" when not set). */
export interface QueueView {
  status: string;
  kind: string;
  system: string;
  lang: string;
  assignee: string;
  overdue: string;
  priority: string;
  /** "" (any), "customer", "employee" (employees' reports) or "breach" (cases Candor opened for permission breaches). */
  origin: string;
  q: string;
  sort: string;
  page: string;
}

const DEFAULTS: QueueView = { status: "open", kind: "", system: "", lang: "", assignee: "", overdue: "", priority: "", origin: "", q: "", sort: "due", page: "1" };

/** The URL of a queue view: only what differs from the defaults, so shared links stay short. */
export function queueHref(view: QueueView, change: Partial<QueueView> = {}): string {
  const next = { ...view, ...change };
  const params = new URLSearchParams();
  for (const key of Object.keys(DEFAULTS) as (keyof QueueView)[]) {
    if (next[key] && next[key] !== DEFAULTS[key]) params.set(key, next[key]);
  }
  const query = params.toString();
  return query ? `/staff/concerns?${query}` : "/staff/concerns";
}

/**
 * A count as shown: its text (formatted on the server) and what it is: "exact"; "more" (it
 * stopped at the cap: "over 1,000"); "atLeast" (a word search stopped counting: a lower bound);
 * "uncounted" (a word search stopped before reaching this status: no figure).
 */
export interface CountText {
  text: string;
  bound: "exact" | "more" | "atLeast" | "uncounted";
}

/** Links to each status with its count under the other filters (counted up to a cap, see listQueue). */
export function QueueStatusCounts({ view, counts }: { view: QueueView; counts: Record<string, CountText> }) {
  const { t } = useTranslation();
  const entries = ["open", "all", ...CONCERN_STATUSES];
  return (
    <nav aria-label={t("queue:counts.label")}>
      <ul className="queue-counts">
        {entries.map((status) => {
          const count = counts[status] ?? { text: "0", bound: "exact" };
          const label = t(`queue:statusFilter.${status}`);
          const n = count.bound === "more" ? t("queue:counts.more", { n: count.text }) : count.bound === "atLeast" ? t("queue:counts.atLeast", { n: count.text }) : count.text;
          return (
            <li key={status}>
              <Link to={queueHref(view, { status, page: "1" })} aria-current={view.status === status ? "page" : undefined}>
                {count.bound === "uncounted" ? label : t("queue:counts.item", { label, n })}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/**
 * Newer/older links for the queue: "next" when a later page has cases (`hasNext`). The page
 * count is exact, or a lower bound: "more" ("page 1 of more than 40": the total stopped at the
 * cap) or "atLeast" ("page 1 of at least 2": a word search stopped counting).
 */
export function QueuePagination({ view, page, pageCount, hasNext, bound }: { view: QueueView; page: number; pageCount: number; hasNext: boolean; bound: "exact" | "more" | "atLeast" }) {
  const { t } = useTranslation();
  if (page <= 1 && !hasNext) return null;
  const of = bound === "more" ? t("queue:pageOfMore", { page, pageCount }) : bound === "atLeast" ? t("queue:pageOfAtLeast", { page, pageCount }) : t("pagination.pageOf", { page, pageCount });
  return (
    <nav aria-label={t("pagination.label")} className="pagination">
      {page > 1 ? <Link to={queueHref(view, { page: String(page - 1) })} rel="prev">{t("pagination.previous")}</Link> : <span />}
      <span>{of}</span>
      {hasNext ? <Link to={queueHref(view, { page: String(page + 1) })} rel="next">{t("pagination.next")}</Link> : <span />}
    </nav>
  );
}

/** The filters that narrow the queue (the search has its own field in the bar), in the order the chips list them. */
const FILTER_KEYS = ["status", "kind", "system", "lang", "assignee", "priority", "origin", "overdue", "sort"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

/** The view's filters that differ from the defaults, each with its label and value as shown. */
function activeFilters(
  view: QueueView,
  systems: { slug: string; name: string }[],
  staff: { id: number; name: string }[],
  t: ReturnType<typeof useTranslation>["t"],
): { key: FilterKey; label: string; value: string }[] {
  const valueOf: Record<FilterKey, () => string> = {
    status: () => t(`queue:statusFilter.${view.status}`),
    kind: () => t(`concernKinds.${view.kind}`),
    system: () => systems.find((s) => s.slug === view.system)?.name ?? view.system,
    lang: () => LANGUAGE_NAMES[view.lang as keyof typeof LANGUAGE_NAMES] ?? view.lang,
    assignee: () =>
      view.assignee === "me" ? t("queue:filters.me") : view.assignee === "none" ? t("queue:filters.unassigned") : (staff.find((s) => String(s.id) === view.assignee)?.name ?? view.assignee),
    priority: () => t(`queue:priority.${view.priority}`),
    origin: () => t(`queue:filters.origin${view.origin.charAt(0).toUpperCase()}${view.origin.slice(1)}`),
    overdue: () => t("queue:filters.overdue"),
    sort: () => t("queue:filters.sortCreated"),
  };
  const labelOf: Record<FilterKey, string> = {
    status: t("queue:filters.status"),
    kind: t("queue:filters.kind"),
    system: t("queue:filters.system"),
    lang: t("queue:filters.lang"),
    assignee: t("queue:filters.assignee"),
    priority: t("queue:filters.priority"),
    origin: t("queue:filters.origin"),
    overdue: t("queue:filters.overdue"),
    sort: t("queue:filters.sort"),
  };
  return FILTER_KEYS.filter((key) => view[key] && view[key] !== DEFAULTS[key]).map((key) => ({ key, label: labelOf[key], value: valueOf[key]() }));
}

/**
 * The filter bar (a plain GET form, so every view is a URL that can be shared): the search and
 * its button in one line, every other filter behind a "Filters (N active)" disclosure (`<details>`,
 * so it opens without JavaScript), and the active filters as links that remove them one by one.
 * It stays one line high, so the queue's first rows show without scrolling (SPEC §4 "Queue").
 */
export function QueueFilters({
  view,
  systems,
  staff,
}: {
  view: QueueView;
  systems: { slug: string; name: string }[];
  staff: { id: number; name: string }[];
}) {
  const { t } = useTranslation();
  const active = activeFilters(view, systems, staff, t);
  return (
    <Form method="get" className="queue-bar" role="search" aria-label={t("queue:filters.title")}>
      <div className="queue-bar__line">
        <label htmlFor="filter-q" className="queue-bar__label">{t("queue:filters.search")}</label>
        <input id="filter-q" name="q" type="search" className="queue-search" defaultValue={view.q} maxLength={QUEUE_SEARCH_MAX} aria-describedby="filter-q-hint" />
        <button type="submit" className="button">{t("queue:filters.apply")}</button>
        <details className="queue-bar__more">
          <summary>{active.length ? t("queue:filters.disclosureActive", { count: active.length }) : t("queue:filters.disclosure")}</summary>
          <div className="queue-bar__panel stack">
            <div className="toolbar">
              <div className="field">
                <label htmlFor="filter-status">{t("queue:filters.status")}</label>
                <select id="filter-status" name="status" defaultValue={view.status}>
                  {["open", "all", ...CONCERN_STATUSES].map((s) => (
                    <option key={s} value={s}>{t(`queue:statusFilter.${s}`)}</option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="filter-kind">{t("queue:filters.kind")}</label>
                <select id="filter-kind" name="kind" defaultValue={view.kind}>
                  <option value="">{t("queue:filters.any")}</option>
                  {CONCERN_KINDS.map((k) => (
                    <option key={k} value={k}>{t(`concernKinds.${k}`)}</option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="filter-system">{t("queue:filters.system")}</label>
                <select id="filter-system" name="system" defaultValue={view.system}>
                  <option value="">{t("queue:filters.any")}</option>
                  {systems.map((s) => (
                    <option key={s.slug} value={s.slug}>{s.name}</option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="filter-lang">{t("queue:filters.lang")}</label>
                <select id="filter-lang" name="lang" defaultValue={view.lang}>
                  <option value="">{t("queue:filters.any")}</option>
                  {LANGUAGES.map((l) => (
                    <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="filter-assignee">{t("queue:filters.assignee")}</label>
                <select id="filter-assignee" name="assignee" defaultValue={view.assignee}>
                  <option value="">{t("queue:filters.anyone")}</option>
                  <option value="me">{t("queue:filters.me")}</option>
                  <option value="none">{t("queue:filters.unassigned")}</option>
                  {staff.map((s) => (
                    <option key={s.id} value={String(s.id)}>{s.name}</option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="filter-priority">{t("queue:filters.priority")}</label>
                <select id="filter-priority" name="priority" defaultValue={view.priority}>
                  <option value="">{t("queue:filters.any")}</option>
                  {PRIORITIES.map((p) => (
                    <option key={p} value={p}>{t(`queue:priority.${p}`)}</option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="filter-origin">{t("queue:filters.origin")}</label>
                <select id="filter-origin" name="origin" defaultValue={view.origin}>
                  <option value="">{t("queue:filters.originAny")}</option>
                  <option value="customer">{t("queue:filters.originCustomer")}</option>
                  <option value="employee">{t("queue:filters.originEmployee")}</option>
                  <option value="breach">{t("queue:filters.originBreach")}</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor="filter-sort">{t("queue:filters.sort")}</label>
                <select id="filter-sort" name="sort" defaultValue={view.sort}>
                  <option value="due">{t("queue:filters.sortDue")}</option>
                  <option value="created">{t("queue:filters.sortCreated")}</option>
                </select>
              </div>
              <label className="queue-check">
                <input type="checkbox" name="overdue" value="1" defaultChecked={view.overdue === "1"} />
                <span>{t("queue:filters.overdue")}</span>
              </label>
            </div>
            <p className="field__hint" id="filter-q-hint">{t("queue:filters.searchHint")}</p>
            <p className="queue-bar__actions">
              <button type="submit" className="button button--secondary">{t("queue:filters.applyFilters")}</button>{" "}
              <Link to="/staff/concerns">{t("queue:filters.reset")}</Link>
            </p>
          </div>
        </details>
      </div>
      {active.length ? (
        <ul className="queue-chips" aria-label={t("queue:filters.activeLabel")}>
          {active.map((f) => (
            <li key={f.key}>
              <Link to={queueHref(view, { [f.key]: DEFAULTS[f.key], page: "1" })} className="queue-chip" aria-label={t("queue:filters.remove", { label: f.label, value: f.value })}>
                {t("queue:filters.chip", { label: f.label, value: f.value })}
                <span aria-hidden="true"> ×</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </Form>
  );
}
