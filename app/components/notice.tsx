import type { ReactNode } from "react";

/** A banner for confirmations, information and warnings; announced politely to screen readers. */
export function Notice({ tone = "info", title, children }: { tone?: "success" | "info" | "warning" | "error"; title?: string; children?: ReactNode }) {
  return (
    <div className={`notice notice--${tone}`} role={tone === "error" ? "alert" : "status"}>
      {title ? <p className="notice__title">{title}</p> : null}
      {children}
    </div>
  );
}
