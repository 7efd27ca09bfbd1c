import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "~/utils/i18n";

/** One report: heading, its CSV download, an introduction, then chart and table. */
export function ReportSection({ id, title, intro, csvHref, children }: { id: string; title: string; intro?: ReactNode; csvHref: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="card stack reports-section" aria-labelledby={`${id}-title`} id={id}>
      <div className="reports-section__head">
        <h2 id={`${id}-title`}>{title}</h2>
        <a href={csvHref} className="button button--secondary" download>
          {t("reports:download")}
          <span className="visually-hidden">{t("reports:downloadOf", { report: title })}</span>
        </a>
      </div>
      {intro ? <p className="muted">{intro}</p> : null}
      {children}
    </section>
  );
}

export interface ReportColumn {
  label: string;
  /** Numbers are aligned to the end of the cell. */
  numeric?: boolean;
}

/**
 * Makes a sideways-scrolling box keyboard-focusable while (and only while) it actually scrolls,
 * so keyboard users can scroll it; a box that fits stays out of the tab order.
 */
function useFocusableWhenScrolling() {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      if (element.scrollWidth > element.clientWidth + 1) element.tabIndex = 0;
      else element.removeAttribute("tabindex");
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return ref;
}

/**
 * The numbers of a chart as a table (the first column names the row). When it is too wide for the
 * screen it scrolls sideways inside a named region that keyboard users can focus and scroll.
 */
export function ReportTable({ caption, columns, rows }: { caption: string; columns: ReportColumn[]; rows: { key: string; cells: string[] }[] }) {
  const { t } = useTranslation();
  const ref = useFocusableWhenScrolling();
  return (
    // Focusable from the server's HTML on (before hydration, and without JavaScript); once running,
    // the region drops its tab stop when nothing needs scrolling.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be focusable
    <div ref={ref} className="table-wrap" role="region" aria-label={t("reports:tableLabel", { report: caption })} tabIndex={0}>
      <table className="data-table reports-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={c.numeric ? "reports-num" : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, i) =>
                i === 0 ? (
                  <th key={i} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={i} className={columns[i]?.numeric ? "reports-num" : undefined}>
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
