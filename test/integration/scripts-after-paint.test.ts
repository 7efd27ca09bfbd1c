import { beforeAll, describe, expect, it } from "vitest";
import { createEmbedSite } from "../../app/domain/embed-sites.server";
import { createTestApp, type TestApp } from "../support/app";

// The pages to read (overview, register, a system's page) and My choices (whose forms post without
// JavaScript and whose form code loads on the first touch) carry their JavaScript as inert text that
// a small inline script starts after the first contentful paint (app/components/page-scripts.tsx);
// every other page (forms, the staff console, the embed) loads it as React Router renders it.

/** The text of the `<script>` with this id (its attributes too), or undefined. */
function scriptById(html: string, id: string) {
  const match = new RegExp(`<script([^>]*) id="${id}"([^>]*)>([\\s\\S]*?)</script>`).exec(html);
  return match ? { attributes: match[1]! + match[2]!, text: match[3]! } : undefined;
}

function cspNonce(response: Response): string {
  return /'nonce-([^']+)'/.exec(response.headers.get("Content-Security-Policy") ?? "")?.[1] ?? "";
}

let app: TestApp;
let cookie: string;
beforeAll(async () => {
  app = await createTestApp();
  cookie = await app.signIn("demo-customer-1");
});

describe("reading pages start their JavaScript after the first paint (SPEC §10 Pages)", () => {
  it("no module is fetched or run from the HTML: the preloads and the module script are inert text, started by one inline script with the page's nonce", async () => {
    for (const [page, options] of [["/en", {}], ["/ar/ai-systems", {}], ["/en/ai-systems/offer-predictor", {}], ["/fr", { cookie }], ["/en/me/preferences", { cookie }]] as const) {
      const response = await app.request(page, options);
      expect(response.status, page).toBe(200);
      const html = await response.text();
      const nonce = cspNonce(response);
      // Nothing the browser would fetch or run as a module before the loader says so.
      expect(html.replace(/<script type="text\/html"[^>]*>[\s\S]*?<\/script>/, ""), page).not.toContain("modulepreload");
      expect(html, page).not.toMatch(/<script[^>]*type="module"/);

      const preloads = scriptById(html, "scripts-after-paint-preloads");
      expect(preloads?.attributes, page).toContain('type="text/html"');
      const hrefs = [...(preloads?.text ?? "").matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]!);
      expect(hrefs.some((href) => /^\/assets\/entry\.client-[\w-]+\.js$/.test(href)), page).toBe(true);
      expect(hrefs.some((href) => /^\/assets\/root-[\w-]+\.js$/.test(href)), page).toBe(true);

      const module = scriptById(html, "scripts-after-paint-module");
      expect(module?.attributes, page).toContain('type="text/x-module"');
      expect(module?.text, page).toMatch(/import \* as route0 from "\/assets\/root-[\w-]+\.js";/);
      expect(module?.text, page).toMatch(/import\("\/assets\/entry\.client-[\w-]+\.js"\);$/);

      // The loader: after both blocks, with the nonce of this response's CSP, waiting for the paint.
      const loader = new RegExp(`<script nonce="${nonce.replace(/[+/=]/g, "\\$&")}">\\(function\\(\\)\\{(?:(?!</script>)[\\s\\S])*first-contentful-paint(?:(?!</script>)[\\s\\S])*</script>`).exec(html);
      expect(loader, page).not.toBeNull();
      expect(loader!.index, page).toBeGreaterThan(html.indexOf('id="scripts-after-paint-module"'));
      // The router's context comes first: the streamed loader data feed it.
      expect(html.indexOf("window.__reactRouterContext = "), page).toBeLessThan(html.indexOf('id="scripts-after-paint-preloads"'));
    }
  });

  it("a form, the staff console and the embed load their modules at once, as React Router renders them", async () => {
    await createEmbedSite(app.db, { slug: "help", name: "Nordlys Help", origins: ["https://help.nordlys.example"] });
    const staffCookie = await app.signInStaff("agent");
    for (const [page, options] of [["/de/me/concerns/new", {}], ["/embed/help/en/ai-systems", {}], ["/staff/concerns", { cookie: staffCookie }]] as const) {
      const response = await app.request(page, options);
      expect(response.status, page).toBe(200);
      const html = await response.text();
      const head = html.slice(0, html.indexOf("</head>"));
      expect(head, page).toMatch(/<link rel="modulepreload" href="\/assets\/entry\.client-[\w-]+\.js"/);
      expect(html, page).toMatch(/<script[^>]*type="module"/);
      expect(html, page).not.toContain("scripts-after-paint");
    }
  });
});
