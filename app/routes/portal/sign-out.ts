import { redirect } from "react-router";
import { endCustomerSession } from "~/domain/customer-sessions.server";
import { getLang } from "~/middleware/i18n.server";
import { customerSessionCookie } from "~/utils/cookies.server";
import { servicesContext } from "~/context";
import type { Route } from "./+types/sign-out";

export async function action({ request, context }: Route.ActionArgs) {
  const token = await customerSessionCookie.parse(request.headers.get("Cookie"));
  if (typeof token === "string") await endCustomerSession(context.get(servicesContext).db, token);
  return redirect(`/${getLang(context)}?signedOut=1`, {
    status: 303,
    headers: { "Set-Cookie": await customerSessionCookie.serialize("", { maxAge: 0 }) },
  });
}

export function loader({ context }: Route.LoaderArgs) {
  return redirect(`/${getLang(context)}`);
}
