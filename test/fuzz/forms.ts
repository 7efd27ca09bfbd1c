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
import { expect, it } from "vitest";
import routes from "../../app/routes";
import { startCustomerSession, resolveCustomerSession } from "../../app/domain/customer-sessions.server";
import { fileConcern } from "../../app/domain/concerns/index.server";
import { createEmbedSite } from "../../app/domain/embed-sites.server";
import { mintLink } from "../../app/domain/links.server";
import { findStaffByEmail, resolveStaffSession, startStaffSession } from "../../app/domain/staff.server";
import { customerSessionCookie, staffSessionCookie } from "../../app/utils/cookies.server";
import { DEMO_STAFF } from "../../db/seed";
import { createTestApp, ORIGIN } from "../support/app";
import { changedTables, fastWrites, fieldValue, fuzzParameters, muteConsole, pathSegment, queryString, RUNS, sqliteClientOf, statusTally, tableCounter, yieldToEventLoop } from "./support";
import { confirmationFor, customerFor } from "../support/confirmation-factories";

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

/**
 * The forms a page really shows (GET, signed in): each as its fields with the values the page
 * filled in (hidden revisions, intents of submit buttons, select options, radio values), so that
 * fuzzed submissions also start from what a browser would send and reach the success branches.
 */
export function harvestForms(html: string): [string, string][][] {
  const forms: [string, string][][] = [];
  const attr = (tag: string, name: string) =>
    tag
      .match(new RegExp(`\\s${name}="([^"]*)"`))?.[1]
      ?.replace(/&quot;/g, '"')
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  for (const form of html.matchAll(/<form\b[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/gi)) {
    const body = form[1]!;
    const fields: [string, string][] = [];
    const radios = new Map<string, string>();
    const buttons: [string, string][] = [];
    for (const tag of body.matchAll(/<(input|button|textarea|select)\b[^>]*>/gi)) {
      const name = attr(tag[0], "name");
      if (!name) continue;
      const kind = tag[1]!.toLowerCase();
      const type = (attr(tag[0], "type") ?? (kind === "button" ? "submit" : "text")).toLowerCase();
      const checked = /\schecked(=|\s|>|\/)/i.test(tag[0]);
      if (kind === "select") {
        const option = body.slice(tag.index! + tag[0].length).match(/<option\b[^>]*value="([^"]*)"/i);
        fields.push([name, option?.[1] ?? ""]);
      } else if (kind === "textarea") {
        fields.push([name, "Written by the fuzz run."]);
      } else if (type === "submit") {
        buttons.push([name, attr(tag[0], "value") ?? ""]);
      } else if (type === "radio") {
        if (checked || !radios.has(name)) radios.set(name, attr(tag[0], "value") ?? "on");
      } else if (type === "checkbox") {
        if (checked) fields.push([name, attr(tag[0], "value") ?? "on"]);
      } else {
        // Optional text stays empty, as most people leave it (and as a honeypot field must be).
        const required = /\srequired(=|\s|>|\/)/i.test(tag[0]);
        const value = attr(tag[0], "value") || (!required ? "" : type === "email" ? "fuzz@example.com" : type === "number" ? "1" : "Fuzz value");
        fields.push([name, value]);
      }
    }
    fields.push(...radios);
    // A browser sends the clicked submit button only: one variant per button.
    for (const button of buttons.length > 0 ? buttons.slice(0, 6) : [null]) forms.push(button ? [...fields, button] : fields);
  }
  return forms.filter((f) => f.length > 0);
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
    // A 5xx still fails the property, with its body in the message.
    const unmute = muteConsole();
    const app = await createTestApp();
    const client = sqliteClientOf(app.services.database);
    fastWrites(client);
    const counts = tableCounter(client);
    const adb = app.db;

    // Values that reach past the "not found" checks.
    const ownRef = client.prepare("select ref from concerns where customer_id = 'demo-customer-1' and origin = 'customer' order by id limit 1").pluck().get() as string;
    const anonymous = await fileConcern(adb, {
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
    const slug = client.prepare("select slug from ai_systems order by id limit 1").pluck().get() as string;
    await createEmbedSite(adb, { slug: "fuzz-site", name: "Fuzz", origins: ["http://127.0.0.1:3400"], withSigningSecret: true });
    // A request waiting for the customer's answer, and one of another customer (must stay a 404).
    const orderRequest = { actionKey: "orders", aiSystemSlug: "network-troubleshooter" };
    const pending = await confirmationFor(adb, "demo-customer-1", orderRequest);
    const othersPending = await confirmationFor(adb, (await customerFor(adb)).id, orderRequest);
    const valid: Record<string, string[]> = {
      id: [pending.id, othersPending.id],
      lang: ["en", "fr", "de", "ar"],
      ref: [ownRef, anonymous.ref],
      token: [anonymous.trackingToken!, "@fresh-link"],
      slug: [slug, "new"],
      site: ["fuzz-site"],
      key: ["orders", "no-such-choice"],
      version: ["0", "not-a-version"],
    };

    let customerToken = await startCustomerSession(adb, "demo-customer-1", null);
    let staffToken = "";
    const ensureSessions = async () => {
      if (!(await resolveCustomerSession(adb, customerToken))) customerToken = await startCustomerSession(adb, "demo-customer-1", null);
      if (staffRoute && (!staffToken || !(await resolveStaffSession(adb, staffToken)))) {
        const admin = (await findStaffByEmail(adb, DEMO_STAFF[0]!.email))!;
        staffToken = await startStaffSession(adb, admin, true);
      }
    };

    // The page's own forms, as a signed-in visitor sees them (for the first valid parameters).
    await ensureSessions();
    let pagePath = route.pattern;
    for (const p of params) pagePath = pagePath.replace(`:${p}`, p === "token" && route.pattern.startsWith("/l/") ? (await mintLink(adb, { customerId: "demo-customer-1", lang: "en", createdBy: "cli", baseUrl: ORIGIN })).token : valid[p]![0]!);
    let pageCookie = (await customerSessionCookie.serialize(customerToken)).split(";")[0]!;
    if (staffRoute) pageCookie += "; " + (await staffSessionCookie.serialize(staffToken)).split(";")[0];
    const page = await app.request(pagePath, { cookie: pageCookie });
    const realForms = harvestForms(await page.text());
    for (const form of realForms) for (const [name, value] of form) {
      if (!names.includes(name)) names.push(name);
      if (value && !values.includes(value)) values.push(value);
    }

    const paramArbs = Object.fromEntries(params.map((p) => [p, pathSegment(valid[p] ?? [])]));
    const pair = fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), fieldValue(values));
    // A real form of the page with a few fields changed, dropped or added: reaches the success branches.
    const mutatedForm =
      realForms.length === 0
        ? fc.array(pair, { maxLength: 14 })
        : fc
            .tuple(fc.constantFrom(...realForms), fc.array(fc.tuple(fc.nat(), fc.oneof({ weight: 3, arbitrary: fieldValue(values) }, { weight: 1, arbitrary: fc.constant(null) })), { maxLength: 3 }), fc.array(pair, { maxLength: 2 }))
            .map(([form, changes, extra]) => {
              const fields = form.map(([n, v]) => [n, v] as [string, string | null]);
              for (const [at, value] of changes) if (fields.length > 0) fields[at % fields.length]![1] = value;
              return [...fields.filter((f): f is [string, string] => f[1] !== null), ...extra];
            });
    const fieldsArb = fc.oneof(
      { weight: 3, arbitrary: mutatedForm },
      // Every known field, each with a likely or hostile value.
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
    await fc
      .assert(
      fc.asyncProperty(caseArb, async (c) => {
        await yieldToEventLoop();
        await ensureSessions();
        let pathname = route.pattern;
        for (const p of params) {
          let value = c.params[p]!;
          if (value === encodeURIComponent("@fresh-link")) value = (await mintLink(adb, { customerId: "demo-customer-1", lang: "en", createdBy: "cli", baseUrl: ORIGIN })).token;
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
    )
      .finally(() => {
        tally.report();
        unmute();
      });
  });
}
