import { useTranslation } from "~/utils/i18n";
import { Link, useLocation } from "react-router";

/**
 * Newer/older page links. By default they keep the page's other query parameters (filters,
 * search) and set `page`; a page with its own URL scheme passes `hrefFor`.
 */
export function Pagination({
  page,
  pageCount,
  basePath,
  hrefFor,
}: {
  page: number;
  pageCount: number;
  basePath?: string;
  hrefFor?: (page: number) => string;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  if (pageCount <= 1) return null;
  const href =
    hrefFor ??
    ((target: number) => {
      const params = new URLSearchParams(location.search);
      params.delete("focus");
      params.set("page", String(target));
      return `${basePath ?? location.pathname}?${params.toString()}`;
    });
  return (
    <nav aria-label={t("pagination.label")} className="pagination">
      {page > 1 ? <Link to={href(page - 1)} rel="prev">{t("pagination.previous")}</Link> : <span />}
      <span>{t("pagination.pageOf", { page, pageCount })}</span>
      {page < pageCount ? <Link to={href(page + 1)} rel="next">{t("pagination.next")}</Link> : <span />}
    </nav>
  );
}
