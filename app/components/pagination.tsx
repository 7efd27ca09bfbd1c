import { useTranslation } from "react-i18next";
import { Link } from "react-router";

export function Pagination({ page, pageCount, basePath }: { page: number; pageCount: number; basePath: string }) {
  const { t } = useTranslation();
  if (pageCount <= 1) return null;
  return (
    <nav aria-label={t("pagination.label")} className="pagination">
      {page > 1 ? <Link to={`${basePath}?page=${page - 1}`} rel="prev">{t("pagination.previous")}</Link> : <span />}
      <span>{t("pagination.pageOf", { page, pageCount })}</span>
      {page < pageCount ? <Link to={`${basePath}?page=${page + 1}`} rel="next">{t("pagination.next")}</Link> : <span />}
    </nav>
  );
}
