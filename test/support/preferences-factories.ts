import { publishChoiceNotice, savePreferences, setChoiceInvolvesAmount } from "../../app/domain/preferences.server";
import type { Db } from "../../app/utils/db.server";
import { choiceDefinitions } from "../../db/schema";
import { upsertCustomer } from "../../app/domain/customers.server";

/** The notice versions a page would show, as `savePreferences` takes them (key → version). */
export async function noticeVersions(db: Db): Promise<Record<string, number>> {
  const rows = await db.select({ key: choiceDefinitions.key, v: choiceDefinitions.noticeVersion }).from(choiceDefinitions);
  return Object.fromEntries(rows.map((r) => [r.key, r.v]));
}

/** The `shown` field the page posts ("key:version,…"). */
export async function shownField(db: Db): Promise<string> {
  return Object.entries(await noticeVersions(db)).map(([key, v]) => `${key}:${v}`).join(",");
}

/**
 * A customer who chose `value` for `choiceKey` (and "never" for `other`) before the company widened
 * the notice of `choiceKey`: that choice awaits reconfirmation, the other does not.
 */
export async function customerAwaitingReconfirmation(
  db: Db,
  input: { customerId: string; choiceKey: string; value: string; other: string; now: number; lang?: string },
): Promise<{ newVersion: number }> {
  await upsertCustomer(db, { id: input.customerId, email: `${input.customerId}@example.test`, locale: input.lang ?? "en" });
  await savePreferences(db, { customerId: input.customerId, values: { [input.choiceKey]: input.value, [input.other]: "never" }, lang: "en", method: "portal", now: input.now });
  const newVersion = await publishChoiceNotice(db, {
    choiceKey: input.choiceKey,
    texts: {
      en: { label: "Widened choice", explanation: "Now also covers router resets." },
      fr: { label: "Choix élargi", explanation: "Couvre désormais aussi la réinitialisation du routeur." },
    },
    changeNote: { en: "Now also covers router resets.", fr: "Couvre désormais aussi la réinitialisation du routeur." },
    now: input.now + 1000,
  });
  return { newVersion };
}

/** Sets which action kinds involve money (the seed may predate the flag). */
export async function markAmountKinds(db: Db, kinds: Record<string, boolean>): Promise<void> {
  for (const [key, involves] of Object.entries(kinds)) await setChoiceInvolvesAmount(db, key, involves);
}

export const DEMO_AMOUNT_KINDS = {
  "plan-changes": true,
  "billing-arrangements": true,
  orders: true,
  troubleshooting: false,
  "proactive-outreach": false,
  disclose_account_information: false,
};

