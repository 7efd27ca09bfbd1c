/**
 * The outbox sender against a REAL SMTP server (smtp-server on 127.0.0.1, random port) that
 * refuses some recipients: retries with backoff, delivery once, permanent failure, concurrency.
 */
import fs from "node:fs";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { verifyAudit } from "../../app/domain/audit.server";
import { fileConcern } from "../../app/domain/concerns/index.server";
import {
  claimNextEmail,
  createSmtpTransport,
  describeSendError,
  isBeingSent,
  redactLinks,
  LEASE_MS,
  listOutbox,
  MAX_ATTEMPTS,
  RETRY_DELAYS_MS,
  retryEmail,
  sendDueEmails,
  startOutboxWorker,
  type MailTransport,
} from "../../app/domain/outbox.server";
import { openDatabase, type AnyDatabase, type Db } from "../../app/utils/db.server";
import { auditLog, outboxEmails } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import { trNs } from "../support/locales";
import { LANGUAGES, type Lang } from "../../app/utils/languages";

const FROM = "Nordlys Care <care@nordlys.example>";

interface Received {
  mailFrom: string;
  rcptTo: string[];
  headers: Record<string, string>;
  body: string;
}

/** Decodes RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=). */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1").toString("utf8"),
    );
}

/** A single-part text message as nodemailer writes it: headers, then a QP/base64/plain body. */
function parseMessage(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf("\r\n\r\n");
  const headers: Record<string, string> = {};
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  let body = raw.slice(split + 4);
  const encoding = (headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  if (encoding === "base64") body = Buffer.from(body, "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    body = Buffer.from(
      body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      "latin1",
    ).toString("utf8");
  }
  return { headers, body: body.replace(/\r\n/g, "\n").replace(/\n$/, "") };
}

/**
 * The test SMTP server. Recipients at flaky.example are refused with 451 the first two times,
 * recipients at gone.example always with 550; `slowMs` delays each DATA answer.
 */
const rcptAttempts = new Map<string, number>();
const received: Received[] = [];
let slowMs = 0;
let server: SMTPServer;
let smtpUrl: string;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const n = (rcptAttempts.get(address.address) ?? 0) + 1;
      rcptAttempts.set(address.address, n);
      if (address.address.endsWith("@flaky.example") && n <= 2) {
        return callback(Object.assign(new Error(`4.2.1 Mailbox <${address.address}> busy, try later`), { responseCode: 451 }));
      }
      if (address.address.endsWith("@gone.example")) {
        return callback(Object.assign(new Error(`5.1.1 <${address.address}>: no such user`), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const { headers, body } = parseMessage(Buffer.concat(chunks).toString("utf8"));
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          headers,
          body,
        });
        setTimeout(() => callback(), slowMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.server.address();
  if (!address || typeof address === "string") throw new Error("SMTP server did not start");
  smtpUrl = `smtp://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let database: AnyDatabase;
let db: Db;
let transport: ReturnType<typeof createSmtpTransport>;
beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
  await db.delete(outboxEmails);
  rcptAttempts.clear();
  received.length = 0;
  slowMs = 0;
  transport = createSmtpTransport(smtpUrl);
});
afterEach(async () => {
  transport.close();
  await database.close();
});

/** Another instance's connection to the same database (another pool on PostgreSQL). */
function anotherInstance(): AnyDatabase {
  return openDatabase(database.engine === "sqlite" ? `file:${database.client.name}` : String(database.pool.options.connectionString));
}

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);

async function queue(to: string, lang: Lang = "en", now = T0) {
  const { ref } = await fileConcern(db, {
    lang,
    kind: "privacy",
    interactionId: null,
    systemId: null,
    description: "Please explain how my data is used.",
    desiredOutcome: "",
    customerId: null,
    contactEmail: to,
    contactMethod: "email",
    now,
  });
  const row = (await db.select().from(outboxEmails).orderBy(asc(outboxEmails.id))).at(-1)!;
  return { ref, id: row.id };
}

const row = async (id: number) => (await db.select().from(outboxEmails).where(eq(outboxEmails.id, id)).limit(1))[0]!;

describe("sending the outbox over SMTP", () => {
  it("retries a refused email with backoff, then delivers it once, with the right sender, recipient, subject and language", async () => {
    const { ref, id } = await queue("jonas@flaky.example", "de");
    const send = (now: number) => sendDueEmails(db, transport, now, { from: FROM });

    // Attempt 1: refused with 451 → retry in 1 minute; the error names no address.
    expect(await send(T0)).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(await row(id)).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: T0 + RETRY_DELAYS_MS[0], sentAt: null, claimedUntil: null });
    expect((await row(id)).lastError).toContain("451");
    expect((await row(id)).lastError).not.toContain("jonas");
    expect((await row(id)).lastError).toContain("busy, try later");

    // Not due yet: nothing is tried.
    expect(await send(T0 + RETRY_DELAYS_MS[0] - 1)).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(rcptAttempts.get("jonas@flaky.example")).toBe(1);

    // Attempt 2 at +1 min: refused again → retry 5 minutes later.
    const t2 = T0 + RETRY_DELAYS_MS[0];
    expect(await send(t2)).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(await row(id)).toMatchObject({ status: "pending", attempts: 2, nextAttemptAt: t2 + RETRY_DELAYS_MS[1] });
    expect(await send(t2 + RETRY_DELAYS_MS[1] - 1)).toEqual({ sent: 0, retrying: 0, failed: 0 });

    // Attempt 3: accepted.
    const t3 = t2 + RETRY_DELAYS_MS[1];
    expect(await send(t3)).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 3, sentAt: t3, lastError: null, claimedUntil: null });
    expect(rcptAttempts.get("jonas@flaky.example")).toBe(3);

    // Delivered exactly once, as written in the outbox, in German.
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail!.mailFrom).toBe("care@nordlys.example");
    expect(mail!.rcptTo).toEqual(["jonas@flaky.example"]);
    expect(mail!.headers.from).toBe(FROM);
    expect(mail!.headers.to).toBe("jonas@flaky.example");
    expect(mail!.headers.subject).toBe(trNs("de", "emails", "concern_received.subject", { ref }));
    expect(mail!.headers["content-type"]).toMatch(/^text\/plain/);
    // The stored copy keeps no working tracking token once the email is out.
    expect(redactLinks(mail!.body)).toBe((await row(id)).bodyText);
    expect((await row(id)).bodyText).not.toMatch(/\/concerns\/track\/[A-Za-z0-9_-]{20,}/);
    expect(mail!.body).toContain(trNs("de", "emails", "concern_received.body", { ref }));

    // Sent is final: later runs send nothing more, and the row is kept.
    expect(await send(t3 + 24 * 3_600_000)).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(received).toHaveLength(1);
    expect(await db.select().from(outboxEmails)).toHaveLength(1);
  });

  it("sends the customer's email in each of the 27 languages, with no English sentence in the others", async () => {
    const texts = (lang: string) => Object.values(JSON.parse(fs.readFileSync(path.resolve("locales", lang, "emails.json"), "utf8")) as Record<string, unknown>).flatMap(function strings(v: unknown): string[] {
      return typeof v === "string" ? [v] : v && typeof v === "object" ? Object.values(v).flatMap(strings) : [];
    });
    const sentences = (lang: string) => texts(lang).flatMap((text) => text.split(/\{\{[^}]*\}\}/).map((part) => part.trim()).filter((part) => part.split(/\s+/).length >= 3));
    const refs = new Map<string, Lang>();
    for (const lang of LANGUAGES) refs.set((await queue(`reader-${lang}@example.com`, lang)).ref, lang);
    expect(await sendDueEmails(db, transport, T0, { from: FROM, batchSize: 100 })).toEqual({ sent: LANGUAGES.length, retrying: 0, failed: 0 });
    expect(received).toHaveLength(LANGUAGES.length);
    for (const mail of received) {
      const lang = LANGUAGES.find((l) => mail.rcptTo[0] === `reader-${l}@example.com`)!;
      const ref = [...refs].find(([, l]) => l === lang)![0];
      expect(mail.headers.subject, lang).toBe(trNs(lang, "emails", "concern_received.subject", { ref }));
      expect(mail.body, lang).toContain(trNs(lang, "emails", "greeting"));
      expect(mail.body, lang).toContain(trNs(lang, "emails", "concern_received.body", { ref }));
      const own = texts(lang).join("\n");
      if (lang !== "en") expect(sentences("en").filter((sentence) => mail.body.includes(sentence) && !own.includes(sentence)), lang).toEqual([]);
    }
  });

  it("a permanently refused address is tried MAX_ATTEMPTS times on the backoff schedule, then marked failed (never deleted)", async () => {
    const { id } = await queue("nobody@gone.example", "fr");
    const tried: number[] = [];
    let now = T0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // One millisecond early: never tried before its time.
      expect(await sendDueEmails(db, transport, now - 1, { from: FROM })).toEqual({ sent: 0, retrying: 0, failed: 0 });
      const summary = await sendDueEmails(db, transport, now, { from: FROM });
      tried.push(now);
      const after = await row(id);
      expect(after.attempts).toBe(attempt);
      if (attempt < MAX_ATTEMPTS) {
        expect(summary).toEqual({ sent: 0, retrying: 1, failed: 0 });
        expect(after.status).toBe("pending");
        expect(after.nextAttemptAt).toBe(now + RETRY_DELAYS_MS[attempt - 1]!);
        now = after.nextAttemptAt;
      } else {
        expect(summary).toEqual({ sent: 0, retrying: 0, failed: 1 });
        expect(after.status).toBe("failed");
        expect(after.claimedUntil).toBeNull();
      }
    }
    expect(tried.map((t) => t - T0)).toEqual([0, 60_000, 360_000, 2_160_000, 9_360_000, 52_560_000]);
    expect(rcptAttempts.get("nobody@gone.example")).toBe(MAX_ATTEMPTS);
    expect((await row(id)).lastError).toMatch(/550/);
    expect((await row(id)).lastError).not.toContain("nobody");
    expect((await row(id)).sentAt).toBeNull();

    // Failed is final until an admin retries: a week later nothing is tried.
    expect(await sendDueEmails(db, transport, now + 7 * 86_400_000, { from: FROM })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(rcptAttempts.get("nobody@gone.example")).toBe(MAX_ATTEMPTS);
    expect(received).toHaveLength(0);
    expect((await listOutbox(db, { status: "failed" })).rows.map((r) => r.id)).toEqual([id]);
  });

  it("two concurrent senders on two connections never send a row twice", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push((await queue(`person${i}@example.com`)).id);
    slowMs = 15;
    const other = anotherInstance();
    const otherTransport = createSmtpTransport(smtpUrl);
    try {
      const [a, b, c] = await Promise.all([
        sendDueEmails(db, transport, T0, { from: FROM }),
        sendDueEmails(other.db, otherTransport, T0, { from: FROM }),
        sendDueEmails(db, transport, T0, { from: FROM }),
      ]);
      expect(a.sent + b.sent + c.sent).toBe(10);
      // They really ran side by side: every sender delivered some.
      expect(a.sent).toBeGreaterThan(0);
      expect(b.sent).toBeGreaterThan(0);
      expect(c.sent).toBeGreaterThan(0);
    } finally {
      otherTransport.close();
      await other.close();
    }
    const recipients = received.map((m) => m.rcptTo[0]).sort();
    expect(recipients).toEqual(Array.from({ length: 10 }, (_, i) => `person${i}@example.com`).sort());
    for (const id of ids) expect(await row(id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("a claimed row is hidden from other workers for the lease; a crash before the mark means it is sent again later (at least once)", async () => {
    const { id } = await queue("crash@example.com");
    const claimed = await claimNextEmail(db, T0);
    expect(claimed?.id).toBe(id);
    expect(claimed?.claimedUntil).toBe(T0 + LEASE_MS);
    // The worker "crashes" here, before marking. Another worker does not take the row meanwhile…
    expect(await claimNextEmail(db, T0 + 1_000)).toBeUndefined();
    expect(await claimNextEmail(db, T0 + LEASE_MS - 1)).toBeUndefined();
    // …but after the lease it does: nothing is lost.
    expect((await claimNextEmail(db, T0 + LEASE_MS))?.id).toBe(id);
    expect(await row(id)).toMatchObject({ status: "pending", attempts: 2 });
  });

  it("sends oldest first, in batches", async () => {
    const ids = [(await queue("a@example.com")).id, (await queue("b@example.com")).id, (await queue("c@example.com")).id];
    expect(await sendDueEmails(db, transport, T0, { from: FROM, batchSize: 2 })).toEqual({ sent: 2, retrying: 0, failed: 0 });
    expect(received.map((m) => m.rcptTo[0])).toEqual(["a@example.com", "b@example.com"]);
    expect((await row(ids[2]!)).status).toBe("pending");
    await sendDueEmails(db, transport, T0, { from: FROM });
    expect(received.map((m) => m.rcptTo[0])).toEqual(["a@example.com", "b@example.com", "c@example.com"]);
  });

  it("an unreachable SMTP server is a retry, not a crash", async () => {
    const { id } = await queue("someone@example.com");
    const closed = createSmtpTransport("smtp://127.0.0.1:1");
    try {
      expect(await sendDueEmails(db, closed, T0, { from: FROM })).toEqual({ sent: 0, retrying: 1, failed: 0 });
    } finally {
      closed.close();
    }
    expect(await row(id)).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: T0 + RETRY_DELAYS_MS[0] });
    expect((await row(id)).lastError).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
  });

  it("the worker sends due emails on its own timer and stops cleanly", async () => {
    const { id } = await queue("worker@example.com", "ar", Date.now());
    const stop = startOutboxWorker(db, { smtpUrl, from: FROM, intervalMs: 20 });
    try {
      await expect.poll(async () => (await row(id)).status, { timeout: 5_000 }).toBe("sent");
    } finally {
      await stop();
    }
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toContain(trNs("ar", "emails", "greeting"));
    // Stopped: an email queued now stays pending.
    const later = await queue("after-stop@example.com", "en", Date.now());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await row(later.id)).status).toBe("pending");
  });
});

describe("retry now (admin)", () => {
  it("puts a failed email back in the queue, due at once, audited with codes only; it then gets one more attempt", async () => {
    const { id } = await queue("again@gone.example");
    await db.update(outboxEmails).set({ status: "failed", attempts: MAX_ATTEMPTS, lastError: "550: no such user" }).where(eq(outboxEmails.id, id));
    const auditBefore = (await db.select().from(auditLog)).length;
    const now = T0 + 86_400_000;
    expect(await retryEmail(db, { id, staffId: 1, now })).toBe("retried");
    expect(await row(id)).toMatchObject({ status: "pending", nextAttemptAt: now, attempts: MAX_ATTEMPTS });
    const audit = await db.select().from(auditLog).orderBy(asc(auditLog.id));
    expect(audit).toHaveLength(auditBefore + 1);
    expect(audit.at(-1)).toMatchObject({ action: "outbox.retry_requested", actorType: "staff", actorId: "1", targetType: "outbox_email", targetId: String(id) });
    expect(JSON.parse(audit.at(-1)!.details)).toEqual({ attempts: MAX_ATTEMPTS, previousStatus: "failed" });
    expect(audit.at(-1)!.details).not.toContain("gone.example");
    expect((await verifyAudit(db)).ok).toBe(true);

    // Still refused: one more attempt, failed again.
    expect(await sendDueEmails(db, transport, now, { from: FROM })).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(await row(id)).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS + 1 });
  });

  it("a pending email is moved up; a sent or unknown email is refused and nothing is recorded", async () => {
    const { id } = await queue("soon@flaky.example");
    await sendDueEmails(db, transport, T0, { from: FROM });
    expect((await row(id)).nextAttemptAt).toBe(T0 + RETRY_DELAYS_MS[0]);
    expect(await retryEmail(db, { id, staffId: 1, now: T0 + 5_000 })).toBe("retried");
    expect(await row(id)).toMatchObject({ status: "pending", nextAttemptAt: T0 + 5_000 });

    const sent = (await queue("done@example.com")).id;
    await sendDueEmails(db, transport, T0 + 10_000, { from: FROM });
    expect((await row(sent)).status).toBe("sent");
    const auditBefore = (await db.select().from(auditLog)).length;
    expect(await retryEmail(db, { id: sent, staffId: 1 })).toBe("alreadySent");
    expect(await retryEmail(db, { id: 999_999, staffId: 1 })).toBe("notFound");
    expect((await row(sent)).status).toBe("sent");
    expect(await db.select().from(auditLog)).toHaveLength(auditBefore);
  });
});

describe("an email being sent", () => {
  it("is left alone by retry now until its send is over", async () => {
    const { id } = await queue("held@example.com");
    let started!: () => void;
    let release!: () => void;
    const sending = new Promise<void>((resolve) => (started = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held: MailTransport = {
      async sendMail() {
        started();
        await gate;
      },
    };
    const run = sendDueEmails(db, held, T0, { from: FROM });
    await sending;
    expect(await isBeingSent(db, id, T0 + 1)).toBe(true);
    expect(await retryEmail(db, { id, staffId: 1, now: T0 + 1 })).toBe("sending");
    expect(await row(id)).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: T0 + LEASE_MS, claimedUntil: T0 + LEASE_MS });
    release();
    expect(await run).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await isBeingSent(db, id, T0 + 1)).toBe(false);
    expect((await row(id)).claimedUntil).toBeNull();
    expect(await retryEmail(db, { id, staffId: 1 })).toBe("alreadySent");
  });

  it("is refused by retry now on another instance while a worker elsewhere holds its lease; free again once the lease runs out", async () => {
    const { id } = await queue("elsewhere@example.com");
    // A worker on this connection claims the row (lease until T0 + LEASE_MS) and is sending it.
    expect((await claimNextEmail(db, T0))?.id).toBe(id);
    const other = anotherInstance();
    try {
      const auditBefore = (await db.select().from(auditLog)).length;
      // The other instance runs no worker of its own: only the database knows the row is taken.
      expect(await isBeingSent(other.db, id, T0 + 1)).toBe(true);
      expect(await retryEmail(other.db, { id, staffId: 1, now: T0 + 1 })).toBe("sending");
      expect(await retryEmail(other.db, { id, staffId: 1, now: T0 + LEASE_MS - 1 })).toBe("sending");
      expect(await row(id)).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: T0 + LEASE_MS, claimedUntil: T0 + LEASE_MS });
      expect(await db.select().from(auditLog)).toHaveLength(auditBefore);
      // The worker died without recording: when its lease ends the row is free, for retry now too.
      expect(await isBeingSent(other.db, id, T0 + LEASE_MS)).toBe(false);
      expect(await retryEmail(other.db, { id, staffId: 1, now: T0 + LEASE_MS })).toBe("retried");
      expect(await row(id)).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: T0 + LEASE_MS, claimedUntil: null });
      expect(await db.select().from(auditLog)).toHaveLength(auditBefore + 1);
    } finally {
      await other.close();
    }
  });
});

describe("describeSendError", () => {
  it("keeps codes and the server's reply, never an email address", () => {
    const text = describeSendError(Object.assign(new Error("x"), { code: "EENVELOPE", responseCode: 550, response: "550 5.1.1 <anna.b@example.de>: Recipient address rejected" }));
    expect(text).toBe("EENVELOPE 550: 550 5.1.1 <<address>>: Recipient address rejected");
    expect(describeSendError("plain")).toBe("plain");
    expect(describeSendError(new Error("a".repeat(1000))).length).toBe(300);
  });
});

describe("redactLinks", () => {
  it("cuts personal and tracking link tokens for admins' eyes, keeping the rest of the text", () => {
    const token = "uDSFkn3-Eo-JaYo5VgkEDXzE1SnCZ_nxMyLxByZmygo";
    const text = `Open:\nhttp://localhost:3000/l/${token}\nFollow: https://x.example/de/concerns/track/${token}\nRef C-7K3F-9Q2M`;
    const redacted = redactLinks(text);
    expect(redacted).not.toContain(token);
    expect(redacted).toBe("Open:\nhttp://localhost:3000/l/uDSF…\nFollow: https://x.example/de/concerns/track/uDSF…\nRef C-7K3F-9Q2M");
  });
});
