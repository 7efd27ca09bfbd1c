import { createCookie, data, type MiddlewareFunction, type RouterContextProvider } from "react-router";
import { customerContext, gpcContext, servicesContext } from "~/context";
import { resolveCustomerSession, SESSION_ABSOLUTE_MS } from "~/domain/customer-sessions.server";
import { customerSessionCookie } from "~/utils/cookies.server";
import { EMBED_HANDLE_PARAM } from "~/domain/vocabulary";

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
  // Narrowed to /embed/<site> when set (embedSessionCookieFor), so one site's cookie never meets another's.
  path: "/embed",
  maxAge: SESSION_ABSOLUTE_MS / 1000,
});

/** The Set-Cookie of an embed session of `site`: only sent back under /embed/<site>. */
export function embedSessionCookieFor(site: string, sessionToken: string): Promise<string> {
  return embedSessionCookie.serialize(sessionToken, { path: `/embed/${site}` });
}

export { EMBED_HANDLE_PARAM };

/** The embed site slug of an /embed/<site>/… URL (also its `.data` twin), else null. */
export function embedSiteOfPath(pathname: string): string | null {
  const [, first, slug] = pathname.split("/");
  return first === "embed" && slug ? slug.replace(/\.data$/, "") : null;
}

/**
 * Resolves the customer session and notes whether the browser sends Global Privacy Control.
 * Sessions are bound to their scope: under /embed/<site>/ only a session started by that site —
 * from its Partitioned cookie, else the handle in the URL; elsewhere only a portal session. The
 * GPC signal is applied where preferences are read and recorded only by deliberate POSTs
 * (sign-in, saving choices): a page view never writes anything.
 */
export const customerMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const { db } = context.get(servicesContext);
  const gpc = request.headers.get("Sec-GPC") === "1";
  context.set(gpcContext, gpc);
  const url = new URL(request.url);
  const embedSite = embedSiteOfPath(url.pathname);
  const token = await customerSessionCookie.parse(request.headers.get("Cookie"));
  let customer = typeof token === "string" ? await resolveCustomerSession(db, token, Date.now(), embedSite) : undefined;
  if (!customer && embedSite !== null) {
    const handle = url.searchParams.get(EMBED_HANDLE_PARAM);
    if (handle) customer = await resolveCustomerSession(db, handle, Date.now(), embedSite);
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
