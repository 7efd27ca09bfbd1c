/**
 * Notification emails to customers (SPEC §4, §8): written to the durable outbox in the same
 * transaction as the change that causes them, in the customer's language. Sending (SMTP via
 * nodemailer, retries with backoff) is done by the outbox worker.
 */
import fs from "node:fs";
import path from "node:path";
import i18next, { type TFunction } from "i18next";
import { eq } from "drizzle-orm";
import { concerns, customers, outboxEmails } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { env } from "../utils/env.server";
import { DEFAULT_LANG, isLang, LANGUAGES } from "../utils/languages";
import type { Concern } from "./concerns.server";
import { mintLink } from "./links.server";
import { getSetting } from "./settings.server";

export type EmailTemplate = "concern_received" | "concern_reply" | "concern_resolved";

const PERSONAL_LINK_PLACEHOLDER = "{{personal-link}}";

/**
 * The text to send for an outbox row: a fresh personal link (7 days) in place of the placeholder.
 * The stored text never holds a personal-link token.
 */
export function emailTextToSend(db: Db, email: { bodyText: string; concernId: number | null; lang: string }, now = Date.now()): string {
  if (!email.bodyText.includes(PERSONAL_LINK_PLACEHOLDER) || email.concernId === null) return email.bodyText;
  const concern = db.select().from(concerns).where(eq(concerns.id, email.concernId)).get();
  const customer = concern?.customerId ? db.select().from(customers).where(eq(customers.id, concern.customerId)).get() : undefined;
  if (!concern || !customer || customer.erasedAt) return email.bodyText.replace(PERSONAL_LINK_PLACEHOLDER, "");
  const { url } = mintLink(db, { customerId: customer.id, lang: isLang(email.lang) ? email.lang : null, concernRef: concern.ref, createdBy: "email", baseUrl: env().PUBLIC_URL, now });
  return email.bodyText.replace(PERSONAL_LINK_PLACEHOLDER, url);
}

let translator: typeof i18next | undefined;

/**
 * The email texts of every language (emails and common namespaces), read once. Inline resources
 * with initAsync off make i18next ready synchronously, as the write transactions here need.
 */
function t(lang: string): TFunction {
  if (!translator) {
    const read = (l: string, ns: string) => JSON.parse(fs.readFileSync(path.resolve("locales", l, `${ns}.json`), "utf8"));
    const resources = Object.fromEntries(LANGUAGES.map((l) => [l, { emails: read(l, "emails"), common: read(l, "common") }]));
    translator = i18next.createInstance();
    void translator.init({ resources, fallbackLng: DEFAULT_LANG, defaultNS: "emails", interpolation: { escapeValue: false }, initAsync: false });
  }
  return translator.getFixedT(isLang(lang) ? lang : DEFAULT_LANG);
}

/**
 * Queues one email about a concern, if the customer can be reached by email. Returns the outbox
 * id, or null when there is no address. `trackingToken` is only known when an anonymous concern
 * is filed; `replyBody` carries the staff reply.
 */
export function queueConcernEmail(
  db: Db,
  concern: Concern,
  template: EmailTemplate,
  extra: { trackingToken?: string | null; replyBody?: string; now?: number } = {},
): number | null {
  const customer = concern.customerId ? db.select().from(customers).where(eq(customers.id, concern.customerId)).get() : undefined;
  const to = concern.contactEmail ?? customer?.email ?? null;
  if (!to || concern.contactMethod !== "email" || customer?.erasedAt) return null;
  const now = extra.now ?? Date.now();
  const lang = isLang(concern.lang) ? concern.lang : DEFAULT_LANG;
  const tr = t(lang);
  const company = getSetting(db, "companyName");
  const baseUrl = env().PUBLIC_URL;

  let linkLines: string[];
  if (concern.customerId && customer) {
    // Links are credentials: the personal link is minted when the email is sent, never stored.
    linkLines = [tr("openLink"), PERSONAL_LINK_PLACEHOLDER];
  } else if (extra.trackingToken) {
    linkLines = [tr("trackingLink"), `${baseUrl}/${lang}/concerns/track/${extra.trackingToken}`];
  } else {
    linkLines = [tr("noLink")];
  }

  const parts: string[] = [tr("greeting"), ""];
  if (template === "concern_received") parts.push(tr("concern_received.body", { ref: concern.ref }));
  if (template === "concern_reply") parts.push(tr("concern_reply.body"), "", extra.replyBody ?? "");
  if (template === "concern_resolved") {
    parts.push(
      tr("concern_resolved.body", { outcome: concern.outcomeCode ? tr(`common:outcomes.${concern.outcomeCode}`) : "" }),
      "",
      concern.outcomeReason ?? "",
      "",
      tr("concern_resolved.remedies", { count: getSetting(db, "reopenGraceDays") }),
    );
  }
  parts.push("", ...linkLines, "", tr("signature", { company }), "", "—", tr("footer", { company, ref: concern.ref }));

  const row = db
    .insert(outboxEmails)
    .values({
      concernId: concern.id,
      toAddress: to,
      lang,
      template,
      subject: tr(`${template}.subject`, { ref: concern.ref }),
      bodyText: parts.join("\n"),
      nextAttemptAt: now,
      createdAt: now,
    })
    .returning({ id: outboxEmails.id })
    .get();
  return row.id;
}
