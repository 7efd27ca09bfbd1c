/**
 * What the crash test checks while the server is down: every acknowledged write is there, nothing
 * is half-written (each change with the rows its transaction writes beside it), the database's own
 * integrity checks pass, and the audit chain verifies (app/domain/audit.server.ts verifyAudit).
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import { verifyAudit } from "../../app/domain/audit.server";
import { getPreferences } from "../../app/domain/preferences.server";
import type { AnyDatabase } from "../../app/utils/db.server";
import { auditLog, concernEvents, concernMessages, concerns, consentEvents, customers, decisions, outboxEmails, preferences, webhookDeliveries } from "../../db/schema";
import { ROTATED_CHOICE, type CrashFixture } from "./fixture";
import type { Journal, PreferenceOutcome } from "./load";

export interface CheckResult {
  /** Acknowledged writes not found. */
  lost: number;
  /** Every failed check, in words (lost writes first, then half-written rows, integrity, audit). */
  problems: string[];
  auditEntries: number;
  /** Each customer's current choices and each staff case's revision: where the next round starts. */
  choiceValues: Map<string, Record<string, string>>;
  caseRevisions: Map<string, number>;
}

const CHUNK = 500;
const EARLIER_DECISIONS_SAMPLED = 1000;
/** Problems listed per kind before "… and N more". */
const LISTED = 5;

async function inChunks<T, R>(items: T[], query: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const rows: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) rows.push(...(await query(items.slice(i, i + CHUNK))));
  return rows;
}

function payloadData(payload: string): Record<string, unknown> {
  try {
    return ((JSON.parse(payload) as { data?: Record<string, unknown> }).data ?? {}) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function detailsOf(details: string): Record<string, unknown> {
  try {
    return JSON.parse(details) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * Checks the journal against `database` after round `round`. `full`: every acknowledged decision
 * of every round (else this round's and a sample of earlier ones). `previousAuditEntries`: the
 * chain may only have grown since the last check.
 */
export async function checkRound(
  database: AnyDatabase,
  fixture: CrashFixture,
  journal: Journal,
  options: { round: number; outcomes: PreferenceOutcome[]; full: boolean; previousAuditEntries: number; random: () => number },
): Promise<CheckResult> {
  const { db } = database;
  const lostLines: string[] = [];
  const halfLines: string[] = [];
  let lost = 0;
  const missing = (line: string) => {
    lost += 1;
    lostLines.push(line);
  };

  // ── Decisions: each acknowledged decisionId is a stored decision of that customer and action.
  const thisRound = journal.decisions.filter((d) => d.round === options.round);
  const earlier = journal.decisions.filter((d) => d.round !== options.round);
  const sampled = options.full ? earlier : Array.from({ length: Math.min(EARLIER_DECISIONS_SAMPLED, earlier.length) }, () => earlier[Math.floor(options.random() * earlier.length)]!);
  const checkedDecisions = [...thisRound, ...sampled];
  const storedDecisions = new Map(
    (await inChunks(checkedDecisions.map((d) => d.id), (ids) => db.select({ id: decisions.id, customerId: decisions.customerId, actionKey: decisions.actionKey }).from(decisions).where(inArray(decisions.id, ids)))).map(
      (row) => [row.id, row],
    ),
  );
  for (const acked of checkedDecisions) {
    const row = storedDecisions.get(acked.id);
    if (!row) missing(`decision ${acked.id} (round ${acked.round}) acknowledged but not stored`);
    else if (row.customerId !== acked.customerId || row.actionKey !== acked.action) halfLines.push(`decision ${acked.id} stored for ${row.customerId}/${row.actionKey}, answered for ${acked.customerId}/${acked.action}`);
  }

  // ── Preferences: each acknowledged save has its consent event (value, time of the save); the
  // preference row, the customer's version and the webhook queue agree with the events.
  const events = await db
    .select({ id: consentEvents.id, customerId: consentEvents.customerId, choiceKey: consentEvents.choiceKey, value: consentEvents.value, createdAt: consentEvents.createdAt })
    .from(consentEvents);
  const eventKeys = new Set(events.map((e) => `${e.customerId}|${e.choiceKey}|${e.createdAt}|${e.value}`));
  for (const acked of journal.preferences) {
    if (!eventKeys.has(`${acked.customerId}|${ROTATED_CHOICE}|${acked.savedAt}|${acked.value}`)) {
      missing(`preference save of ${acked.customerId} (${ROTATED_CHOICE}=${acked.value} at ${acked.savedAt}, round ${acked.round}) acknowledged but its consent event is missing`);
    }
  }
  for (const event of events.filter((e) => e.choiceKey !== ROTATED_CHOICE)) {
    halfLines.push(`consent event ${event.id} for ${event.customerId}/${event.choiceKey}: the clients only changed ${ROTATED_CHOICE}`);
  }
  const prefRows = await db.select().from(preferences).where(eq(preferences.choiceKey, ROTATED_CHOICE));
  const versions = new Map((await db.select({ id: customers.id, version: customers.preferenceVersion }).from(customers)).map((c) => [c.id, c.version]));
  const deliveries = await db.select({ event: webhookDeliveries.event, payload: webhookDeliveries.payload }).from(webhookDeliveries);
  const preferenceHooks = deliveries.filter((d) => d.event === "preferences.changed").map((d) => payloadData(d.payload));
  for (const customer of fixture.customers) {
    const own = events.filter((e) => e.customerId === customer.id && e.choiceKey === ROTATED_CHOICE).sort((a, b) => a.id - b.id);
    const last = own.at(-1);
    const row = prefRows.find((p) => p.customerId === customer.id);
    if (last && (!row || row.value !== last.value || row.updatedAt !== last.createdAt)) {
      halfLines.push(`${customer.id}: preference ${ROTATED_CHOICE}=${row?.value ?? "(none)"} at ${row?.updatedAt ?? "-"} but the last consent event says ${last.value} at ${last.createdAt}`);
    }
    if (!last && row) halfLines.push(`${customer.id}: preference ${ROTATED_CHOICE}=${row.value} without a consent event`);
    const initial = fixture.initialVersions.get(customer.id) ?? 0;
    const version = versions.get(customer.id) ?? 0;
    if (version - initial !== own.length) halfLines.push(`${customer.id}: preference version ${version} (from ${initial}) but ${own.length} consent events`);
    const hookVersions = preferenceHooks.filter((d) => d.customerId === customer.id).map((d) => Number(d.preferenceVersion)).sort((a, b) => a - b);
    const expected = Array.from({ length: version - initial }, (_, i) => initial + i + 1);
    if (JSON.stringify(hookVersions) !== JSON.stringify(expected)) {
      halfLines.push(`${customer.id}: preferences.changed webhooks for versions [${hookVersions.slice(-5).join(",")}] (${hookVersions.length}), expected ${initial + 1}…${version}`);
    }
  }
  // The value after the kill is the last one acknowledged, or the one whose answer never came.
  for (const outcome of options.outcomes) {
    const current = prefRows.find((p) => p.customerId === outcome.customerId)?.value ?? outcome.startValue;
    const allowed = [outcome.lastAcked ?? outcome.startValue, ...(outcome.pending ? [outcome.pending] : [])];
    if (!allowed.includes(current)) {
      missing(`${outcome.customerId}: ${ROTATED_CHOICE}=${current} after the crash, but the last acknowledged value was ${outcome.lastAcked ?? outcome.startValue}${outcome.pending ? ` (in flight: ${outcome.pending})` : ""}`);
    }
  }

  // ── Concerns: each acknowledged ref is stored as filed; every concern the clients filed has its
  // status event, audit entry, receipt email and concern.created webhook (one transaction).
  const staffCases = new Set(fixture.staff.map((s) => s.caseRef));
  const concernRows = await db
    .select({ id: concerns.id, ref: concerns.ref, customerId: concerns.customerId, description: concerns.description, revision: concerns.revision })
    .from(concerns);
  const byRef = new Map(concernRows.map((c) => [c.ref, c]));
  for (const acked of journal.concerns) {
    const row = byRef.get(acked.ref);
    if (!row) missing(`concern ${acked.ref} (round ${acked.round}) acknowledged but not stored`);
    else if (row.customerId !== acked.customerId || row.description !== acked.description) halfLines.push(`concern ${acked.ref} stored with other content`);
  }
  const filedEvents = new Set((await db.select({ concernId: concernEvents.concernId }).from(concernEvents).where(and(isNull(concernEvents.fromStatus), eq(concernEvents.toStatus, "new")))).map((e) => e.concernId));
  const audit = await db.select({ action: auditLog.action, targetId: auditLog.targetId, details: auditLog.details }).from(auditLog).where(inArray(auditLog.action, ["concern.filed", "concern.note_added"]));
  const filedAudit = new Set(audit.filter((a) => a.action === "concern.filed").map((a) => a.targetId));
  const receipts = new Set((await db.select({ concernId: outboxEmails.concernId }).from(outboxEmails).where(eq(outboxEmails.template, "concern_received"))).map((e) => e.concernId));
  const createdHooks = new Set(deliveries.filter((d) => d.event === "concern.created").map((d) => payloadData(d.payload).ref));
  for (const concern of concernRows) {
    if (staffCases.has(concern.ref)) continue;
    const without = [
      ...(filedEvents.has(concern.id) ? [] : ["status event"]),
      ...(filedAudit.has(concern.ref) ? [] : ["audit entry"]),
      ...(receipts.has(concern.id) ? [] : ["receipt email"]),
      ...(createdHooks.has(concern.ref) ? [] : ["concern.created webhook"]),
    ];
    if (without.length > 0) halfLines.push(`concern ${concern.ref} without its ${without.join(", ")}`);
  }

  // ── Staff notes: each acknowledged note is on its case; every note has its audit entry; the
  // case's revision counts its notes.
  const messages = await db
    .select({ id: concernMessages.id, concernId: concernMessages.concernId, body: concernMessages.body })
    .from(concernMessages)
    .where(eq(concernMessages.author, "staff"));
  const caseIds = new Map([...staffCases].map((ref) => [ref, byRef.get(ref)?.id]));
  const bodies = new Set(messages.map((m) => `${m.concernId}|${m.body}`));
  for (const acked of journal.notes) {
    if (!bodies.has(`${caseIds.get(acked.caseRef)}|${acked.body}`)) missing(`note on ${acked.caseRef} (round ${acked.round}) acknowledged but not stored: ${acked.body}`);
  }
  const notedIds = new Set(audit.filter((a) => a.action === "concern.note_added").map((a) => Number(detailsOf(a.details).messageId)));
  for (const message of messages) if (!notedIds.has(message.id)) halfLines.push(`staff note ${message.id} without its audit entry`);
  const caseRevisions = new Map<string, number>();
  for (const [ref, id] of caseIds) {
    const revision = byRef.get(ref)?.revision ?? 0;
    caseRevisions.set(ref, revision);
    const notes = messages.filter((m) => m.concernId === id).length;
    const initial = fixture.initialRevisions.get(ref) ?? 1;
    if (revision - initial !== notes) halfLines.push(`case ${ref}: revision ${revision} (from ${initial}) but ${notes} notes`);
  }

  // ── The audit chain.
  const problems: string[] = [];
  const verification = await verifyAudit(db);
  if (!verification.ok) problems.push(`audit chain broken: ${verification.problem} at entry ${verification.atId} of ${verification.entries}`);
  else if (verification.entries < options.previousAuditEntries) problems.push(`audit chain shrank from ${options.previousAuditEntries} to ${verification.entries} entries`);

  const choiceValues = new Map<string, Record<string, string>>();
  for (const customer of fixture.customers) {
    choiceValues.set(customer.id, Object.fromEntries((await getPreferences(db, customer.id)).map((p) => [p.key, p.value])));
  }
  const listed = (lines: string[]) => [...lines.slice(0, LISTED), ...(lines.length > LISTED ? [`… and ${lines.length - LISTED} more`] : [])];
  return {
    lost,
    problems: [...listed(lostLines), ...listed(halfLines), ...problems],
    auditEntries: verification.entries,
    choiceValues,
    caseRevisions,
  };
}

/**
 * The engine's own integrity checks. SQLite: `PRAGMA integrity_check` = ok and
 * `PRAGMA foreign_key_check` empty. PostgreSQL: every foreign key of the schema re-checked by an
 * anti-join (child rows whose parent is missing), and — when the amcheck extension can be created —
 * `bt_index_check(…, heapallindexed)` on every B-tree index and `verify_heapam` on every table.
 * Returns the problems (empty: intact) and what was checked.
 */
export async function checkIntegrity(database: AnyDatabase): Promise<{ problems: string[]; checked: string }> {
  if (database.engine === "sqlite") {
    const integrity = (database.client.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check);
    const foreignKeys = database.client.pragma("foreign_key_check") as { table: string; rowid: number; parent: string }[];
    return {
      problems: [
        ...(integrity.length === 1 && integrity[0] === "ok" ? [] : [`integrity_check: ${integrity.slice(0, 5).join("; ")}`]),
        ...foreignKeys.slice(0, 5).map((v) => `foreign_key_check: ${v.table} row ${v.rowid} → ${v.parent}`),
      ],
      checked: "integrity_check, foreign_key_check",
    };
  }
  const { pool } = database;
  const problems: string[] = [];
  const keys = (
    await pool.query<{ name: string; child: string; parent: string; child_cols: string[]; parent_cols: string[] }>(`
      select c.conname as name, c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
        array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as child_cols,
        array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as parent_cols
      from pg_constraint c where c.contype = 'f' and c.connamespace = 'public'::regnamespace`)
  ).rows;
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  for (const key of keys) {
    const notNull = key.child_cols.map((col) => `c.${quote(col)} is not null`).join(" and ");
    const join = key.child_cols.map((col, i) => `p.${quote(key.parent_cols[i]!)} = c.${quote(col)}`).join(" and ");
    const { rows } = await pool.query<{ orphans: string }>(`select count(*) as orphans from ${key.child} c where ${notNull} and not exists (select 1 from ${key.parent} p where ${join})`);
    if (Number(rows[0]!.orphans) > 0) problems.push(`foreign key ${key.name}: ${rows[0]!.orphans} row(s) of ${key.child} without their ${key.parent}`);
  }
  let amcheck = false;
  try {
    await pool.query("create extension if not exists amcheck");
    amcheck = true;
  } catch {
    // Not installed or not allowed (needs the contrib package and a superuser): the FK checks stand alone.
  }
  let indexes = 0;
  let tables = 0;
  if (amcheck) {
    const indexRows = (
      await pool.query<{ oid: number; name: string }>(`
        select c.oid, c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam
        where am.amname = 'btree' and c.relnamespace = 'public'::regnamespace and c.relpersistence <> 't' and i.indisready and i.indisvalid`)
    ).rows;
    for (const index of indexRows) {
      try {
        await pool.query("select bt_index_check($1::oid, true)", [index.oid]);
        indexes += 1;
      } catch (error) {
        problems.push(`amcheck index ${index.name}: ${(error as Error).message}`);
      }
    }
    const tableRows = (await pool.query<{ name: string }>(`select c.oid::regclass::text as name from pg_class c where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace`)).rows;
    for (const table of tableRows) {
      const { rows } = await pool.query<{ msg: string }>(`select msg from verify_heapam($1::regclass)`, [table.name]);
      if (rows.length > 0) problems.push(`amcheck table ${table.name}: ${rows[0]!.msg}`);
      tables += 1;
    }
  }
  return {
    problems,
    checked: `${keys.length} foreign keys by anti-join` + (amcheck ? `, amcheck on ${indexes} B-tree indexes (heapallindexed) and ${tables} tables` : ", amcheck not available"),
  };
}
