/**
 * Retention (SPEC §7, §12; GDPR Art. 5(1)(e) storage limitation): personal data is kept only as long
 * as the company's settings say.
 *
 * - A concern that finished (resolved, closed, merged, withdrawn, spam) more than
 *   `retentionClosedConcernMonths` calendar months ago (company zone; finished = its close time, or
 *   its resolution time when it was resolved and never closed) loses its personal data, as erasure
 *   (customer-erasure.server.ts) removes it: the description, desired outcome, outcome reason and
 *   every message body become RETENTION_REDACTION_MARKER; contact address, tracking token and the
 *   link to the customer are cleared; the search text keeps only the reference; its notification
 *   emails are deleted. The row with its kind, AI system, language, dates, status and outcome code
 *   stays, so report figures, `/staff/reports` and the public statistics do not change.
 * - Personal links (with their redemptions), customer and staff sessions, embed token uses, form
 *   submissions and stored API answers (idempotency keys) that ended more than
 *   `retentionLinksAndSessionsDays` days ago are deleted (ended: expired or revoked; submissions and
 *   stored answers: created).
 *
 * Idempotent (a second run finds nothing), batched (each batch its own short transaction, so the
 * write lock is never held long), audited once per run with the counts (never per row).
 */
import { TZDate } from "@date-fns/tz";
import { subMonths } from "date-fns";
import { and, eq, gt, inArray, isNotNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import {
  concernMessages,
  concerns,
  customerSessions,
  linkRedemptions,
  linkTokens,
  outboxEmails,
  retentionRuns,
  staffSessions,
} from "../../db/schema";
import { localDay } from "../utils/calendar";
import { executeSql, forEngine, isUniqueViolation, type Db } from "../utils/db.server";
import { appendAudit, type AuditActor } from "./audit.server";
import { companyTimeZone, getSetting } from "./settings.server";
import { CONCERN_STATUSES, isOpen } from "./vocabulary";

/** What replaces a purged concern's free text (language-neutral: staff see it in every console language). */
export const RETENTION_REDACTION_MARKER = "[removed after the retention period]";

const DAY_MS = 24 * 60 * 60 * 1000;
const FINISHED_STATUSES = CONCERN_STATUSES.filter((s) => !isOpen(s));

/** How many rows of each kind a run removed (or, dry, would remove). */
export interface PurgeCounts {
  /** Finished concerns whose personal data was removed. */
  concerns: number;
  /** Message bodies redacted on those concerns. */
  messages: number;
  /** Notification emails about those concerns. */
  emails: number;
  linkTokens: number;
  linkRedemptions: number;
  customerSessions: number;
  staffSessions: number;
  embedTokenUses: number;
  formSubmissions: number;
  idempotencyKeys: number;
}

export interface PurgeOptions {
  /** Rows per transaction (default 500). */
  batchSize?: number;
  /** Count only, change nothing (the CLI's `--dry-run`). */
  dryRun?: boolean;
  /** Who runs it, for the audit entry (default: system). */
  actor?: AuditActor;
}

const emptyCounts = (): PurgeCounts => ({
  concerns: 0,
  messages: 0,
  emails: 0,
  linkTokens: 0,
  linkRedemptions: 0,
  customerSessions: 0,
  staffSessions: 0,
  embedTokenUses: 0,
  formSubmissions: 0,
  idempotencyKeys: 0,
});

/** The instants before which data is due: `months` calendar months (company zone) and `days` × 24 h before `now`. */
export function retentionCutoffs(now: number, months: number, days: number, timeZone = companyTimeZone()): { concerns: number; linksAndSessions: number } {
  return { concerns: subMonths(new TZDate(now, timeZone), months).getTime(), linksAndSessions: now - days * DAY_MS };
}

/** A finished concern whose close (or, never closed, resolution) is before `cutoff`, not yet purged. */
function dueConcerns(cutoff: number): SQL {
  return and(
    inArray(concerns.status, FINISHED_STATUSES),
    sql`coalesce(${concerns.closedAt}, ${concerns.resolvedAt}, ${concerns.updatedAt}) < ${cutoff}`,
    ne(concerns.description, RETENTION_REDACTION_MARKER),
  )!;
}

/** Repeats `batch` (one transaction each) until it handles fewer than `size` rows; resolves to the total. */
async function inBatches(size: number, batch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await batch();
    total += n;
    if (n < size) return total;
  }
}

async function countWhere(db: Db, table: string, where: SQL): Promise<number> {
  const [row] = await executeSql<{ n: number | string }>(db, sql`select count(*) as n from ${sql.identifier(table)} where ${where}`);
  return Number(row?.n ?? 0);
}

/** Deletes up to `size` rows of a table without a single-column key (rowid / ctid), resolving to how many. */
async function deleteSome(db: Db, table: string, where: SQL, size: number): Promise<number> {
  const id = forEngine(db, { sqlite: () => sql.raw("rowid"), postgres: () => sql.raw("ctid") });
  const t = sql.identifier(table);
  const rows = await executeSql(db, sql`delete from ${t} where ${id} in (select ${id} from ${t} where ${where} limit ${size}) returning 1 as x`);
  return rows.length;
}

/**
 * Removes the personal data whose retention period has ended at `now` (ms), by the settings
 * `retentionClosedConcernMonths` and `retentionLinksAndSessionsDays` (see the module comment for
 * exactly what). `batchSize` rows per transaction (default 500); `dryRun` counts without changing
 * anything. Resolves to the counts per kind. One audit entry (`retention.purged`, counts only) when
 * anything was removed. Idempotent: a second run at the same `now` resolves to zeros.
 */
export async function purgeExpiredPersonalData(db: Db, now: number, options: PurgeOptions = {}): Promise<PurgeCounts> {
  const size = Math.max(1, Math.floor(options.batchSize ?? 500));
  const months = await getSetting(db, "retentionClosedConcernMonths");
  const days = await getSetting(db, "retentionLinksAndSessionsDays");
  const cutoff = retentionCutoffs(now, months, days);
  const counts = emptyCounts();
  const linkCutoff = cutoff.linksAndSessions;
  const linksDue = or(lt(linkTokens.expiresAt, linkCutoff), lt(linkTokens.revokedAt, linkCutoff))!;
  const customerSessionsDue = or(lt(customerSessions.expiresAt, linkCutoff), lt(customerSessions.revokedAt, linkCutoff))!;
  const staffSessionsDue = or(lt(staffSessions.expiresAt, linkCutoff), lt(staffSessions.revokedAt, linkCutoff))!;
  const embedDue = sql`expires_at < ${linkCutoff}`;
  const createdDue = sql`created_at < ${linkCutoff}`;

  if (options.dryRun) {
    const due = await db.select({ id: concerns.id }).from(concerns).where(dueConcerns(cutoff.concerns));
    const ids = due.map((c) => c.id);
    counts.concerns = ids.length;
    for (let i = 0; i < ids.length; i += size) {
      const chunk = ids.slice(i, i + size);
      counts.messages += (await db.select({ id: concernMessages.id }).from(concernMessages).where(inArray(concernMessages.concernId, chunk))).length;
      counts.emails += (await db.select({ id: outboxEmails.id }).from(outboxEmails).where(inArray(outboxEmails.concernId, chunk))).length;
    }
    const links = (await db.select({ id: linkTokens.id }).from(linkTokens).where(linksDue)).map((l) => l.id);
    counts.linkTokens = links.length;
    for (let i = 0; i < links.length; i += size) {
      counts.linkRedemptions += (await db.select({ id: linkRedemptions.id }).from(linkRedemptions).where(inArray(linkRedemptions.linkId, links.slice(i, i + size)))).length;
    }
    counts.customerSessions = (await db.select({ id: customerSessions.idHash }).from(customerSessions).where(customerSessionsDue)).length;
    counts.staffSessions = (await db.select({ id: staffSessions.idHash }).from(staffSessions).where(staffSessionsDue)).length;
    counts.embedTokenUses = await countWhere(db, "embed_token_uses", embedDue);
    counts.formSubmissions = await countWhere(db, "form_submissions", createdDue);
    counts.idempotencyKeys = await countWhere(db, "idempotency_keys", createdDue);
    return counts;
  }

  // Keyset pagination: each batch starts after the last one's highest id, so rows already seen are not read again.
  let afterId = 0;
  await inBatches(size, async () => {
    // Found before the write transaction, not inside it (this read walks the concerns): on SQLite
    // the agents' decisions wait for the one writer. The transaction checks each one again.
    const found = (await db.select({ id: concerns.id }).from(concerns).where(and(gt(concerns.id, afterId), dueConcerns(cutoff.concerns))).orderBy(concerns.id).limit(size)).map((c) => c.id);
    if (found.length === 0) return 0;
    afterId = found[found.length - 1]!;
    return db.transaction(async (tx) => {
      const ids = (await tx.select({ id: concerns.id }).from(concerns).where(and(inArray(concerns.id, found), dueConcerns(cutoff.concerns)))).map((c) => c.id);
      if (ids.length === 0) return found.length;
      counts.messages += (
        await tx.update(concernMessages).set({ body: RETENTION_REDACTION_MARKER }).where(and(inArray(concernMessages.concernId, ids), ne(concernMessages.body, RETENTION_REDACTION_MARKER))).returning({ id: concernMessages.id })
      ).length;
      counts.emails += (await tx.delete(outboxEmails).where(inArray(outboxEmails.concernId, ids)).returning({ id: outboxEmails.id })).length;
      await tx
        .update(concerns)
        .set({
          description: RETENTION_REDACTION_MARKER,
          desiredOutcome: sql`case when ${concerns.desiredOutcome} = '' then '' else ${RETENTION_REDACTION_MARKER} end`,
          outcomeReason: sql`case when ${concerns.outcomeReason} is null then null else ${RETENTION_REDACTION_MARKER} end`,
          contactEmail: null,
          trackingTokenHash: null,
          customerId: null,
          reporterName: null,
          reporterStaffId: null,
          // The search form keeps only the reference (ASCII: lower() folds it as searchKey would).
          searchText: sql`lower(${concerns.ref})`,
        })
        .where(inArray(concerns.id, ids));
      counts.concerns += ids.length;
      return found.length;
    });
  });

  await inBatches(size, () =>
    db.transaction(async (tx) => {
      const ids = (await tx.select({ id: linkTokens.id }).from(linkTokens).where(linksDue).limit(size)).map((l) => l.id);
      if (ids.length === 0) return 0;
      counts.linkRedemptions += (await tx.delete(linkRedemptions).where(inArray(linkRedemptions.linkId, ids)).returning({ id: linkRedemptions.id })).length;
      await tx.update(customerSessions).set({ linkId: null }).where(inArray(customerSessions.linkId, ids));
      counts.linkTokens += (await tx.delete(linkTokens).where(inArray(linkTokens.id, ids)).returning({ id: linkTokens.id })).length;
      return ids.length;
    }),
  );
  counts.customerSessions = await inBatches(size, () =>
    db.transaction(async (tx) => {
      const ids = (await tx.select({ id: customerSessions.idHash }).from(customerSessions).where(customerSessionsDue).limit(size)).map((s) => s.id);
      if (ids.length > 0) await tx.delete(customerSessions).where(inArray(customerSessions.idHash, ids));
      return ids.length;
    }),
  );
  counts.staffSessions = await inBatches(size, () =>
    db.transaction(async (tx) => {
      const ids = (await tx.select({ id: staffSessions.idHash }).from(staffSessions).where(staffSessionsDue).limit(size)).map((s) => s.id);
      if (ids.length > 0) await tx.delete(staffSessions).where(inArray(staffSessions.idHash, ids));
      return ids.length;
    }),
  );
  counts.embedTokenUses = await inBatches(size, () => db.transaction((tx) => deleteSome(tx, "embed_token_uses", embedDue, size)));
  counts.formSubmissions = await inBatches(size, () => db.transaction((tx) => deleteSome(tx, "form_submissions", createdDue, size)));
  counts.idempotencyKeys = await inBatches(size, () => db.transaction((tx) => deleteSome(tx, "idempotency_keys", createdDue, size)));

  if (Object.values(counts).some((n) => n > 0)) {
    await db.transaction((tx) =>
      appendAudit(tx, {
        actor: options.actor ?? { type: "system" },
        action: "retention.purged",
        target: null,
        details: { ...counts, retentionClosedConcernMonths: months, retentionLinksAndSessionsDays: days },
        now,
      }),
    );
  }
  return counts;
}

/**
 * The daily job (the worker's tick calls it): runs `purgeExpiredPersonalData` at most once per
 * company-zone day across every instance — inserting the day's `retention_runs` row is the claim; an
 * instance that finds the row there does nothing. Resolves to the number of rows the run handled
 * (0 when the day's run already happened).
 */
export async function purgeTick(db: Db, now: number): Promise<number> {
  const day = localDay(now, companyTimeZone());
  try {
    await db.insert(retentionRuns).values({ day, startedAt: now });
  } catch (error) {
    if (isUniqueViolation(error)) return 0;
    throw error;
  }
  const counts = await purgeExpiredPersonalData(db, now);
  await db.update(retentionRuns).set({ finishedAt: Date.now(), counts: JSON.stringify(counts) }).where(eq(retentionRuns.day, day));
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** The last days the daily purge ran, newest first (for operators and tests). */
export async function recentPurgeRuns(db: Db, limit = 7): Promise<Array<{ day: string; startedAt: number; finishedAt: number | null; counts: PurgeCounts | null }>> {
  const rows = await db.select().from(retentionRuns).where(isNotNull(retentionRuns.day)).orderBy(sql`${retentionRuns.day} desc`).limit(limit);
  return rows.map((r) => ({ day: r.day, startedAt: r.startedAt, finishedAt: r.finishedAt, counts: r.counts ? (JSON.parse(r.counts) as PurgeCounts) : null }));
}
