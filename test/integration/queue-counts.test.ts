/**
 * The queue page at volume (issue 10): unfiltered counts are exact (maintained per status),
 * filtered counts and the total stop at 1,000 and say so in words, and paging stays correct
 * — "page 1 of more than 40", the next page always offered, the last page reached.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { concerns } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { html, tr, trNs } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const q = (text: string, params?: Record<string, string | number>) => trNs("en", "queue", text, params);

async function agentCookie(): Promise<string> {
  const login = await app.request("/staff/login", { form: { step: "password", email: "agent@nordlys.example", password: "demo-agent-password" } });
  expect(login.status).toBe(303);
  return login.headers.get("Set-Cookie")!.split(";")[0]!;
}

async function fileMany(n: number, word: string) {
  const now = Date.now();
  const rows = Array.from({ length: n }, (_, i) => ({
    ref: `C-${String(i).padStart(4, "0")}-BULK`,
    contactMethod: "portal",
    lang: "en",
    kind: "other",
    description: `${word} ${i}`,
    desiredOutcome: "",
    searchText: `${word} ${i}`,
    createdAt: now + i,
    updatedAt: now + i,
    slaDueAt: now + 86_400_000 + i,
  }));
  for (let i = 0; i < rows.length; i += 200) await app.db.insert(concerns).values(rows.slice(i, i + 200));
}

describe("queue counts at volume", () => {
  it("a filtered view says 'more than 1,000' and keeps paging; the unfiltered view counts exactly", async () => {
    const cookie = await agentCookie();
    await fileMany(1030, "wombat");
    const searched = await (await app.request("/staff/concerns?q=wombat", { cookie })).text();
    expect(searched).toContain(html(q("table.titleMore", { n: "1,000" })));
    expect(searched).toContain(html(q("counts.item", { label: q("statusFilter.open"), n: q("counts.more", { n: "1,000" }) })));
    expect(searched).toContain(html(q("pageOfMore", { page: 1, pageCount: 40 })));
    expect(searched).toContain('href="/staff/concerns?q=wombat&amp;page=2"');
    const last = await (await app.request("/staff/concerns?q=wombat&page=42", { cookie })).text();
    expect(last).toContain(html(tr("en", "pagination.pageOf", { page: 42, pageCount: 42 })));
    expect(last).not.toContain('rel="next"');
    expect((last.match(/name="ref"/g) ?? []).length).toBe(5);

    const open = (await app.db.select().from(concerns)).filter((c) => ["new", "in_progress", "waiting_customer", "waiting_third_party", "escalated"].includes(c.status)).length;
    expect(open).toBeGreaterThan(1000);
    const unfiltered = await (await app.request("/staff/concerns", { cookie })).text();
    expect(unfiltered).toContain(html(q("counts.item", { label: q("statusFilter.open"), n: open.toLocaleString("en") })));
    expect(unfiltered).toContain(html(trNs("en", "queue", "table.title_other", { count: open })));
  });
});
