import { useTranslation } from "react-i18next";
import { Link } from "react-router";

/** Older/newer pages of the outbox that keep the status filter in the URL. */
export function OutboxPagination({ page, pageCount, hrefFor }: { page: number; pageCount: number; hrefFor: (page: number) => string }) {
  const { t } = useTranslation();
  if (pageCount <= 1) return null;
  return (
    <nav aria-label={t("pagination.label")} className="pagination">
      {page > 1 ? <Link to={hrefFor(page - 1)} rel="prev">{t("pagination.previous")}</Link> : <span />}
      <span>{t("pagination.pageOf", { page, pageCount })}</span>
      {page < pageCount ? <Link to={hrefFor(page + 1)} rel="next">{t("pagination.next")}</Link> : <span />}
    </nav>
  );
}
