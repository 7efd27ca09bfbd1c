import { afterEach, beforeEach, describe, expect, it } from "vitest";
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
  type Concern,
} from "../../app/domain/concerns/index.server";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { freshTestDatabase } from "../support/database";

let database: AnyDatabase;
let db: Db;
const DAY = 86_400_000;
beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
});
afterEach(async () => {
  await database.close();
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
const get = async (ref: string): Promise<Concern> => (await findConcernByRef(db, ref))!;

describe("concerns", () => {
  it("files with a reference, an SLA and a statutory deadline for rights-based kinds", async () => {
    // 1 March 2026, 00:30 in Brussels (issue 7.8): due at the end of 1 April, Brussels time.
    const now = Date.parse("2026-02-28T23:30:00Z");
    const { ref, trackingToken } = await file({ now });
    expect(ref).toMatch(/^C-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(trackingToken).toBeNull();
    const concern = await get(ref);
    expect(concern.status).toBe("new");
    expect(concern.slaDueAt).toBe(now + 48 * 3_600_000);
    expect(concern.statutoryDueAt).toBe(Date.parse("2026-04-01T23:59:59.999+02:00"));
    const other = await get((await file({ kind: "wrong_information" })).ref);
    expect(other.statutoryDueAt).toBeNull();
  });

  it("gives anonymous filers a private tracking token, stored hashed", async () => {
    const { ref, trackingToken } = await file({ customerId: null, contactEmail: "a@example.com", contactMethod: "email" });
    expect(trackingToken).toBeTruthy();
    expect((await findTrackedConcern(db, trackingToken!))?.ref).toBe(ref);
    expect((await get(ref)).trackingTokenHash).not.toBe(trackingToken);
    expect(await findTrackedConcern(db, "nope")).toBeUndefined();
  });

  it("only finds a customer's own concern", async () => {
    const { ref } = await file();
    expect(await findCustomerConcern(db, "demo-customer-1", ref)).toBeDefined();
    expect(await findCustomerConcern(db, "demo-customer-2", ref)).toBeUndefined();
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

  it("never shows internal notes to the customer", async () => {
    const { ref } = await file();
    await addStaffMessage(db, await get(ref), { body: "Hello from care", authorName: "Sam", visibility: "public" });
    await addStaffMessage(db, await get(ref), { body: "INTERNAL ONLY", authorName: "Sam", visibility: "internal" });
    const view = await customerConcernView(db, await get(ref), "en");
    expect(view.messages.map((m) => m.body)).toEqual(["Hello from care"]);
  });

  it("a customer reply to a question puts the case back in review", async () => {
    const { ref } = await file();
    await setConcernStatus(db, await get(ref), "waiting_customer");
    await addCustomerReply(db, await get(ref), "Here is the date you asked for.");
    expect((await get(ref)).status).toBe("in_progress");
  });

  it("resolving needs an outcome; reopening only within the grace period", async () => {
    const { ref } = await file();
    await expect(setConcernStatus(db, await get(ref), "resolved")).rejects.toThrow(ConcernStateError);
    const now = Date.now();
    await setConcernStatus(db, await get(ref), "resolved", { outcomeCode: "explained", outcomeReason: "Because.", now: now - 20 * DAY });
    await expect(reopenConcern(db, await get(ref), now)).rejects.toThrow(ConcernStateError);
    const recent = (await file()).ref;
    await setConcernStatus(db, await get(recent), "resolved", { outcomeCode: "upheld", outcomeReason: "Sorry.", now: now - DAY });
    await reopenConcern(db, await get(recent), now);
    expect((await get(recent)).status).toBe("in_progress");
  });

  it("acts on the concern as it is now, not on a stale copy (two tabs)", async () => {
    const { ref } = await file();
    const tabA = await get(ref);
    const tabB = await get(ref);
    await withdrawConcern(db, tabA);
    await expect(addCustomerReply(db, tabB, "sent from the other tab")).rejects.toThrow(ConcernStateError);
    expect((await get(ref)).status).toBe("withdrawn");
    const view = await customerConcernView(db, await get(ref), "en");
    expect(view.messages).toHaveLength(0);
  });

  it("reopens from closed within the grace period, with fresh deadlines and without the old outcome", async () => {
    const now = Date.now();
    const { ref } = await file({ now: now - 10 * DAY });
    await setConcernStatus(db, await get(ref), "resolved", { outcomeCode: "explained", outcomeReason: "Because.", now: now - 3 * DAY });
    await setConcernStatus(db, await get(ref), "closed", { now: now - 2 * DAY });
    await reopenConcern(db, await get(ref), now);
    const reopened = await get(ref);
    expect(reopened.status).toBe("in_progress");
    expect(reopened.slaDueAt).toBeGreaterThan(now);
    expect(reopened.statutoryDueAt).toBeGreaterThan(now + 20 * DAY);
    const view = await customerConcernView(db, reopened, "en", now);
    expect(view.outcomeCode).toBeNull();
    expect(view.status).toBe("being_reviewed");
  });

  it("a withdrawn concern takes no more replies", async () => {
    const { ref } = await file();
    await withdrawConcern(db, await get(ref));
    expect((await get(ref)).status).toBe("withdrawn");
    await expect(addCustomerReply(db, await get(ref), "hello?")).rejects.toThrow(ConcernStateError);
    await expect(withdrawConcern(db, await get(ref))).rejects.toThrow(ConcernStateError);
  });
});
