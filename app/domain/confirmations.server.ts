/**
 * "Ask me first" asks someone (SPEC §11.1): an AI agent's confirmation request, the customer's
 * answer (append-only) and the single use of an approval by a decision check.
 * STUB — being written (issue 9, workstream W2). Signatures are the contract.
 */
import type { Db } from "../utils/db.server";
import type { ConfirmationStatus } from "./vocabulary";

export interface ConfirmationAnswer {
  answer: "approved" | "declined" | "expired";
  method: "portal" | "embed" | "system";
  lang: string;
  /** ms */
  createdAt: number;
}

/** A confirmation request with its derived status. Times in epoch ms (UTC). */
export interface Confirmation {
  id: string;
  customerId: string;
  actionKey: string;
  aiSystemSlug: string;
  interactionId: number | null;
  interactionRef: string | null;
  /** lang → text, in the order the agent gave them. */
  summary: Record<string, string>;
  amountHundredths: number | null;
  currency: string | null;
  channel: string | null;
  effectiveAt: number | null;
  expiresAt: number;
  createdAt: number;
  status: ConfirmationStatus;
  answer: ConfirmationAnswer | null;
  /** When a decision spent the approval, and which. */
  usedAt: number | null;
  usedByDecisionId: string | null;
}

export type CreateConfirmationResult =
  | { status: "created"; confirmation: Confirmation; url: string }
  | { status: "unknown_customer" }
  | { status: "unknown_action" }
  | { status: "unknown_ai_system" }
  | { status: "unknown_interaction" }
  /** The customer's choice forbids this action ("never"), or human-first/identity rules would deny it: do not ask. */
  | { status: "not_askable"; reason: string }
  | { status: "too_many_pending" };

export interface CreateConfirmationInput {
  keyId: number;
  customerId: string;
  actionKey: string;
  aiSystemSlug: string;
  interactionRef: string | null;
  summary: Record<string, string>;
  amountHundredths: number | null;
  currency: string | null;
  channel: string | null;
  effectiveAt: number | null;
  expiresInMinutes: number;
  /** PUBLIC_URL, for the portal URL and the email's personal link. */
  baseUrl: string;
  now?: number;
}

/** POST /api/v1/confirmations. */
export async function createConfirmation(_db: Db, _input: CreateConfirmationInput): Promise<CreateConfirmationResult> {
  throw new Error("not implemented");
}

/** GET /api/v1/confirmations/:id — any customer's request (the API key's company owns them all). */
export async function findConfirmation(_db: Db, _id: string, _now?: number): Promise<Confirmation | undefined> {
  throw new Error("not implemented");
}

/** The portal URL where the customer answers: `${baseUrl}/${lang}/me/confirmations/${id}`. */
export function confirmationUrl(baseUrl: string, lang: string, id: string): string {
  return `${baseUrl}/${lang}/me/confirmations/${id}`;
}

/** The customer's requests still waiting for their answer (not answered, not expired), newest first. */
export async function pendingConfirmations(_db: Db, _customerId: string, _now?: number): Promise<Confirmation[]> {
  throw new Error("not implemented");
}

/** One of the customer's own requests (any status); undefined when unknown or another customer's. */
export async function findCustomerConfirmation(_db: Db, _customerId: string, _id: string, _now?: number): Promise<Confirmation | undefined> {
  throw new Error("not implemented");
}

export type AnswerConfirmationResult =
  | { status: "answered"; confirmation: Confirmation }
  /** Answered before (the first answer stands), or expired, or spent: nothing written. */
  | { status: "closed"; confirmation: Confirmation }
  | { status: "not_found" };

/**
 * The customer's answer (SPEC §11.1): an append-only record (who, when, method, language), the
 * `confirmation.answered` webhook, in one transaction. Only the request's own customer may answer,
 * once, before it expires.
 */
export async function answerConfirmation(
  _db: Db,
  _input: { customerId: string; id: string; answer: "approved" | "declined"; method: "portal" | "embed"; lang: string; now?: number },
): Promise<AnswerConfirmationResult> {
  throw new Error("not implemented");
}

/** The requests made about these interactions (for the customer's timeline), oldest first. */
export async function confirmationsForInteractions(_db: Db, _interactionIds: number[], _now?: number): Promise<Confirmation[]> {
  throw new Error("not implemented");
}
