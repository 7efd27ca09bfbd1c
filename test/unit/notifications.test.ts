import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { fileConcern, findConcernByRef, findTrackedConcern } from "../../app/domain/concerns/index.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { eraseCustomer } from "../../app/domain/customer-erasure.server";
import { inspectLink } from "../../app/domain/links.server";
import { emailTextToSend, queueConcernEmail } from "../../app/domain/notifications.server";
import { concerns, customers, linkTokens, outboxEmails } from "../../db/schema";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { freshTestDatabase } from "../support/database";

let database: AnyDatabase;
let db: Db;
beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
  await db.delete(outboxEmails);
});
afterEach(async () => {
  await database.close();
});

const base = {
  lang: "de",
  kind: "privacy" as const,
  interactionId: null,
  systemId: null,
  description: "Bitte erklären Sie mir das.",
  desiredOutcome: "",
};

/** Marks a concern resolved with an outcome, as the workflow would (without its emails). */
async function markResolved(ref: string, outcomeReason: string) {
  await db.update(concerns).set({ status: "resolved", outcomeCode: "upheld", outcomeReason }).where(eq(concerns.ref, ref));
}

describe("notification emails go to the durable outbox with the change", () => {
  it("an anonymous filer who wants email gets the receipt with their private tracking link, in their language", async () => {
    const { ref, trackingToken } = await fileConcern(db, { ...base, customerId: null, contactEmail: "anna@example.de", contactMethod: "email" });
    const [email] = await db.select().from(outboxEmails);
    expect(email).toMatchObject({ toAddress: "anna@example.de", lang: "de", template: "concern_received", status: "pending" });
    expect(email!.subject).toContain(ref);
    expect(email!.subject).toMatch(/Anliegen/);
    expect(email!.bodyText).toContain(`/de/concerns/track/${trackingToken}`);
  });

  it("a signed-in customer gets a personal link that opens the concern, minted only when sent", async () => {
    const { ref } = await fileConcern(db, { ...base, lang: "fr", customerId: "demo-customer-2", contactEmail: null, contactMethod: "email" });
    const [email] = await db.select().from(outboxEmails);
    expect(email!.toAddress).toBe("camille.durand@example.fr");
    expect(email!.bodyText).not.toMatch(/\/l\/[A-Za-z0-9_-]{20,}/);
    const text = await emailTextToSend(db, email!);
    const token = text.match(/\/l\/([A-Za-z0-9_-]{43})/)![1]!;
    expect((await inspectLink(db, token)).link).toMatchObject({ concernRef: ref, lang: "fr", customerId: "demo-customer-2" });
  });

  it("no email when the customer chose to follow in the portal", async () => {
    await fileConcern(db, { ...base, customerId: "demo-customer-1", contactEmail: null, contactMethod: "portal" });
    expect(await db.select().from(outboxEmails)).toHaveLength(0);
  });

  it("a resolution email names the outcome, the reason and the other remedies", async () => {
    const { ref } = await fileConcern(db, { ...base, lang: "en", customerId: "demo-customer-1", contactEmail: null, contactMethod: "email" });
    await markResolved(ref, "We reversed it.");
    await queueConcernEmail(db, (await findConcernByRef(db, ref))!, "concern_resolved");
    const resolved = (await db.select().from(outboxEmails)).find((e) => e.template === "concern_resolved")!;
    expect(resolved.bodyText).toContain("Your concern was upheld");
    expect(resolved.bodyText).toContain("We reversed it.");
    expect(resolved.bodyText).toContain("data protection authority");
  });
});

describe("links that open an account go only to the customer's email on record (SPEC §11.3)", () => {
  const PERSONAL_LINK = /\/l\/[A-Za-z0-9_-]{20,}/;
  const TRACKING_LINK = /\/concerns\/track\/([A-Za-z0-9_-]{43})/;
  const emailLinks = () => db.select().from(linkTokens).where(eq(linkTokens.createdBy, "email"));
  const rows = () => db.select().from(outboxEmails).orderBy(outboxEmails.id);
  const customer = (id: string, email: string | null) => upsertCustomer(db, { id, email, locale: "en" });

  it("a typed-in contact address gets the concern's tracking link in the receipt and no account link in any email", async () => {
    const { ref, trackingToken } = await fileConcern(db, { ...base, lang: "en", customerId: "demo-customer-1", contactEmail: "typo@example.net", contactMethod: "email" });
    // The signed-in filer follows the concern in their account: no token comes back to the page.
    expect(trackingToken).toBeNull();
    const concern = (await findConcernByRef(db, ref))!;
    await queueConcernEmail(db, concern, "concern_reply", { replyBody: "We are looking into it." });
    await markResolved(ref, "Reversed.");
    await queueConcernEmail(db, (await findConcernByRef(db, ref))!, "concern_resolved");

    const [receipt, reply, resolved] = await rows();
    expect((await rows()).map((e) => [e.toAddress, e.template])).toEqual([
      ["typo@example.net", "concern_received"],
      ["typo@example.net", "concern_reply"],
      ["typo@example.net", "concern_resolved"],
    ]);
    const sentReceipt = await emailTextToSend(db, receipt!);
    expect(sentReceipt).not.toMatch(PERSONAL_LINK);
    const token = sentReceipt.match(TRACKING_LINK)?.[1];
    expect((await findTrackedConcern(db, token ?? ""))?.ref).toBe(ref);
    for (const later of [reply!, resolved!]) {
      const text = await emailTextToSend(db, later);
      expect(text).not.toMatch(PERSONAL_LINK);
      expect(text).not.toMatch(TRACKING_LINK);
      expect(text).toContain("use the private link from the first email");
    }
    expect(await emailLinks()).toHaveLength(0);
  });

  it("the email on record, typed in another case, still gets the personal link", async () => {
    await customer("cust-record", "Lea.Record@example.org");
    const { ref } = await fileConcern(db, { ...base, lang: "en", customerId: "cust-record", contactEmail: " lea.record@EXAMPLE.org", contactMethod: "email" });
    expect((await findConcernByRef(db, ref))!.trackingTokenHash).toBeNull();
    const text = await emailTextToSend(db, (await rows())[0]!);
    expect(text).toContain("Open your concern");
    const token = text.match(/\/l\/([A-Za-z0-9_-]{43})/)![1]!;
    expect((await inspectLink(db, token)).link).toMatchObject({ customerId: "cust-record", concernRef: ref, createdBy: "email" });
  });

  it("decides at send time: an address on record changed or erased after queueing gets no account link", async () => {
    await customer("cust-moved", "old@example.org");
    await fileConcern(db, { ...base, lang: "en", customerId: "cust-moved", contactEmail: null, contactMethod: "email" });
    const [queued] = await rows();
    expect(queued!.toAddress).toBe("old@example.org");
    await db.update(customers).set({ email: "new@example.org" }).where(eq(customers.id, "cust-moved"));
    const text = await emailTextToSend(db, queued!);
    expect(text).not.toMatch(PERSONAL_LINK);
    expect(text).not.toContain("{{");
    expect(await emailLinks()).toHaveLength(0);

    await customer("cust-gone", "gone@example.org");
    await fileConcern(db, { ...base, lang: "en", customerId: "cust-gone", contactEmail: null, contactMethod: "email" });
    const queuedForGone = (await rows()).at(-1)!;
    await eraseCustomer(db, { customerId: "cust-gone", actor: { type: "system" } });
    expect(await emailTextToSend(db, queuedForGone)).not.toMatch(PERSONAL_LINK);
    expect(await emailLinks()).toHaveLength(0);
  });

  it("a concern filed anonymously from an address on record gets its tracking link, never that customer's account link", async () => {
    const { ref, trackingToken } = await fileConcern(db, { ...base, lang: "en", customerId: null, contactEmail: "alex.morgan@example.com", contactMethod: "email" });
    const text = await emailTextToSend(db, (await rows())[0]!);
    expect(text).not.toMatch(PERSONAL_LINK);
    expect(text).toContain(`/en/concerns/track/${trackingToken}`);
    expect((await findTrackedConcern(db, trackingToken!))?.ref).toBe(ref);
    expect(await emailLinks()).toHaveLength(0);
  });

  it("a customer without an email on record who types one gets a tracking link, not an account link", async () => {
    await customer("cust-noaddress", null);
    await fileConcern(db, { ...base, lang: "fr", customerId: "cust-noaddress", contactEmail: "someone@example.fr", contactMethod: "email" });
    const text = await emailTextToSend(db, (await rows())[0]!);
    expect(text).not.toMatch(PERSONAL_LINK);
    expect(text).toMatch(/\/fr\/concerns\/track\/[A-Za-z0-9_-]{43}/);
  });

  it("a placeholder typed into a staff reply opens nothing for another address, and stays literal for the address on record", async () => {
    const reply = "See {{account-link}} and $& here.";
    const typo = await fileConcern(db, { ...base, lang: "en", customerId: "demo-customer-1", contactEmail: "typo@example.net", contactMethod: "email" });
    await queueConcernEmail(db, (await findConcernByRef(db, typo.ref))!, "concern_reply", { replyBody: reply });
    const toTypo = await emailTextToSend(db, (await rows()).at(-1)!);
    expect(toTypo).not.toMatch(PERSONAL_LINK);
    expect(toTypo).toContain("$& here.");
    const own = await fileConcern(db, { ...base, lang: "en", customerId: "demo-customer-1", contactEmail: null, contactMethod: "email" });
    await queueConcernEmail(db, (await findConcernByRef(db, own.ref))!, "concern_reply", { replyBody: reply });
    const toRecord = await emailTextToSend(db, (await rows()).at(-1)!);
    expect(toRecord).toContain(reply);
    expect(toRecord.match(/\/l\/[A-Za-z0-9_-]{43}/g)).toHaveLength(1);
  });

  it("rows queued with the older placeholder follow the same send-time rule", async () => {
    await fileConcern(db, { ...base, lang: "en", customerId: "demo-customer-1", contactEmail: "typo@example.net", contactMethod: "email" });
    const legacy = { ...(await rows())[0]!, bodyText: "Hello,\n\nOpen your concern (this personal link works for 7 days):\n{{personal-link}}\n\nBye" };
    const text = await emailTextToSend(db, legacy);
    expect(text).not.toMatch(PERSONAL_LINK);
    expect(text).not.toContain("{{personal-link}}");
    expect(text).not.toContain("Open your concern");
    const onRecord = await emailTextToSend(db, { ...legacy, toAddress: "alex.morgan@example.com" });
    expect(onRecord).toMatch(PERSONAL_LINK);
  });
});
