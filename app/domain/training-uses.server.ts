/**
 * Training use, recorded as it happened (SPEC §11.4).
 * STUB — being written (issue 9, workstream W5). Signatures are the contract.
 */
import type { Db } from "../utils/db.server";
import type { TrainingRefusal } from "./vocabulary";

export interface TrainingUsesResult {
  accepted: { source: string; ref: string; created: boolean }[];
  refused: { source: string; ref: string; reason: TrainingRefusal }[];
}

/** POST /api/v1/training-uses. `usedAt` in epoch ms. */
export async function recordTrainingUses(
  _db: Db,
  _keyId: number,
  _input: { dataset: string; usedAt: number; interactions: { source: string; ref: string }[]; now?: number },
): Promise<TrainingUsesResult> {
  throw new Error("not implemented");
}

/** The datasets these interactions went into (for the customer's timeline); `usedAt` in ms. */
export async function trainingUsesForInteractions(_db: Db, _interactionIds: number[]): Promise<{ interactionId: number; dataset: string; usedAt: number }[]> {
  throw new Error("not implemented");
}
