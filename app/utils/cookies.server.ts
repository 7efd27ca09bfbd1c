import { createCookie } from "react-router";
import { SESSION_ABSOLUTE_MS } from "~/domain/customer-sessions.server";
import { cookiesAreSecure } from "./env.server";

/** Holds the customer session token; the session itself lives in the database (revocable). */
export const customerSessionCookie = createCookie("candor_session", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  secure: cookiesAreSecure(),
  maxAge: SESSION_ABSOLUTE_MS / 1000,
});

/** Holds the staff session token: only sent to /staff, never cross-site. */
export const staffSessionCookie = createCookie("candor_staff", {
  httpOnly: true,
  sameSite: "strict",
  path: "/staff",
  secure: cookiesAreSecure(),
});
