import { exportCustomerData } from "~/domain/data-export.server";
import { requireCustomer } from "~/middleware/customer.server";
import { getLang } from "~/middleware/i18n.server";
import { servicesContext } from "~/context";
import type { Route } from "./+types/data-export";

/** GET: everything Candor holds about the signed-in customer, as a JSON download. */
export async function loader({ context }: Route.LoaderArgs) {
  const { db } = context.get(servicesContext);
  const customer = requireCustomer(context);
  const payload = await exportCustomerData(db, customer.id, getLang(context));
  const day = new Date().toISOString().slice(0, 10);
  return new Response(JSON.stringify(payload, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="candor-my-data-${day}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
