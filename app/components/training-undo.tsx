import { Link } from "react-router";
import { useTranslation } from "~/utils/i18n";
import { usePortalHref } from "./portal-link";

/**
 * What saying "No" to training can and cannot undo (SPEC §11.4), said plainly next to the choice:
 * future use stops at once; a model already trained keeps what it learnt; the timeline shows
 * where the customer's interactions were used.
 */
export function TrainingUndo({ lang }: { lang: string }) {
  const { t } = useTranslation();
  const href = usePortalHref();
  return (
    <div className="stack-sm" id="training-undo">
      <h3>{t("training.undoTitle")}</h3>
      <ul>
        <li>{t("training.undoStops")}</li>
        <li>{t("training.undoCannot")}</li>
        <li>
          {t("training.undoTimeline")} <Link to={href(`/${lang}/me/interactions`)}>{t("training.timelineLink")}</Link>
        </li>
      </ul>
    </div>
  );
}
