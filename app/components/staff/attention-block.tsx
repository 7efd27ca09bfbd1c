import type { ReactNode } from "react";
import { Link } from "react-router";
import { useTranslation } from "~/utils/i18n";
import { Time } from "~/components/time";

type Shown = { iso: string; text: string };

/** One "needs attention" block of the start page: a titled card with its count, a short list and a link to the full page. */
export function AttentionBlock({ id, title, count, tone, href, linkLabel, children }: { id: string; title: string; count: string; tone: "error" | "warning" | "info"; href: string; linkLabel: string; children: ReactNode }) {
  const { t } = useTranslation();
  const pill = tone === "error" ? "pill pill--never" : tone === "warning" ? "pill pill--warning" : "pill";
  return (
    <section className="card stack" aria-labelledby={`${id}-title`} data-attention={id}>
      <div className="card__head">
        <h2 id={`${id}-title`}>{title}</h2>
        <span className={pill} aria-label={t("attention:countLabel", { n: count })}>{count}</span>
      </div>
      <ul className="plain-list">{children}</ul>
      <p>
        <Link to={href}>{linkLabel}</Link>
      </p>
    </section>
  );
}

export interface AttentionCaseView {
  ref: string;
  kind: string;
  due: Shown | null;
  overdue: boolean;
  reportDue?: Shown | null;
}

/** One case in a block: its reference (a link to the case), its kind and its clock. */
export function AttentionCaseItem({ item }: { item: AttentionCaseView }) {
  const { t } = useTranslation();
  return (
    <li>
      <Link to={`/staff/concerns/${item.ref}`}>{item.ref}</Link> · {t(`common:concernKinds.${item.kind}`, { defaultValue: item.kind })}
      {item.reportDue ? (
        <>
          {" · "}
          <span>{t("attention:item.reportDue")} <Time value={item.reportDue} /></span>
        </>
      ) : item.due ? (
        <>
          {" · "}
          <span>{t(item.overdue ? "attention:item.overdueSince" : "attention:item.due")} <Time value={item.due} /></span>
        </>
      ) : null}
    </li>
  );
}
