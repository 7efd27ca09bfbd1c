/**
 * The queue page at volume (issue 10): unfiltered counts are exact (maintained per status),
 * filtered counts and the total stop at 1,000 and say so in words, and paging stays correct
 * — "page 1 of more than 40", the next page always offered, the last page reached. A word search
 * that matches more than 1,000 cases stops counting there and says so: a note, "at least" figures,
 * no figure for a status it did not reach.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { concerns } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { html, tr, trNs } from "../support/locales";
import { fileSearchMatches, times } from "../support/queue-search-factories";

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

  it("a word search past 1,000 matches says it stopped counting: a note, 'at least' figures, exact on the view's last page", async () => {
    const cookie = await agentCookie();
    await fileSearchMatches(app.db, "numbat", times(1030, "resolved"));
    await fileSearchMatches(app.db, "numbat", times(40, "new"));
    const page = await (await app.request("/staff/concerns?q=numbat", { cookie })).text();
    expect(page).toContain(html(q("searchStopped.title", { n: "1,000" })));
    expect(page).toContain(html(q("searchStopped.body", { n: "1,000" })));
    expect(page).toContain(html(q("counts.item", { label: q("statusFilter.all"), n: q("counts.more", { n: "1,000" }) })));
    // Which 1,001 matches are read first is the engine's order: the open view has 40, at least 26 of them known.
    const atLeast = Array.from({ length: 15 }, (_, i) => 26 + i).filter((n) => page.includes(html(q("table.titleAtLeast_other", { count: n }))));
    expect(atLeast).toHaveLength(1);
    expect(page).toContain(html(q("counts.item", { label: q("statusFilter.open"), n: q("counts.atLeast", { n: String(atLeast[0]) }) })));
    expect(page).toContain(html(q("pageOfAtLeast", { page: 1, pageCount: 2 })));
    expect(page).toContain('href="/staff/concerns?q=numbat&amp;page=2"');
    // No case merged: not counted, so no figure at all rather than a "0" that may be wrong.
    expect(page).toContain(`>${html(q("statusFilter.merged"))}</a>`);
    const last = await (await app.request("/staff/concerns?q=numbat&page=2", { cookie })).text();
    expect(last).toContain(html(q("searchStopped.title", { n: "1,000" })));
    expect(last).toContain(html(trNs("en", "queue", "table.title_other", { count: 40 })));
    expect(last).toContain(html(q("counts.item", { label: q("statusFilter.open"), n: "40" })));
    expect(last).toContain(html(tr("en", "pagination.pageOf", { page: 2, pageCount: 2 })));
    expect(last).not.toContain('rel="next"');
    expect((last.match(/name="ref"/g) ?? []).length).toBe(15);
    // Under the cap nothing changes: exact figures, no note.
    const narrow = await (await app.request("/staff/concerns?q=numbat&status=new", { cookie })).text();
    expect(narrow).toContain(html(q("searchStopped.title", { n: "1,000" })));
    const exact = await (await app.request("/staff/concerns?q=numbat+40", { cookie })).text();
    expect(exact).not.toContain(html(q("searchStopped.title", { n: "1,000" })));
    expect(exact).toContain(html(q("counts.item", { label: q("statusFilter.merged"), n: "0" })));
  });
});
