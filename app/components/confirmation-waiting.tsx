import { useTranslation } from "~/utils/i18n";
import { Link } from "react-router";
import { isolate } from "~/utils/bidi";
import { SummaryFallbackNote, type ShownSummary } from "./confirmation-summary";
import { usePortalHref } from "./portal-link";
import { Time } from "./time";

export interface PendingConfirmationItem {
  id: string;
  summary: ShownSummary;
  systemName: string;
  expiresAt: { iso: string; text: string; relative?: string };
}

/** The overview's "Waiting for your answer" block (SPEC §11.1); nothing when none is pending. */
export function ConfirmationsWaiting({ items, lang }: { items: PendingConfirmationItem[]; lang: string }) {
  const { t } = useTranslation();
  const href = usePortalHref();
  if (items.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="home-waiting">
      <h2 id="home-waiting">{t("confirmations.waitingTitle")}</h2>
      <p>{t("confirmations.waitingIntro")}</p>
      <ul className="plain-list">
        {items.map((item) => (
          <li key={item.id} className="stack-sm">
            <p>
              <Link to={href(`/${lang}/me/confirmations/${item.id}`)}>
                <span className="user-text" dir="auto" lang={item.summary.lang}>{item.summary.text}</span>
              </Link>
            </p>
            <SummaryFallbackNote summary={item.summary} />
            <p className="muted">
              {t("confirmations.waitingFrom", { system: isolate(item.systemName) })} · {t("confirmations.answerBy")} <Time value={item.expiresAt} />
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
