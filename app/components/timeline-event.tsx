import { useTranslation } from "~/utils/i18n";
import { Form, Link } from "react-router";
import { Time } from "~/components/time";
import type { timelinePageData } from "~/routes/portal/timeline.server";
import { isolate } from "~/utils/bidi";

type Item = Awaited<ReturnType<typeof timelinePageData>>["items"][number];
export type TimelineEventData = Item["events"][number];
type CheckEvent = Extract<TimelineEventData, { kind: "check" }>;
type ConfirmationEvent = Extract<TimelineEventData, { kind: "confirmation" }>;
type AiEvent = Extract<TimelineEventData, { kind: "ai" }>;

/** One step of an interaction's exchange, in plain words (SPEC §3.2, §11.1, §11.4, §11.5). */
export function TimelineEvent({ event, lang, interactionRef, href }: { event: TimelineEventData; lang: string; interactionRef: string; href: (path: string) => string }) {
  const { t } = useTranslation();
  switch (event.kind) {
    case "check":
      return <CheckStep check={event} />;
    case "confirmation":
      return <ConfirmationStep confirmation={event} lang={lang} href={href} />;
    case "ai":
      return <AiStep ai={event} lang={lang} interactionRef={interactionRef} href={href} />;
    case "training":
      return <p>{t("trainingUses.used", { dataset: isolate(event.dataset), date: isolate(event.usedOn.text) })}</p>;
  }
}

function CheckStep({ check }: { check: CheckEvent }) {
  const { t } = useTranslation();
  const details: string[] = [];
  if ((check.reason === "amount_over_limit" || check.reason === "currency_mismatch") && check.amount && check.limitAmount) {
    details.push(t("interactions.limits.amount", { amount: isolate(check.amount), limit: isolate(check.limitAmount) }));
  }
  if (check.reason === "channel_not_allowed" && check.allowedChannels) {
    const allowed = check.allowedChannels.map((c) => t(`channels.${c}`)).join(", ");
    details.push(
      check.channel
        ? t("interactions.limits.channel", { channel: t(`channels.${check.channel}`, { defaultValue: check.channel }), allowed })
        : t("interactions.limits.channelMissing", { allowed }),
    );
  }
  if (check.reason === "permission_expired" && check.allowedForDays) {
    details.push(t("interactions.limits.days", { count: check.allowedForDays }));
  }
  if (check.reason === "quiet_hours" && check.retryAfter) {
    details.push(t("interactions.limits.quietUntil", { time: isolate(check.retryAfter.text) }));
  }
  return (
    <p>
      <span className={`pill pill--decision-${check.decision}`}>{t(`decisions.${check.decision}`)}</span>{" "}
      {t("interactions.check", { action: check.actionLabel ?? t("interactions.aiFirstContact") })} · <Time value={check.at} />
      <br />
      {t(`decisionReasons.${check.reason}`)}
      {details.map((d) => ` ${d}`).join("")}
    </p>
  );
}

function ConfirmationStep({ confirmation: c, lang, href }: { confirmation: ConfirmationEvent; lang: string; href: (path: string) => string }) {
  const { t } = useTranslation();
  const { status: shown } = c;
  const times = {
    asked: isolate(c.askedAt.text),
    answered: isolate(c.answeredAt?.text ?? ""),
    expires: isolate(c.expiresAt.text),
    used: isolate(c.usedAt?.text ?? ""),
  };
  const tone = shown === "pending" ? "ask" : shown === "approved" || shown === "used" ? "allow" : "deny";
  return (
    <div className="stack-sm">
      <p>
        <span className={`pill pill--decision-${tone}`}>{t(`interactions.confirmation.status.${shown}`)}</span>{" "}
        {t("interactions.confirmation.about", { action: c.actionLabel })}
        {c.amount ? ` · ${isolate(c.amount)}` : ""}
      </p>
      {c.summary ? (
        <p lang={c.summaryLang} dir="auto" className="user-text">
          {c.summary}
        </p>
      ) : null}
      <p>{t(`interactions.confirmation.${shown}`, times)}</p>
      {shown === "pending" ? (
        <p>
          <Link to={href(`/${lang}/me/confirmations/${encodeURIComponent(c.id)}`)}>{t("interactions.confirmation.answer")}</Link>
        </p>
      ) : null}
    </div>
  );
}

function AiStep({ ai, lang, interactionRef, href }: { ai: AiEvent; lang: string; interactionRef: string; href: (path: string) => string }) {
  const { t } = useTranslation();
  return (
    <div className="stack-sm">
      <p>
        <Link to={href(`/${lang}/ai-systems/${ai.systemSlug}`)}>{ai.systemName}</Link> <span className="pill">{t(`aiRoles.${ai.role}`)}</span>
      </p>
      {ai.actionLabel ? <p>{t("interactions.action", { action: ai.actionLabel, detail: isolate(ai.actionDetail ?? "") })}</p> : null}
      {ai.breach ? <BreachMarker breach={ai.breach} systemName={ai.systemName} lang={lang} interactionRef={interactionRef} href={href} /> : null}
      <ul className="tags">
        <li className={ai.humanReviewed ? "tag tag--yes" : "tag"}>{ai.humanReviewed ? t("interactions.humanReviewed") : t("interactions.noHumanReview")}</li>
        <li className={ai.trainingEligible ? "tag" : "tag tag--yes"}>
          {ai.trainingEligible ? t("interactions.trainingEligible") : t("interactions.notTrainingEligible")}
        </li>
        {ai.trainingStoppedSince ? <li className="tag tag--yes">{t("interactions.trainingStoppedSince")}</li> : null}
      </ul>
    </div>
  );
}

/**
 * "Done without your permission" (SPEC §11.5): a box set apart by its heavy border and its own
 * heading in words (not by colour alone), the reason, and one button — a POST that works without JavaScript and
 * inside the embed — to contest the action; once contested, the concern it became.
 */
function BreachMarker({
  breach,
  systemName,
  lang,
  interactionRef,
  href,
}: {
  breach: NonNullable<AiEvent["breach"]>;
  systemName: string;
  lang: string;
  interactionRef: string;
  href: (path: string) => string;
}) {
  const { t } = useTranslation();
  const headingId = `breach-${breach.id}`;
  return (
    <section className="notice notice--error stack-sm breach" aria-labelledby={headingId}>
      <h3 id={headingId} className="notice__title">
        {t("breaches.marker")}
      </h3>
      <p>{t("breaches.body", { system: isolate(systemName) })}</p>
      <p>{t(`breaches.reasons.${breach.reason}`)}</p>
      <p className="muted">
        {t("breaches.detected")} <Time value={breach.detectedAt} />
      </p>
      {breach.contestRef ? (
        <p>
          {t("breaches.contestedPrefix")}{" "}
          <Link className="ref" to={href(`/${lang}/me/concerns/${breach.contestRef}`)}>
            <bdi>{breach.contestRef}</bdi>
          </Link>
        </p>
      ) : (
        <Form method="post" className="stack-sm">
          <input type="hidden" name="intent" value="contest" />
          <input type="hidden" name="breach" value={breach.id} />
          <input type="hidden" name="focus" value={interactionRef} />
          <p>{t("breaches.contestHint")}</p>
          <p>
            <button type="submit" className="button">
              {t("breaches.contest")}
            </button>
          </p>
        </Form>
      )}
    </section>
  );
}
