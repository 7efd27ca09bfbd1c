/**
 * What staff see of a case (SPEC §4 "Case"): the customer's words, context, choices, deadlines,
 * the moves the status machine allows, and one timeline of status changes, messages and
 * audited changes.
 */
import { and, eq, inArray } from "drizzle-orm";
import { auditLog, concernEvents, concernMessages, concerns, interactions, staffUsers } from "../../../db/schema";
import type { Db } from "../../utils/db.server";
import { aiSystemNames } from "../ai-register.server";
import { breachOfCase } from "../breaches.server";
import { can } from "../permissions";
import { getPreferences, listChoices } from "../preferences.server";
import type { PermissionLimits } from "../vocabulary";
import type { EmployeeReporter } from "./employee.server";
import type { StaffActor } from "./staff.server";
import { allowedTransitions, deadlines, findConcernByRef, type Concern } from "./state.server";

/** Audit actions shown on a case's timeline (status changes and messages come from their own tables). */
const TIMELINE_AUDIT_ACTIONS = [
  "concern.claimed",
  "concern.assigned",
  "concern.unassigned",
  "concern.priority_changed",
  "concern.kind_changed",
  "concern.serious_incident_flagged",
  "concern.serious_incident_cleared",
];

export type TimelineEntry =
  | { type: "status"; id: string; at: number; from: string | null; to: string; actor: string; staffName: string | null }
  | { type: "message"; id: string; at: number; author: string; visibility: string; body: string; authorName: string | null }
  | { type: "change"; id: string; at: number; action: string; staffName: string | null; from: string | null; to: string | null };

/** The case behind a staff URL: the unscoped lookup by reference (findConcernByRef). */
export const findConcernForStaff = findConcernByRef;

/**
 * Who filed an employee report, for `viewer` (SPEC §12: the reporter's identity is visible only to
 * supervisors and admins, permission `reporters.view`): the typed name, or the staff account's
 * name and email. Null for other concerns, for an anonymous public report, and for a viewer
 * without the permission (or none given).
 */
export async function employeeReporter(db: Db, concern: Pick<Concern, "origin" | "reporterName" | "reporterStaffId">, viewer?: Pick<StaffActor, "role">): Promise<EmployeeReporter | null> {
  if (concern.origin !== "employee" || !viewer || !can(viewer.role, "reporters.view")) return null;
  if (concern.reporterStaffId === null) return concern.reporterName ? { name: concern.reporterName, staffName: null, staffEmail: null } : null;
  const [staff] = await db.select({ name: staffUsers.name, email: staffUsers.email }).from(staffUsers).where(eq(staffUsers.id, concern.reporterStaffId)).limit(1);
  return { name: concern.reporterName, staffName: staff?.name ?? null, staffEmail: staff?.email ?? null };
}

/**
 * Everything staff see of a case: the customer's words, context, choices, deadlines and timeline;
 * for a permission-breach case, the breach (action, AI system, the decision named and its answer,
 * the reason, the customer's contest concern); for an employee report, its reporter when `viewer`
 * may see it (employeeReporter). `concern` comes back without the reporter columns, whoever asks:
 * `reporter` is the one place they appear. `now`: ms since epoch UTC.
 */
export async function caseView(db: Db, concern: Concern, lang: string, now = Date.now(), viewer?: StaffActor) {
  const staffNames = new Map((await db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers)).map((s) => [s.id, s.name]));
  const nameOf = (id: number | string | null | undefined) => {
    if (id === null || id === undefined || id === "") return null;
    return staffNames.get(Number(id)) ?? String(id);
  };
  const [interaction] = concern.interactionId
    ? await db
        .select({ ref: interactions.ref, subject: interactions.subject, channel: interactions.channel, occurredAt: interactions.occurredAt })
        .from(interactions)
        .where(eq(interactions.id, concern.interactionId))
        .limit(1)
    : [];
  const system = concern.systemId ? ((await aiSystemNames(db, lang)).get(concern.systemId) ?? null) : null;
  let choices: { key: string; label: string; value: string; isDefault: boolean; needsReconfirmation: boolean; limits: PermissionLimits | null }[] | null = null;
  if (concern.customerId) {
    const labels = new Map((await listChoices(db, lang)).map((c) => [c.key, c.label]));
    choices = (await getPreferences(db, concern.customerId)).map((p) => ({
      key: p.key,
      label: labels.get(p.key) ?? p.key,
      value: p.value,
      isDefault: p.isDefault,
      needsReconfirmation: p.needsReconfirmation,
      limits: p.limits,
    }));
  }
  const [merged] = concern.mergedIntoId
    ? await db.select({ ref: concerns.ref }).from(concerns).where(eq(concerns.id, concern.mergedIntoId)).limit(1)
    : [];
  const mergedInto = merged?.ref ?? null;

  const events: TimelineEntry[] = (await db.select().from(concernEvents).where(eq(concernEvents.concernId, concern.id))).map((e) => ({
    type: "status",
    id: `e${e.id}`,
    at: e.createdAt,
    from: e.fromStatus,
    to: e.toStatus,
    actor: e.actor,
    staffName: nameOf(e.staffId),
  }));
  const messages: TimelineEntry[] = (await db.select().from(concernMessages).where(eq(concernMessages.concernId, concern.id))).map((m) => ({
    type: "message",
    id: `m${m.id}`,
    at: m.createdAt,
    author: m.author,
    visibility: m.visibility,
    body: m.body,
    authorName: m.authorName,
  }));
  const audited = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, "concern"), eq(auditLog.targetId, concern.ref), inArray(auditLog.action, TIMELINE_AUDIT_ACTIONS)));
  const changes: TimelineEntry[] = audited.map((a) => {
    const details = JSON.parse(a.details) as Record<string, string | number | null>;
    const staffValued = ["concern.claimed", "concern.assigned", "concern.unassigned"].includes(a.action);
    const value = (v: string | number | null | undefined) => (v === undefined || v === null ? null : staffValued ? nameOf(v) : String(v));
    return {
      type: "change",
      id: `a${a.id}`,
      at: a.createdAt,
      action: a.action.replace(/^concern\./, ""),
      staffName: a.actorType === "staff" ? nameOf(a.actorId) : null,
      from: value(details.from),
      to: value(details.to),
    };
  });
  const order = { status: 0, change: 1, message: 2 } as const;
  const timeline = [...events, ...messages, ...changes].sort((a, b) => a.at - b.at || order[a.type] - order[b.type] || a.id.localeCompare(b.id, "en", { numeric: true }));

  const breach = concern.origin === "breach" ? await breachOfCase(db, concern.id, lang) : null;
  const actionLabel = breach ? ((await listChoices(db, lang)).find((c) => c.key === breach.actionKey)?.label ?? breach.actionKey) : null;

  const { reporterName: _name, reporterStaffId: _staffId, ...shown } = concern;
  return {
    concern: shown,
    /** An employee report (SPEC §12): the mark is for every viewer, the reporter only for `reporters.view`. */
    employeeReport: concern.origin === "employee",
    reporter: await employeeReporter(db, concern, viewer),
    /** An employee report whose reporter this viewer may not see (the page says who can). */
    reporterHidden: concern.origin === "employee" && !(viewer && can(viewer.role, "reporters.view")),
    /** For a case Candor opened for a permission breach (SPEC §11.5): its facts. */
    breach: breach ? { ...breach, actionLabel: actionLabel! } : null,
    assignee: concern.assigneeId !== null ? { id: concern.assigneeId, name: nameOf(concern.assigneeId)! } : null,
    interaction: interaction ?? null,
    system,
    choices,
    mergedInto,
    deadlines: deadlines(concern, now),
    transitions: allowedTransitions(concern.status),
    timeline,
  };
}
