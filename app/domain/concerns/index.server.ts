/**
 * The concern aggregate (SPEC §4): one entry point. Modules by responsibility, none importing
 * this file, so there is no cycle:
 * - state.server — the status machine, the deadlines, the one lookup by reference
 *   (findConcernByRef) and the change primitives every action builds on;
 * - customer.server — filing, the customer's view and moves (reply, reopen, withdraw);
 * - staff.server — the console's case actions (role and revision checked, audited), bulk actions,
 *   and their unchecked system versions (addStaffMessage, setConcernStatus);
 * - queue.server — the staff queue: filters, search (full-text index), due-date order, capped
 *   counts, and the search index's rebuild after bulk loads;
 * - case-view.server — what staff see of one case, with its timeline (and an employee report's
 *   reporter, for those who may see it);
 * - employee.server — employees' reports (SPEC §12), filed from the console or the public form;
 * - canned-replies.server — the staff's prepared texts;
 * - concern — the row type alone, for modules the aggregate itself imports (notifications).
 * Every function that reads or writes is async and takes `Db` (a handle or a transaction).
 */
export {
  BULK_STATUSES,
  CANNED_KEY_PATTERN,
  CANNED_TITLE_MAX,
  CONCERN_KINDS,
  CONCERN_STATUSES,
  isOpen,
  OUTCOME_CODES,
  OUTCOME_REASON_MAX,
  PRIORITIES,
  QUEUE_PAGE_SIZE,
  QUEUE_SEARCH_MAX,
  type ConcernKind,
  type ConcernStatus,
  type OutcomeCode,
  type Priority,
} from "../vocabulary";
export {
  allowedTransitions,
  applyStaffMessage,
  applyStatusChange,
  canReopen,
  canTransition,
  changeConcern,
  ConcernStateError,
  deadlines,
  effectiveSlaDueAt,
  findConcernByRef,
  incidentReportDueAt,
  isConcernStatus,
  isOverdue,
  isStaffOnlyCase,
  moveTo,
  reopenUntil,
  RIGHTS_BASED_KINDS,
  SERIOUS_INCIDENT_REPORT_DAYS,
  STATUS_TRANSITIONS,
  touch,
  type Concern,
  type Deadlines,
  type StaffMessageInput,
  type StatusChangeInput,
} from "./state.server";
export {
  addCustomerReply,
  customerConcernView,
  customerStatus,
  fileConcern,
  findCustomerConcern,
  findTrackedConcern,
  listConcernsForCustomer,
  reopenConcern,
  withdrawConcern,
  type CustomerStatus,
  type FileConcernInput,
} from "./customer.server";
export {
  addStaffMessage,
  assignConcern,
  bulkUpdate,
  changeStatus,
  claimConcern,
  postStaffMessage,
  setConcernStatus,
  setKind,
  setPriority,
  setSeriousIncident,
  type BulkAction,
  type BulkResult,
  type CaseOptions,
  type StaffActor,
} from "./staff.server";
export { assignableStaff, listQueue, QUEUE_COUNT_CAP, rebuildConcernSearchIndex, referenceQuery, type QueueFilters, type QueueRow } from "./queue.server";
export { caseView, employeeReporter, findConcernForStaff, type TimelineEntry } from "./case-view.server";
export { fileEmployeeReport, type EmployeeReporter, type EmployeeReportInput } from "./employee.server";
export { findCannedReply, listCannedReplies, saveCannedReply, type CannedReply } from "./canned-replies.server";
