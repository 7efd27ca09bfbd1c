import type { ReactNode } from "react";
import { useTranslation } from "~/utils/i18n";
import { Link } from "react-router";
import { Time } from "~/components/time";
import { textDirection } from "~/utils/languages";
import { OutboxStatusPill, templateLabel } from "./outbox-table";

type When = { iso: string; text: string };

/** One email, as an admin reads it (dates formatted by the loader). */
export interface OutboxEmailView {
  id: number;
  to: string;
  subject: string;
  template: string;
  language: string;
  lang: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  created: When;
  nextAttempt: When | null;
  sentAt: When | null;
  lastError: string | null;
  bodyText: string;
}

/** The email's facts and its text, shown as plain pre-wrapped text (never as HTML). */
export function OutboxEmail({ email, backHref, actions }: { email: OutboxEmailView; backHref: string; actions?: ReactNode }) {
  const { t } = useTranslation();
  const none = <span className="muted">{t("outbox:email.none")}</span>;
  return (
    <section className="card stack" aria-labelledby="outbox-email-title">
      <p><Link to={backHref}>{t("outbox:email.back")}</Link></p>
      <h2 id="outbox-email-title">{t("outbox:email.title", { id: email.id })}</h2>
      <dl className="facts">
        <div><dt>{t("outbox:email.to")}</dt><dd className="outbox-address">{email.to}</dd></div>
        <div><dt>{t("outbox:email.subject")}</dt><dd lang={email.lang} dir={textDirection(email.lang)}>{email.subject}</dd></div>
        <div><dt>{t("outbox:email.template")}</dt><dd>{templateLabel(t, email.template)}</dd></div>
        <div><dt>{t("outbox:email.language")}</dt><dd>{email.language}</dd></div>
        <div><dt>{t("outbox:email.status")}</dt><dd><OutboxStatusPill status={email.status} /></dd></div>
        <div><dt>{t("outbox:email.attempts")}</dt><dd>{t("outbox:email.attemptsOf", { attempts: email.attempts, max: email.maxAttempts })}</dd></div>
        <div><dt>{t("outbox:email.created")}</dt><dd><Time value={email.created} /></dd></div>
        <div><dt>{t("outbox:email.nextAttempt")}</dt><dd>{email.nextAttempt ? <Time value={email.nextAttempt} /> : none}</dd></div>
        <div><dt>{t("outbox:email.sentAt")}</dt><dd>{email.sentAt ? <Time value={email.sentAt} /> : none}</dd></div>
        <div><dt>{t("outbox:email.lastError")}</dt><dd className="outbox-error">{email.lastError ?? none}</dd></div>
      </dl>
      <h3 id="outbox-body-title">{t("outbox:email.body")}</h3>
      <p className="muted">{t("outbox:email.linksHidden")}</p>
      <pre className="outbox-body user-text" lang={email.lang} dir={textDirection(email.lang)}>{email.bodyText}</pre>
      {actions}
    </section>
  );
}
