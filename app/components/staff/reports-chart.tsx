import { useId } from "react";
import { useTranslation } from "~/utils/i18n";
import { truncateText } from "~/utils/text";

export interface BarChartRow {
  label: string;
  /** One value per series; drawn as adjoining segments of one bar. */
  values: number[];
  /** What is written at the end of the bar (already formatted by the loader). */
  valueText: string;
}

export interface BarChartSeries {
  label: string;
  /** Series differ by fill pattern as well as by their text in the legend: never by colour alone. */
  pattern: "solid" | "hatched";
}

const ROW_HEIGHT = 46;
const LABEL_BASELINE = 16;
const BAR_TOP = 23;
const BAR_HEIGHT = 16;
/** Share of the width the longest bar takes; the rest holds its value. */
const MAX_BAR_PERCENT = 72;
const MAX_LABEL_CHARS = 60;

const truncate = (text: string) => truncateText(text, MAX_LABEL_CHARS);

/**
 * A horizontal bar chart in SVG. It is one image to assistive technology (role="img", named by its
 * <title>, described by its <desc> with every value); the same numbers are in the table the page
 * puts right below it. Each bar carries its label and value as text, colours come from the theme's
 * CSS variables (light and dark), and in right-to-left languages the bars grow from the right.
 * Widths are percentages, so the chart follows the page width and its text keeps its size.
 */
export function BarChart({ title, description, rows, series, max }: { title: string; description: string; rows: BarChartRow[]; series?: BarChartSeries[]; max?: number }) {
  const { i18n } = useTranslation();
  const rtl = i18n.dir() === "rtl";
  const id = `chart-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const patterns = series?.map((s) => s.pattern) ?? ["solid"];
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const scale = Math.max(max ?? 0, ...rows.map((r) => sum(r.values)), 1);
  const height = Math.max(rows.length, 1) * ROW_HEIGHT + 4;
  const fill = (pattern: "solid" | "hatched") => (pattern === "hatched" ? `url(#${id}-hatch)` : undefined);
  return (
    <figure className="reports-chart">
      <svg role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`} width="100%" height={height} className="reports-chart__svg">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <defs>
          <pattern id={`${id}-hatch`} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
            <rect width="6" height="6" className="reports-chart__hatch-bg" />
            <line x1="0" y1="0" x2="0" y2="6" strokeWidth="3" className="reports-chart__hatch-line" />
          </pattern>
        </defs>
        {rows.map((row, i) => {
          const top = i * ROW_HEIGHT;
          let offset = 0;
          const segments = row.values.map((value, s) => {
            const width = (value / scale) * MAX_BAR_PERCENT;
            const x = rtl ? 100 - offset - width : offset;
            offset += width;
            const pattern = patterns[s] ?? "solid";
            return width > 0 ? (
              <rect key={s} x={`${x}%`} y={top + BAR_TOP} width={`${width}%`} height={BAR_HEIGHT} className={`reports-chart__bar reports-chart__bar--${pattern}`} fill={fill(pattern)} />
            ) : null;
          });
          return (
            <g key={`${i}-${row.label}`}>
              <text x={rtl ? "100%" : "0"} y={top + LABEL_BASELINE} className="reports-chart__label">
                {truncate(row.label)}
              </text>
              <line x1={rtl ? "100%" : "0"} x2={rtl ? "100%" : "0"} y1={top + BAR_TOP - 2} y2={top + BAR_TOP + BAR_HEIGHT + 2} className="reports-chart__axis" />
              {segments}
              <text x={`${rtl ? 100 - offset - 1 : offset + 1}%`} y={top + BAR_TOP + BAR_HEIGHT - 3} className="reports-chart__value">
                {row.valueText}
              </text>
            </g>
          );
        })}
      </svg>
      {series && series.length > 1 ? (
        <figcaption>
          <ul className="reports-legend">
            {series.map((s) => (
              <li key={s.label}>
                <svg width="18" height="14" aria-hidden="true" focusable="false" className="reports-legend__swatch">
                  <rect x="1" y="1" width="16" height="12" className={`reports-chart__bar reports-chart__bar--${s.pattern}`} fill={fill(s.pattern)} />
                </svg>
                <span>{s.label}</span>
              </li>
            ))}
          </ul>
        </figcaption>
      ) : null}
    </figure>
  );
}
