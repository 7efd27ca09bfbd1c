import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canReopen, customerConcernView, fileConcern, findConcernByRef, reopenUntil, setConcernStatus } from "../../app/domain/concerns/index.server";
import { incidentReportDueAt } from "../../app/domain/concerns/index.server";
import { statutoryDueDate } from "../../app/domain/settings.server";
import { addDays, dayStart, endOfDayDaysLater, endOfDayMonthsLater, isoWeek, localDay, sameTimeDaysLater } from "../../app/utils/calendar";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { freshTestDatabase } from "../support/database";
import { concernFor } from "../support/factories";

const BXL = "Europe/Brussels";
const at = (iso: string) => Date.parse(iso);

let database: AnyDatabase;
let db: Db;
beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
});
afterEach(() => database.close());

describe("statutory deadline on the company's calendar (issue 7.8)", () => {
  it("filed 1 March 2026 at 00:30 in Brussels → due at the end of 1 April, Brussels time", async () => {
    const filed = at("2026-02-28T23:30:00Z");
    const due = await statutoryDueDate(db, filed, BXL);
    expect(due).toBe(at("2026-04-01T23:59:59.999+02:00"));
    expect(localDay(due, BXL)).toBe("2026-04-01");
  });

  it.each([
    // [filed (local), due (local end of day)]
    ["2026-01-31T10:00:00+01:00", "2026-02-28T23:59:59.999+01:00"], // month end clamped
    ["2028-01-31T10:00:00+01:00", "2028-02-29T23:59:59.999+01:00"], // leap year
    ["2028-02-29T10:00:00+01:00", "2028-03-29T23:59:59.999+02:00"], // 29 February, across the spring change
    ["2026-03-31T23:30:00+02:00", "2026-04-30T23:59:59.999+02:00"],
    ["2026-03-29T01:30:00+01:00", "2026-04-29T23:59:59.999+02:00"], // the night of the spring change
    ["2026-10-25T02:30:00+01:00", "2026-11-25T23:59:59.999+01:00"], // the repeated hour of the autumn change
    ["2026-09-30T23:59:00+02:00", "2026-10-30T23:59:59.999+01:00"],
    ["2026-12-31T23:45:00+01:00", "2027-01-31T23:59:59.999+01:00"], // year end, still 31 Dec locally
    ["2027-01-01T00:15:00+01:00", "2027-02-01T23:59:59.999+01:00"], // already 1 Jan locally, 31 Dec in UTC
  ])("filed %s → due %s", async (filed, due) => {
    expect(await statutoryDueDate(db, at(filed), BXL)).toBe(at(due));
  });

  it("follows the company's zone, not the server's or UTC", async () => {
    const filed = at("2026-02-28T23:30:00Z");
    expect(localDay(await statutoryDueDate(db, filed, "America/New_York"), "America/New_York")).toBe("2026-03-28");
    expect(localDay(await statutoryDueDate(db, filed, "Asia/Tokyo"), "Asia/Tokyo")).toBe("2026-04-01");
    expect(endOfDayMonthsLater(filed, 3, BXL)).toBe(at("2026-06-01T23:59:59.999+02:00"));
  });

  it("a concern filed through the domain gets it", async () => {
    const { ref } = await fileConcern(db, {
      customerId: "demo-customer-1",
      contactEmail: null,
      contactMethod: "portal",
      lang: "en",
      kind: "human_review",
      interactionId: null,
      systemId: null,
      description: "Please have a person look at this.",
      desiredOutcome: "",
      now: at("2026-02-28T23:30:00Z"),
    });
    expect((await findConcernByRef(db, ref))!.statutoryDueAt).toBe(at("2026-04-01T23:59:59.999+02:00"));
  });
});

describe("reopen period, incident clock, link lifetime, SLA", () => {
  it("reopen until the end of the 14th local day after resolution, across the spring change", async () => {
    const resolved = at("2026-03-20T23:30:00Z"); // 21 March 00:30 in Brussels
    expect(reopenUntil(resolved, 14, BXL)).toBe(at("2026-04-04T23:59:59.999+02:00"));
    const { ref } = await concernFor(db, {
      now: resolved - 3_600_000,
    });
    await setConcernStatus(db, (await findConcernByRef(db, ref))!, "resolved", { outcomeCode: "explained", outcomeReason: "Because.", now: resolved });
    const concern = (await findConcernByRef(db, ref))!;
    expect(canReopen(concern, 14, at("2026-04-04T23:59:00+02:00"), BXL)).toBe(true);
    expect(canReopen(concern, 14, at("2026-04-05T00:00:00+02:00"), BXL)).toBe(false);
    expect((await customerConcernView(db, concern, "en", resolved)).reopenUntil).toBe(at("2026-04-04T23:59:59.999+02:00"));
  });

  it("serious incident: end of the 15th local day, across the autumn change", () => {
    const flagged = at("2026-10-20T08:00:00+02:00");
    expect(incidentReportDueAt({ seriousIncident: true, seriousIncidentAt: flagged }, BXL)).toBe(at("2026-11-04T23:59:59.999+01:00"));
    // 15 days and 16 hours on the clock, plus the hour gained on 25 October.
    expect(endOfDayDaysLater(flagged, 15, BXL) - flagged).toBe(15 * 86_400_000 + 17 * 3_600_000 - 1);
  });

  it("days of a link's lifetime are calendar days: same local time, 23 or 25 hours across a change", () => {
    expect(sameTimeDaysLater(at("2026-03-28T12:00:00+01:00"), 1, BXL)).toBe(at("2026-03-29T12:00:00+02:00"));
    expect(sameTimeDaysLater(at("2026-10-24T12:00:00+02:00"), 1, BXL) - at("2026-10-24T12:00:00+02:00")).toBe(25 * 3_600_000);
    expect(sameTimeDaysLater(at("2026-01-31T09:00:00+01:00"), 30, BXL)).toBe(at("2026-03-02T09:00:00+01:00"));
  });

  it("the SLA counts elapsed hours: 48 h across the spring change is 48 real hours", async () => {
    const filed = at("2026-03-28T12:00:00+01:00");
    const { ref } = await concernFor(db, {
      now: filed,
    });
    expect((await findConcernByRef(db, ref))!.slaDueAt).toBe(at("2026-03-30T13:00:00+02:00"));
  });
});

describe("report weeks and days in the company's zone", () => {
  it("ISO weeks at year ends and local days at midnight", () => {
    expect(isoWeek("2026-12-31")).toEqual({ year: 2026, week: 53, monday: "2026-12-28" });
    expect(isoWeek("2027-01-03")).toEqual({ year: 2026, week: 53, monday: "2026-12-28" });
    expect(isoWeek("2027-01-04")).toEqual({ year: 2027, week: 1, monday: "2027-01-04" });
    expect(localDay(at("2026-03-01T00:30:00+01:00"), BXL)).toBe("2026-03-01");
    expect(localDay(at("2026-03-01T00:30:00+01:00"), "UTC")).toBe("2026-02-28");
  });

  it("days of 23 and 25 hours at the changes", () => {
    expect(dayStart(addDays("2026-03-29", 1), BXL) - dayStart("2026-03-29", BXL)).toBe(23 * 3_600_000);
    expect(dayStart(addDays("2026-10-25", 1), BXL) - dayStart("2026-10-25", BXL)).toBe(25 * 3_600_000);
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-03-31", -31)).toBe("2026-02-28");
  });
});
