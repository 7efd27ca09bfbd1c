import { beforeEach, describe, expect, it } from "vitest";
import { fileConcern, findConcernByRef } from "../../app/domain/concerns.server";
import { inspectLink } from "../../app/domain/links.server";
import { emailTextToSend, queueConcernEmail } from "../../app/domain/notifications.server";
import { outboxEmails } from "../../db/schema";
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
