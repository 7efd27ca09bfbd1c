/**
 * The choices form's check in the browser, loaded at the first focus inside the form
 * (app/utils/light-form.ts): the same schema the action validates with (preferences-form.ts).
 */
import "~/utils/zod-client";
import { parseWithZod } from "@conform-to/zod/v4";
import type { FormValidator } from "~/utils/light-form";
import { preferencesSchema, type PreferencesFormOptions } from "./preferences-form";

/** A validator for the form as the loader described it: messages by field name, or null when valid. */
export function preferencesValidator(options: PreferencesFormOptions): FormValidator {
  const schema = preferencesSchema(options);
  return (formData) => {
    const submission = parseWithZod(formData, { schema });
    if (submission.status === "success") return null;
    const all: Record<string, string[]> = {};
    for (const [name, messages] of Object.entries(submission.reply().error ?? {})) if (messages?.length) all[name] = messages;
    return all;
  };
}
