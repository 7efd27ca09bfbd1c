import { servicesContext } from "~/context";
import { requireCustomer } from "~/middleware/customer.server";
import { getLang } from "~/middleware/i18n.server";
import { answerFromForm, loadOwnConfirmation } from "../portal/confirmation.server";
import type { Route } from "./+types/confirmation";
import { embedBase, HANDLE_PARAM, withHandle } from "./paths";

/** The portal's confirmation page inside the embed frame: same loader and component. */
export { loader, default } from "../portal/confirmation";

/** The answer is recorded with method "embed"; the redirect stays in the frame, with the session handle. */
export async function action({ request, params, context }: Route.ActionArgs) {
  const customer = requireCustomer(context);
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const confirmation = await loadOwnConfirmation(db, customer, params.id);
  const handle = new URL(request.url).searchParams.get(HANDLE_PARAM);
  const pagePath = withHandle(`${embedBase(params.site, lang)}/me/confirmations/${confirmation.id}`, handle);
  return answerFromForm(request, db, { customer, confirmation, method: "embed", lang, pagePath });
}
