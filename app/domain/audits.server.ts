/**
 * Audits of AI systems (SPEC §12 "Audits of AI systems"; AI Act Art. 26(1),(5) — the deployer
 * monitors the system's operation and keeps evidence of it). Each register entry has an audit
 * interval in calendar months (default 12). An audit records its day, auditor, scope, findings,
 * result and the actions it asks for (owner, due day, done or not), plus a one-paragraph public
 * summary per language that the public register shows.
 *
 * Days (`auditedOn`, `dueOn`) are calendar days "YYYY-MM-DD" in the company's time zone. The next
 * audit is due on the day `interval` calendar months after the last audit's day (31 January + 1
 * month → 28/29 February); a system never audited is due since the day it was registered. A due day
 * is overdue once it has passed (from the start of the following day). Instants are ms since epoch.
 *
 * Who may record audits is checked by the routes (`audits.record`); every change is in the audit log
 * in the same transaction.
 */
import { addMonths, format } from "date-fns";
import { and, asc, desc, eq, gte, inArray, isNull, lt, max } from "drizzle-orm";
import {
  aiSystemAuditActions,
  aiSystemAudits,
  aiSystemAuditSummaries,
  aiSystems,
  aiSystemTexts,
  staffUsers,
} from "../../db/schema";
import type { Db } from "../utils/db.server";
import { addDays, dayStart, localDay, type IsoDay } from "../utils/calendar";
import { DEFAULT_LANG, LANGUAGES } from "../utils/languages";
import { appendAudit } from "./audit.server";
import { companyTimeZone } from "./settings.server";

export const AUDIT_RESULTS = ["passed", "passed_with_actions", "failed"] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];
export const DEFAULT_AUDIT_INTERVAL_MONTHS = 12;
export const MIN_AUDIT_INTERVAL_MONTHS = 1;
export const MAX_AUDIT_INTERVAL_MONTHS = 60;
/** Open actions due within this many days (or overdue) are "due" for the start page and reminders. */
export const ACTION_DUE_SOON_DAYS = 7;
/** Field size limits (characters), shared with the forms. */
export const AUDIT_LIMITS = { auditorName: 120, scope: 2000, findings: 5000, summary: 1200, actionText: 500 } as const;

export type AuditErrorCode = "notFound" | "englishSummaryRequired" | "ownerUnknown" | "auditorUnknown" | "invalidDay" | "alreadyDone";

/** A change the audit module refuses; the route turns the code into a translated message. */
export class AuditInputError extends Error {
  constructor(public readonly code: AuditErrorCode) {
    super(code);
  }
}

export interface AuditActor {
  staffId: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `value` is a real calendar day "YYYY-MM-DD" (2026-02-30 is not). */
export function isCalendarDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d, 12);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d;
}

/** The calendar day `months` calendar months after `day` (the month's last day when the day does not exist). */
export function addCalendarMonths(day: IsoDay, months: number): IsoDay {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return format(addMonths(new Date(y, m - 1, d, 12), months), "yyyy-MM-dd");
}

/**
 * The day the next audit is due (SPEC §12): the last audit's day + `intervalMonths` calendar months,
 * or — never audited — the day the system was registered (`createdAt`, ms, in `timeZone`).
 */
export function nextAuditDueDay(lastAuditedOn: IsoDay | null, intervalMonths: number, createdAt: number, timeZone: string): IsoDay {
  return lastAuditedOn ? addCalendarMonths(lastAuditedOn, intervalMonths) : localDay(createdAt, timeZone);
}

/** Whether a due day has passed at `now` (ms): from the start of the following day in `timeZone`. */
export function isPastDay(day: IsoDay, now: number, timeZone: string): boolean {
  return now >= dayStart(addDays(day, 1), timeZone);
}

// ── Reading ─────────────────────────────────────────────────────────────────

interface SystemAuditState {
  id: number;
  slug: string;
  status: string;
  createdAt: number;
  auditIntervalMonths: number;
  lastAuditedOn: IsoDay | null;
}

async function systemAuditStates(db: Db, systemIds?: number[]): Promise<SystemAuditState[]> {
  const last = db
    .select({ systemId: aiSystemAudits.systemId, lastAuditedOn: max(aiSystemAudits.auditedOn).as("last_audited_on") })
    .from(aiSystemAudits)
    .groupBy(aiSystemAudits.systemId)
    .as("last_audits");
  const rows = await db
    .select({
      id: aiSystems.id,
      slug: aiSystems.slug,
      status: aiSystems.status,
      createdAt: aiSystems.createdAt,
      auditIntervalMonths: aiSystems.auditIntervalMonths,
      lastAuditedOn: last.lastAuditedOn,
    })
    .from(aiSystems)
    .leftJoin(last, eq(last.systemId, aiSystems.id))
    .where(systemIds ? inArray(aiSystems.id, systemIds) : undefined)
    .orderBy(asc(aiSystems.id));
  return rows.map((r) => ({ ...r, lastAuditedOn: r.lastAuditedOn ?? null }));
}

async function englishNames(db: Db, systemIds: number[]): Promise<Map<number, string>> {
  if (systemIds.length === 0) return new Map();
  const rows = await db
    .select({ systemId: aiSystemTexts.systemId, name: aiSystemTexts.name })
    .from(aiSystemTexts)
    .where(and(inArray(aiSystemTexts.systemId, systemIds), eq(aiSystemTexts.lang, DEFAULT_LANG)));
  return new Map(rows.map((r) => [r.systemId, r.name]));
}

export interface AuditDue {
  systemId: number;
  slug: string;
  /** The system's name in English (the slug when it has no English text). */
  name: string;
  /** Start (company zone) of the last audit's day, or null when never audited. */
  lastAuditedAt: number | null;
  /** Start (company zone) of the day the next audit is due. */
  nextDueAt: number;
  /** The due day has passed. */
  overdue: boolean;
}

/**
 * Systems (not retired) whose next audit is due before `now + withinMs` (ms), overdue ones
 * included, soonest first. For the console's start page and the "overdue audit" staff email
 * (SPEC §12). `withinMs` 0 → only those already due.
 */
export async function auditsDue(db: Db, now: number, withinMs: number): Promise<AuditDue[]> {
  const timeZone = companyTimeZone();
  const states = (await systemAuditStates(db)).filter((s) => s.status !== "retired");
  const due = states
    .map((s) => {
      const dueDay = nextAuditDueDay(s.lastAuditedOn, s.auditIntervalMonths, s.createdAt, timeZone);
      return { state: s, dueDay, nextDueAt: dayStart(dueDay, timeZone) };
    })
    .filter((d) => d.nextDueAt < now + withinMs)
    .sort((a, b) => a.nextDueAt - b.nextDueAt || a.state.id - b.state.id);
  const names = await englishNames(db, due.map((d) => d.state.id));
  return due.map(({ state, dueDay, nextDueAt }) => ({
    systemId: state.id,
    slug: state.slug,
    name: names.get(state.id) ?? state.slug,
    lastAuditedAt: state.lastAuditedOn ? dayStart(state.lastAuditedOn, timeZone) : null,
    nextDueAt,
    overdue: isPastDay(dueDay, now, timeZone),
  }));
}

export interface AuditActionDue {
  actionId: number;
  systemSlug: string;
  text: string;
  ownerId: number | null;
  /** Start (company zone) of the action's due day. */
  dueAt: number;
  /** The due day has passed. */
  overdue: boolean;
}

/**
 * Open audit actions (not done) due within `ACTION_DUE_SOON_DAYS` days of `now` (ms) or overdue,
 * soonest first. For the start page and reminders (SPEC §12 "actions with owners and due dates").
 */
export async function openAuditActionsDue(db: Db, now: number): Promise<AuditActionDue[]> {
  const timeZone = companyTimeZone();
  const horizon = addDays(localDay(now, timeZone), ACTION_DUE_SOON_DAYS);
  const rows = await db
    .select({
      actionId: aiSystemAuditActions.id,
      systemSlug: aiSystems.slug,
      text: aiSystemAuditActions.text,
      ownerId: aiSystemAuditActions.ownerId,
      dueOn: aiSystemAuditActions.dueOn,
    })
    .from(aiSystemAuditActions)
    .innerJoin(aiSystems, eq(aiSystems.id, aiSystemAuditActions.systemId))
    .where(and(isNull(aiSystemAuditActions.doneAt), lt(aiSystemAuditActions.dueOn, addDays(horizon, 1))))
    .orderBy(asc(aiSystemAuditActions.dueOn), asc(aiSystemAuditActions.id));
  return rows.map((r) => ({
    actionId: r.actionId,
    systemSlug: r.systemSlug,
    text: r.text,
    ownerId: r.ownerId,
    dueAt: dayStart(r.dueOn, timeZone),
    overdue: isPastDay(r.dueOn, now, timeZone),
  }));
}

export interface AuditActionView {
  id: number;
  text: string;
  ownerId: number | null;
  ownerName: string | null;
  dueOn: IsoDay;
  doneAt: number | null;
  overdue: boolean;
}

export interface AuditView {
  id: number;
  auditedOn: IsoDay;
  auditorName: string;
  auditorStaffId: number | null;
  scope: string;
  findings: string;
  result: AuditResult;
  /** Public summary per language that has one. */
  summaries: Partial<Record<string, string>>;
  actions: AuditActionView[];
  updatedAt: number;
}

export interface SystemAudits {
  system: { id: number; slug: string; status: string; auditIntervalMonths: number };
  lastAuditedOn: IsoDay | null;
  nextDueOn: IsoDay;
  overdue: boolean;
  /** Newest first. */
  audits: AuditView[];
}

/** One system's audit history for the staff page (newest first), or undefined for an unknown slug. */
export async function getSystemAudits(db: Db, slug: string, now: number): Promise<SystemAudits | undefined> {
  const timeZone = companyTimeZone();
  const [system] = await db
    .select({ id: aiSystems.id, slug: aiSystems.slug, status: aiSystems.status, createdAt: aiSystems.createdAt, auditIntervalMonths: aiSystems.auditIntervalMonths })
    .from(aiSystems)
    .where(eq(aiSystems.slug, slug))
    .limit(1);
  if (!system) return undefined;
  const audits = await db
    .select()
    .from(aiSystemAudits)
    .where(eq(aiSystemAudits.systemId, system.id))
    .orderBy(desc(aiSystemAudits.auditedOn), desc(aiSystemAudits.id));
  const ids = audits.map((a) => a.id);
  const summaries = ids.length ? await db.select().from(aiSystemAuditSummaries).where(inArray(aiSystemAuditSummaries.auditId, ids)) : [];
  const actions = ids.length
    ? await db
        .select({ action: aiSystemAuditActions, ownerName: staffUsers.name })
        .from(aiSystemAuditActions)
        .leftJoin(staffUsers, eq(staffUsers.id, aiSystemAuditActions.ownerId))
        .where(inArray(aiSystemAuditActions.auditId, ids))
        .orderBy(asc(aiSystemAuditActions.dueOn), asc(aiSystemAuditActions.id))
    : [];
  const lastAuditedOn = audits[0]?.auditedOn ?? null;
  const nextDueOn = nextAuditDueDay(lastAuditedOn, system.auditIntervalMonths, system.createdAt, timeZone);
  return {
    system: { id: system.id, slug: system.slug, status: system.status, auditIntervalMonths: system.auditIntervalMonths },
    lastAuditedOn,
    nextDueOn,
    overdue: system.status !== "retired" && isPastDay(nextDueOn, now, timeZone),
    audits: audits.map((a) => ({
      id: a.id,
      auditedOn: a.auditedOn,
      auditorName: a.auditorName,
      auditorStaffId: a.auditorStaffId,
      scope: a.scope,
      findings: a.findings,
      result: a.result as AuditResult,
      updatedAt: a.updatedAt,
      summaries: Object.fromEntries(summaries.filter((s) => s.auditId === a.id).map((s) => [s.lang, s.summary])),
      actions: actions
        .filter((r) => r.action.auditId === a.id)
        .map(({ action, ownerName }) => ({
          id: action.id,
          text: action.text,
          ownerId: action.ownerId,
          ownerName: ownerName ?? null,
          dueOn: action.dueOn,
          doneAt: action.doneAt,
          overdue: action.doneAt === null && isPastDay(action.dueOn, now, timeZone),
        })),
    })),
  };
}

export interface PublicAuditSummary {
  /** Start (company zone) of the last audit's day. */
  auditedAt: number;
  /** passed | passed_with_actions | failed */
  result: string;
  summary: string;
  /** The summary's language: `lang`, or English as a visible fallback. */
  summaryLang: string;
}

/**
 * The last audit of each of `systemIds` (those audited at all) with its public summary in `lang`,
 * else English (SPEC §12: the public register shows "last audited" and the summary). Two queries
 * whatever the number of systems.
 */
export async function publicAuditSummaries(db: Db, systemIds: number[], lang: string): Promise<Map<number, PublicAuditSummary>> {
  const result = new Map<number, PublicAuditSummary>();
  if (systemIds.length === 0) return result;
  const timeZone = companyTimeZone();
  const audits = await db
    .select({ id: aiSystemAudits.id, systemId: aiSystemAudits.systemId, auditedOn: aiSystemAudits.auditedOn, result: aiSystemAudits.result })
    .from(aiSystemAudits)
    .where(inArray(aiSystemAudits.systemId, systemIds))
    .orderBy(desc(aiSystemAudits.auditedOn), desc(aiSystemAudits.id));
  const latest = new Map<number, (typeof audits)[number]>();
  for (const audit of audits) if (!latest.has(audit.systemId)) latest.set(audit.systemId, audit);
  const auditIds = Array.from(latest, ([, a]) => a.id);
  if (auditIds.length === 0) return result;
  const summaries = await db
    .select()
    .from(aiSystemAuditSummaries)
    .where(and(inArray(aiSystemAuditSummaries.auditId, auditIds), inArray(aiSystemAuditSummaries.lang, [lang, DEFAULT_LANG])));
  for (const [systemId, audit] of latest) {
    const own = summaries.find((s) => s.auditId === audit.id && s.lang === lang) ?? summaries.find((s) => s.auditId === audit.id && s.lang === DEFAULT_LANG);
    result.set(systemId, {
      auditedAt: dayStart(audit.auditedOn, timeZone),
      result: audit.result,
      summary: own?.summary ?? "",
      summaryLang: own?.lang ?? DEFAULT_LANG,
    });
  }
  return result;
}

export interface AuditsPerQuarter {
  /** "2026-Q3" (company zone). */
  quarter: string;
  audits: number;
  passed: number;
  passedWithActions: number;
  failed: number;
}

/** The quarter "YYYY-Qn" of a calendar day. */
export function quarterOf(day: IsoDay): string {
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

/** Audits done per calendar quarter (of their day) from `fromDay` on, by result; for the public statistics. */
export async function auditsPerQuarter(db: Db, fromDay: IsoDay): Promise<AuditsPerQuarter[]> {
  const rows = await db
    .select({ auditedOn: aiSystemAudits.auditedOn, result: aiSystemAudits.result })
    .from(aiSystemAudits)
    .where(gte(aiSystemAudits.auditedOn, fromDay));
  const quarters = new Map<string, AuditsPerQuarter>();
  for (const row of rows) {
    const quarter = quarterOf(row.auditedOn);
    const entry = quarters.get(quarter) ?? { quarter, audits: 0, passed: 0, passedWithActions: 0, failed: 0 };
    entry.audits += 1;
    if (row.result === "passed") entry.passed += 1;
    else if (row.result === "passed_with_actions") entry.passedWithActions += 1;
    else entry.failed += 1;
    quarters.set(quarter, entry);
  }
  return Array.from(quarters, ([, q]) => q).sort((a, b) => a.quarter.localeCompare(b.quarter));
}

// ── Changing ────────────────────────────────────────────────────────────────

export interface AuditInput {
  auditedOn: IsoDay;
  auditorName: string;
  auditorStaffId: number | null;
  scope: string;
  findings: string;
  result: AuditResult;
  /** Public summary per language; English is required (the fallback), others optional. */
  summaries: Partial<Record<string, string>>;
}

export interface ActionInput {
  text: string;
  ownerId: number | null;
  dueOn: IsoDay;
}

async function systemBySlug(db: Db, slug: string) {
  const [system] = await db.select({ id: aiSystems.id, slug: aiSystems.slug }).from(aiSystems).where(eq(aiSystems.slug, slug)).limit(1);
  if (!system) throw new AuditInputError("notFound");
  return system;
}

async function checkStaff(db: Db, id: number | null, code: AuditErrorCode) {
  if (id === null) return;
  const [staff] = await db.select({ id: staffUsers.id }).from(staffUsers).where(and(eq(staffUsers.id, id), isNull(staffUsers.disabledAt))).limit(1);
  if (!staff) throw new AuditInputError(code);
}

function cleanSummaries(summaries: Partial<Record<string, string>>): [string, string][] {
  const entries = LANGUAGES.map((lang) => [lang, summaries[lang]?.trim() ?? ""] as [string, string]).filter(([, text]) => text !== "");
  if (!entries.some(([lang]) => lang === DEFAULT_LANG)) throw new AuditInputError("englishSummaryRequired");
  return entries;
}

function checkAudit(input: AuditInput) {
  if (!isCalendarDay(input.auditedOn)) throw new AuditInputError("invalidDay");
}

/**
 * Records an audit of the system `slug` with its public summaries and actions, in one transaction
 * with its audit-log entry ("ai_system_audit.record"). Errors: AuditInputError notFound (slug),
 * englishSummaryRequired, invalidDay, auditorUnknown / ownerUnknown (no such active staff member).
 * Returns the new audit's id.
 */
export async function recordAudit(db: Db, slug: string, input: AuditInput, actions: ActionInput[], actor: AuditActor, now = Date.now()): Promise<number> {
  checkAudit(input);
  const summaries = cleanSummaries(input.summaries);
  return db.transaction(async (tx) => {
    const system = await systemBySlug(tx, slug);
    await checkStaff(tx, input.auditorStaffId, "auditorUnknown");
    for (const action of actions) {
      if (!isCalendarDay(action.dueOn)) throw new AuditInputError("invalidDay");
      await checkStaff(tx, action.ownerId, "ownerUnknown");
    }
    const [audit] = await tx
      .insert(aiSystemAudits)
      .values({
        systemId: system.id,
        auditedOn: input.auditedOn,
        auditorName: input.auditorName.trim(),
        auditorStaffId: input.auditorStaffId,
        scope: input.scope.trim(),
        findings: input.findings.trim(),
        result: input.result,
        recordedBy: actor.staffId,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: aiSystemAudits.id });
    const auditId = audit!.id;
    await tx.insert(aiSystemAuditSummaries).values(summaries.map(([lang, summary]) => ({ auditId, lang, summary })));
    if (actions.length) {
      await tx.insert(aiSystemAuditActions).values(
        actions.map((a) => ({ auditId, systemId: system.id, text: a.text.trim(), ownerId: a.ownerId, dueOn: a.dueOn, createdAt: now, updatedAt: now })),
      );
    }
    await appendAudit(tx, {
      actor: { type: "staff", id: actor.staffId },
      action: "ai_system_audit.record",
      target: { type: "ai_system_audit", id: auditId },
      details: { system: system.slug, auditedOn: input.auditedOn, result: input.result, actions: actions.length, languages: summaries.map(([l]) => l).join(",") },
      now,
    });
    return auditId;
  });
}

/**
 * Corrects a recorded audit (every field and the summaries; summaries left empty are removed),
 * audited as "ai_system_audit.correct" with the names of the fields that changed. Errors as
 * `recordAudit`; notFound also when the audit belongs to another system.
 */
export async function correctAudit(db: Db, slug: string, auditId: number, input: AuditInput, actor: AuditActor, now = Date.now()): Promise<void> {
  checkAudit(input);
  const summaries = cleanSummaries(input.summaries);
  await db.transaction(async (tx) => {
    const system = await systemBySlug(tx, slug);
    const [current] = await tx
      .select()
      .from(aiSystemAudits)
      .where(and(eq(aiSystemAudits.id, auditId), eq(aiSystemAudits.systemId, system.id)))
      .limit(1);
    if (!current) throw new AuditInputError("notFound");
    await checkStaff(tx, input.auditorStaffId !== current.auditorStaffId ? input.auditorStaffId : null, "auditorUnknown");
    const next = {
      auditedOn: input.auditedOn,
      auditorName: input.auditorName.trim(),
      auditorStaffId: input.auditorStaffId,
      scope: input.scope.trim(),
      findings: input.findings.trim(),
      result: input.result,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== current[k]);
    const before = await tx.select().from(aiSystemAuditSummaries).where(eq(aiSystemAuditSummaries.auditId, auditId));
    const summariesChanged =
      before.length !== summaries.length || summaries.some(([lang, text]) => before.find((b) => b.lang === lang)?.summary !== text);
    await tx.update(aiSystemAudits).set({ ...next, updatedAt: now }).where(eq(aiSystemAudits.id, auditId));
    if (summariesChanged) {
      await tx.delete(aiSystemAuditSummaries).where(eq(aiSystemAuditSummaries.auditId, auditId));
      await tx.insert(aiSystemAuditSummaries).values(summaries.map(([lang, summary]) => ({ auditId, lang, summary })));
      changed.push("summaries" as never);
    }
    await appendAudit(tx, {
      actor: { type: "staff", id: actor.staffId },
      action: "ai_system_audit.correct",
      target: { type: "ai_system_audit", id: auditId },
      details: { system: system.slug, changed: changed.join(",") },
      now,
    });
  });
}

/** Adds an action to an audit of `slug` (audited "ai_system_audit.action_add"); returns its id. Errors: notFound, ownerUnknown, invalidDay. */
export async function addAuditAction(db: Db, slug: string, auditId: number, input: ActionInput, actor: AuditActor, now = Date.now()): Promise<number> {
  if (!isCalendarDay(input.dueOn)) throw new AuditInputError("invalidDay");
  return db.transaction(async (tx) => {
    const system = await systemBySlug(tx, slug);
    const [audit] = await tx
      .select({ id: aiSystemAudits.id })
      .from(aiSystemAudits)
      .where(and(eq(aiSystemAudits.id, auditId), eq(aiSystemAudits.systemId, system.id)))
      .limit(1);
    if (!audit) throw new AuditInputError("notFound");
    await checkStaff(tx, input.ownerId, "ownerUnknown");
    const [action] = await tx
      .insert(aiSystemAuditActions)
      .values({ auditId, systemId: system.id, text: input.text.trim(), ownerId: input.ownerId, dueOn: input.dueOn, createdAt: now, updatedAt: now })
      .returning({ id: aiSystemAuditActions.id });
    await appendAudit(tx, {
      actor: { type: "staff", id: actor.staffId },
      action: "ai_system_audit.action_add",
      target: { type: "ai_system_audit_action", id: action!.id },
      details: { system: system.slug, audit: auditId, owner: input.ownerId, dueOn: input.dueOn },
      now,
    });
    return action!.id;
  });
}

/** Marks an open action of `slug` done at `now` (audited "ai_system_audit.action_done"). Errors: notFound, alreadyDone. */
export async function completeAuditAction(db: Db, slug: string, actionId: number, actor: AuditActor, now = Date.now()): Promise<void> {
  await db.transaction(async (tx) => {
    const system = await systemBySlug(tx, slug);
    const [action] = await tx
      .select({ id: aiSystemAuditActions.id, doneAt: aiSystemAuditActions.doneAt, auditId: aiSystemAuditActions.auditId })
      .from(aiSystemAuditActions)
      .where(and(eq(aiSystemAuditActions.id, actionId), eq(aiSystemAuditActions.systemId, system.id)))
      .limit(1);
    if (!action) throw new AuditInputError("notFound");
    if (action.doneAt !== null) throw new AuditInputError("alreadyDone");
    await tx
      .update(aiSystemAuditActions)
      .set({ doneAt: now, doneBy: actor.staffId, updatedAt: now })
      .where(and(eq(aiSystemAuditActions.id, actionId), isNull(aiSystemAuditActions.doneAt)));
    await appendAudit(tx, {
      actor: { type: "staff", id: actor.staffId },
      action: "ai_system_audit.action_done",
      target: { type: "ai_system_audit_action", id: actionId },
      details: { system: system.slug, audit: action.auditId },
      now,
    });
  });
}

/** Sets the audit interval (whole months, 1–60) of `slug` (audited "ai_system.audit_interval"). Errors: notFound. Returns whether it changed. */
export async function setAuditInterval(db: Db, slug: string, months: number, actor: AuditActor, now = Date.now()): Promise<boolean> {
  if (!Number.isInteger(months) || months < MIN_AUDIT_INTERVAL_MONTHS || months > MAX_AUDIT_INTERVAL_MONTHS) throw new RangeError("audit interval out of range");
  return db.transaction(async (tx) => {
    const [system] = await tx
      .select({ id: aiSystems.id, months: aiSystems.auditIntervalMonths })
      .from(aiSystems)
      .where(eq(aiSystems.slug, slug))
      .limit(1);
    if (!system) throw new AuditInputError("notFound");
    if (system.months === months) return false;
    await tx.update(aiSystems).set({ auditIntervalMonths: months }).where(eq(aiSystems.id, system.id));
    await appendAudit(tx, {
      actor: { type: "staff", id: actor.staffId },
      action: "ai_system.audit_interval",
      target: { type: "ai_system", id: system.id },
      details: { system: slug, from: system.months, to: months },
      now,
    });
    return true;
  });
}

/** Active staff members who can own an action or be the auditor (id, name), by name. */
export async function auditStaffChoices(db: Db): Promise<{ id: number; name: string }[]> {
  return db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(isNull(staffUsers.disabledAt)).orderBy(asc(staffUsers.name));
}
