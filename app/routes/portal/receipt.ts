import { data } from "react-router";
import { recipientsForChoice } from "~/domain/ai-register.server";
import { consentReceipt, findConsentEvent, getNotice } from "~/domain/preferences.server";
import { getSetting } from "~/domain/settings.server";
import { requireCustomer } from "~/middleware/customer.server";
import { servicesContext } from "~/context";
import type { Route } from "./+types/receipt";

/** GET: one consent receipt (Kantara-shaped JSON), only the customer's own. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const customer = requireCustomer(context);
  const { db } = context.get(servicesContext);
  const event = await findConsentEvent(db, customer.id, params.receiptId);
  if (!event) throw data(null, { status: 404 });
  const notice = await getNotice(db, event.choiceKey, event.noticeVersion, event.lang);
  const receipt = consentReceipt(event, {
    controllerName: await getSetting(db, "companyName"),
    controllerContact: await getSetting(db, "privacyContactEmail"),
    policyUrl: await getSetting(db, "privacyPolicyUrl"),
    noticeText: notice ? `${notice.label}: ${notice.explanation}` : "",
    recipients: await recipientsForChoice(db, event.choiceKey),
  });
  return new Response(JSON.stringify(receipt, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="consent-receipt-${event.receiptId}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
