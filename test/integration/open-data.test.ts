/* eslint-disable @typescript-eslint/no-explicit-any -- the test reads JSON documents of arbitrary shape */
/**
 * The public register as open data (SPEC §12, §5.1): GET /api/v1/ai-systems (JSON, or CSV with
 * ?format=csv) without a key, through the real server (the shipped composition), with
 * CORS, ETag, every language with a visible fallback, formula-safe CSV, the per-address limit,
 * and every other /api/v1 operation still refusing a call without a key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegisterEntry, getRegisterEntry, updateRegisterEntry } from "../../app/domain/ai-register-editor.server";
import type { AiSystemTexts } from "../../app/domain/ai-register.server";
import { TEXT_FIELDS } from "../../app/domain/ai-register-schema";
import { recordAudit } from "../../app/domain/audits.server";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let base: string;

const texts = (prefix: string) => Object.fromEntries(TEXT_FIELDS.map((f) => [f, `${prefix} ${f}`])) as unknown as AiSystemTexts;

beforeAll(async () => {
  server = await startServer({
    env: { RATE_LIMITS: "on" },
    async prepare(db) {
      // An English-only entry whose provider a spreadsheet would run as a formula.
      await createRegisterEntry(db, { staffId: 1 }, {
        slug: "formula-bot",
        provider: '=HYPERLINK("http://evil.example","click")',
        riskClass: "minimal",
        autonomy: "answers",
        channels: ["chat"],
        contactEmail: "ai@nordlys.example",
        actionKeys: [],
        texts: texts("@Formula bot"),
        changeNote: { en: "Added." },
      });
      const entry = (await getRegisterEntry(db, "formula-bot"))!;
      await updateRegisterEntry(db, { staffId: 1 }, {
        slug: "formula-bot",
        expectedVersion: entry.system.currentVersion,
        provider: entry.system.provider,
        riskClass: "minimal",
        autonomy: "answers",
        channels: ["chat"],
        status: "active",
        contactEmail: "ai@nordlys.example",
        actionKeys: [],
        markReviewed: false,
        data: {
          recipients: [{ name: "Tern Cloud Inc.", role: "sub_processor", country: "US", safeguard: "sccs" }],
          providerDataUse: "contractually_excluded",
          usesProtectedCharacteristics: true,
          fairnessTestedAt: Date.UTC(2026, 9, 1),
        },
        texts: { lang: "en", values: texts("@Formula bot"), dataValues: { providerUseClause: "No training.", protectedCharacteristicsNote: "Age, checked.", fairnessTestMethod: "A/B.", fairnessTestResult: "-5 points." } },
        changeNote: { en: "Data." },
        material: false,
      });
      await recordAudit(db, "formula-bot", { auditedOn: "2026-11-02", auditorName: "Ines Auditor", auditorStaffId: null, scope: "All", findings: "Internal findings.", result: "passed", summaries: { en: "Passed without findings.", fr: "Réussi sans remarque." } }, [], { staffId: 1 });
      // A retired system is not part of the public register.
      const summariser = (await getRegisterEntry(db, "call-summariser"))!;
      await updateRegisterEntry(db, { staffId: 1 }, {
        slug: "call-summariser",
        expectedVersion: summariser.system.currentVersion,
        provider: summariser.system.provider,
        riskClass: summariser.system.riskClass as "minimal",
        autonomy: summariser.system.autonomy as "drafts",
        channels: summariser.system.channels as "phone"[],
        status: "retired",
        contactEmail: summariser.system.contactEmail,
        actionKeys: summariser.actionKeys,
        markReviewed: false,
        changeNote: { en: "Retired." },
        material: false,
      });
    },
  });
  base = server.base;
}, 60_000);
afterAll(() => server?.stop());

const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers });

describe("GET /api/v1/ai-systems without a key (SPEC §12)", () => {
  it("answers the public register as JSON, readable from any origin and cacheable", async () => {
    const response = await get("/api/v1/ai-systems", { origin: "https://journalist.example" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    expect(response.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
    const body = (await response.json()) as any;
    expect(body.lang).toBe("en");
    const slugs = body.items.map((i: any) => i.slug);
    expect(slugs).toContain("offer-predictor");
    expect(slugs).toContain("formula-bot");
    expect(slugs).not.toContain("call-summariser");
    expect(body.count).toBe(body.items.length);
    const bot = body.items.find((i: any) => i.slug === "formula-bot");
    expect(bot.dataSharing).toEqual({
      recipients: [{ name: "Tern Cloud Inc.", role: "sub_processor", country: "US", safeguard: "sccs" }],
      providerDataUse: "contractually_excluded",
      providerUseClause: "No training.",
    });
    expect(bot.fairness).toEqual({
      usesProtectedCharacteristics: true,
      protectedCharacteristicsNote: "Age, checked.",
      lastTest: { date: "2026-10-01", method: "A/B.", result: "-5 points." },
    });
    expect(bot.texts.purpose).toBe("@Formula bot purpose");
    // The last audit's public summary (not its internal findings).
    expect(bot.lastAudit).toEqual({ date: "2026-11-02", result: "passed", summary: "Passed without findings.", summaryLang: "en" });
    expect(JSON.stringify(body)).not.toContain("Internal findings.");
    expect(bot).toMatchObject({ fallback: false, textLang: "en", status: "active", riskClass: "minimal", channels: ["chat"] });
  });

  it("304 for a matching If-None-Match, 200 again once the register changed", async () => {
    const first = await get("/api/v1/ai-systems?lang=de");
    const etag = first.headers.get("etag")!;
    await first.arrayBuffer();
    const again = await get("/api/v1/ai-systems?lang=de", { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("access-control-allow-origin")).toBe("*");
    // Another language is another document.
    const french = await get("/api/v1/ai-systems?lang=fr", { "if-none-match": etag });
    expect(french.status).toBe(200);
    await french.arrayBuffer();
  });

  it("every language; an entry not yet translated comes in English, marked as the fallback", async () => {
    const body = (await (await get("/api/v1/ai-systems?lang=ar")).json()) as any;
    expect(body.lang).toBe("ar");
    const bot = body.items.find((i: any) => i.slug === "formula-bot");
    expect(bot).toMatchObject({ textLang: "en", fallback: true, name: "@Formula bot name" });
    const french = (await (await get("/api/v1/ai-systems?lang=fr")).json()) as any;
    expect(french.items.find((i: any) => i.slug === "formula-bot").lastAudit).toMatchObject({ summary: "Réussi sans remarque.", summaryLang: "fr" });
    const predictor = body.items.find((i: any) => i.slug === "offer-predictor");
    expect(predictor).toMatchObject({ textLang: "ar", fallback: false });
    expect(predictor.name).not.toBe((await (await get("/api/v1/ai-systems?lang=en")).json() as any).items.find((i: any) => i.slug === "offer-predictor").name);
  });

  it("an unknown language or a write is refused with a problem document, never a 500", async () => {
    const badFormat = await get("/api/v1/ai-systems?format=xml");
    expect(badFormat.status).toBe(400);
    await badFormat.arrayBuffer();
    const bad = await get("/api/v1/ai-systems?lang=xx");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.headers.get("access-control-allow-origin")).toBe("*");
    expect(((await bad.json()) as any).issues[0].path).toBe("lang");
    for (const method of ["POST", "PUT", "DELETE"]) {
      const write = await fetch(base + "/api/v1/ai-systems", { method });
      expect(write.status, method).toBe(405);
      await write.arrayBuffer();
    }
    const preflight = await fetch(base + "/api/v1/ai-systems", { method: "OPTIONS", headers: { origin: "https://x.example", "access-control-request-method": "GET" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("GET");
  });
});

describe("GET /api/v1/ai-systems?format=csv", () => {
  it("is RFC 4180 CSV with a BOM, one row per system, formulas neutralised", async () => {
    const response = await get("/api/v1/ai-systems?format=csv&lang=fr");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("etag")).toBeTruthy();
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines[0]).toMatch(/^slug,name,textLang,fallback,status,provider,/);
    expect(lines[0]).toContain("recipients,providerDataUse,providerUseClause,usesProtectedCharacteristics,protectedCharacteristicsNote,lastBiasTestOn,biasTestMethod,biasTestResult");
    const bot = lines.find((l) => l.startsWith("formula-bot,"))!;
    expect(bot).toBeDefined();
    // The provider, the name and the result start with = @ -: each is prefixed with '.
    expect(bot).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(bot).toContain("'@Formula bot name,en,true");
    expect(bot).toContain("'-5 points.");
    expect(bot).toContain("Tern Cloud Inc. (sub_processor, US, sccs)");
    expect(bot.endsWith(",2026-11-02,passed,Réussi sans remarque.")).toBe(true);
    expect(lines.some((l) => l.startsWith("call-summariser,"))).toBe(false);
  });
});

describe("the exemption is this endpoint only", () => {
  it("the OpenAPI document lists the path without security, and every other operation still needs a key (401 without one)", async () => {
    const doc = (await (await get("/api/v1/openapi.json")).json()) as any;
    expect(doc.paths["/api/v1/ai-systems"].get.security).toEqual([]);
    expect(Object.keys(doc.paths["/api/v1/ai-systems"].get.responses["200"].content)).toEqual(["application/json", "text/csv"]);
    let checked = 0;
    for (const [path, operations] of Object.entries<any>(doc.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        if (path.startsWith("/api/v1/ai-systems")) continue;
        expect(operation.security?.length, `${method} ${path}`).toBeGreaterThan(0);
        const concrete = path.replace("{id}", "demo-customer-1").replace("{ref}", "C-7K3F-9Q2M");
        const response = await fetch(base + concrete, {
          method: method.toUpperCase(),
          headers: method === "get" || method === "delete" ? {} : { "content-type": "application/json" },
          body: method === "get" || method === "delete" ? undefined : "{}",
        });
        expect(response.status, `${method} ${concrete}`).toBe(401);
        await response.arrayBuffer();
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
    // Near misses of the open path are not open either.
    for (const path of ["/api/v1/ai-systems/offer-predictor", "/api/v1/ai-systems.csv", "/api/v1/ai-systems/"]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      await response.arrayBuffer();
    }
  });
});

describe("rate limit (like the other anonymous entry points)", () => {
  it("past the per-address budget a client gets 429 with Retry-After, still with CORS", async () => {
    let limited: Response | undefined;
    for (let i = 0; i < 70 && !limited; i++) {
      const response = await get("/api/v1/ai-systems?format=csv");
      if (response.status === 429) limited = response;
      else {
        expect(response.status).toBe(200);
        await response.arrayBuffer();
      }
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited!.headers.get("access-control-allow-origin")).toBe("*");
    expect(limited!.headers.get("content-type")).toContain("application/problem+json");
  });
});
