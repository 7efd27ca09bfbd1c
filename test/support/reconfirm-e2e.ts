import { defineChoice, publishChoiceNotice, savePreferences } from "../../app/domain/preferences.server";
import type { Db } from "../../app/utils/db.server";

/**
 * For browser tests: a new action kind of its own (so no other test's customer is affected), chosen
 * "allow" by `customerId`, then widened with a change note: the choice awaits reconfirmation.
 */
export async function widenedChoiceFor(db: Db, customerId: string): Promise<{ key: string; label: string; note: string; newVersion: number }> {
  const key = `e2e-widened-${Math.random().toString(36).slice(2, 8)}`;
  const label = `Router settings ${key.slice(-6)}`;
  const note = "Now also covers resetting your router remotely.";
  await defineChoice(db, { key, kind: "action", defaultValue: "ask", position: 900, involvesAmount: false, texts: { en: { label, explanation: "The assistant may restart your line." } } });
  await savePreferences(db, { customerId, values: { [key]: "allow" }, lang: "en", method: "portal", now: Date.now() - 86_400_000 });
  const newVersion = await publishChoiceNotice(db, { choiceKey: key, texts: { en: { label, explanation: "The assistant may restart your line and reset your router." } }, changeNote: { en: note } });
  return { key, label, note, newVersion };
}
