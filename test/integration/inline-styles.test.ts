import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createEmbedSite } from "../../app/domain/embed-sites.server";
import { createTestApp, type TestApp } from "../support/app";

// The app's stylesheet travels in every page's <head> (app/utils/inline-styles.ts), allowed by the
// CSP through its hash; the browser's bundle never carries it.
const CLIENT_DIR = path.resolve(process.env.CANDOR_BUILD_DIR ?? "build", "client");
const assets = fs.readdirSync(path.join(CLIENT_DIR, "assets"));
const appCssFile = assets.find((file) => /^app-[\w-]+\.css$/.test(file))!;
const appCss = fs.readFileSync(path.join(CLIENT_DIR, "assets", appCssFile), "utf8");
const appCssHash = `'sha256-${createHash("sha256").update(appCss).digest("base64")}'`;

/** Every `<style>` element of a document: its attributes and text. */
function styleElements(html: string) {
  return [...html.matchAll(/<style([^>]*)>([^<]*)<\/style>/g)].map((m) => ({ attributes: m[1]!, text: m[2]! }));
}

function styleSrc(response: Response): string {
  return /style-src ([^;]*)/.exec(response.headers.get("Content-Security-Policy") ?? "")?.[1] ?? "";
}

let app: TestApp;
let cookie: string;
beforeAll(async () => {
  app = await createTestApp();
  cookie = await app.signIn("demo-customer-1");
});

describe("the app's stylesheet inlined in every page (SPEC §10 Pages, §9 CSP)", () => {
  it("a page's head holds the build's CSS once, before any script, and links no app stylesheet", async () => {
    for (const [page, options] of [["/en", {}], ["/ar/ai-systems", {}], ["/en/me/preferences", { cookie }]] as const) {
      const response = await app.request(page, options);
      expect(response.status, page).toBe(200);
      const html = await response.text();
      const head = html.slice(0, html.indexOf("</head>"));
      const styles = styleElements(head);
      expect(styles, page).toHaveLength(1);
      expect(styles[0]!.text, page).toBe(appCss);
      expect(styles[0]!.attributes, page).toContain(`data-href="/assets/${appCssFile}"`);
      // Customer pages preload no module from <head> (app/components/page-scripts.tsx); nothing
      // in it may come before the CSS.
      const firstOther = head.search(/modulepreload|<script|<link rel="stylesheet"/);
      expect(firstOther === -1 || head.indexOf("<style") < firstOther, page).toBe(true);
      expect(html, page).not.toContain(`<link rel="stylesheet" href="/assets/${appCssFile}"`);
      expect(html, page).not.toMatch(/<link [^>]*rel="stylesheet"/);
    }
  });

  it("the document CSP allows exactly that text by its hash, styles from files, and nothing inline else", async () => {
    const response = await app.request("/en");
    expect(styleSrc(response)).toBe(`'self' ${appCssHash}`);
    expect(response.headers.get("Content-Security-Policy")).not.toContain("unsafe-inline");
  });

  it("the browser's JavaScript does not carry the CSS", () => {
    // A rule long enough to be unique to the stylesheet.
    const sample = appCss.slice(Math.floor(appCss.length / 2), Math.floor(appCss.length / 2) + 60);
    for (const file of assets.filter((name) => name.endsWith(".js"))) {
      expect(fs.readFileSync(path.join(CLIENT_DIR, "assets", file), "utf8").includes(sample), file).toBe(false);
    }
  });

  it("the staff console's and the embed's own stylesheets are still linked files, allowed by 'self'", async () => {
    await createEmbedSite(app.db, { slug: "help", name: "Nordlys Help", origins: ["https://help.nordlys.example"] });
    const embed = await app.request("/embed/help/en/ai-systems");
    expect(embed.status).toBe(200);
    const embedHtml = await embed.text();
    expect(styleElements(embedHtml)[0]?.text).toBe(appCss);
    expect(embedHtml).toMatch(/<link [^>]*rel="stylesheet" href="\/assets\/embed-[\w-]+\.css"/);
    expect(styleSrc(embed)).toBe(`'self' ${appCssHash}`);

    const staff = await app.request("/staff/concerns", { cookie: await app.signInStaff("agent") });
    expect(staff.status).toBe(200);
    const staffHtml = await staff.text();
    expect(styleElements(staffHtml)[0]?.text).toBe(appCss);
    expect(staffHtml).toMatch(/<link [^>]*rel="stylesheet" href="\/assets\/staff-[\w-]+\.css"/);
  });

  it("an error page React Router renders carries it too", async () => {
    const response = await app.request("/en/ai-systems/no-such-system");
    expect(response.status).toBe(404);
    expect(styleElements(await response.text())[0]?.text).toBe(appCss);
    expect(styleSrc(response)).toContain(appCssHash);
  });
});
