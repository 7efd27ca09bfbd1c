import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { fileConcern, findConcernByRef, findTrackedConcern } from "../../app/domain/concerns.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { eraseCustomer } from "../../app/domain/customer-erasure.server";
import { inspectLink } from "../../app/domain/links.server";
import { emailTextToSend, queueConcernEmail } from "../../app/domain/notifications.server";
import { customers, linkTokens, outboxEmails } from "../../db/schema";
import type { Connection } from "../../app/utils/db.server";
import { freshDatabase } from "../support/database";

let db: Connection;
beforeEach(() => {
  db = freshDatabase();
  db.delete(outboxEmails).run();
});

const base = {
  lang: "de",
  kind: "privacy" as const,
  interactionId: null,
  systemId: null,
  description: "Bitte erklären Sie mir das.",
  desiredOutcome: "",
};

describe("notification emails go to the durable outbox with the change", () => {
  it("an anonymous filer who wants email gets the receipt with their private tracking link, in their language", () => {
    const { ref, trackingToken } = fileConcern(db, { ...base, customerId: null, contactEmail: "anna@example.de", contactMethod: "email" });
    const [email] = db.select().from(outboxEmails).all();
    expect(email).toMatchObject({ toAddress: "anna@example.de", lang: "de", template: "concern_received", status: "pending" });
    expect(email!.subject).toContain(ref);
    expect(email!.subject).toMatch(/Anliegen/);
    expect(email!.bodyText).toContain(`/de/concerns/track/${trackingToken}`);
  });

  it("a signed-in customer gets a personal link that opens the concern, minted only when sent", () => {
    const { ref } = fileConcern(db, { ...base, lang: "fr", customerId: "demo-customer-2", contactEmail: null, contactMethod: "email" });
    const [email] = db.select().from(outboxEmails).all();
    expect(email!.toAddress).toBe("camille.durand@example.fr");
    expect(email!.bodyText).not.toMatch(/\/l\/[A-Za-z0-9_-]{20,}/);
    const text = emailTextToSend(db, email!);
    const token = text.match(/\/l\/([A-Za-z0-9_-]{43})/)![1]!;
    expect(inspectLink(db, token).link).toMatchObject({ concernRef: ref, lang: "fr", customerId: "demo-customer-2" });
  });

  it("no email when the customer chose to follow in the portal", () => {
    fileConcern(db, { ...base, customerId: "demo-customer-1", contactEmail: null, contactMethod: "portal" });
    expect(db.select().from(outboxEmails).all()).toHaveLength(0);
  });

  it("a resolution email names the outcome, the reason and the other remedies", () => {
    const { ref } = fileConcern(db, { ...base, lang: "en", customerId: "demo-customer-1", contactEmail: null, contactMethod: "email" });
    db.$client.prepare("update concerns set status='resolved', outcome_code='upheld', outcome_reason='We reversed it.' where ref = ?").run(ref);
    queueConcernEmail(db, findConcernByRef(db, ref)!, "concern_resolved");
    const resolved = db.select().from(outboxEmails).all().find((e) => e.template === "concern_resolved")!;
    expect(resolved.bodyText).toContain("Your concern was upheld");
    expect(resolved.bodyText).toContain("We reversed it.");
    expect(resolved.bodyText).toContain("data protection authority");
  });
});

describe("links that open an account go only to the customer's email on record (SPEC §11.3)", () => {
  const PERSONAL_LINK = /\/l\/[A-Za-z0-9_-]{20,}/;
  const TRACKING_LINK = /\/concerns\/track\/([A-Za-z0-9_-]{43})/;
  const emailLinks = () => db.select().from(linkTokens).where(eq(linkTokens.createdBy, "email")).all();
  const rows = () => db.select().from(outboxEmails).all();
  const customer = (id: string, email: string | null) => upsertCustomer(db, { id, email, locale: "en" });

  it("a typed-in contact address gets the concern's tracking link in the receipt and no account link in any email", () => {
    const { ref, trackingToken } = fileConcern(db, { ...base, lang: "en", customerId: "demo-customer-1", contactEmail: "typo@example.net", contactMethod: "email" });
    // The signed-in filer follows the concern in their account: no token comes back to the page.
    expect(trackingToken).toBeNull();
    const concern = findConcernByRef(db, ref)!;
    queueConcernEmail(db, concern, "concern_reply", { replyBody: "We are looking into it." });
    db.$client.prepare("update concerns set status='resolved', outcome_code='upheld', outcome_reason='Reversed.' where ref = ?").run(ref);
    queueConcernEmail(db, findConcernByRef(db, ref)!, "concern_resolved");

    const [receipt, reply, resolved] = rows();
    expect(rows().map((e) => [e.toAddress, e.template])).toEqual([
      ["typo@example.net", "concern_received"],
      ["typo@example.net", "concern_reply"],
      ["typo@example.net", "concern_resolved"],
    ]);
    const sentReceipt = emailTextToSend(db, receipt!);
    expect(sentReceipt).not.toMatch(PERSONAL_LINK);
    const token = sentReceipt.match(TRACKING_LINK)?.[1];
    expect(findTrackedConcern(db, token ?? "")?.ref).toBe(ref);
    for (const later of [reply!, resolved!]) {
      const text = emailTextToSend(db, later);
      expect(text).not.toMatch(PERSONAL_LINK);
      expect(text).not.toMatch(TRACKING_LINK);
      expect(text).toContain("use the private link from the first email");
    }
    expect(emailLinks()).toHaveLength(0);
  });

  it("the email on record, typed in another case, still gets the personal link", () => {
    customer("cust-record", "Lea.Record@example.org");
    const { ref } = fileConcern(db, { ...base, lang: "en", customerId: "cust-record", contactEmail: " lea.record@EXAMPLE.org", contactMethod: "email" });
    expect(findConcernByRef(db, ref)!.trackingTokenHash).toBeNull();
    const text = emailTextToSend(db, rows()[0]!);
    expect(text).toContain("Open your concern");
    const token = text.match(/\/l\/([A-Za-z0-9_-]{43})/)![1]!;
    expect(inspectLink(db, token).link).toMatchObject({ customerId: "cust-record", concernRef: ref, createdBy: "email" });
  });

  it("decides at send time: an address on record changed or erased after queueing gets no account link", () => {
    customer("cust-moved", "old@example.org");
    fileConcern(db, { ...base, lang: "en", customerId: "cust-moved", contactEmail: null, contactMethod: "email" });
    const [queued] = rows();
    expect(queued!.toAddress).toBe("old@example.org");
    db.update(customers).set({ email: "new@example.org" }).where(eq(customers.id, "cust-moved")).run();
    const text = emailTextToSend(db, queued!);
    expect(text).not.toMatch(PERSONAL_LINK);
    expect(text).not.toContain("{{");
    expect(emailLinks()).toHaveLength(0);

    customer("cust-gone", "gone@example.org");
    fileConcern(db, { ...base, lang: "en", customerId: "cust-gone", contactEmail: null, contactMethod: "email" });
    const queuedForGone = rows().at(-1)!;
    eraseCustomer(db, { customerId: "cust-gone", actor: { type: "system" } });
    expect(emailTextToSend(db, queuedForGone)).not.toMatch(PERSONAL_LINK);
    expect(emailLinks()).toHaveLength(0);
  });

  it("a concern filed anonymously from an address on record gets its tracking link, never that customer's account link", () => {
    const { ref, trackingToken } = fileConcern(db, { ...base, lang: "en", customerId: null, contactEmail: "alex.morgan@example.com", contactMethod: "email" });
    const text = emailTextToSend(db, rows()[0]!);
    expect(text).not.toMatch(PERSONAL_LINK);
    expect(text).toContain(`/en/concerns/track/${trackingToken}`);
    expect(findTrackedConcern(db, trackingToken!)?.ref).toBe(ref);
    expect(emailLinks()).toHaveLength(0);
  });

  it("a customer without an email on record who types one gets a tracking link, not an account link", () => {
    customer("cust-noaddress", null);
    fileConcern(db, { ...base, lang: "fr", customerId: "cust-noaddress", contactEmail: "someone@example.fr", contactMethod: "email" });
    const text = emailTextToSend(db, rows()[0]!);
    expect(text).not.toMatch(PERSONAL_LINK);
    expect(text).toMatch(/\/fr\/concerns\/track\/[A-Za-z0-9_-]{43}/);
  });

  it("a placeholder typed into a staff reply opens nothing for another address, and stays literal for the address on record", () => {
    const reply = "See {{account-link}} and $& here.";
    const typo = fileConcern(db, { ...base, lang: "en", customerId: "demo-customer-1", contactEmail: "typo@example.net", contactMethod: "email" });
    queueConcernEmail(db, findConcernByRef(db, typo.ref)!, "concern_reply", { replyBody: reply });
    const toTypo = emailTextToSend(db, rows().at(-1)!);
    expect(toTypo).not.toMatch(PERSONAL_LINK);
    expect(toTypo).toContain("$& here.");
    const own = fileConcern(db, { ...base, lang: "en", customerId: "demo-customer-1", contactEmail: null, contactMethod: "email" });
    queueConcernEmail(db, findConcernByRef(db, own.ref)!, "concern_reply", { replyBody: reply });
    const toRecord = emailTextToSend(db, rows().at(-1)!);
    expect(toRecord).toContain(reply);
    expect(toRecord.match(/\/l\/[A-Za-z0-9_-]{43}/g)).toHaveLength(1);
  });

  it("rows queued with the older placeholder follow the same send-time rule", () => {
    fileConcern(db, { ...base, lang: "en", customerId: "demo-customer-1", contactEmail: "typo@example.net", contactMethod: "email" });
    const legacy = { ...rows()[0]!, bodyText: "Hello,\n\nOpen your concern (this personal link works for 7 days):\n{{personal-link}}\n\nBye" };
    const text = emailTextToSend(db, legacy);
    expect(text).not.toMatch(PERSONAL_LINK);
    expect(text).not.toContain("{{personal-link}}");
    expect(text).not.toContain("Open your concern");
    const onRecord = emailTextToSend(db, { ...legacy, toAddress: "alex.morgan@example.com" });
    expect(onRecord).toMatch(PERSONAL_LINK);
  });
});
