/**
 * Fuzzes every route of app/routes.ts that has an `action`, through the real built request
 * handler (test/support/app.ts), on a fresh database per route: arbitrary, extra and missing
 * fields, hostile values, bad percent-encoding in the path and query, wrong content types and
 * cross-site headers — with the customer or staff session the route needs (or none, or a bogus
 * one). Asserted: never a 5xx; a 4xx stores nothing (the row count of every table is unchanged).
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { expect, it, vi } from "vitest";
import routes from "../../app/routes";
import { startCustomerSession, resolveCustomerSession } from "../../app/domain/customer-sessions.server";
import { fileConcern } from "../../app/domain/concerns.server";
import { createEmbedSite } from "../../app/domain/embed-sites.server";
import { mintLink } from "../../app/domain/links.server";
import { findStaffByEmail, resolveStaffSession, startStaffSession } from "../../app/domain/staff.server";
import { customerSessionCookie, staffSessionCookie } from "../../app/utils/cookies.server";
import { DEMO_STAFF } from "../../db/seed";
import { createTestApp, ORIGIN } from "../support/app";
import { changedTables, fastWrites, fieldValue, fuzzParameters, pathSegment, queryString, RUNS, statusTally, tableCounter } from "./support";

interface RouteEntry {
  path?: string;
  index?: boolean;
  file: string;
  children?: RouteEntry[];
}

export interface ActionRoute {
  /** The URL pattern, e.g. "/:lang/me/concerns/:ref". */
  pattern: string;
  file: string;
}

/** Every route with an action, read from app/routes.ts and the route modules themselves. */
export function actionRoutes(): ActionRoute[] {
  const found: ActionRoute[] = [];
  const walk = (entries: RouteEntry[], prefix: string) => {
    for (const entry of entries) {
      const pattern = entry.path ? `${prefix}/${entry.path}` : prefix || "/";
      const source = fs.readFileSync(path.join("app", entry.file), "utf8");
      if (/export\s+(async\s+)?function\s+action\b|export\s+const\s+action\b/.test(source)) found.push({ pattern, file: entry.file });
      if (entry.children) walk(entry.children, pattern === "/" ? "" : pattern);
    }
  };
  walk(routes as unknown as RouteEntry[], "");
  return found;
}

/** Field names and values a route's form knows about, harvested from its source and the shared vocabulary. */
function candidates(file: string): { names: string[]; values: string[] } {
  const source = [path.join("app", file), "app/domain/vocabulary.ts"].map((f) => fs.readFileSync(f, "utf8")).join("\n");
  const names = new Set<string>(["intent", "revision", "lang"]);
  for (const m of source.matchAll(/name[=:]\s*["'`]([A-Za-z][\w.[\]-]{0,40})["'`]/g)) names.add(m[1]!);
  for (const m of source.matchAll(/^\s*["']?([A-Za-z][\w-]{0,40})["']?:\s*z\./gm)) names.add(m[1]!);
  const values = new Set<string>();
  for (const m of source.matchAll(/["']([a-z][a-z0-9_.@-]{0,40})["']/g)) values.add(m[1]!);
  return { names: [...names], values: [...values].slice(0, 300) };
}

type Auth = "session" | "none" | "bogus";

interface Case {
  params: Record<string, string>;
  query: string;
  fields: [string, string][];
  encoding: "urlencoded" | "multipart" | "json" | "text" | "none" | "broken-multipart" | "raw-percent";
  csrf: "same-origin" | "origin" | "cross-site" | "absent" | "null-origin";
  auth: Auth;
  method: string;
  /** A document request (rendered page) or React Router's data request (`.data`, what hydrated forms send). */
  transport: "document" | "data";
}

/** Runs the fuzz of one action route as a Vitest test (its own fresh database). */
export function fuzzActionRoute(route: ActionRoute, offset: number): void {
  const params = [...route.pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const staffRoute = route.pattern.startsWith("/staff") && route.pattern !== "/staff/login";
  const { names, values } = candidates(route.file);

  it(`${route.pattern} (${route.file}): ${RUNS} cases, never a 5xx, nothing stored on a 4xx`, async () => {
    // React Router logs every refused request with its stack; thousands of those cost more than
    // the requests themselves. A 5xx still fails the property, with its body in the message.
    const muted = ["error", "warn", "log"].map((level) => vi.spyOn(console, level as "error").mockImplementation(() => undefined));
    const app = await createTestApp();
    fastWrites(app.db);
    const counts = tableCounter(app.db);
    const db = app.db;

    // Values that reach past the "not found" checks.
    const ownRef = db.$client.prepare("select ref from concerns where customer_id = 'demo-customer-1' order by id limit 1").pluck().get() as string;
    const anonymous = fileConcern(db, {
      customerId: null,
      contactEmail: "anon@example.com",
      contactMethod: "email",
      lang: "en",
      kind: "other",
      interactionId: null,
      systemId: null,
      description: "A concern filed without signing in, for the fuzz run.",
      desiredOutcome: "",
    });
    const slug = db.$client.prepare("select slug from ai_systems order by id limit 1").pluck().get() as string;
    createEmbedSite(db, { slug: "fuzz-site", name: "Fuzz", origins: ["http://127.0.0.1:3400"], withSigningSecret: true });
    const valid: Record<string, string[]> = {
      lang: ["en", "fr", "de", "ar"],
      ref: [ownRef, anonymous.ref],
      token: [anonymous.trackingToken!, "@fresh-link"],
      slug: [slug, "new"],
      site: ["fuzz-site"],
    };

    let customerToken = startCustomerSession(db, "demo-customer-1", null);
    let staffToken = "";
    const ensureSessions = () => {
      if (!resolveCustomerSession(db, customerToken)) customerToken = startCustomerSession(db, "demo-customer-1", null);
      if (staffRoute && (!staffToken || !resolveStaffSession(db, staffToken))) {
        const admin = findStaffByEmail(db, DEMO_STAFF[0]!.email)!;
        staffToken = startStaffSession(db, admin, true);
      }
    };

    const paramArbs = Object.fromEntries(params.map((p) => [p, pathSegment(valid[p] ?? [])]));
    const pair = fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), fieldValue(values));
    const fieldsArb = fc.oneof(
      // Every known field, each with a likely or hostile value: reaches the deeper branches.
      fc.array(pair, { minLength: 0, maxLength: 14 }),
      fc.tuple(...names.slice(0, 20).map((n) => fc.option(fieldValue(values).map((v) => [n, v] as [string, string]), { nil: undefined }))).map((list) => list.filter((x) => x !== undefined)),
    );
    const caseArb: fc.Arbitrary<Case> = fc.record({
      params: fc.record(paramArbs) as fc.Arbitrary<Record<string, string>>,
      query: queryString(names),
      fields: fieldsArb,
      encoding: fc.constantFrom<Case["encoding"][]>("urlencoded", "urlencoded", "urlencoded", "urlencoded", "urlencoded", "multipart", "json", "text", "none", "broken-multipart", "raw-percent"),
      csrf: fc.constantFrom<Case["csrf"][]>("origin", "origin", "origin", "same-origin", "same-origin", "cross-site", "absent", "null-origin"),
      auth: fc.constantFrom<Auth[]>("session", "session", "session", "session", "session", "session", "none", "bogus"),
      method: fc.constantFrom("POST", "POST", "POST", "POST", "POST", "POST", "POST", "PUT", "PATCH", "DELETE"),
      // Rendering a whole page costs 5× a data request: every tenth case is a document request.
      transport: fc.oneof({ weight: 1, arbitrary: fc.constant("document" as const) }, { weight: 9, arbitrary: fc.constant("data" as const) }),
    });

    const tally = statusTally(route.pattern);
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        ensureSessions();
        let pathname = route.pattern;
        for (const p of params) {
          let value = c.params[p]!;
          if (value === encodeURIComponent("@fresh-link")) value = mintLink(db, { customerId: "demo-customer-1", lang: "en", createdBy: "cli", baseUrl: ORIGIN }).token;
          pathname = pathname.replace(`:${p}`, value);
        }
        if (c.transport === "data") pathname += ".data";
        if (c.query) pathname += `?${c.query}`;
        const headers: Record<string, string> = {};
        if (c.csrf === "origin") headers.Origin = ORIGIN;
        if (c.csrf === "same-origin") headers["Sec-Fetch-Site"] = "same-origin";
        if (c.csrf === "cross-site") {
          headers["Sec-Fetch-Site"] = "cross-site";
          headers.Origin = "https://evil.example";
        }
        if (c.csrf === "null-origin") headers.Origin = "null";
        let cookie: string | undefined;
        if (c.auth === "session") {
          cookie = (await customerSessionCookie.serialize(customerToken)).split(";")[0];
          if (staffRoute) cookie += "; " + (await staffSessionCookie.serialize(staffToken)).split(";")[0];
        } else if (c.auth === "bogus") {
          cookie = "candor_session=%%%; candor_staff=eyJ4Ijoi";
        }
        let body: string | FormData | undefined;
        switch (c.encoding) {
          case "urlencoded":
            body = new URLSearchParams(c.fields).toString();
            headers["Content-Type"] = "application/x-www-form-urlencoded";
            break;
          case "multipart": {
            const form = new FormData();
            for (const [name, value] of c.fields) form.append(name, value);
            body = form;
            break;
          }
          case "json":
            body = JSON.stringify(Object.fromEntries(c.fields));
            headers["Content-Type"] = "application/json";
            break;
          case "text":
            body = c.fields.map(([n, v]) => `${n}=${v}`).join("\n");
            headers["Content-Type"] = "text/plain";
            break;
          case "broken-multipart":
            body = `--x\r\nContent-Disposition: form-data; name="${c.fields[0]?.[0] ?? "intent"}"\r\n\r\n${c.fields[0]?.[1] ?? ""}`;
            headers["Content-Type"] = "multipart/form-data; boundary=x";
            break;
          case "raw-percent":
            body = c.fields.map(([n, v]) => `${n}=${v}`).join("&") + "&%zz=%E0%A4%A&%";
            headers["Content-Type"] = "application/x-www-form-urlencoded";
            break;
          case "none":
            break;
        }
        const before = counts();
        const response = await app.request(pathname, { method: c.method, headers, cookie, body: body as string | undefined, ip: "198.51.100.7" });
        const text = await response.text();
        tally.add(response.status);
        expect(response.status, `${c.method} ${pathname} → ${response.status}: ${text.slice(0, 300)}`).toBeLessThan(500);
        if (response.status >= 400) {
          const after = counts();
          expect(changedTables(before, after), `${c.method} ${pathname} → ${response.status} stored rows`).toEqual([]);
        }
      }),
      fuzzParameters(offset),
    );
    tally.report();
    for (const spy of muted) spy.mockRestore();
  });
}
