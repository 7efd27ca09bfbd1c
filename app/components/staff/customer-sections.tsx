import type { ReactNode } from "react";
import { useTranslation } from "~/utils/i18n";
import { limitsInWords, type LimitsSummary } from "~/components/choice-limits";
import { Pagination } from "~/components/pagination";
import { TableRegion } from "~/components/table-region";
import { Time } from "~/components/time";

type When = { iso: string; text: string };

/** One row of a section: its time (first column) and the other cells, already in words. */
export interface SectionRow {
  key: string;
  at: When;
  cells: ReactNode[];
}

/**
 * One bounded section of the customer overview (newest first): a heading with the count, a table
 * and its own newer/older links (`hrefFor` keeps the other sections' pages in the URL).
 */
export function CustomerSection({
  name,
  columns,
  rows,
  total,
  totalText,
  capped,
  page,
  pageCount,
  hrefFor,
}: {
  name: string;
  columns: string[];
  rows: SectionRow[];
  total: number;
  totalText: string;
  capped: boolean;
  page: number;
  pageCount: number;
  hrefFor: (page: number) => string;
}) {
  const { t } = useTranslation();
  const title = t(`customerOverview:sections.${name}`);
  const headingId = `customer-${name}-title`;
  return (
    <section className="card stack" id={`customer-${name}`} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <p className="muted">{t(capped ? "customerOverview:countCapped" : "customerOverview:count", { count: total, total: totalText })}</p>
      {rows.length === 0 ? (
        <p className="muted">{t("customerOverview:empty")}</p>
      ) : (
        <TableRegion label={title}>
          <table className="data-table table-stack">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("customerOverview:columns.at")}</th>
                {columns.map((c) => (
                  <th key={c} scope="col">{t(`customerOverview:columns.${c}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <td><Time value={row.at} /></td>
                  {row.cells.map((cell, i) => (
                    <td key={columns[i]}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      <Pagination page={page} pageCount={pageCount} hrefFor={hrefFor} />
    </section>
  );
}

export interface CustomerChoiceView {
  key: string;
  label: string;
  value: string;
  isDefault: boolean;
  needsReconfirmation: boolean;
  limits: LimitsSummary | null;
  allowedUntil: When | null;
  updatedAt: When | null;
}

/** The customer's current value of every choice, with its limits (SPEC §11.2). */
export function CustomerChoices({ choices }: { choices: CustomerChoiceView[] }) {
  const { t } = useTranslation();
  return (
    <section className="card stack" id="customer-choices" aria-labelledby="customer-choices-title">
      <h2 id="customer-choices-title">{t("customerOverview:sections.choices")}</h2>
      <dl className="summary-list">
        {choices.map((c) => (
          <div key={c.key}>
            <dt>
              {c.label} <code className="muted">{c.key}</code>
            </dt>
            <dd>
              {t(`choiceValues.${c.value}`, { defaultValue: c.value })}
              {c.isDefault ? <span className="muted">{t("customerOverview:choiceDefault")}</span> : null}
              {c.needsReconfirmation ? <span className="muted">{t("customerOverview:choiceReconfirm")}</span> : null}
              {c.limits && limitsInWords(c.limits, t).length > 0 ? <span className="muted">{t("queue:timeline.separator")}{limitsInWords(c.limits, t).join(t("queue:timeline.separator"))}</span> : null}
              {c.allowedUntil ? <span className="muted">{t("customerOverview:allowedUntil", { date: c.allowedUntil.text })}</span> : null}
              {c.updatedAt ? <span className="muted">{t("customerOverview:choiceChanged", { date: c.updatedAt.text })}</span> : null}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
