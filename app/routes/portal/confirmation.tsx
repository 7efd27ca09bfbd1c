import { servicesContext } from "~/context";
import { ConfirmationPage } from "~/components/confirmation-view";
import { requireCustomer } from "~/middleware/customer.server";
import { getLang } from "~/middleware/i18n.server";
import type { Route } from "./+types/confirmation";
import { answerFromForm, confirmationView, doneFlash, loadOwnConfirmation } from "./confirmation.server";

/** One request of an AI agent, answered here (SPEC §11.1); only the customer's own (else 404). */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const customer = requireCustomer(context);
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const confirmation = await loadOwnConfirmation(db, customer, params.id);
  return { lang, confirmation: await confirmationView(db, customer, confirmation, lang), done: doneFlash(request.url) };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const customer = requireCustomer(context);
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const confirmation = await loadOwnConfirmation(db, customer, params.id);
  return answerFromForm(request, db, { customer, confirmation, method: "portal", lang, pagePath: `/${lang}/me/confirmations/${confirmation.id}` });
}

export default function Confirmation({ loaderData, actionData }: Route.ComponentProps) {
  return <ConfirmationPage confirmation={loaderData.confirmation} lang={loaderData.lang} done={loaderData.done} lastResult={actionData?.result} />;
}
