import { useTranslation } from "react-i18next";
import { Link } from "react-router";

/** Newer/older links that keep the page's filters (the query string) in the URL. */
export function AdminPagination({ page, pageCount, basePath, query }: { page: number; pageCount: number; basePath: string; query: Record<string, string> }) {
  const { t } = useTranslation();
  if (pageCount <= 1) return null;
  const href = (target: number) => {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== ""));
    if (target > 1) params.set("page", String(target));
    const search = params.toString();
    return search ? `${basePath}?${search}` : basePath;
  };
  return (
    <nav aria-label={t("pagination.label")} className="pagination">
      {page > 1 ? <Link to={href(page - 1)} rel="prev">{t("pagination.previous")}</Link> : <span />}
      <span>{t("pagination.pageOf", { page, pageCount })}</span>
      {page < pageCount ? <Link to={href(page + 1)} rel="next">{t("pagination.next")}</Link> : <span />}
    </nav>
  );
}
