import type { ReactNode } from "react";
import { PageTitle } from "./page-title";

/** A page's <title>, its one <h1> and its lead paragraph (extra content below, e.g. an action). */
export function PageHeader({ title, lead, children }: { title: string; lead: string; children?: ReactNode }) {
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <section className="stack page-header">
        <h1>{title}</h1>
        <p className="lead">{lead}</p>
        {children}
      </section>
    </>
  );
}
