/** The errors of saving and defining choices, and the value check they share (no data access). */
import { CHOICE_VALUES, type ChoiceKind } from "./vocabulary";

/** An unknown choice, a value or limit the choice does not take, or an unknown time zone. */
export class InvalidChoiceError extends Error {}

/** The notice changed while the customer was deciding: they must see the new text first. */
export class StaleNoticeError extends Error {
  constructor(public readonly choiceKeys: string[]) {
    super(`Notice changed for ${choiceKeys.join(", ")}`);
  }
}

/** Whether `value` is one of the values a choice of `kind` takes (allow/ask/never, yes/no). */
export function isValidChoiceValue(kind: ChoiceKind, value: string): boolean {
  return (CHOICE_VALUES[kind] as readonly string[]).includes(value);
}
