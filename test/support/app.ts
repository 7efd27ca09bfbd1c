/**
 * Calls the real built app (middleware, loaders, actions, rendering) in-process with real
 * Request objects, on a per-test SQLite database.
 */
import path from "node:path";
import { createRequestHandler, RouterContextProvider, type ServerBuild } from "react-router";
import { createServices, type Services } from "../../app/services.server";
import { mintLink } from "../../app/domain/links.server";
import type { StaffRole } from "../../app/domain/permissions";
import { DEMO_STAFF } from "../../db/seed";
import type { Db } from "../../app/utils/db.server";
import { freshTestDatabase } from "./database";
import type { Lang } from "../../app/utils/languages";

export const ORIGIN = "http://localhost:3000";

/** The built server bundle (app/server.ts, the build's server entry): `createApp`, `build`, the context keys. */
export type ShippedServer = typeof import("../../app/server");
let shipped: Promise<ShippedServer> | undefined;
export function loadShippedServer(): Promise<ShippedServer> {
  shipped ??= import(path.resolve(process.env.CANDOR_BUILD_DIR ?? "build", "server/index.js")) as Promise<ShippedServer>;
  return shipped;
}


export interface TestApp {
  /** What the composition root built for this test's database (handed to every request). */
  services: Services;
  /** The domain's handle on this test's database. */
  db: Db;
  request(pathname: string, init?: RequestOptions): Promise<Response>;
  signIn(customerId: string, lang?: Lang): Promise<string>;
  /** Signs a demo staff member in through the real sign-in form; returns the session cookie. */
  signInStaff(role: StaffRole): Promise<string>;
}

export interface RequestOptions {
  method?: string;
  form?: Record<string, string> | URLSearchParams;
  cookie?: string;
  headers?: Record<string, string>;
  ip?: string;
  /** A raw body (with its own Content-Type header) instead of a form. */
  body?: string;
}

let ipCounter = 0;

export async function createTestApp(options: { seeded?: boolean } = {}): Promise<TestApp> {
  const services = await createServices({ database: await freshTestDatabase(options), migrate: false });
  // The bundle's own context keys: the very objects its routes read.
  const { build, clientIpContext, servicesContext } = await loadShippedServer();
  const handler = createRequestHandler(build as unknown as ServerBuild, "production");
  const defaultIp = `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

  async function request(pathname: string, init: RequestOptions = {}) {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set("Cookie", init.cookie);
    let body: BodyInit | undefined = init.body;
    if (init.form) {
      body = init.form instanceof URLSearchParams ? init.form : new URLSearchParams(init.form);
      headers.set("Content-Type", "application/x-www-form-urlencoded");
      if (!headers.has("Sec-Fetch-Site") && !headers.has("Origin")) headers.set("Origin", ORIGIN);
    }
    const context = new RouterContextProvider();
    context.set(servicesContext, services);
    context.set(clientIpContext, init.ip ?? defaultIp);
    return handler(new Request(ORIGIN + pathname, { method: init.method ?? (init.form || init.body ? "POST" : "GET"), headers, body }), context);
  }

  async function signIn(customerId: string, lang: Lang = "en") {
    const { token } = await mintLink(services.db, { customerId, lang, createdBy: "cli", baseUrl: ORIGIN });
    const response = await request(`/l/${token}`, { form: {} });
    const setCookie = response.headers.get("Set-Cookie");
    if (response.status !== 303 || !setCookie) throw new Error(`Sign-in failed: ${response.status}`);
    return setCookie.split(";")[0]!;
  }

  async function signInStaff(role: StaffRole) {
    const { email, password } = DEMO_STAFF.find((s) => s.role === role)!;
    const response = await request("/staff/login", { form: { step: "password", email, password } });
    const setCookie = response.headers.get("Set-Cookie");
    if (response.status !== 303 || !setCookie) throw new Error(`Staff sign-in failed: ${response.status}`);
    return setCookie.split(";")[0]!;
  }

  return { services, db: services.db, request, signIn, signInStaff };
}
