import { useTranslation } from "~/utils/i18n";

export interface OutcomeAuthoritiesView {
  dpa: { name: string; url: string } | null;
  msa: { name: string; url: string } | null;
}

/**
 * Where the customer can complain about an outcome (SPEC §12 "named in every outcome"; GDPR
 * Art. 77, AI Act Art. 85): the company's data protection authority and market surveillance
 * authority for AI, each a link to its own site (a new tab, so an embedded page stays open).
 */
export function OutcomeAuthorities({ authorities }: { authorities: OutcomeAuthoritiesView | null | undefined }) {
  const { t } = useTranslation();
  if (!authorities || (!authorities.dpa && !authorities.msa)) return null;
  const link = (authority: { name: string; url: string }) => (
    <a href={authority.url} target="_blank" rel="noopener noreferrer external">
      {authority.name}
      <span className="visually-hidden"> {t("outcomeAuthorities.newTab")}</span>
    </a>
  );
  return (
    <section className="card stack" aria-labelledby="outcome-authorities-title">
      <h2 id="outcome-authorities-title">{t("outcomeAuthorities.title")}</h2>
      <p>{t("outcomeAuthorities.lead")}</p>
      <ul className="stack-sm">
        {authorities.dpa ? <li>{link(authorities.dpa)}{t("outcomeAuthorities.separator")}{t("outcomeAuthorities.dpa")}</li> : null}
        {authorities.msa ? <li>{link(authorities.msa)}{t("outcomeAuthorities.separator")}{t("outcomeAuthorities.msa")}</li> : null}
      </ul>
    </section>
  );
}
