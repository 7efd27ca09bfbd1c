/** A consent event as a receipt people and other systems can keep (SPEC §7). No data access. */
import type { consentEvents } from "../../db/schema";
import type { DataRecipient } from "./ai-register-data";
import { limitsForPeople, parseLimits } from "./permission-limits";
import { TRAINING_KEY } from "./vocabulary";

export type ConsentEvent = typeof consentEvents.$inferSelect;

/**
 * A consent receipt shaped after the Kantara Consent Receipt v1.1 / ISO/IEC TS 27560
 * (field names follow the Kantara specification).
 * Extension (not in Kantara v1.1, named as its `purposes[]` fields are): `purposes[].limits`, the
 * limits the customer gave with this value (SPEC §11.2) — `maxAmount {amount (major unit, 20.5),
 * currency}`, `channels`, `quietHours {from, to, timeZone}` (local "HH:MM" in that IANA zone),
 * `allowedForDays` — or null when none were set. With `allowedForDays`, `termination` says when
 * "allowed" falls back to "ask me first".
 * Third parties (SPEC §12): `thirdPartyDisclosure` and `thirdPartyName` (Kantara) from
 * `context.recipients`, who receives the data in the AI systems involved in this choice (the
 * register's recipients, see `recipientsForChoice`); extension `purposes[].recipients`, each
 * `{name, role: provider|sub_processor, country (ISO 3166-1 alpha-2), safeguard: eu_eea|adequacy|sccs}`.
 * Without `recipients` (none given) nothing is disclosed.
 */
export function consentReceipt(
  event: ConsentEvent,
  context: { controllerName: string; controllerContact: string; policyUrl: string; noticeText: string; recipients?: DataRecipient[] },
) {
  const recipients = context.recipients ?? [];
  const kindOfChoice = event.choiceKey === TRAINING_KEY ? "training" : event.choiceKey;
  const limits = parseLimits(event.limits);
  return {
    version: "KI-CR-v1.1.0",
    jurisdiction: "EU",
    consentTimestamp: Math.floor(event.createdAt / 1000),
    collectionMethod: event.method,
    consentReceiptID: event.receiptId,
    language: event.lang,
    piiPrincipalId: event.customerId,
    piiControllers: [
      { piiController: context.controllerName, contact: context.controllerContact, piiControllerUrl: context.policyUrl },
    ],
    policyUrl: context.policyUrl,
    services: [
      {
        service: "Customer service with AI assistance",
        purposes: [
          {
            purpose: kindOfChoice,
            purposeCategory: [event.choiceKey === TRAINING_KEY ? "Improve AI models" : "AI actions on the customer's behalf"],
            consentType: event.method === "gpc" ? "GPC signal" : "EXPLICIT",
            piiCategory: ["Customer service interactions"],
            primaryPurpose: event.choiceKey !== TRAINING_KEY,
            termination:
              limits?.allowedForDays && event.value === "allow"
                ? `Until changed by the customer in the Candor portal; after ${limits.allowedForDays} days "allow" becomes "ask first"`
                : "Until changed by the customer in the Candor portal",
            thirdPartyDisclosure: recipients.length > 0,
            ...(recipients.length > 0 ? { thirdPartyName: recipients.map((r) => r.name).join("; ") } : {}),
            recipients: recipients.map((r) => ({ name: r.name, role: r.role, country: r.country, safeguard: r.safeguard })),
            choice: { value: event.value, previousValue: event.previousValue },
            noticeVersion: event.noticeVersion,
            notice: context.noticeText,
            limits: limitsForPeople(limits),
          },
        ],
      },
    ],
    sensitive: false,
    spiCat: [],
  };
}
