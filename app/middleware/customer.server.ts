import { createCookie, data, type MiddlewareFunction, type RouterContextProvider } from "react-router";
import { customerContext, gpcContext } from "~/context";
import { resolveCustomerSession, SESSION_ABSOLUTE_MS } from "~/domain/customer-sessions.server";
import { customerSessionCookie } from "~/utils/cookies.server";
import { getDb } from "~/utils/db.server";

/**
 * The session cookie of embedded pages (SPEC §6). Inside a cross-site iframe browsers only send
 * back `Partitioned` cookies (CHIPS), which must be `Secure; SameSite=None`; Chromium accepts
 * Secure cookies on http://localhost. Same name as the portal's cookie: a partitioned cookie lives
 * in the host site's partition and never meets the first-party one.
 */
export const embedSessionCookie = createCookie("candor_session", {
  httpOnly: true,
  sameSite: "none",
  secure: true,
  partitioned: true,
  path: "/embed",
  maxAge: SESSION_ABSOLUTE_MS / 1000,
});

/** Query parameter of embed URLs carrying a short-lived session handle when no cookie comes back. */
export const EMBED_HANDLE_PARAM = "h";

/**
 * Resolves the customer session cookie and notes whether the browser sends Global Privacy
 * Control. The signal is applied where preferences are read and recorded only by deliberate
 * POSTs (sign-in, saving choices): a page view never writes anything.
 */
export const customerMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const gpc = request.headers.get("Sec-GPC") === "1";
  context.set(gpcContext, gpc);
  const token = await customerSessionCookie.parse(request.headers.get("Cookie"));
  let customer = typeof token === "string" ? resolveCustomerSession(getDb(), token) : undefined;
  const url = new URL(request.url);
  if (!customer && url.pathname.startsWith("/embed/")) {
    // Embedded pages: the Partitioned cookie if it came back, else the handle in the URL.
    const handle = url.searchParams.get(EMBED_HANDLE_PARAM);
    if (handle) customer = resolveCustomerSession(getDb(), handle);
  }
  context.set(customerContext, customer ?? null);
  const response = await next();
  // Personal pages must not stay in shared caches or the back/forward history of a shared device.
  if (customer || url.pathname.includes("/concerns/track/")) {
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
