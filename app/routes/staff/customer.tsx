import { useTranslation } from "~/utils/i18n";
import { data, Link } from "react-router";
import { limitsInWords } from "~/components/choice-limits";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { CustomerChoices, CustomerSection, type SectionRow } from "~/components/staff/customer-sections";
import { customerOverview, overviewPages, type OverviewPages, type OverviewSection } from "~/domain/customer-overview.server";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { limitsSummary } from "~/routes/portal/limits-summary.server";
import { dateFor, formatMoney, formatNumber } from "~/utils/format.server";
import { languageNameIn } from "~/utils/language-names";
import type { Route } from "./+types/customer";

const ID_MAX = 200;

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const staff = requireStaff(context, request, "customers.view");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const customerId = params.id ?? "";
  if (customerId === "" || customerId.length > ID_MAX) throw data(null, { status: 404 });
  const pages = overviewPages(new URL(request.url).searchParams);
  const now = Date.now();
  const overview = await customerOverview(db, { customerId, viewerId: staff.id, lang, pages, now });
  if (!overview) throw data(null, { status: 404 });
  if (overview.status === "erased") {
    return { id: overview.customer.id, erased: { at: dateFor(overview.customer.erasedAt, lang, "date") }, pages, view: null };
  }
  const date = (ms: number | null) => (ms === null ? null : dateFor(ms, lang));
  const counted = <T,>(p: { total: number; capped: boolean; page: number; pageCount: number; items: T[] }) => ({
    total: p.total,
    totalText: formatNumber(p.total, lang),
    capped: p.capped,
    page: p.page,
    pageCount: p.pageCount,
  });
  const { customer } = overview;
  return {
    id: customer.id,
    erased: null,
    pages,
    view: {
      customer: {
        email: customer.email,
        language: languageNameIn(customer.locale, lang),
        timeZone: customer.timeZone,
        since: dateFor(customer.createdAt, lang, "date"),
      },
      choices: overview.choices.map((c) => ({ ...c, limits: limitsSummary(c.limits, lang), allowedUntil: date(c.allowedUntil), updatedAt: date(c.updatedAt) })),
      consents: {
        ...counted(overview.consents),
        rows: overview.consents.items.map((e) => ({
          key: e.receiptId,
          at: dateFor(e.createdAt, lang),
          cells: { choice: e.choiceKey, value: e.value, previous: e.previousValue, method: e.method, notice: String(e.noticeVersion), receipt: e.receiptId },
          limits: limitsSummary(e.limits, lang),
        })),
      },
      decisions: {
        ...counted(overview.decisions),
        rows: overview.decisions.items.map((d) => ({
          key: d.id,
          at: dateFor(d.createdAt, lang),
          cells: { action: d.actionKey, system: d.aiSystemSlug, decision: d.decision, reason: d.reason, id: d.id },
        })),
      },
      confirmations: {
        ...counted(overview.confirmations),
        rows: overview.confirmations.items.map((c) => ({
          key: c.id,
          at: dateFor(c.createdAt, lang),
          cells: {
            action: c.actionKey,
            system: c.aiSystemSlug,
            status: c.status,
            amount: c.amountHundredths === null ? null : formatMoney(c.amountHundredths, c.currency, lang),
            expires: dateFor(c.expiresAt, lang).text,
          },
        })),
      },
      breaches: {
        ...counted(overview.breaches),
        rows: overview.breaches.items.map((b) => ({
          key: String(b.id),
          at: dateFor(b.detectedAt, lang),
          cells: { action: b.actionKey, system: b.aiSystemSlug, reason: b.reason, caseRef: b.caseRef, contestRef: b.contestRef },
        })),
      },
      interactions: {
        ...counted(overview.interactions),
        rows: overview.interactions.items.map((i) => ({
          key: String(i.id),
          at: dateFor(i.occurredAt, lang),
          cells: { ref: i.ref, channel: i.channel, subject: i.subject },
          ai: i.ai.map((a) => ({ id: a.id, system: a.systemName, role: a.role, action: a.actionKey, humanReviewed: a.humanReviewed, breach: a.breach !== null })),
        })),
      },
      concerns: {
        ...counted(overview.concerns),
        rows: overview.concerns.items.map((c) => ({
          key: c.ref,
          at: dateFor(c.createdAt, lang),
          cells: { ref: c.ref, kind: c.kind, status: c.status, origin: c.origin, priority: c.priority },
        })),
      },
    },
  };
}

/** The URL of this page with one section moved to `page`, the others' pages kept. */
function hrefFor(id: string, pages: OverviewPages, section: OverviewSection, page: number): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...pages, [section]: page })) if (value > 1) params.set(name, String(value));
  return `/staff/customers/${encodeURIComponent(id)}?${params.toString()}#customer-${section}`;
}

export default function CustomerPage({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { id, view, erased, pages } = loaderData;
  const title = t("customerOverview:title", { id });
  if (!view || erased) {
    return (
      <div className="stack-lg">
        <PageHeader title={title} lead={t("customerOverview:lead")} />
        <Notice tone="info" title={t("customerOverview:erased.title")}>
          <p>{t("customerOverview:erased.body", { date: erased?.at.text ?? "" })}</p>
        </Notice>
      </div>
    );
  }
  const href = (section: OverviewSection) => (page: number) => hrefFor(id, pages, section, page);
  const yesNo = (v: boolean) => t(v ? "customerOverview:yes" : "customerOverview:no");
  const sections: { name: OverviewSection; columns: string[]; rows: SectionRow[] }[] = [
    {
      name: "consents",
      columns: ["choice", "value", "previous", "method", "notice", "receipt"],
      rows: view.consents.rows.map((r) => ({
        key: r.key,
        at: r.at,
        cells: [
          <code key="c">{r.cells.choice}</code>,
          <span key="v">
            {t(`choiceValues.${r.cells.value}`, { defaultValue: r.cells.value })}
            {r.limits && limitsInWords(r.limits, t).length > 0 ? <span className="muted">{t("queue:timeline.separator")}{limitsInWords(r.limits, t).join(t("queue:timeline.separator"))}</span> : null}
          </span>,
          r.cells.previous ? t(`choiceValues.${r.cells.previous}`, { defaultValue: r.cells.previous }) : t("customerOverview:none"),
          t(`consentMethods.${r.cells.method}`, { defaultValue: r.cells.method }),
          r.cells.notice,
          <code key="r">{r.cells.receipt}</code>,
        ],
      })),
    },
    {
      name: "decisions",
      columns: ["action", "system", "decision", "reason", "id"],
      rows: view.decisions.rows.map((r) => ({
        key: r.key,
        at: r.at,
        cells: [
          <code key="a">{r.cells.action}</code>,
          <code key="s">{r.cells.system}</code>,
          t(`queue:breach.answers.${r.cells.decision}`, { defaultValue: r.cells.decision }),
          <code key="r">{r.cells.reason}</code>,
          <code key="i">{r.cells.id}</code>,
        ],
      })),
    },
    {
      name: "confirmations",
      columns: ["action", "system", "status", "amount", "expires"],
      rows: view.confirmations.rows.map((r) => ({
        key: r.key,
        at: r.at,
        cells: [
          <code key="a">{r.cells.action}</code>,
          <code key="s">{r.cells.system}</code>,
          t(`customerOverview:confirmationStatus.${r.cells.status}`),
          r.cells.amount ?? t("customerOverview:none"),
          r.cells.expires,
        ],
      })),
    },
    {
      name: "breaches",
      columns: ["action", "system", "reason", "case"],
      rows: view.breaches.rows.map((r) => ({
        key: r.key,
        at: r.at,
        cells: [
          <code key="a">{r.cells.action}</code>,
          r.cells.system ? <code key="s">{r.cells.system}</code> : t("customerOverview:none"),
          t(`queue:breach.reasons.${r.cells.reason}`, { defaultValue: r.cells.reason }),
          <span key="c">
            {r.cells.caseRef ? <Link to={`/staff/concerns/${r.cells.caseRef}`} className="ref">{r.cells.caseRef}</Link> : t("customerOverview:none")}
            {r.cells.contestRef ? (
              <>
                {" "}
                {t("customerOverview:contested")} <Link to={`/staff/concerns/${r.cells.contestRef}`} className="ref">{r.cells.contestRef}</Link>
              </>
            ) : null}
          </span>,
        ],
      })),
    },
    {
      name: "interactions",
      columns: ["ref", "channel", "subject", "ai"],
      rows: view.interactions.rows.map((r) => ({
        key: r.key,
        at: r.at,
        cells: [
          <code key="r">{r.cells.ref}</code>,
          t(`channels.${r.cells.channel}`, { defaultValue: r.cells.channel }),
          <span key="s" dir="auto">{r.cells.subject}</span>,
          r.ai.length === 0 ? (
            t("customerOverview:noAi")
          ) : (
            <ul key="ai" className="plain-list">
              {r.ai.map((a) => (
                <li key={a.id}>
                  {t("customerOverview:aiInvolvement", {
                    system: a.system,
                    role: t(`aiRoles.${a.role}`, { defaultValue: a.role }),
                    reviewed: yesNo(a.humanReviewed),
                  })}
                  {a.action ? <> <code>{a.action}</code></> : null}
                  {a.breach ? <strong> {t("customerOverview:aiBreach")}</strong> : null}
                </li>
              ))}
            </ul>
          ),
        ],
      })),
    },
    {
      name: "concerns",
      columns: ["ref", "kind", "status", "origin", "priority"],
      rows: view.concerns.rows.map((r) => ({
        key: r.key,
        at: r.at,
        cells: [
          <Link key="r" to={`/staff/concerns/${r.cells.ref}`} className="ref">{r.cells.ref}</Link>,
          t(`concernKinds.${r.cells.kind}`, { defaultValue: r.cells.kind }),
          t(`queue:status.${r.cells.status}`, { defaultValue: r.cells.status }),
          t(`customerOverview:origin.${r.cells.origin}`, { defaultValue: r.cells.origin }),
          t(`queue:priority.${r.cells.priority}`, { defaultValue: r.cells.priority }),
        ],
      })),
    },
  ];
  return (
    <div className="stack-lg">
      <PageHeader title={title} lead={t("customerOverview:lead")} />
      <section className="card stack" aria-labelledby="customer-profile">
        <h2 id="customer-profile">{t("customerOverview:profile.title")}</h2>
        <dl className="summary-list">
          <div>
            <dt>{t("customerOverview:profile.id")}</dt>
            <dd><code>{id}</code></dd>
          </div>
          <div>
            <dt>{t("customerOverview:profile.email")}</dt>
            <dd>{view.customer.email ?? t("customerOverview:none")}</dd>
          </div>
          <div>
            <dt>{t("customerOverview:profile.language")}</dt>
            <dd>{view.customer.language}</dd>
          </div>
          <div>
            <dt>{t("customerOverview:profile.timeZone")}</dt>
            <dd>{view.customer.timeZone ?? t("customerOverview:profile.companyTimeZone")}</dd>
          </div>
          <div>
            <dt>{t("customerOverview:profile.since")}</dt>
            <dd>{view.customer.since.text}</dd>
          </div>
        </dl>
      </section>
      <CustomerChoices choices={view.choices} />
      {sections.map((s) => {
        const section = view[s.name];
        return (
          <CustomerSection
            key={s.name}
            name={s.name}
            columns={s.columns}
            rows={s.rows}
            total={section.total}
            totalText={section.totalText}
            capped={section.capped}
            page={section.page}
            pageCount={section.pageCount}
            hrefFor={href(s.name)}
          />
        );
      })}
    </div>
  );
}
