import { textLength } from "~/utils/text";

/**
 * The live "N of MAX characters" under a textarea: counts what the server counts (`textLength`:
 * line breaks once, an emoji as one). `value` is the field's current text.
 */
export function CharacterCount({ id, value, max, label }: { id: string; value: string; max: number; label: (count: number, max: number) => string }) {
  const count = textLength(value);
  return (
    <p className={`field__count${count > max ? " field__count--over" : ""}`} id={id} aria-live="polite">
      {label(count, max)}
    </p>
  );
}
