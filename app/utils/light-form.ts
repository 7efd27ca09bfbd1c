/**
 * A form whose validation library loads only when someone starts filling it in: the parts of
 * Conform's `useForm` a page renders with (`form.id`, `errorId`, `errors`, `allErrors`, the form
 * props, initial values after a refused submission), without Conform or Zod in the page's first
 * JavaScript (about 36 KB gzipped). The server stays the authority: it validates every submission
 * with the same schema (Conform's `parseWithZod`) and answers Conform's `SubmissionResult`, which
 * this hook shows as Conform would. With JavaScript, the page's validator (a module of its own,
 * `loadValidator`) is fetched at the first focus inside the form; once there, a submission it
 * refuses is stopped, its messages shown and the first invalid field focused (Conform's
 * behaviour). A submission before it arrived simply goes to the server. Without JavaScript the
 * form posts as any form.
 */
import { useCallback, useEffect, useId, useRef, useState, type FocusEvent, type FormEvent } from "react";
import { useCarriedMessages } from "./i18n";

/** What the server answers for a refused submission (Conform's SubmissionResult, the parts used here). */
export interface FormResult {
  status?: "success" | "error";
  initialValue?: Record<string, unknown> | null;
  error?: Record<string, string[] | null> | null;
}

/** Validates the form's data: every message by field name (`""`: the form's own), or null when valid. */
export type FormValidator = (formData: FormData) => Record<string, string[]> | null;

export interface LightForm {
  id: string;
  errorId: string;
  /** The form's own messages (not tied to a field). */
  errors?: string[];
  /** Every message by field name (nested names such as `limits.x.amount` as they are). */
  allErrors: Record<string, string[]>;
  /** The value posted for `name` before a refused submission (Conform's `initialValue`), else `defaultValue`'s. */
  initialValue(name: string): unknown;
  /** Spread on the `<Form>`: id, noValidate, onSubmit, onFocus, aria attributes of form-level errors. */
  props: {
    id: string;
    noValidate: true;
    onSubmit: (event: FormEvent<HTMLFormElement>) => void;
    onFocus: (event: FocusEvent<HTMLFormElement>) => void;
    "aria-invalid"?: true;
    "aria-describedby"?: string;
  };
}

function messagesOf(error: FormResult["error"]): Record<string, string[]> {
  const all: Record<string, string[]> = {};
  for (const [name, messages] of Object.entries(error ?? {})) if (messages?.length) all[name] = messages;
  return all;
}

function focusFirstInvalid(form: HTMLFormElement | null, errors: Record<string, string[]>) {
  if (!form) return;
  for (const element of Array.from(form.elements)) {
    const name = (element as HTMLInputElement).name;
    if (name && errors[name]?.length && typeof (element as HTMLElement).focus === "function") {
      (element as HTMLElement).focus();
      return;
    }
  }
}

/**
 * `lastResult`: the action's answer (Conform's `submission.reply()`), `defaultValue`: the initial
 * values by name, `loadValidator`: the page's validator module (a dynamic import), `messages`:
 * the key prefixes of its messages.
 */
export function useLightForm({
  lastResult,
  defaultValue = {},
  loadValidator,
  messages = ["common:errors."],
}: {
  lastResult?: FormResult | null;
  defaultValue?: Record<string, unknown>;
  loadValidator: () => Promise<FormValidator>;
  /** The translation keys (prefixes) the validator's messages use: they travel with the page. */
  messages?: readonly string[];
}): LightForm {
  const id = useId();
  const validator = useRef<FormValidator | null>(null);
  const loading = useRef<Promise<void> | null>(null);
  const formElement = useRef<HTMLFormElement | null>(null);
  // Messages of the latest client-side check; null: show the server's (lastResult).
  const [clientErrors, setClientErrors] = useState<Record<string, string[]> | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  // Every validation message travels with the page: the browser's checks show them at once.
  useCarriedMessages(messages);

  // A new answer from the server (not the one the page was rendered with) replaces what the
  // browser found, and its first invalid field takes focus.
  const shownResult = useRef(lastResult);
  useEffect(() => {
    if (shownResult.current === lastResult) return;
    shownResult.current = lastResult;
    setClientErrors(null);
    if (lastResult?.status === "error") setFocusRequest((n) => n + 1);
  }, [lastResult]);

  const allErrors = clientErrors ?? (lastResult?.status === "error" ? messagesOf(lastResult.error) : {});
  // Focus moves only when a refused submission asks for it, not on every change of messages.
  const shownErrors = useRef(allErrors);
  shownErrors.current = allErrors;
  useEffect(() => {
    if (focusRequest > 0) focusFirstInvalid(formElement.current, shownErrors.current);
  }, [focusRequest]);

  const load = useCallback(() => {
    loading.current ??= loadValidator().then(
      (validate) => void (validator.current = validate),
      // Offline or a failed download: the server checks the submission instead; try again next focus.
      () => void (loading.current = null),
    );
  }, [loadValidator]);

  const formErrors = allErrors[""];
  const initial = lastResult?.initialValue;
  return {
    id,
    errorId: `${id}-error`,
    errors: formErrors,
    allErrors,
    initialValue: (name) => (initial && name in initial ? initial[name] : defaultValue[name]),
    props: {
      id,
      noValidate: true,
      onFocus: (event) => {
        formElement.current = event.currentTarget;
        load();
      },
      onSubmit: (event) => {
        formElement.current = event.currentTarget;
        const validate = validator.current;
        if (!validate) return;
        const submitter = (event.nativeEvent as SubmitEvent).submitter;
        const errors = validate(new FormData(event.currentTarget, submitter));
        setClientErrors(errors ?? {});
        if (errors && Object.keys(errors).length) {
          event.preventDefault();
          setFocusRequest((n) => n + 1);
        }
      },
      ...(formErrors?.length ? { "aria-invalid": true as const, "aria-describedby": `${id}-error` } : {}),
    },
  };
}
