/**
 * Staff roles and what each may do (SPEC §4). Shared by the domain (enforcement) and the pages
 * (showing only what a role can use). Enforcement happens in the domain/route action, never only
 * in the UI.
 */
export const STAFF_ROLES = ["agent", "supervisor", "admin"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const PERMISSIONS = {
  /** See the queue and cases, claim, reply, add notes, change status, priority and kind. */
  "concerns.work": ["agent", "supervisor", "admin"],
  /** Assign cases to others, bulk-assign, flag serious incidents. */
  "concerns.assign": ["supervisor", "admin"],
  /** Create and edit AI systems and their texts. */
  "register.edit": ["supervisor", "admin"],
  /** Monitoring reports and CSV export. */
  "reports.view": ["supervisor", "admin"],
  /** Read the audit log and verify its chain. */
  "audit.view": ["supervisor", "admin"],
  /** Staff users, API keys, embed sites, settings, the email outbox. */
  "admin.manage": ["admin"],
  /** See who filed an employee report (name, staff account): SPEC §12 "identity visible only to supervisors and admins". */
  "reporters.view": ["supervisor", "admin"],
  /** See AI-literacy training coverage and upcoming expiries (AI Act Art. 4). */
  "trainings.view": ["supervisor", "admin"],
  /** Record, correct and delete staff members' trainings (AI Act Art. 4). */
  "trainings.manage": ["admin"],
  /** Record audits of AI systems and set their audit interval. */
  "audits.record": ["supervisor", "admin"],
  /** One customer at a glance (/staff/customers/:id). */
  "customers.view": ["supervisor", "admin"],
  /** Company settings and the choice editor. */
  "settings.manage": ["admin"],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: string, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly string[]).includes(role);
}

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === "string" && (STAFF_ROLES as readonly string[]).includes(value);
}
