import { beforeEach, describe, expect, it } from "vitest";
import {
  addCustomerReply,
  addStaffMessage,
  ConcernStateError,
  customerConcernView,
  customerStatus,
  fileConcern,
  findConcernByRef,
  findCustomerConcern,
  findTrackedConcern,
  reopenConcern,
  setConcernStatus,
  withdrawConcern,
} from "../../app/domain/concerns.server";
import type { Connection } from "../../app/utils/db.server";
import { freshDatabase } from "../support/database";

let db: Connection;
const DAY = 86_400_000;
beforeEach(() => {
  db = freshDatabase();
});

function file(overrides: Partial<Parameters<typeof fileConcern>[1]> = {}) {
  return fileConcern(db, {
    customerId: "demo-customer-1",
    contactEmail: null,
    contactMethod: "portal",
    lang: "en",
    kind: "explanation",
    interactionId: null,
    systemId: null,
    description: "Why was my plan changed?",
    desiredOutcome: "",
    ...overrides,
  });
}

describe("concerns", () => {
  it("files with a reference, an SLA and a statutory deadline for rights-based kinds", () => {
    // 1 March 2026, 00:30 in Brussels (issue 7.8): due at the end of 1 April, Brussels time.
    const now = Date.parse("2026-02-28T23:30:00Z");
    const { ref, trackingToken } = file({ now });
    expect(ref).toMatch(/^C-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(trackingToken).toBeNull();
    const concern = findConcernByRef(db, ref)!;
    expect(concern.status).toBe("new");
    expect(concern.slaDueAt).toBe(now + 48 * 3_600_000);
    expect(concern.statutoryDueAt).toBe(Date.parse("2026-04-01T23:59:59.999+02:00"));
    const other = findConcernByRef(db, file({ kind: "wrong_information" }).ref)!;
    expect(other.statutoryDueAt).toBeNull();
  });

  it("gives anonymous filers a private tracking token, stored hashed", () => {
    const { ref, trackingToken } = file({ customerId: null, contactEmail: "a@example.com", contactMethod: "email" });
    expect(trackingToken).toBeTruthy();
    expect(findTrackedConcern(db, trackingToken!)?.ref).toBe(ref);
    expect(findConcernByRef(db, ref)!.trackingTokenHash).not.toBe(trackingToken);
    expect(findTrackedConcern(db, "nope")).toBeUndefined();
  });

  it("only finds a customer's own concern", () => {
    const { ref } = file();
    expect(findCustomerConcern(db, "demo-customer-1", ref)).toBeDefined();
    expect(findCustomerConcern(db, "demo-customer-2", ref)).toBeUndefined();
  });

  it("maps internal statuses to what the customer sees", () => {
    expect(customerStatus("new")).toBe("received");
    expect(customerStatus("escalated")).toBe("being_reviewed");
    expect(customerStatus("waiting_third_party")).toBe("being_reviewed");
    expect(customerStatus("waiting_customer")).toBe("waiting_for_you");
    expect(customerStatus("resolved")).toBe("resolved");
    expect(customerStatus("spam")).toBe("closed");
    expect(customerStatus("merged")).toBe("closed");
  });

  it("never shows internal notes to the customer", () => {
    const { ref } = file();
    addStaffMessage(db, findConcernByRef(db, ref)!, { body: "Hello from care", authorName: "Sam", visibility: "public" });
    addStaffMessage(db, findConcernByRef(db, ref)!, { body: "INTERNAL ONLY", authorName: "Sam", visibility: "internal" });
    const view = customerConcernView(db, findConcernByRef(db, ref)!, "en");
    expect(view.messages.map((m) => m.body)).toEqual(["Hello from care"]);
  });

  it("a customer reply to a question puts the case back in review", () => {
    const { ref } = file();
    setConcernStatus(db, findConcernByRef(db, ref)!, "waiting_customer");
    addCustomerReply(db, findConcernByRef(db, ref)!, "Here is the date you asked for.");
    expect(findConcernByRef(db, ref)!.status).toBe("in_progress");
  });

  it("resolving needs an outcome; reopening only within the grace period", () => {
    const { ref } = file();
    expect(() => setConcernStatus(db, findConcernByRef(db, ref)!, "resolved")).toThrow(ConcernStateError);
    const now = Date.now();
    setConcernStatus(db, findConcernByRef(db, ref)!, "resolved", { outcomeCode: "explained", outcomeReason: "Because.", now: now - 20 * DAY });
    expect(() => reopenConcern(db, findConcernByRef(db, ref)!, now)).toThrow(ConcernStateError);
    const recent = file().ref;
    setConcernStatus(db, findConcernByRef(db, recent)!, "resolved", { outcomeCode: "upheld", outcomeReason: "Sorry.", now: now - DAY });
    reopenConcern(db, findConcernByRef(db, recent)!, now);
    expect(findConcernByRef(db, recent)!.status).toBe("in_progress");
  });

  it("acts on the concern as it is now, not on a stale copy (two tabs)", () => {
    const { ref } = file();
    const tabA = findConcernByRef(db, ref)!;
    const tabB = findConcernByRef(db, ref)!;
    withdrawConcern(db, tabA);
    expect(() => addCustomerReply(db, tabB, "sent from the other tab")).toThrow(ConcernStateError);
    expect(findConcernByRef(db, ref)!.status).toBe("withdrawn");
    const view = customerConcernView(db, findConcernByRef(db, ref)!, "en");
    expect(view.messages).toHaveLength(0);
  });

  it("reopens from closed within the grace period, with fresh deadlines and without the old outcome", () => {
    const now = Date.now();
    const { ref } = file({ now: now - 10 * DAY });
    setConcernStatus(db, findConcernByRef(db, ref)!, "resolved", { outcomeCode: "explained", outcomeReason: "Because.", now: now - 3 * DAY });
    setConcernStatus(db, findConcernByRef(db, ref)!, "closed", { now: now - 2 * DAY });
    reopenConcern(db, findConcernByRef(db, ref)!, now);
    const reopened = findConcernByRef(db, ref)!;
    expect(reopened.status).toBe("in_progress");
    expect(reopened.slaDueAt).toBeGreaterThan(now);
    expect(reopened.statutoryDueAt).toBeGreaterThan(now + 20 * DAY);
    const view = customerConcernView(db, reopened, "en", now);
    expect(view.outcomeCode).toBeNull();
    expect(view.status).toBe("being_reviewed");
  });

  it("a withdrawn concern takes no more replies", () => {
    const { ref } = file();
    withdrawConcern(db, findConcernByRef(db, ref)!);
    expect(findConcernByRef(db, ref)!.status).toBe("withdrawn");
    expect(() => addCustomerReply(db, findConcernByRef(db, ref)!, "hello?")).toThrow(ConcernStateError);
    expect(() => withdrawConcern(db, findConcernByRef(db, ref)!)).toThrow(ConcernStateError);
  });
});
