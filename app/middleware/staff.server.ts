import { data, redirect, type MiddlewareFunction, type RouterContextProvider } from "react-router";
import { servicesContext, staffContext } from "~/context";
import { can, type Permission } from "~/domain/permissions";
import { resolveStaffSession, type StaffUser } from "~/domain/staff.server";
import { staffSessionCookie } from "~/utils/cookies.server";

/** Resolves the staff session cookie for /staff routes (a half-done TOTP login is not a session). */
export const staffMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const { db } = context.get(servicesContext);
  const token = await staffSessionCookie.parse(request.headers.get("Cookie"));
  const session = typeof token === "string" ? await resolveStaffSession(db, token) : undefined;
  context.set(staffContext, session?.verified ? session.user : null);
  const response = await next();
  response.headers.set("Cache-Control", "private, no-store");
  return response;
};

/**
 * The signed-in staff member; without a session, a redirect to the sign-in page; without the
 * permission, a 403 with reason "no_permission" (the page says the role lacks it). Every staff loader and action starts here, so a crafted request gets no
 * further than the UI would.
 */
export function requireStaff(context: Readonly<RouterContextProvider>, request: Request, permission: Permission = "concerns.work"): StaffUser {
  const staff = context.get(staffContext);
  if (!staff) {
    const url = new URL(request.url);
    throw redirect(`/staff/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (!can(staff.role, permission)) throw data({ reason: "no_permission" as const }, { status: 403 });
  return staff;
}
