/** Canned replies: the staff's prepared texts, one per key and language, edited under concerns.assign. */
import { and, asc, eq, ne } from "drizzle-orm";
import { cannedReplies } from "../../../db/schema";
import type { Db } from "../../utils/db.server";
import { fitsLength, normaliseLineBreaks } from "../../utils/text";
import { appendAudit } from "../audit.server";
import { CANNED_KEY_PATTERN, CANNED_TITLE_MAX, REPLY_MAX } from "../vocabulary";
import { ConcernStateError } from "./state.server";
import { requirePermission, staffAudit, type StaffActor } from "./staff.server";

export type CannedReply = typeof cannedReplies.$inferSelect;

export async function listCannedReplies(db: Db, lang?: string): Promise<CannedReply[]> {
  return db
    .select()
    .from(cannedReplies)
    .where(lang ? eq(cannedReplies.lang, lang) : undefined)
    .orderBy(asc(cannedReplies.key), asc(cannedReplies.lang));
}

export async function findCannedReply(db: Db, id: number): Promise<CannedReply | undefined> {
  const [reply] = await db.select().from(cannedReplies).where(eq(cannedReplies.id, id)).limit(1);
  return reply;
}

/**
 * Creates a canned reply (no id) or edits one, audited with its key and language. A key has at
 * most one text per language ("duplicate_canned_reply"). Staff need concerns.assign; the demo
 * seed writes as the system. Resolves to the reply's id.
 */
export async function saveCannedReply(
  db: Db,
  input: { id?: number; key: string; lang: string; title: string; body: string },
  by: StaffActor | "system",
  now = Date.now(),
): Promise<number> {
  if (by !== "system") requirePermission(by, "concerns.assign");
  const title = normaliseLineBreaks(input.title).trim();
  const body = normaliseLineBreaks(input.body).trim();
  if (!CANNED_KEY_PATTERN.test(input.key) || !title || !fitsLength(title, CANNED_TITLE_MAX) || !body || !fitsLength(body, REPLY_MAX)) {
    throw new ConcernStateError("invalid");
  }
  return db.transaction(async (tx) => {
    const [clash] = await tx
      .select({ id: cannedReplies.id })
      .from(cannedReplies)
      .where(and(eq(cannedReplies.key, input.key), eq(cannedReplies.lang, input.lang), input.id !== undefined ? ne(cannedReplies.id, input.id) : undefined))
      .limit(1);
    if (clash) throw new ConcernStateError("duplicate_canned_reply");
    let id: number;
    if (input.id !== undefined) {
      if (!(await findCannedReply(tx, input.id))) throw new ConcernStateError("not_found");
      await tx.update(cannedReplies).set({ key: input.key, lang: input.lang, title, body, updatedAt: now }).where(eq(cannedReplies.id, input.id));
      id = input.id;
    } else {
      const [created] = await tx.insert(cannedReplies).values({ key: input.key, lang: input.lang, title, body, updatedAt: now }).returning({ id: cannedReplies.id });
      id = created!.id;
    }
    await appendAudit(tx, {
      actor: by === "system" ? { type: "system" } : staffAudit(by),
      action: input.id !== undefined ? "canned_reply.updated" : "canned_reply.created",
      target: { type: "canned_reply", id },
      details: { key: input.key, lang: input.lang },
      now,
    });
    return id;
  });
}
