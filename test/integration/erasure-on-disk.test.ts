/**
 * GDPR erasure leaves nothing on disk (issue 7.2): the customer is erased through the real API
 * (DELETE /api/v1/customers/:id, the lean node:http handler in this process, on a real SQLite
 * file in WAL mode), then the raw bytes of the main file, the -wal and the -shm are searched.
 * About SQLite's files, so on a SQLite database whatever engine the suite runs on.
 */
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withLeanApi } from "../../app/api/handler.server";
import { createApiKey } from "../../app/domain/api-keys.server";
import { postStaffMessage } from "../../app/domain/concerns/index.server";
import { addCustomerReply, fileConcern, findConcernByRef, findTrackedConcern } from "../../app/domain/concerns/index.server";
import { answerConfirmation, createConfirmation } from "../../app/domain/confirmations.server";
import { mintLink } from "../../app/domain/links.server";
import { findStaffByEmail } from "../../app/domain/staff.server";
import { createServices } from "../../app/services.server";
import type { Db } from "../../app/utils/db.server";
import type { SqliteDatabase } from "../../app/utils/db-sqlite.server";
import { concerns, outboxEmails } from "../../db/schema";
import { seedDemoStaff } from "../../db/seed";
import { confirmationInput } from "../support/confirmation-factories";
import { seededSqliteDatabase } from "../support/database";

let database: SqliteDatabase;
let db: Db;
let server: Server;
let base: string;
let key: string;

beforeEach(async () => {
  database = await seededSqliteDatabase();
  const services = await createServices({ database, migrate: false });
  db = services.db;
  // The demo staff (the agent who replies below): already in the template the SQLite runs copy.
  await seedDemoStaff(db);
  key = (await createApiKey(db, { name: "erasure", scopes: ["customers", "interactions"] })).key;
  server = createServer(withLeanApi((_req, res) => res.writeHead(404).end(), services));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await database.close();
});

async function api(method: string, pathname: string, body?: unknown) {
  const response = await fetch(base + pathname, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** The bytes of the database files as they are on disk right now. */
function filesOnDisk(): { name: string; bytes: Buffer }[] {
  const main = database.client.name;
  return ["", "-wal", "-shm"].filter((suffix) => fs.existsSync(main + suffix)).map((suffix) => ({ name: `candor.sqlite${suffix}`, bytes: fs.readFileSync(main + suffix) }));
}
const onDisk = (needle: string) => filesOnDisk().filter((f) => f.bytes.includes(Buffer.from(needle, "utf8"))).map((f) => f.name);

describe("erasure leaves no byte of the erased data in the database files (GDPR Art. 17)", () => {
  it("the email, concern texts (own and anonymous with the same address), messages and interactions are gone from the main file, -wal and -shm", async () => {
    const email = "Erin.Erasable-7Q@example.org";
    const secrets = {
      email,
      anonymousAddress: "erin.erasable-7q@EXAMPLE.org",
      ownConcern: "Kx7-OWN-CONCERN my neighbour Bartholomew saw my bill",
      longConcernHead: "Zq9-LONG-STORY-",
      longConcernBody: "the assistant read my medical letters",
      anonymousConcern: "Wv4-ANONYMOUS my insurance number is 12-345-678",
      staffReply: "Jd2-STAFF-REPLY we reversed the change for Erin",
      customerReply: "Pp5-CUSTOMER-REPLY I also called on Tuesday",
      interaction: "Hm3-INTERACTION-SUBJECT refund for order 99812",
      confirmation: "Cf6-CONFIRMATION-SUMMARY move Erin to the family plan",
    };
    expect((await api("PUT", "/api/v1/customers/erin-1", { email, locale: "en" })).status).toBeLessThan(300);
    const interaction = await api("POST", "/api/v1/interactions", {
      customerId: "erin-1",
      source: "crm",
      ref: "ERIN-1",
      channel: "email",
      subject: secrets.interaction,
      occurredAt: new Date().toISOString(),
      ai: [],
    });
    expect(interaction.status).toBeLessThan(300);
    // Long enough to live on overflow pages, which are freed (not rewritten in place).
    const longConcern = secrets.longConcernHead + `${secrets.longConcernBody} `.repeat(150);
    const common = { lang: "en", kind: "privacy" as const, interactionId: null, systemId: null, desiredOutcome: "" };
    const own = await fileConcern(db, { ...common, customerId: "erin-1", contactEmail: null, contactMethod: "email", description: secrets.ownConcern });
    await fileConcern(db, { ...common, customerId: "erin-1", contactEmail: null, contactMethod: "portal", description: longConcern });
    const anonymous = await fileConcern(db, { ...common, customerId: null, contactEmail: " erin.erasable-7q@EXAMPLE.org", contactMethod: "email", description: secrets.anonymousConcern });
    const agent = (await findStaffByEmail(db, "agent@nordlys.example"))!;
    await postStaffMessage(db, own.ref, { id: agent.id, role: agent.role, name: agent.name }, { body: secrets.staffReply, visibility: "public" });
    await addCustomerReply(db, (await findConcernByRef(db, anonymous.ref))!, secrets.customerReply);
    await mintLink(db, { customerId: "erin-1", createdBy: "api", baseUrl: base });
    // An agent's "ask me first" request (SPEC §11.1), answered: its summary is in the request and in the email.
    const asked = await createConfirmation(db, confirmationInput("erin-1", { interactionRef: "ERIN-1", summary: { en: secrets.confirmation }, baseUrl: base }));
    if (asked.status !== "created") throw new Error(asked.status);
    await answerConfirmation(db, { customerId: "erin-1", id: asked.confirmation.id, answer: "declined", method: "portal", lang: "en" });
    expect((await db.select().from(outboxEmails)).length).toBeGreaterThanOrEqual(4);

    // The search finds what is there: before erasure every secret is on disk.
    for (const secret of Object.values(secrets)) expect(onDisk(secret), secret.slice(0, 20)).not.toEqual([]);

    const erased = await api("DELETE", "/api/v1/customers/erin-1");
    expect(erased.status).toBe(200);
    expect(erased.json).toMatchObject({ id: "erin-1", concerns: 3, interactions: 1 });

    for (const secret of [...Object.values(secrets), email.toLowerCase()]) expect(onDisk(secret), secret.slice(0, 20)).toEqual([]);
    // The anonymous concern is erased too: its text and contact address, its tracking link, its emails.
    const anon = (await findConcernByRef(db, anonymous.ref))!;
    expect(anon).toMatchObject({ description: "", contactEmail: null, trackingTokenHash: null });
    expect(await findTrackedConcern(db, anonymous.trackingToken!)).toBeUndefined();
    expect((await db.select().from(outboxEmails)).filter((e) => e.toAddress.toLowerCase().includes("erin"))).toEqual([]);
    expect((await db.select().from(concerns)).filter((c) => c.contactEmail?.toLowerCase().includes("erin"))).toEqual([]);
  });

  it("another customer's concern that named the address for replies keeps its text but not the address", async () => {
    expect((await api("PUT", "/api/v1/customers/erin-2", { email: "erin.two@example.org" })).status).toBeLessThan(300);
    expect((await api("PUT", "/api/v1/customers/other-2", { email: "other.two@example.org" })).status).toBeLessThan(300);
    const theirs = await fileConcern(db, {
      lang: "en",
      kind: "privacy",
      interactionId: null,
      systemId: null,
      desiredOutcome: "",
      customerId: "other-2",
      contactEmail: "ERIN.TWO@example.org",
      contactMethod: "email",
      description: "Bn8-OTHER-CUSTOMER keeps this text",
    });
    expect((await api("DELETE", "/api/v1/customers/erin-2")).status).toBe(200);
    expect(await findConcernByRef(db, theirs.ref)).toMatchObject({ description: "Bn8-OTHER-CUSTOMER keeps this text", contactEmail: null });
    expect(onDisk("erin.two@example.org")).toEqual([]);
    expect(onDisk("ERIN.TWO@example.org")).toEqual([]);
  });
});
