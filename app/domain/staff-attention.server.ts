/**
 * The console's start page (SPEC §12): what needs the signed-in staff member's attention now, by
 * role — their overdue cases and those due within a day, new cases nobody has taken, open serious
 * incidents with their AI Act Art. 73 clock, unanswered permission breaches, audits and audit
 * actions due (AI Act Art. 26), trainings ending (AI Act Art. 4) and open monitoring alerts. Every block is a count
 * (capped at COUNT_CAP: "1,000+" tells enough) and the first LIST_SIZE items, each read from an index
 * range, so the page costs the same at a thousand or a million concerns.
 */
import { and, asc, count, eq, gte, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";
import { concerns, OPEN_CONCERN_PREDICATE } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { incidentReportDueAt } from "./concerns/state.server";
import { can } from "./permissions";
import { expiringTrainings, staffWithoutTraining, EXPIRY_WARNING_DAYS } from "./trainings.server";
import { auditsDue, openAuditActionsDue, type AuditActionDue, type AuditDue } from "./audits.server";
import { openMonitoringAlerts, type OpenMonitoringAlert } from "./monitoring.server";

/** Items listed per block; the block's link shows the rest. */
export const LIST_SIZE = 5;
/** Counts stop here (the page says "at least"). */
export const COUNT_CAP = 1000;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** "Due soon" for cases: within a day. */
export const CASE_SOON_MS = DAY_MS;
/** "Due soon" for audits and trainings: within 30 days. */
export const DUTY_SOON_MS = EXPIRY_WARNING_DAYS * DAY_MS;

export interface AttentionCase {
  ref: string;
  kind: string;
  priority: string;
  status: string;
  /** The queue's due date (ms), or null when none applies. */
  dueAt: number | null;
  /** For serious incidents: when the Art. 73 report is due (ms). */
  reportDueAt?: number | null;
}

export interface AttentionBlock<Item> {
  /** How many there are, at most COUNT_CAP. */
  count: number;
  /** The count reached COUNT_CAP: there may be more. */
  capped: boolean;
  /** The first LIST_SIZE (most urgent first). */
  items: Item[];
}

export interface AttentionTraining {
  staffId: number;
  staffName: string;
  course: string | null;
  /** When it stops counting (ms), or null for "no training at all". */
  validUntil: number | null;
  expired: boolean;
}

/** The blocks one staff member sees; a block is absent when their role does not see it. */
export interface Attention {
  myOverdue: AttentionBlock<AttentionCase>;
  myDueSoon: AttentionBlock<AttentionCase>;
  unassignedNew: AttentionBlock<AttentionCase>;
  seriousIncidents?: AttentionBlock<AttentionCase>;
  breaches?: AttentionBlock<AttentionCase>;
  trainings: AttentionBlock<AttentionTraining>;
  /** Audit actions past their due day: everyone's for `audits.record`, else those one owns. */
  auditActions: AttentionBlock<AuditActionDue>;
  audits?: AttentionBlock<AuditDue>;
  alerts?: AttentionBlock<OpenMonitoringAlert>;
}

const NO_DUE_DATE = 8_640_000_000_000_000;

const caseColumns = {
  ref: concerns.ref,
  kind: concerns.kind,
  priority: concerns.priority,
  status: concerns.status,
  dueAt: concerns.dueAt,
  seriousIncident: concerns.seriousIncident,
  seriousIncidentAt: concerns.seriousIncidentAt,
};

/** A block of open cases matching `where`, most urgent (nearest due date) first. */
async function caseBlock(db: Db, where: SQL, order: "due" | "incident" = "due"): Promise<AttentionBlock<AttentionCase>> {
  const condition = and(OPEN_CONCERN_PREDICATE, where);
  const [counted] = await db
    .select({ n: count() })
    .from(db.select({ one: sql`1` }).from(concerns).where(condition).limit(COUNT_CAP).as("capped"))
    .limit(1);
  const rows = await db
    .select(caseColumns)
    .from(concerns)
    .where(condition)
    .orderBy(...(order === "incident" ? [asc(concerns.seriousIncidentAt), asc(concerns.id)] : [asc(concerns.dueAt), asc(concerns.createdAt), asc(concerns.id)]))
    .limit(LIST_SIZE);
  const n = Number(counted?.n ?? 0);
  return {
    count: n,
    capped: n >= COUNT_CAP,
    items: rows.map((row) => ({
      ref: row.ref,
      kind: row.kind,
      priority: row.priority,
      status: row.status,
      dueAt: Number(row.dueAt) >= NO_DUE_DATE ? null : Number(row.dueAt),
      ...(order === "incident" ? { reportDueAt: incidentReportDueAt({ seriousIncident: row.seriousIncident, seriousIncidentAt: row.seriousIncidentAt === null ? null : Number(row.seriousIncidentAt) }) } : {}),
    })),
  };
}

function listBlock<Item>(all: Item[]): AttentionBlock<Item> {
  return { count: Math.min(all.length, COUNT_CAP), capped: all.length >= COUNT_CAP, items: all.slice(0, LIST_SIZE) };
}

/**
 * What needs `staff`'s attention at `now` (ms), by role (SPEC §12, §4): for everyone their own
 * overdue cases, their cases due within CASE_SOON_MS, the new cases nobody has taken, and their own
 * training ending within DUTY_SOON_MS or missing; for supervisors and admins (`concerns.assign`)
 * also open serious incidents (with the Art. 73 report date) and permission-breach cases nobody
 * has answered (status new), and (`trainings.view`) everyone's trainings; audits due within
 * DUTY_SOON_MS or overdue (`audits.record`), overdue audit actions (everyone's for `audits.record`,
 * else one's own) and open monitoring alerts (`reports.view`; system names in `lang`). Async;
 * bounded reads (the register, trainings and alerts are small by nature).
 */
export async function attentionFor(db: Db, staff: { id: number; role: string }, now: number, lang = "en"): Promise<Attention> {
  const supervises = can(staff.role, "concerns.assign");
  const mine = eq(concerns.assigneeId, staff.id);
  const attention: Attention = {
    myOverdue: await caseBlock(db, and(mine, lt(concerns.dueAt, now))!),
    myDueSoon: await caseBlock(db, and(mine, gte(concerns.dueAt, now), lt(concerns.dueAt, now + CASE_SOON_MS))!),
    unassignedNew: await caseBlock(db, and(isNull(concerns.assigneeId), eq(concerns.status, "new"), sql`${concerns.origin} <> 'breach'`)!),
    trainings: await trainingBlock(db, staff, now),
    auditActions: listBlock((await openAuditActionsDue(db, now)).filter((a) => a.overdue && (can(staff.role, "audits.record") || a.ownerId === staff.id))),
  };
  if (can(staff.role, "audits.record")) attention.audits = listBlock(await auditsDue(db, now, DUTY_SOON_MS));
  if (can(staff.role, "reports.view")) attention.alerts = listBlock(await openMonitoringAlerts(db, lang));
  if (supervises) {
    attention.seriousIncidents = await caseBlock(db, isNotNull(concerns.seriousIncidentAt), "incident");
    attention.breaches = await caseBlock(db, and(eq(concerns.origin, "breach"), eq(concerns.status, "new"))!);
  }
  return attention;
}

/** Trainings ending within DUTY_SOON_MS or ended, then people without any: everyone's for `trainings.view`, else one's own. */
async function trainingBlock(db: Db, staff: { id: number; role: string }, now: number): Promise<AttentionBlock<AttentionTraining>> {
  const everyone = can(staff.role, "trainings.view");
  const ending: AttentionTraining[] = (await expiringTrainings(db, now, DUTY_SOON_MS))
    .filter((t) => everyone || t.staffId === staff.id)
    .map((t) => ({ staffId: t.staffId, staffName: t.staffName, course: t.course, validUntil: t.validUntil, expired: t.expired }));
  const withEnding = new Set(ending.map((t) => t.staffId));
  const without: AttentionTraining[] = (await staffWithoutTraining(db, now))
    .filter((p) => (everyone || p.staffId === staff.id) && !withEnding.has(p.staffId))
    .map((p) => ({ staffId: p.staffId, staffName: p.staffName, course: null, validUntil: null, expired: true }));
  return listBlock([...ending, ...without]);
}
