/**
 * Links that open an account go only to the customer's email on record (SPEC §11.3, issue 7.1):
 * through the real concern form, the staff console and the outbox sender.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { findConcernByRef } from "../../app/domain/concerns/index.server";
import { inspectLink } from "../../app/domain/links.server";
import { sendDueEmails, type MailTransport } from "../../app/domain/outbox.server";
import { outboxEmails } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { rawValue } from "../support/raw-sql";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
  await app.db.delete(outboxEmails);
});

const form = {
  kind: "unwanted_action",
  description: "The assistant changed my plan without asking me first.",
  desiredOutcome: "Undo it please",
  contactMethod: "email",
  email: "",
  interaction: "",
  system: "",
  website: "",
};

/** Sends every due email through a transport that keeps what it was given. */
async function sendAll(): Promise<{ to: string; subject: string; text: string }[]> {
  const sent: { to: string; subject: string; text: string }[] = [];
  const transport: MailTransport = { sendMail: async (m) => void sent.push(m) };
  await sendDueEmails(app.db, transport, Date.now() + 1000, { from: "care@nordlys.example" });
  return sent;
}

async function fileAs(cookie: string, email: string): Promise<string> {
  const response = await app.request("/en/me/concerns/new", { cookie, form: { ...form, email } });
  expect(response.status).toBe(303);
  // The signed-in filer follows the concern in their account, whatever address they typed.
  const location = response.headers.get("Location")!;
  expect(location).toMatch(/^\/en\/me\/concerns\/C-[0-9A-Z-]+\?new=1$/);
  return location.split("/").pop()!.split("?")[0]!;
}

describe("account links in notification emails (SPEC §11.3)", () => {
  it("a contact address typed into the form gets the concern's tracking link and never a personal link: receipt, reply, resolution", async () => {
    const cookie = await app.signIn("demo-customer-1");
    const ref = await fileAs(cookie, "typo@example.net");
    const staff = await app.signInStaff("agent");
    const post = async (fields: Record<string, string>) =>
      app.request(`/staff/concerns/${ref}`, { cookie: staff, form: { revision: String((await findConcernByRef(app.db, ref))!.revision), ...fields } });
    expect((await post({ intent: "reply", body: "We are reverting the change now." })).status).toBe(303);
    expect((await post({ intent: "status", to: "resolved", outcomeCode: "action_reversed", outcomeReason: "We put your plan back." })).status).toBe(303);

    const sent = await sendAll();
    expect(sent.map((m) => m.to)).toEqual(["typo@example.net", "typo@example.net", "typo@example.net"]);
    for (const mail of sent) expect(mail.text).not.toMatch(/\/l\//);
    const tracking = /\/en\/concerns\/track\/([A-Za-z0-9_-]{43})/.exec(sent[0]!.text)?.[1];
    if (!tracking) throw new Error("the receipt has no tracking link");
    const page = await app.request(`/en/concerns/track/${tracking}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(ref);
    // Nothing that opens the account was minted for these emails, and the stored copies hold none.
    expect((await rawValue(app.services.database, "select count(*) from link_tokens where created_by = 'email'"))).toBe(0);
    for (const row of await app.db.select().from(outboxEmails)) expect(row.bodyText).not.toMatch(/\/l\//);
  });

  it("the customer's email on record still gets the personal link to the concern", async () => {
    const cookie = await app.signIn("demo-customer-1");
    const ref = await fileAs(cookie, "Alex.Morgan@example.com");
    const [receipt] = await sendAll();
    expect(receipt!.to).toBe("Alex.Morgan@example.com");
    expect(receipt!.text).not.toMatch(/\/concerns\/track\//);
    const token = /\/l\/([A-Za-z0-9_-]{43})/.exec(receipt!.text)?.[1];
    expect((await inspectLink(app.db, token ?? "")).link).toMatchObject({ customerId: "demo-customer-1", concernRef: ref, createdBy: "email" });
  });
});
