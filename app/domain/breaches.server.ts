/**
 * Actions against a choice are caught (SPEC §11.5).
 * STUB — being written (issue 9, workstream W6). Signatures are the contract.
 */
import type { Db } from "../utils/db.server";
import type { BreachReason } from "./vocabulary";

/** A permission breach as the customer's timeline shows it. Times in ms. */
export interface BreachView {
  id: number;
  interactionId: number;
  interactionAiId: number;
  actionKey: string;
  reason: BreachReason;
  detectedAt: number;
  /** The customer's own "contest this action" concern, once filed. */
  contestConcernRef: string | null;
}

/** The breaches of these interactions (customer timeline). */
export async function breachesForInteractions(_db: Db, _interactionIds: number[]): Promise<BreachView[]> {
  throw new Error("not implemented");
}

export type ContestResult = { status: "filed" | "already_contested"; ref: string } | { status: "not_found" };

/**
 * "Contest this action": files the customer's concern of kind unwanted_action, high priority,
 * pre-filled (in `lang`), linked to the interaction and AI system; once per breach. Only the
 * breach's own customer may contest.
 */
export async function contestBreach(_db: Db, _input: { customerId: string; breachId: number; lang: string; now?: number }): Promise<ContestResult> {
  throw new Error("not implemented");
}
