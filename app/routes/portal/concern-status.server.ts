import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect } from "react-router";
import {
  addCustomerReply,
  ConcernStateError,
  customerConcernView,
  reopenConcern,
  withdrawConcern,
  type Concern,
} from "~/domain/concerns/index.server";
import { once } from "~/domain/submissions.server";
import type { Db } from "~/utils/db.server";
import { dateFor } from "~/utils/format.server";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import type { RateLimits } from "~/utils/rate-limit.server";
import { ConcernActionSchema } from "~/components/concern-status";

/** The status page's data (async), with dates formatted in the page's language. */
export async function concernStatusData(db: Db, concern: Concern, lang: string) {
  const view = await customerConcernView(db, concern, lang);
  return {
    ...view,
    createdAt: dateFor(view.createdAt, lang),
    updatedAt: dateFor(view.updatedAt, lang),
    resolvedAt: view.resolvedAt ? dateFor(view.resolvedAt, lang) : null,
    reopenUntil: view.reopenUntil ? dateFor(view.reopenUntil, lang, "date") : null,
    messages: view.messages.map((m) => ({ ...m, createdAt: dateFor(m.createdAt, lang) })),
    history: view.history.map((h) => ({ ...h, createdAt: dateFor(h.createdAt, lang) })),
  };
}

/** Reply, reopen or withdraw — shared by the signed-in and the tracking-link status pages. */
export async function handleConcernAction(request: Request, db: Db, rateLimits: RateLimits, concern: Concern, rateKey: string, backTo: string) {
  const submission = parseWithZod(await readForm(request), { schema: ConcernActionSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const wait = await rateLimits.consume("concernWrite", rateKey);
  if (wait !== null) {
    return data({ result: submission.reply({ formErrors: [msg("tooMany", { count: Math.ceil(wait / 60) })] }) }, { status: 429 });
  }
  try {
    const { intent } = submission.value;
    // An identical reply within the window is the same reply sent twice (double click, resend).
    if (intent === "reply") {
      const body = submission.value.body;
      await once(db, { actor: rateKey, action: `concern.reply:${concern.ref}`, content: { body } }, (tx) => addCustomerReply(tx, concern, body));
    }
    if (intent === "reopen") await reopenConcern(db, concern);
    if (intent === "withdraw") await withdrawConcern(db, concern);
    return redirect(`${backTo}?done=${intent}`, 303);
  } catch (error) {
    if (error instanceof ConcernStateError) {
      const message = submission.value.intent === "reopen" ? "notReopenable" : "concernClosed";
      return data({ result: submission.reply({ formErrors: [msg(message)] }) }, { status: 409 });
    }
    throw error;
  }
}
