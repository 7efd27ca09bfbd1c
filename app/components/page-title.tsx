import { useTranslation } from "~/utils/i18n";

/** The document title: page name and product (React 19 hoists <title> into <head>). */
export function PageTitle({ children }: { children: string }) {
  const { t } = useTranslation();
  return <title>{`${children} · ${t("layout.product")}`}</title>;
}
