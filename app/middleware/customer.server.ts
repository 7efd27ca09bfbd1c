import { data, type MiddlewareFunction, type RouterContextProvider } from "react-router";
import { customerContext, gpcContext } from "~/context";
import { resolveCustomerSession } from "~/domain/customer-sessions.server";
import { honourGlobalPrivacyControl } from "~/domain/preferences.server";
import { customerSessionCookie } from "~/utils/cookies.server";
import { getDb } from "~/utils/db.server";
import { getLang } from "./i18n.server";

/** Resolves the customer session cookie and applies Global Privacy Control for them. */
export const customerMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const gpc = request.headers.get("Sec-GPC") === "1";
  context.set(gpcContext, gpc);
  const token = await customerSessionCookie.parse(request.headers.get("Cookie"));
  const customer = typeof token === "string" ? resolveCustomerSession(getDb(), token) : undefined;
  context.set(customerContext, customer ?? null);
  if (customer && gpc) honourGlobalPrivacyControl(getDb(), customer.id, getLang(context));
  const response = await next();
  // Personal pages must not stay in shared caches or the back/forward history of a shared device.
  if (customer || new URL(request.url).pathname.includes("/concerns/track/")) {
    response.headers.set("Cache-Control", "private, no-store");
  }
  return response;
};

/** The signed-in customer, or a 401 that the page's error boundary explains (how to sign in). */
export function requireCustomer(context: Readonly<RouterContextProvider>) {
  const customer = context.get(customerContext);
  if (!customer) throw data({ reason: "signed_out" as const }, { status: 401 });
  return customer;
}
