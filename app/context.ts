import { createContext } from "react-router";
import type { Customer } from "./domain/customers.server";

/** Values the server and root middleware put on each request's router context. */
export const nonceContext = createContext<string>("");
/** The client's address, set by the server (app/server.ts); used for rate limits only. */
export const clientIpContext = createContext<string>("unknown");
/** The signed-in customer, or null for anonymous visitors. */
export const customerContext = createContext<Customer | null>(null);
/** True when the browser sent Global Privacy Control (`Sec-GPC: 1`). */
export const gpcContext = createContext<boolean>(false);

/**
 * The embed site of an /embed/<site>/… request (resolved once, by the security middleware), or
 * null elsewhere and for unknown sites.
 */
export const embedSiteContext = createContext<import("./domain/embed-sites.server").EmbedSite | null>(null);

/** The signed-in staff member (fully verified, TOTP included), or null. */
export const staffContext = createContext<import("./domain/staff.server").StaffUser | null>(null);

/**
 * What the composition root (app/services.server.ts) built for this process: the database and the
 * services around it. Set on every request by the server (and by the tests' harness).
 */
export const servicesContext = createContext<import("./services.server").Services>();
