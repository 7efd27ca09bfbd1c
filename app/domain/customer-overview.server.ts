/**
 * One customer at a glance (SPEC §12, supervisor+): the customer's current choices with their
 * limits, consent events, decision checks, confirmation requests, permission breaches,
 * interactions (with AI involvement) and concerns — each section one bounded page, newest first,
 * with a capped count. Every read goes through a per-customer index, so a page costs the same at
 * 1M customers. Looking at it is an access to personal data: it is audited once per view.
 */
import { and, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { concerns, confirmationAnswers, confirmations, consentEvents, customers, decisions, permissionBreaches } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { aiSystemNames } from "./ai-register.server";
import { appendAudit } from "./audit.server";
import { confirmationStatus } from "./confirmations.server";
import { parseLimits } from "./permission-limits";
import { getPreferences, listChoices } from "./preferences.server";
import { customerTimeline, type TimelineItem } from "./timeline.server";
import type { ConfirmationStatus, PermissionLimits } from "./vocabulary";

/** Rows per page of each section (interactions: the customer timeline's own page of 20). */
export const OVERVIEW_PAGE_SIZE = 10;
/** Counts stop here ("1,000+"): a customer with millions of decision checks costs no more. */
export const OVERVIEW_COUNT_CAP = 1000;
/** Pages past the cap are not offered (an offset scan grows with the page). */
const MAX_PAGE = Math.ceil(OVERVIEW_COUNT_CAP / OVERVIEW_PAGE_SIZE);

export const OVERVIEW_SECTIONS = ["consents", "decisions", "confirmations", "breaches", "interactions", "concerns"] as const;
export type OverviewSection = (typeof OVERVIEW_SECTIONS)[number];
/** The page (1-based) shown of each section. */
export type OverviewPages = Record<OverviewSection, number>;

/** One page of a section: `total` is capped at OVERVIEW_COUNT_CAP (`capped` then true). */
export interface OverviewPage<T> {
  items: T[];
  total: number;
  capped: boolean;
  page: number;
  pageCount: number;
}

export interface OverviewConsentEvent {
  receiptId: string;
  choiceKey: string;
  value: string;
  previousValue: string | null;
  noticeVersion: number;
  lang: string;
  method: string;
  limits: PermissionLimits | null;
  createdAt: number;
}

export interface OverviewDecision {
  id: string;
  actionKey: string;
  aiSystemSlug: string;
  decision: string;
  reason: string;
  confirmationId: string | null;
  createdAt: number;
}

export interface OverviewConfirmation {
  id: string;
  actionKey: string;
  aiSystemSlug: string;
  status: ConfirmationStatus;
  /** Hundredths of `currency`, or null. */
  amountHundredths: number | null;
  currency: string | null;
  createdAt: number;
  expiresAt: number;
  answeredAt: number | null;
}

export interface OverviewBreach {
  id: number;
  actionKey: string;
  aiSystemSlug: string | null;
  reason: string;
  detectedAt: number;
  /** The staff case opened for it, and the customer's own contest concern. */
  caseRef: string | null;
  contestRef: string | null;
}

export interface OverviewConcern {
  ref: string;
  kind: string;
  status: string;
  origin: string;
  priority: string;
  createdAt: number;
}

export interface OverviewChoice {
  key: string;
  label: string;
  value: string;
  isDefault: boolean;
  needsReconfirmation: boolean;
  limits: PermissionLimits | null;
  allowedUntil: number | null;
  updatedAt: number | null;
}

export type CustomerOverview =
  | { status: "erased"; customer: { id: string; erasedAt: number } }
  | {
      status: "active";
      customer: { id: string; email: string | null; locale: string; timeZone: string | null; createdAt: number };
      choices: OverviewChoice[];
      consents: OverviewPage<OverviewConsentEvent>;
      decisions: OverviewPage<OverviewDecision>;
      confirmations: OverviewPage<OverviewConfirmation>;
      breaches: OverviewPage<OverviewBreach>;
      interactions: OverviewPage<TimelineItem>;
      concerns: OverviewPage<OverviewConcern>;
    };

/** Reads `?consents=2&decisions=1…` into pages; anything not a page number is page 1, and no page is past the cap. */
export function overviewPages(params: URLSearchParams): OverviewPages {
  const pageOf = (name: string) => {
    const raw = params.get(name) ?? "";
    const n = /^\d{1,4}$/.test(raw) ? Number(raw) : 1;
    return Math.min(Math.max(1, n), MAX_PAGE);
  };
  return Object.fromEntries(OVERVIEW_SECTIONS.map((s) => [s, pageOf(s)])) as OverviewPages;
}

/** How many rows of `table` match `where`, counted no further than the cap (reads at most cap + 1 index entries). */
async function cappedCount(db: Db, table: SQLiteTable, where: SQL) {
  const inner = db.select({ one: sql`1`.as("one") }).from(table).where(where).limit(OVERVIEW_COUNT_CAP + 1).as("capped");
  const [row] = await db.select({ n: count() }).from(inner);
  const n = Number(row?.n ?? 0);
  return { total: Math.min(n, OVERVIEW_COUNT_CAP), capped: n > OVERVIEW_COUNT_CAP };
}

function pageOf<T>(items: T[], counted: { total: number; capped: boolean }, page: number, size = OVERVIEW_PAGE_SIZE): OverviewPage<T> {
  return { items, ...counted, page, pageCount: Math.max(1, Math.ceil(counted.total / size)) };
}

const offsetOf = (page: number) => (page - 1) * OVERVIEW_PAGE_SIZE;

/**
 * The customer `customerId` at a glance for a staff member (SPEC §12 "One customer at a glance",
 * GDPR Art. 5(2) accountability): resolves to undefined for an unknown id; to `{status:"erased"}`
 * for an erased customer (nothing else is read); otherwise every section's page as `pages` asks
 * (newest first; times in ms since epoch UTC, amounts in hundredths) with AI system names in
 * `lang`. The view is recorded in the audit log (`customer.viewed`, the staff member and the
 * customer id, no content) whatever the outcome for a known customer. Async; rejects only on
 * database errors.
 */
export async function customerOverview(
  db: Db,
  input: { customerId: string; viewerId: number; lang: string; pages: OverviewPages; now?: number },
): Promise<CustomerOverview | undefined> {
  const now = input.now ?? Date.now();
  const { customerId, pages } = input;
  const [customer] = await db.select().from(customers).where(eq(customers.id, customerId)).limit(1);
  if (!customer) return undefined;
  await appendAudit(db, {
    actor: { type: "staff", id: input.viewerId },
    action: "customer.viewed",
    target: { type: "customer", id: customer.id },
    now,
  });
  if (customer.erasedAt !== null) return { status: "erased", customer: { id: customer.id, erasedAt: customer.erasedAt } };

  const labels = new Map((await listChoices(db, input.lang)).map((c) => [c.key, c.label]));
  const choices = (await getPreferences(db, customerId, { now })).map((p) => ({
    key: p.key,
    label: labels.get(p.key) ?? p.key,
    value: p.value,
    isDefault: p.isDefault,
    needsReconfirmation: p.needsReconfirmation,
    limits: p.limits,
    allowedUntil: p.allowedUntil,
    updatedAt: p.updatedAt,
  }));

  const [consentRows, consentCount] = await Promise.all([
    db
      .select()
      .from(consentEvents)
      .where(eq(consentEvents.customerId, customerId))
      .orderBy(desc(consentEvents.createdAt), desc(consentEvents.id))
      .limit(OVERVIEW_PAGE_SIZE)
      .offset(offsetOf(pages.consents)),
    cappedCount(db, consentEvents, eq(consentEvents.customerId, customerId)),
  ]);

  const [decisionRows, decisionCount] = await Promise.all([
    db
      .select()
      .from(decisions)
      .where(eq(decisions.customerId, customerId))
      .orderBy(desc(decisions.createdAt), desc(decisions.id))
      .limit(OVERVIEW_PAGE_SIZE)
      .offset(offsetOf(pages.decisions)),
    cappedCount(db, decisions, eq(decisions.customerId, customerId)),
  ]);

  const [requestRows, requestCount] = await Promise.all([
    db
      .select()
      .from(confirmations)
      .where(eq(confirmations.customerId, customerId))
      .orderBy(desc(confirmations.createdAt), desc(confirmations.id))
      .limit(OVERVIEW_PAGE_SIZE)
      .offset(offsetOf(pages.confirmations)),
    cappedCount(db, confirmations, eq(confirmations.customerId, customerId)),
  ]);
  const requestIds = requestRows.map((r) => r.id);
  const [answers, uses] =
    requestIds.length === 0
      ? [[], []]
      : await Promise.all([
          db.select().from(confirmationAnswers).where(inArray(confirmationAnswers.confirmationId, requestIds)),
          db
            .select({ confirmationId: decisions.confirmationId, createdAt: decisions.createdAt })
            .from(decisions)
            .where(and(inArray(decisions.confirmationId, requestIds), eq(decisions.reason, "confirmed_by_customer"))),
        ]);

  const systems = await aiSystemNames(db, input.lang);
  const [breachRows, breachCount] = await Promise.all([
    db
      .select({ breach: permissionBreaches })
      .from(permissionBreaches)
      .where(eq(permissionBreaches.customerId, customerId))
      // The unary + keeps SQLite from walking the whole detected_at index to skip the sort: the
      // customer's breaches are found by customer and sorted.
      .orderBy(sql`+${permissionBreaches.detectedAt} desc`, desc(permissionBreaches.id))
      .limit(OVERVIEW_PAGE_SIZE)
      .offset(offsetOf(pages.breaches)),
    cappedCount(db, permissionBreaches, eq(permissionBreaches.customerId, customerId)),
  ]);
  const caseIds = breachRows.flatMap(({ breach }) => [breach.concernId, breach.contestConcernId]).filter((id): id is number => id !== null);
  const caseRefs = new Map(
    caseIds.length === 0 ? [] : (await db.select({ id: concerns.id, ref: concerns.ref }).from(concerns).where(inArray(concerns.id, caseIds))).map((c) => [c.id, c.ref]),
  );

  const [concernRows, concernCount] = await Promise.all([
    db
      .select({ ref: concerns.ref, kind: concerns.kind, status: concerns.status, origin: concerns.origin, priority: concerns.priority, createdAt: concerns.createdAt })
      .from(concerns)
      .where(eq(concerns.customerId, customerId))
      .orderBy(desc(concerns.createdAt), desc(concerns.id))
      .limit(OVERVIEW_PAGE_SIZE)
      .offset(offsetOf(pages.concerns)),
    cappedCount(db, concerns, eq(concerns.customerId, customerId)),
  ]);

  const timeline = await customerTimeline(db, customerId, input.lang, pages.interactions, now);
  const interactionTotal = Math.min(timeline.total, OVERVIEW_COUNT_CAP);

  return {
    status: "active",
    customer: { id: customer.id, email: customer.email, locale: customer.locale, timeZone: customer.timeZone, createdAt: customer.createdAt },
    choices,
    consents: pageOf(
      consentRows.map((e) => ({
        receiptId: e.receiptId,
        choiceKey: e.choiceKey,
        value: e.value,
        previousValue: e.previousValue,
        noticeVersion: e.noticeVersion,
        lang: e.lang,
        method: e.method,
        limits: parseLimits(e.limits) as PermissionLimits | null,
        createdAt: e.createdAt,
      })),
      consentCount,
      pages.consents,
    ),
    decisions: pageOf(
      decisionRows.map((d) => ({
        id: d.id,
        actionKey: d.actionKey,
        aiSystemSlug: d.aiSystemSlug,
        decision: d.decision,
        reason: d.reason,
        confirmationId: d.confirmationId,
        createdAt: d.createdAt,
      })),
      decisionCount,
      pages.decisions,
    ),
    confirmations: pageOf(
      requestRows.map((r) => {
        const answer = answers.find((a) => a.confirmationId === r.id);
        const use = uses.find((u) => u.confirmationId === r.id);
        return {
          id: r.id,
          actionKey: r.actionKey,
          aiSystemSlug: r.aiSystemSlug,
          status: confirmationStatus(r, (answer?.answer as "approved" | "declined" | "expired" | undefined) ?? null, use?.createdAt ?? null, now),
          amountHundredths: r.amountHundredths,
          currency: r.currency,
          createdAt: r.createdAt,
          expiresAt: r.expiresAt,
          answeredAt: answer?.createdAt ?? null,
        };
      }),
      requestCount,
      pages.confirmations,
    ),
    breaches: pageOf(
      breachRows.map(({ breach }) => ({
        id: breach.id,
        actionKey: breach.actionKey,
        aiSystemSlug: systems.get(breach.systemId)?.slug ?? null,
        reason: breach.reason,
        detectedAt: breach.detectedAt,
        caseRef: breach.concernId === null ? null : (caseRefs.get(breach.concernId) ?? null),
        contestRef: breach.contestConcernId === null ? null : (caseRefs.get(breach.contestConcernId) ?? null),
      })),
      breachCount,
      pages.breaches,
    ),
    interactions: { items: timeline.items, total: interactionTotal, capped: timeline.total > OVERVIEW_COUNT_CAP, page: timeline.page, pageCount: Math.min(timeline.pageCount, Math.ceil(OVERVIEW_COUNT_CAP / 20)) },
    concerns: pageOf(concernRows, concernCount, pages.concerns),
  };
}
