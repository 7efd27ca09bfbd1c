/**
 * Employees report AI concerns too (SPEC §12): from the console (the staff account is the
 * reporter) or from the public employee form `/:lang/report` (an optional typed name, or none).
 * An employee report is a concern of origin "employee" in the same queue, with the same
 * deadlines, search text, status counts, event, audit entry and `concern.created` webhook as a
 * customer's concern (it is filed through fileConcern). Who reported it is kept on the concern
 * (`reporter_staff_id`, `reporter_name`) and shown only to staff with `reporters.view`
 * (case-view.server.ts `caseView`).
 */
import type { Db } from "../../utils/db.server";
import { appendAudit } from "../audit.server";
import type { ConcernKind } from "../vocabulary";
import { fileConcern } from "./customer.server";

export interface EmployeeReportInput {
  kind: ConcernKind;
  /** The AI system concerned (register id), or null when the reporter does not know. */
  systemId: number | null;
  description: string;
  /** A customer interaction the report is about (its id), when the reporter named one. */
  interactionId?: number | null;
  /** The page's language: the report's language in the queue (`concerns.lang`). */
  lang: string;
  /** Console: the signed-in staff member who reports. */
  reporterStaffId?: number | null;
  /** Public form: the name the reporter chose to give (trimmed; empty means anonymous). */
  reporterName?: string | null;
  /** ms since epoch UTC. */
  now?: number;
}

/**
 * Files an employee report (SPEC §12 "Employees report AI concerns too") in one transaction:
 * the concern (origin "employee", status "new", the SLA and — for rights-based kinds — the
 * statutory due date, search text), its "filed" event (actor "employee", no staff id: the
 * timeline does not name the reporter), the audit entries (`concern.filed`, and for a console
 * report `concern.reported_by_staff` with the staff actor — the audit log is read only by roles
 * that may see reporters), and the `concern.created` webhook (no reporter in it). No email is
 * sent: an employee report has no customer contact.
 *
 * Returns the reference and, for a public report (no `reporterStaffId`), the private tracking
 * token (returned once, stored hashed: the reporter's only way back to the report); null for a
 * console report (the reporter follows it in the console).
 */
export async function fileEmployeeReport(db: Db, input: EmployeeReportInput): Promise<{ ref: string; trackingToken: string | null }> {
  const now = input.now ?? Date.now();
  const reporterStaffId = input.reporterStaffId ?? null;
  const reporterName = reporterStaffId === null ? input.reporterName?.trim() || null : null;
  return db.transaction(async (tx) => {
    const filed = await fileConcern(tx, {
      customerId: null,
      contactEmail: null,
      contactMethod: "portal",
      lang: input.lang,
      kind: input.kind,
      interactionId: input.interactionId ?? null,
      systemId: input.systemId,
      description: input.description,
      desiredOutcome: "",
      origin: "employee",
      reporterStaffId,
      reporterName,
      now,
    });
    if (reporterStaffId !== null) {
      await appendAudit(tx, { actor: { type: "staff", id: reporterStaffId }, action: "concern.reported_by_staff", target: { type: "concern", id: filed.ref }, details: { kind: input.kind }, now });
    }
    return { ref: filed.ref, trackingToken: reporterStaffId === null ? filed.trackingToken : null };
  });
}

/**
 * Who filed an employee report, as only staff with `reporters.view` may see it: the name typed
 * on the public form, or the staff account's name and email (null when the account is gone).
 * Null for any other concern.
 */
export interface EmployeeReporter {
  name: string | null;
  staffName: string | null;
  staffEmail: string | null;
}
