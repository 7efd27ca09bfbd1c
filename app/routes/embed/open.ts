import { data, redirect } from "react-router";
import { z } from "zod";
import { customerContext, servicesContext } from "~/context";
import { startCustomerSession } from "~/domain/customer-sessions.server";
import { customerSessionCookie } from "~/utils/cookies.server";
import { readForm } from "~/utils/forms.server";
import type { Route } from "./+types/open";
import { embedBase, portalPathFor } from "./paths";

const OpenSchema = z.object({ to: z.string().max(2000) });

/**
 * "Open in a new tab" (SPEC §6): the embed bar posts here with target=_blank, so this runs as the
 * new tab's first-party top-level request. The embed session (bound to this site, from the URL
 * handle) is exchanged for a portal session in a first-party cookie, then the tab is sent to the
 * portal twin of the embed page it came from. Anonymous visitors are just sent there.
 */
export async function action({ request, params, context }: Route.ActionArgs) {
  const parsed = OpenSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw data(null, { status: 400 });
  const from = new URL(parsed.data.to, "http://candor.invalid");
  const base = embedBase(params.site, params.lang);
  if (from.origin !== "http://candor.invalid" || (from.pathname !== base && !from.pathname.startsWith(`${base}/`))) {
    throw data(null, { status: 400 });
  }
  from.searchParams.delete("h");
  from.searchParams.delete("token");
  const target = portalPathFor(from.pathname) + from.search;
  const customer = context.get(customerContext);
  if (!customer) return redirect(target, 303);
  const sessionToken = await startCustomerSession(context.get(servicesContext).db, customer.id, null);
  return redirect(target, {
    status: 303,
    headers: { "Set-Cookie": await customerSessionCookie.serialize(sessionToken), "Cache-Control": "no-store" },
  });
}
