import type { ReactNode } from "react";
import { useTranslation } from "~/utils/i18n";
import { Form } from "react-router";
import { Notice } from "~/components/notice";
import { Time } from "~/components/time";
import { LANGUAGE_NAMES, isLang } from "~/utils/languages";

/** One embed site as the page shows it (never its secret; dates formatted by the loader). */
export interface EmbedSiteView {
  slug: string;
  name: string;
  origins: string[];
  defaultLang: string;
  accentColor: string | null;
  logoUrl: string | null;
  signed: boolean;
  disabled: { iso: string; text: string } | null;
  snippet: string;
}

/** The signing secret, shown once after creating a site or rotating its secret. */
export function EmbedSitesSecret({ slug, secret }: { slug: string; secret: string }) {
  const { t } = useTranslation();
  return (
    <Notice tone="success" title={t("embedSites:secret.title", { slug })}>
      <p>{t("embedSites:secret.body")}</p>
      <p>
        <code className="tracking-url embedsites-secret">{secret}</code>
      </p>
    </Notice>
  );
}

/** A site: its settings, state, snippet, edit form and actions. */
export function EmbedSitesSiteCard({
  site,
  busy,
  editOpen,
  children,
}: {
  site: EmbedSiteView;
  busy: boolean;
  editOpen: boolean;
  /** The edit form (its schema lives in the route). */
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const titleId = `embedsites-site-${site.slug}`;
  const lang = isLang(site.defaultLang) ? LANGUAGE_NAMES[site.defaultLang] : site.defaultLang;
  return (
    <article className="card stack embedsites-site" aria-labelledby={titleId}>
      <h3 id={titleId}>
        <bdi>{site.name}</bdi> <code>{site.slug}</code>
      </h3>
      <dl className="facts">
        <div>
          <dt>{t("embedSites:list.origins")}</dt>
          <dd>
            <ul className="embedsites-origins">
              {site.origins.map((o) => (
                <li key={o}><code>{o}</code></li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt>{t("embedSites:list.language")}</dt>
          <dd>{lang}</dd>
        </div>
        <div>
          <dt>{t("embedSites:list.signed")}</dt>
          <dd>{site.signed ? t("embedSites:list.signedOn") : t("embedSites:list.signedOff")}</dd>
        </div>
        <div>
          <dt>{t("embedSites:list.state")}</dt>
          <dd>
            {site.disabled ? (
              <span className="pill">{t("embedSites:list.disabledOn")} <Time value={site.disabled} /></span>
            ) : (
              <span className="pill">{t("embedSites:list.active")}</span>
            )}
          </dd>
        </div>
      </dl>
      <div className="stack">
        <h4 id={`${titleId}-snippet`}>{t("embedSites:snippet.title")}</h4>
        <p className="muted">{t("embedSites:snippet.lead")}</p>
        <pre className="embedsites-snippet"><code>{site.snippet}</code></pre>
      </div>
      <div className="toolbar">
        <Form method="post">
          <input type="hidden" name="slug" value={site.slug} />
          <input type="hidden" name="intent" value={site.disabled ? "enable" : "disable"} />
          <button type="submit" className="button button--secondary" disabled={busy}>
            {site.disabled ? t("embedSites:actions.enable") : t("embedSites:actions.disable")}
          </button>
        </Form>
        <Form method="post">
          <input type="hidden" name="slug" value={site.slug} />
          <input type="hidden" name="intent" value="rotate" />
          <button type="submit" className="button button--secondary" disabled={busy}>
            {site.signed ? t("embedSites:actions.rotate") : t("embedSites:actions.addSecret")}
          </button>
        </Form>
        {site.signed ? (
          <Form method="post">
            <input type="hidden" name="slug" value={site.slug} />
            <input type="hidden" name="intent" value="removeSecret" />
            <button type="submit" className="button button--secondary" disabled={busy}>{t("embedSites:actions.removeSecret")}</button>
          </Form>
        ) : null}
      </div>
      <details className="embedsites-edit" open={editOpen}>
        <summary>{t("embedSites:edit.title", { name: site.name })}</summary>
        {children}
      </details>
    </article>
  );
}
