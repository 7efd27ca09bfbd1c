/**
 * Demo company settings (SPEC §12) for Nordlys Telecom, a Belgian telecom in the demo (euro
 * prices, the portal's Europe/Brussels time zone): the authorities named in every outcome (the
 * Belgian Data Protection Authority; the telecom regulator BIPT as the market surveillance
 * authority for AI), SLA hours per priority, and a second notice version of "Contacting you
 * first" with its change note in en/fr/de/ar, so the demo customers who chose under the first
 * version are asked to confirm and see what changed. Demo only (not the test template: the
 * re-ask and the shorter urgent SLA would change what other tests start from). Idempotent.
 */
import { eq } from "drizzle-orm";
import { findEditorChoice, publishNoticeVersion } from "../app/domain/choice-editor.server";
import { getSetting, saveSettings } from "../app/domain/settings.server";
import type { Db } from "../app/utils/db.server";
import { choiceNotices } from "./schema";

const DAY = 24 * 60 * 60 * 1000;
const SYSTEM = { type: "system" as const };

export const DEMO_AUTHORITIES = {
  dataProtectionAuthority: {
    name: "Belgian Data Protection Authority",
    names: {
      en: "Belgian Data Protection Authority",
      fr: "Autorité de protection des données (Belgique)",
      de: "Belgische Datenschutzbehörde",
      ar: "هيئة حماية البيانات البلجيكية",
    },
    url: "https://www.dataprotectionauthority.be/",
  },
  marketSurveillanceAuthority: {
    name: "Belgian Institute for Postal Services and Telecommunications (BIPT)",
    names: {
      en: "Belgian Institute for Postal Services and Telecommunications (BIPT)",
      fr: "Institut belge des services postaux et des télécommunications (IBPT)",
      de: "Belgisches Institut für Post- und Fernmeldedienste (BIPT)",
      ar: "المعهد البلجيكي لخدمات البريد والاتصالات (BIPT)",
    },
    url: "https://www.bipt.be/",
  },
};

export const DEMO_SLA = {
  slaFirstResponseHours: 48,
  slaResolutionHours: 240,
  slaByPriority: {
    low: { firstResponseHours: 72, resolutionHours: 480 },
    high: { firstResponseHours: 24, resolutionHours: 120 },
    urgent: { firstResponseHours: 4, resolutionHours: 48 },
  },
};

/** What the second version of "Contacting you first" adds, per language (appended to its explanation). */
export const OUTREACH_ADDITION = {
  en: " We may now also tell you in advance about planned maintenance work in your area.",
  fr: " Nous pouvons désormais aussi vous prévenir à l’avance des travaux de maintenance prévus dans votre secteur.",
  de: " Wir können Sie jetzt auch vorab über geplante Wartungsarbeiten in Ihrer Gegend informieren.",
  ar: " يمكننا الآن أيضًا إبلاغكم مسبقًا بأعمال الصيانة المخطط لها في منطقتكم.",
};
export const OUTREACH_NOTE = {
  en: "New: we may also contact you before planned maintenance work in your area, so you know when your connection could be interrupted.",
  fr: "Nouveau : nous pouvons aussi vous contacter avant des travaux de maintenance prévus dans votre secteur, pour que vous sachiez quand votre connexion pourrait être interrompue.",
  de: "Neu: Wir können Sie auch vor geplanten Wartungsarbeiten in Ihrer Gegend kontaktieren, damit Sie wissen, wann Ihre Verbindung unterbrochen sein könnte.",
  ar: "جديد: قد نتواصل معكم أيضًا قبل أعمال الصيانة المخطط لها في منطقتكم، لتعرفوا متى قد ينقطع اتصالكم.",
};

/**
 * Seeds the demo's company settings and the notice story (see the file comment) into a demo
 * database that already has the choices (seedDemo). `now` in ms; the new notice version is dated
 * 12 days before it. Does nothing that is already there. Resolves to what it added.
 */
export async function seedSettings(db: Db, now = Date.now()): Promise<{ settings: boolean; noticeVersion: number | null }> {
  let settingsAdded = false;
  if ((await getSetting(db, "dataProtectionAuthority")) === null) {
    await saveSettings(db, { ...DEMO_AUTHORITIES, ...DEMO_SLA }, SYSTEM, now);
    settingsAdded = true;
  }
  const outreach = await findEditorChoice(db, "proactive-outreach");
  if (!outreach || !outreach.texts.en) return { settings: settingsAdded, noticeVersion: null };
  const published = await db.select({ note: choiceNotices.changeNote }).from(choiceNotices).where(eq(choiceNotices.choiceKey, "proactive-outreach"));
  if (published.some((n) => n.note === OUTREACH_NOTE.en)) return { settings: settingsAdded, noticeVersion: null };
  const texts = Object.fromEntries(
    (Object.keys(OUTREACH_ADDITION) as (keyof typeof OUTREACH_ADDITION)[]).flatMap((lang) => {
      const current = outreach.texts[lang];
      return current ? [[lang, { label: current.label, explanation: current.explanation + OUTREACH_ADDITION[lang] }]] : [];
    }),
  );
  const version = await publishNoticeVersion(db, { choiceKey: "proactive-outreach", texts, changeNote: OUTREACH_NOTE }, SYSTEM, now - 12 * DAY);
  return { settings: settingsAdded, noticeVersion: version };
}
