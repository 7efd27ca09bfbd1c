import { count, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { aiSystems, aiSystemTexts, auditLog, concerns, permissionBreaches } from "../../db/schema";
import { actedInteraction } from "../support/breach-factories";
import { createTestApp, type TestApp } from "../support/app";
import { html, tr, trNs } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const HOUR = 3_600_000;
const PERIOD = "from=2024-01-01&to=2024-01-14";

async function signIn(role: "agent" | "supervisor" | "admin") {
  const response = await app.request("/staff/login", { form: { step: "password", email: `${role}@nordlys.example`, password: `demo-${role}-password` } });
  expect(response.status).toBe(303);
  return response.headers.get("Set-Cookie")!.split(";")[0]!;
}

async function addSystem(slug: string, name: string): Promise<number> {
  const [row] = await app.db
    .insert(aiSystems)
    .values({ slug, provider: "Test", riskClass: "limited", autonomy: "answers", channels: ["chat"], contactEmail: "ai@example.com", lastReviewedAt: 0, updatedAt: 0 })
    .returning({ id: aiSystems.id });
  const id = row!.id;
  const text = { shortDescription: "-", riskReason: "-", purpose: "-", notFor: "-", howItWorks: "-", limitations: "-", dataOperating: "-", dataTraining: "-", legalBasis: "-", oversight: "-", risks: "-", impactAssessment: "-", retention: "-" };
  await app.db.insert(aiSystemTexts).values({ systemId: id, lang: "en", name, ...text });
  return id;
}

/** A small RFC 4180 reader for the assertions (quoted cells, doubled quotes, CRLF rows). */
function parseCsv(body: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const text = body.replace(/^\ufeff/, "");
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      row.push(cell);
      cell = "";
    } else if (!quoted && c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i += 1;
    } else {
      cell += c;
    }
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

let refs = 0;
async function addConcern(systemId: number | null, createdAt: number, extra: Partial<typeof concerns.$inferInsert> = {}) {
  await app.db
    .insert(concerns)
    .values({ ref: `C-RPT-${String(++refs).padStart(4, "0")}`, contactMethod: "portal", lang: "en", kind: "explanation", systemId, description: "Report test concern", desiredOutcome: "", createdAt, updatedAt: createdAt, ...extra });
}

/** Three concerns about one system in the first two weeks of 2024 (Brussels time), plus spam. */
async function seedPeriod() {
  const system = await addSystem("report-probe", "Report Probe");
  const jan = (day: number) => Date.parse(`2024-01-${String(day).padStart(2, "0")}T10:00:00+01:00`);
  await addConcern(system, jan(2), { status: "resolved", firstResponseAt: jan(2) + 2 * HOUR, resolvedAt: jan(2) + 10 * HOUR, outcomeCode: "upheld", outcomeReason: "-" });
  await addConcern(system, jan(3), { status: "closed", firstResponseAt: jan(3) + 3 * HOUR, resolvedAt: jan(3) + 20 * HOUR, outcomeCode: "not_upheld", outcomeReason: "-" });
  await addConcern(system, jan(9), { kind: "privacy", status: "in_progress" });
  await addConcern(system, jan(10), { status: "spam" });
  return system;
}

describe("reports: permissions (SPEC §4, §9)", () => {
  it("an agent gets 403 on the page and on every CSV, and nothing is written", async () => {
    const cookie = await signIn("agent");
    const auditBefore = (await app.db.select({ n: count() }).from(auditLog))[0]!.n;
    expect((await app.request("/staff/reports", { cookie })).status).toBe(403);
    expect((await app.request(`/staff/reports?${PERIOD}`, { cookie })).status).toBe(403);
    for (const report of ["by-system", "by-kind", "by-week", "response-times", "outcomes", "choices"]) {
      const csv = await app.request(`/staff/reports/${report}.csv?${PERIOD}`, { cookie });
      expect(csv.status, report).toBe(403);
      expect(csv.headers.get("Content-Type") ?? "").not.toMatch(/text\/csv/);
    }
    expect((await app.db.select({ n: count() }).from(auditLog))[0]!.n).toBe(auditBefore);
  });

  it("without a session, the page and the CSV send to the sign-in page", async () => {
    const page = await app.request("/staff/reports");
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/staff/login?next=%2Fstaff%2Freports");
    const csv = await app.request("/staff/reports/by-kind.csv");
    expect(csv.status).toBe(302);
  });
});

describe("reports page", () => {
  it("shows a supervisor every report for the period: accessible charts and the same numbers as tables", async () => {
    await seedPeriod();
    const cookie = await signIn("supervisor");
    const response = await app.request(`/staff/reports?${PERIOD}`, { cookie });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(html(trNs("en", "reports", "title")));
    expect(page).toContain(html(trNs("en", "reports", "total_other", { formatted: "3" })));
    // Six charts, each an image with a title and a description listing the values.
    expect(page.match(/<svg role="img"/g)).toHaveLength(6);
    expect(page.match(/<title id="chart-/g)).toHaveLength(6);
    expect(page).toContain(`${html(trNs("en", "reports", "chart.desc", { list: "Report Probe: 3" }).slice(0, -1))}`);
    // The table: the system with its count (spam not counted).
    expect(page).toMatch(/<th scope="row">Report Probe<\/th><td class="reports-num">3<\/td>/);
    // Weeks: 2024-W01 has two concerns, 2024-W02 one.
    expect(page).toContain(`${html(trNs("en", "reports", "byWeek.weekLabel", { week: "1", year: "2024" }))}</th><td>Jan 1, 2024</td><td class="reports-num">2</td>`);
    expect(page).toContain(`${html(trNs("en", "reports", "byWeek.weekLabel", { week: "2", year: "2024" }))}</th><td>Jan 8, 2024</td><td class="reports-num">1</td>`);
    // First responses 2 h and 3 h: median 2.5 h, 90th percentile 2.9 h; resolutions 10 h and 20 h.
    expect(page).toContain(`<td class="reports-num">2</td><td class="reports-num">${html(trNs("en", "reports", "hours", { value: "2.5" }))}</td><td class="reports-num">${html(trNs("en", "reports", "hours", { value: "2.9" }))}</td>`);
    expect(page).toContain(html(trNs("en", "reports", "hours", { value: "15" })));
    expect(page).toContain(html(trNs("en", "reports", "hours", { value: "19" })));
    // One of two resolved was upheld.
    expect(page).toContain(html(trNs("en", "reports", "outcomes.shareUpheld_other", { percent: trNs("en", "reports", "percent", { value: "50" }), upheld: "1", resolved: "2" })));
    // Kinds use the shared labels.
    expect(page).toContain(html(tr("en", "concernKinds.privacy")));
    // A CSV link per report, for the same period.
    for (const report of ["by-system", "by-kind", "by-week", "response-times", "outcomes", "choices"]) {
      expect(page).toContain(`href="/staff/reports/${report}.csv?from=2024-01-01&amp;to=2024-01-14"`);
    }
  });

  it("formats numbers in the staff member's language", async () => {
    const cookie = await signIn("supervisor");
    expect((await app.request("/staff/account", { cookie, form: { intent: "language", locale: "de" } })).status).toBe(303);
    const system = await addSystem("many", "Many");
    const base = Date.parse("2024-01-02T10:00:00+01:00");
    await app.db.transaction(async (tx) => {
      for (let i = 0; i < 1234; i += 1) {
        await tx.insert(concerns).values({ ref: `C-MANY-${i}`, contactMethod: "portal", lang: "de", kind: "other", systemId: system, description: "x".repeat(12), desiredOutcome: "", createdAt: base + i, updatedAt: base + i });
      }
    });
    const page = await (await app.request(`/staff/reports?${PERIOD}`, { cookie })).text();
    expect(page).toContain('<html lang="de"');
    expect(page).toContain(html(trNs("de", "reports", "total_other", { formatted: "1.234" })));
    expect(page).toContain(html(trNs("de", "reports", "title")));
  });

  it("bad dates: 400, a translated error, the typed values kept and the default period shown", async () => {
    const cookie = await signIn("supervisor");
    const response = await app.request("/staff/reports?from=2024-13-45&to=2024-01-14", { cookie });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(html(trNs("en", "reports", "errors.title")));
    expect(page).toContain(html(trNs("en", "reports", "errors.date")));
    expect(page).toContain('value="2024-13-45"');
    expect(page).toContain('aria-invalid="true"');
    // The figures are for the default period (the last 12 weeks), not the typed one.
    expect(page).not.toContain("/staff/reports/by-system.csv?from=2024-13-45");
    const to = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Brussels" }).format(Date.now());
    expect(page).toMatch(new RegExp(`/staff/reports/by-system\\.csv\\?from=\\d{4}-\\d{2}-\\d{2}&amp;to=${to}"`));
    expect(page.match(/<svg role="img"/g)).toHaveLength(6);

    const reversed = await app.request("/staff/reports?from=2024-02-01&to=2024-01-01", { cookie });
    expect(reversed.status).toBe(400);
    expect(await reversed.text()).toContain(html(trNs("en", "reports", "errors.order")));
    const tooLong = await app.request("/staff/reports?from=2020-01-01&to=2024-01-01", { cookie });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain(html(trNs("en", "reports", "errors.tooLong")));
  });
});

describe("reports CSV", () => {
  it("exports with a dated attachment name, translated headers and the page's numbers", async () => {
    await seedPeriod();
    const cookie = await signIn("admin");
    const response = await app.request(`/staff/reports/by-system.csv?${PERIOD}`, { cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="candor-by-system-2024-01-01-to-2024-01-14.csv"');
    const body = await response.text();
    const rows = parseCsv(body);
    expect(rows[0]).toEqual([trNs("en", "reports", "bySystem.system"), trNs("en", "reports", "csv.identifier"), trNs("en", "reports", "concerns")]);
    expect(rows).toContainEqual(["Report Probe", "report-probe", "3"]);

    const times = parseCsv(await (await app.request(`/staff/reports/response-times.csv?${PERIOD}`, { cookie })).text());
    expect(times[1]).toEqual([trNs("en", "reports", "responseTimes.firstResponse"), "2", "2.5", "2.9"]);
    expect(times[2]).toEqual([trNs("en", "reports", "responseTimes.resolution"), "2", "15", "19"]);
    const outcomes = parseCsv(await (await app.request(`/staff/reports/outcomes.csv?${PERIOD}`, { cookie })).text());
    expect(outcomes).toContainEqual([trNs("en", "reports", "outcomes.upheldTotal"), "upheld_total", "1", "50"]);
  });

  it("writes the header row in the staff member's language", async () => {
    const cookie = await signIn("supervisor");
    await app.request("/staff/account", { cookie, form: { intent: "language", locale: "fr" } });
    const body = await (await app.request(`/staff/reports/by-week.csv?${PERIOD}`, { cookie })).text();
    const [header, first] = parseCsv(body);
    expect(header).toEqual([trNs("fr", "reports", "csv.isoWeek"), trNs("fr", "reports", "byWeek.starts"), trNs("fr", "reports", "concerns")]);
    expect(first).toEqual(["2024-W01", "2024-01-01", "0"]);
  });

  it("neutralises an AI system name that a spreadsheet would run as a formula", async () => {
    const evil = await addSystem("evil", '=HYPERLINK("http://evil")');
    await addConcern(evil, Date.parse("2024-01-05T10:00:00+01:00"));
    const cookie = await signIn("supervisor");
    const body = await (await app.request(`/staff/reports/by-system.csv?${PERIOD}`, { cookie })).text();
    expect(body).toContain(`"'=HYPERLINK(""http://evil"")",evil,1`);
    expect(parseCsv(body)).toContainEqual(['\'=HYPERLINK("http://evil")', "evil", "1"]);
    // No cell anywhere starts with a formula character.
    for (const cell of parseCsv(body).flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    // The page shows the name as text, never as markup.
    const page = await (await app.request(`/staff/reports?${PERIOD}`, { cookie })).text();
    expect(page).toContain(html('=HYPERLINK("http://evil")'));
  });

  it("an unknown report is a 404, a bad period a translated 400", async () => {
    const cookie = await signIn("supervisor");
    expect((await app.request("/staff/reports/passwords.csv", { cookie })).status).toBe(404);
    const bad = await app.request("/staff/reports/by-kind.csv?from=yesterday", { cookie });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe(trNs("en", "reports", "errors.date"));
  });

  it("exports the choice rates with defaults counted separately", async () => {
    const cookie = await signIn("supervisor");
    const rows = parseCsv(await (await app.request("/staff/reports/choices.csv", { cookie })).text());
    expect(rows[0]).toEqual(
      ["choices.choiceOnly", "csv.identifier", "choices.value", "choices.explicit", "choices.byDefault", "choices.total", "csv.sharePercent"].map((k) => trNs("en", "reports", k)),
    );
    const training = rows.filter((r) => r[1] === "training");
    expect(training.map((r) => r[2])).toEqual([trNs("en", "reports", "values.yes"), trNs("en", "reports", "values.no")]);
    // explicit + by default = total; every customer is counted once per choice.
    for (const r of rows.slice(1)) expect(Number(r[3]) + Number(r[4])).toBe(Number(r[5]));
    const customers = training.reduce((n, r) => n + Number(r[5]), 0);
    expect(customers).toBeGreaterThan(0);
    const planChanges = rows.filter((r) => r[1] === "plan-changes");
    expect(planChanges).toHaveLength(3);
    expect(planChanges.reduce((n, r) => n + Number(r[5]), 0)).toBe(customers);
    // Only the default value ("ask") has customers by default.
    expect(planChanges.filter((r) => Number(r[4]) > 0).map((r) => r[2])).toEqual([trNs("en", "reports", "values.ask")]);
  });

  it("counts permission breaches per AI system and ISO week (SPEC §11.5); their staff cases are not counted as concerns", async () => {
    const cookie = await signIn("supervisor");
    const concernsBefore = parseCsv(await (await app.request(`/staff/reports/by-system.csv?${PERIOD}`, { cookie })).text());
    const { breaches } = await actedInteraction(app.db, { ref: "report-breach", occurredAt: Date.UTC(2024, 0, 9, 10) });
    await app.db.update(permissionBreaches).set({ detectedAt: Date.UTC(2024, 0, 9, 10) }).where(eq(permissionBreaches.id, breaches[0]!.breachId));
    await app.db.update(concerns).set({ createdAt: Date.UTC(2024, 0, 9, 10) }).where(eq(concerns.ref, breaches[0]!.concernRef!));
    expect(parseCsv(await (await app.request(`/staff/reports/by-system.csv?${PERIOD}`, { cookie })).text())).toEqual(concernsBefore);
    const response = await app.request(`/staff/reports/breaches.csv?${PERIOD}`, { cookie });
    expect(response.status).toBe(200);
    const rows = parseCsv(await response.text());
    expect(rows[0]).toEqual(["csv.isoWeek", "byWeek.starts", "bySystem.system", "csv.identifier", "breaches.count"].map((k) => trNs("en", "reports", k)));
    const count = (week: string, slug: string) => rows.find((r) => r[0] === week && r[3] === slug)?.[4];
    expect([count("2024-W01", "network-troubleshooter"), count("2024-W02", "network-troubleshooter"), count("2024-W02", "offer-predictor")]).toEqual(["0", "1", "0"]);
    expect((await app.request(`/staff/reports/breaches.csv?${PERIOD}`, { cookie: await signIn("agent") })).status).toBe(403);
  });
});
