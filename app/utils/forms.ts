import { z } from "zod";
import { msg } from "./form-messages";
import { fitsLength, normaliseLineBreaks, textLength } from "./text";

export { msg, translateError } from "./form-messages";

/** Empty or blank form values (and absent ones) read as "not given". */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/**
 * The one schema for a free-text field, in every form and API: line breaks normalised first
 * (CRLF/CR → LF, so a line break counts once and is stored once), then trimmed, then `min`/`max`
 * counted in characters as the user sees them (`textLength`: an emoji is one). Errors: "required"
 * (missing or blank), "tooShort?min=", "tooLong?max=". Output: the normalised, trimmed text.
 */
export function text({ max, min = 1, tooShort }: { max: number; min?: number; tooShort?: string }) {
  return z.preprocess(
    (v) => (typeof v === "string" ? normaliseLineBreaks(v) : v),
    z
      .string({ error: msg("required") })
      .trim()
      // One message per field, and no aborting issue: an aborted field would keep the form's
      // cross-field checks (`crossField`) from reporting in the same round. Zod still runs this
      // after a type error (two values for one field), hence the type check.
      .superRefine((v, ctx) => {
        if (typeof v !== "string" || (v.length === 0 && min > 0)) ctx.addIssue({ code: "custom", message: msg("required") });
        else if (textLength(v) < min) ctx.addIssue({ code: "custom", message: tooShort ?? msg("tooShort", { min }) });
        else if (!fitsLength(v, max)) ctx.addIssue({ code: "custom", message: msg("tooLong", { max }) });
      }),
  );
}

/** An optional free-text field (`text` rules; blank is "not given"). */
export function optionalText(max: number) {
  return z.preprocess(blankToUndefined, text({ max, min: 0 }).optional());
}

/**
 * For a cross-field `.refine(…, { when: crossField })`: Zod skips object-level checks while any
 * field is invalid, so their messages would only come in a second round. With this they run
 * whenever the input is an object, and every error is reported at once (client and server alike);
 * the check must therefore cope with fields that are missing or invalid.
 */
export function crossField(payload: { value: unknown }): boolean {
  return typeof payload.value === "object" && payload.value !== null;
}
