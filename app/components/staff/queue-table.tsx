import { useEffect, useRef, useState } from "react";
import { useTranslation } from "~/utils/i18n";
import { Form, Link, useNavigate } from "react-router";
import { Time } from "~/components/time";
import { BULK_STATUSES } from "~/domain/vocabulary";
import { TableRegion } from "~/components/table-region";

type DateText = { iso: string; text: string };

export interface QueueTableRow {
  ref: string;
  kind: string;
  status: string;
  priority: string;
  lang: string;
  system: string | null;
  assignee: string | null;
  seriousIncident: boolean;
  origin: string;
  /** An employee report's reporter, only for viewers with `reporters.view` (listQueue). */
  reporter: string | null;
  excerpt: string;
  createdAt: DateText;
  dueAt: DateText | null;
  overdue: boolean;
}

/** Overdue, serious-incident, permission-breach and employee-report marks: words (and a symbol), never colour alone. */
export function QueueBadges({ overdue, seriousIncident, breach = false, employee = false }: { overdue: boolean; seriousIncident: boolean; breach?: boolean; employee?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {employee ? (
        <span className="pill badge-employee">
          <span aria-hidden="true">{t("queue:badges.employeeIcon")} </span>
          {t("queue:badges.employee")}
        </span>
      ) : null}{" "}
      {breach ? (
        <span className="pill badge-breach">
          <span aria-hidden="true">{t("queue:badges.breachIcon")} </span>
          {t("queue:badges.breach")}
        </span>
      ) : null}{" "}
      {overdue ? (
        <span className="pill badge-overdue">
          <span aria-hidden="true">{t("queue:badges.overdueIcon")} </span>
          {t("queue:badges.overdue")}
        </span>
      ) : null}{" "}
      {seriousIncident ? (
        <span className="pill badge-incident">
          <span aria-hidden="true">{t("queue:badges.incidentIcon")} </span>
          {t("queue:badges.incident")}
        </span>
      ) : null}
    </>
  );
}

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type !== "checkbox"));

/**
 * Keyboard navigation (progressive enhancement): j / k move between rows, Enter opens the
 * current case, x selects it for a bulk action. Without JavaScript the table is plain links
 * and checkboxes.
 */
function useQueueKeys(body: React.RefObject<HTMLTableSectionElement | null>) {
  const navigate = useNavigate();
  const [current, setCurrent] = useState(-1);
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const rows = Array.from(body.current?.querySelectorAll<HTMLTableRowElement>("tr[data-ref]") ?? []);
      if (rows.length === 0) return;
      if (event.key === "j" || event.key === "k") {
        event.preventDefault();
        const next = Math.min(rows.length - 1, Math.max(0, current + (event.key === "j" ? 1 : -1)));
        setCurrent(next);
        rows[next]?.querySelector<HTMLAnchorElement>("a")?.focus();
      } else if (event.key === "x" && current >= 0) {
        event.preventDefault();
        rows[current]?.querySelector<HTMLInputElement>("input[type=checkbox]")?.click();
      } else if (event.key === "Enter" && current >= 0 && !(event.target instanceof HTMLAnchorElement) && !(event.target instanceof HTMLButtonElement)) {
        const href = rows[current]?.querySelector<HTMLAnchorElement>("a")?.getAttribute("href");
        if (href) {
          event.preventDefault();
          void navigate(href);
        }
      }
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [body, current, navigate]);
  return [current, setCurrent] as const;
}

/** The queue's table inside the bulk-action form (checkboxes + one action per submit button). */
export function QueueTable({
  rows,
  canAssign,
  staff,
}: {
  rows: QueueTableRow[];
  canAssign: boolean;
  staff: { id: number; name: string; trained: boolean }[];
}) {
  const { t } = useTranslation();
  const body = useRef<HTMLTableSectionElement>(null);
  const [current, setCurrent] = useQueueKeys(body);
  // A page repeats a few kinds, statuses and priorities: each label is looked up once per render, not once per row.
  const labels = new Map<string, string>();
  const label = (key: string) => {
    let text = labels.get(key);
    if (text === undefined) labels.set(key, (text = t(key)));
    return text;
  };
  if (rows.length === 0) {
    return <p className="card">{t("queue:table.empty")}</p>;
  }
  return (
    <Form method="post" className="stack" aria-labelledby="queue-bulk-title">
      <TableRegion label={t("queue:table.caption")}>
        <table className="data-table queue-table">
          <caption className="visually-hidden">{t("queue:table.caption")}</caption>
          <thead>
            <tr>
              <th scope="col"><span className="visually-hidden">{t("queue:table.select")}</span></th>
              <th scope="col">{t("queue:table.ref")}</th>
              <th scope="col">{t("queue:table.kind")}</th>
              <th scope="col">{t("queue:table.status")}</th>
              <th scope="col">{t("queue:table.priority")}</th>
              <th scope="col">{t("queue:table.system")}</th>
              <th scope="col">{t("queue:table.lang")}</th>
              <th scope="col">{t("queue:table.assignee")}</th>
              <th scope="col">{t("queue:table.due")}</th>
              <th scope="col">{t("queue:table.filed")}</th>
            </tr>
          </thead>
          <tbody ref={body}>
            {rows.map((row, index) => (
              <tr
                key={row.ref}
                data-ref={row.ref}
                className={[
                  index === current ? "queue-row--current" : "",
                  row.overdue ? "queue-row--overdue" : "",
                  row.seriousIncident ? "queue-row--incident" : "",
                ].join(" ").trim() || undefined}
                onFocus={() => setCurrent(index)}
              >
                <td>
                  <input type="checkbox" name="ref" value={row.ref} id={`select-${row.ref}`} aria-label={t("queue:table.selectOne", { ref: row.ref })} />
                </td>
                <td>
                  <Link to={`/staff/concerns/${row.ref}`} className="ref">{row.ref}</Link>
                  <QueueBadges overdue={row.overdue} seriousIncident={row.seriousIncident} breach={row.origin === "breach"} employee={row.origin === "employee"} />
                  {row.reporter !== null ? <p className="muted queue-reporter">{t("queue:employee.reportedBy", { name: row.reporter })}</p> : null}
                  <p className="muted queue-excerpt user-text" dir="auto">{row.excerpt}</p>
                </td>
                <td>{label(`concernKinds.${row.kind}`)}</td>
                <td><span className="status">{label(`queue:status.${row.status}`)}</span></td>
                <td>{label(`queue:priority.${row.priority}`)}</td>
                <td>{row.system ?? label("queue:table.none")}</td>
                <td>{row.lang}</td>
                <td>{row.assignee ?? label("queue:table.unassigned")}</td>
                <td>{row.dueAt ? <Time value={row.dueAt} /> : label("queue:table.none")}</td>
                <td><Time value={row.createdAt} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      <fieldset className="card stack queue-bulk">
        <legend id="queue-bulk-title">{t("queue:bulk.title")}</legend>
        <p className="muted">{t("queue:bulk.help")}</p>
        <div className="toolbar">
          <div className="field">
            <label htmlFor="bulk-to">{t("queue:bulk.statusLabel")}</label>
            <select id="bulk-to" name="to" defaultValue="in_progress">
              {BULK_STATUSES.map((s) => (
                <option key={s} value={s}>{t(`queue:status.${s}`)}</option>
              ))}
            </select>
          </div>
          <button type="submit" name="intent" value="status" className="button button--secondary">{t("queue:bulk.status")}</button>
          {canAssign ? (
            <>
              <div className="field">
                <label htmlFor="bulk-assignee">{t("queue:bulk.assigneeLabel")}</label>
                <select id="bulk-assignee" name="assignee" defaultValue="none">
                  <option value="none">{t("queue:table.unassigned")}</option>
                  {staff.map((s) => (
                    <option key={s.id} value={String(s.id)}>{s.trained ? s.name : t("queue:training.untrainedOption", { name: s.name })}</option>
                  ))}
                </select>
              </div>
              <button type="submit" name="intent" value="assign" className="button button--secondary">{t("queue:bulk.assign")}</button>
            </>
          ) : null}
          <label className="radio">
            <input type="checkbox" id="bulk-spam-confirm" name="confirm" value="yes" />
            <span className="radio__label">{t("queue:bulk.spamConfirm")}</span>
          </label>
          <button
            type="submit"
            name="intent"
            value="spam"
            className="button button--secondary"
            onClick={(event) => {
              // With JavaScript, a confirmation dialog can stand in for the box.
              const box = event.currentTarget.form?.elements.namedItem("confirm");
              if (!(box instanceof HTMLInputElement) || box.checked) return;
              if (window.confirm(t("queue:bulk.spamConfirmPrompt"))) box.checked = true;
              else event.preventDefault();
            }}
          >
            {t("queue:bulk.spam")}
          </button>
        </div>
      </fieldset>
    </Form>
  );
}

/** The keyboard shortcuts, documented on the page. */
export function QueueShortcuts() {
  const { t } = useTranslation();
  const keys = [
    ["j", "next"],
    ["k", "previous"],
    ["enter", "open"],
    ["x", "select"],
  ] as const;
  return (
    <section className="card stack" aria-labelledby="queue-keys-title">
      <h2 id="queue-keys-title">{t("queue:keys.title")}</h2>
      <p className="muted">{t("queue:keys.intro")}</p>
      <dl className="queue-keys">
        {keys.map(([key, action]) => (
          <div key={key}>
            <dt><kbd className="kbd">{t(`queue:keys.key.${key}`)}</kbd></dt>
            <dd>{t(`queue:keys.action.${action}`)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

