import type { ReactNode } from "react";

/**
 * The wrapper of every table that may scroll sideways on a small screen: a labelled region that
 * takes keyboard focus, so keyboard users can scroll it with the arrow keys (WCAG 2.1.1, axe
 * "scrollable-region-focusable"). `label` is usually the table's caption.
 */
export function TableRegion({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be focusable
    <div className={className ? `table-wrap ${className}` : "table-wrap"} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
