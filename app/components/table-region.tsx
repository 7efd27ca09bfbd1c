import type { ReactNode } from "react";
import { useTranslation } from "~/utils/i18n";

/**
 * The wrapper of every table that may scroll sideways on a small screen: a labelled region that
 * takes keyboard focus, so keyboard users can scroll it with the arrow keys (WCAG 2.1.1, axe
 * "scrollable-region-focusable"). `label` is usually the table's caption; the region is named
 * "Table: <label>" so it never repeats the name of the section around it.
 */
export function TableRegion({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be focusable
    <div className={className ? `table-wrap ${className}` : "table-wrap"} role="region" aria-label={t("layout.tableRegion", { name: label })} tabIndex={0}>
      {children}
    </div>
  );
}
