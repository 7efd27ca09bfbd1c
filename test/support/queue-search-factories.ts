/**
 * Cases a word search finds, written straight into `concerns` in batches (the full-text triggers
 * index them): cheap enough to file more than a count cap in a test. Each case's description is
 * `<word> <n>`; statuses and kinds as given (one row per status listed), filed one second apart.
 */
import { concerns } from "../../db/schema";
import type { Db } from "../../app/utils/db.server";
import type { ConcernKind, ConcernStatus } from "../../app/domain/vocabulary";

let filed = 0;
// References unique across runs too (a browser test's database outlives one run).
const RUN = `${process.pid.toString(36)}${Date.now().toString(36)}`.toUpperCase();

/** Files one case per entry of `statuses`, each naming `word`; returns their references. */
export async function fileSearchMatches(db: Db, word: string, statuses: ConcernStatus[], options: { kind?: ConcernKind; now?: number } = {}): Promise<string[]> {
  const now = options.now ?? Date.now();
  const rows = statuses.map((status, i) => {
    const n = ++filed;
    const description = `${word} ${n}`;
    return {
      ref: `C-SRCH-${RUN}-${n}`,
      contactMethod: "portal",
      lang: "en",
      kind: options.kind ?? "other",
      status,
      description,
      desiredOutcome: "",
      searchText: description,
      createdAt: now + i * 1000,
      updatedAt: now + i * 1000,
      slaDueAt: now + 86_400_000 + i * 1000,
    };
  });
  for (let i = 0; i < rows.length; i += 200) await db.insert(concerns).values(rows.slice(i, i + 200));
  return rows.map((r) => r.ref);
}

/** `n` times `status`: fileSearchMatches(db, word, [...times(30, "new"), ...times(5, "resolved")]). */
export const times = (n: number, status: ConcernStatus): ConcernStatus[] => Array.from({ length: n }, () => status);
