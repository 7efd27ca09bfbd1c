/**
 * The kinds of staff notification emails (SPEC §12 "Staff are told") and who may receive which:
 * shared by the domain (staff-notifications.server.ts) and the choices form (client and server).
 */
import type { StaffRole } from "./permissions";

export const STAFF_NOTIFICATION_KINDS = [
  "new_concern",
  "employee_report",
  "assigned",
  "deadline_soon",
  "deadline_passed",
  "serious_incident",
  "breach",
  "audit_overdue",
  "training_expiring",
  "monitoring_alert",
] as const;
export type StaffNotificationKind = (typeof STAFF_NOTIFICATION_KINDS)[number];

export const isStaffNotificationKind = (value: unknown): value is StaffNotificationKind =>
  typeof value === "string" && (STAFF_NOTIFICATION_KINDS as readonly string[]).includes(value);

/**
 * What each role may receive and what is on until the person chooses: agents hear about their own
 * cases and trainings (new cases only if they ask); supervisors about everything; admins about
 * everything but each new customer concern (the queue's work, not theirs).
 */
export const ROLE_NOTIFICATIONS: Record<StaffRole, { available: readonly StaffNotificationKind[]; defaults: readonly StaffNotificationKind[] }> = {
  agent: {
    available: ["new_concern", "employee_report", "assigned", "deadline_soon", "deadline_passed", "training_expiring"],
    defaults: ["assigned", "deadline_soon", "deadline_passed", "training_expiring"],
  },
  supervisor: { available: STAFF_NOTIFICATION_KINDS, defaults: STAFF_NOTIFICATION_KINDS },
  admin: { available: STAFF_NOTIFICATION_KINDS, defaults: STAFF_NOTIFICATION_KINDS.filter((kind) => kind !== "new_concern") },
};
