import { useTranslation } from "~/utils/i18n";
import { Time } from "~/components/time";
import type { CaseTimelineEntry } from "~/components/staff/queue-case-details";

/**
 * Every change of the case in order. Messages carry who could read them in words and in look:
 * an internal note (staff only: dashed warning frame, lock), a reply the customer received
 * (accent frame, envelope) and the customer's own message — never told apart by colour alone.
 */
export function CaseTriageTimeline({ entries }: { entries: CaseTimelineEntry[] }) {
  const { t } = useTranslation();
  const who = (actor: string, staffName: string | null) => staffName ?? t(`queue:timeline.actor.${actor}`, { defaultValue: t("queue:timeline.actor.system") });
  const value = (action: string, v: string | null) => {
    if (v === null) return t("queue:table.unassigned");
    if (action === "priority_changed") return t(`queue:priority.${v}`);
    if (action === "kind_changed") return t(`concernKinds.${v}`);
    return v;
  };
  return (
    <ol className="timeline queue-timeline">
      {entries.map((e) => {
        if (e.type === "message") {
          const kind = e.author === "customer" ? "customer" : e.visibility === "internal" ? "note" : "reply";
          const author = e.author === "customer" ? t("queue:timeline.actor.customer") : (e.authorName ?? t("queue:timeline.actor.staff"));
          return (
            <li key={e.id} className={`case-entry case-entry--${kind}${kind === "customer" ? "" : ` queue-timeline__message--${e.visibility}`}`} data-entry={kind}>
              <p className="message__meta">
                {kind === "customer" ? null : <span aria-hidden="true">{t(kind === "note" ? "queue:triage.noteIcon" : "queue:triage.replyIcon")} </span>}
                <strong>{t(`queue:triage.entry.${kind}`)}</strong>
                {t("queue:timeline.separator")}
                {t("queue:triage.entryBy", { who: author })}
                {t("queue:timeline.separator")}
                <Time value={e.at} />
              </p>
              <p className="user-text" dir="auto">{e.body}</p>
            </li>
          );
        }
        return (
          <li key={e.id}>
            <p className="message__meta">
              <Time value={e.at} />
              {t("queue:timeline.separator")}
              {e.type === "status"
                ? t(e.from ? "queue:timeline.status" : e.actor === "system" ? "queue:timeline.openedForBreach" : e.actor === "employee" ? "queue:timeline.filedByEmployee" : "queue:timeline.filed", {
                    from: e.from ? t(`queue:status.${e.from}`) : "",
                    to: t(`queue:status.${e.to}`),
                    who: who(e.actor, e.staffName),
                  })
                : t(`queue:timeline.change.${e.action}`, {
                    who: e.staffName ?? t("queue:timeline.actor.system"),
                    from: value(e.action, e.from),
                    to: value(e.action, e.to),
                  })}
            </p>
          </li>
        );
      })}
    </ol>
  );
}
