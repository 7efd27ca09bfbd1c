import { useEffect, useState, type FormEvent } from "react";
import { useActionData, useNavigation } from "react-router";

/** True when the action redirected (no action data) or answered with a successful Conform result. */
function succeeded(actionData: unknown): boolean {
  if (actionData === undefined || actionData === null) return true;
  const result = (actionData as { result?: { status?: string } }).result;
  return result?.status === "success";
}

/**
 * The one submit behaviour for forms that create something (reply, note, concern, canned reply,
 * key, webhook, account…), with JavaScript on: the submit button is disabled while this form's
 * submission is under way, and the form is emptied (native reset, which Conform follows) once it
 * succeeded — so a second click cannot send the same text again. A refused submission keeps what
 * was typed. Without JavaScript the page reloads after the redirect, and the server de-duplicates
 * repeats (domain/submissions.server.ts).
 *
 * Use: `const s = useSubmission(formProps.onSubmit)`, then `<Form onSubmit={s.onSubmit}>` and
 * `<button disabled={s.pending}>`.
 */
export function useSubmission(inner?: (event: FormEvent<HTMLFormElement>) => void) {
  const navigation = useNavigation();
  const actionData = useActionData();
  // The form this hook submitted, while its submission runs; "busy" once the router took it up.
  const [sent, setSent] = useState<{ form: HTMLFormElement; busy: boolean } | null>(null);
  useEffect(() => {
    if (!sent) return;
    if (!sent.busy && navigation.state !== "idle") setSent({ ...sent, busy: true });
    if (sent.busy && navigation.state === "idle") {
      setSent(null);
      if (succeeded(actionData)) sent.form.reset();
    }
  }, [sent, navigation.state, actionData]);
  return {
    pending: sent !== null,
    /** Runs the form's own onSubmit (e.g. Conform's validation) first: only a submission that goes ahead counts. */
    onSubmit: (event: FormEvent<HTMLFormElement>) => {
      inner?.(event);
      if (!event.defaultPrevented) setSent({ form: event.currentTarget, busy: false });
    },
  };
}
