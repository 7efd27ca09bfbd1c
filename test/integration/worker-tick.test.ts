/**
 * The webhook delivery worker's tick in the shipped server (app/server.ts `serve`): every 5 s it
 * closes expired confirmation requests (SPEC §11.1) and folds queued changes into the report
 * figures — in a page thread when there are page threads (the main thread's event loop answers
 * the agents' hot path), on the main thread with PAGE_THREADS=0. The server logs each tick that
 * did something (`worker.tick`, with the node:worker_threads `threadId` it ran on: 0 is the main
 * thread); nothing here asks for a report page, so only the tick can have refreshed the figures.
 */
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { executeSql } from "../../app/utils/db.server";
import { confirmationAnswers, confirmations, reportConcernChanges } from "../../db/schema";
import { confirmationFor, customerFor } from "../support/confirmation-factories";
import { concernFor } from "../support/factories";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

interface TickLine {
  thread: number;
  expired: number;
  rebuilt: boolean;
  days: number;
  choiceChanges: number;
}

const tickLines = (logs: string[]): TickLine[] =>
  logs
    .join("")
    .split("\n")
    .filter((line) => line.includes('"event":"worker.tick"'))
    .map((line) => JSON.parse(line) as TickLine);

/** Polls `done` (a database read) until true, for at most `ms`: the tick runs every 5 s. */
async function until(done: () => Promise<boolean>, ms = 20_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (await done()) return true;
  }
  return done();
}

describe.each([
  { pageThreads: "1", where: "in a page thread", onMainThread: false },
  { pageThreads: "0", where: "on the main thread without page threads", onMainThread: true },
])("the delivery worker's tick with PAGE_THREADS=$pageThreads", ({ pageThreads, where, onMainThread }) => {
  it(`expires unanswered confirmation requests and refreshes the report figures, ${where}`, async () => {
    const started = await startServer({ echo: false, env: { PAGE_THREADS: pageThreads, LOG_LEVEL: "info" } });
    server = started;
    const { db } = started;
    const customer = await customerFor(db);
    const request = await confirmationFor(db, customer.id);
    await db.update(confirmations).set({ expiresAt: Date.now() - 1_000 }).where(eq(confirmations.id, request.id));
    await concernFor(db, { kind: "other" });
    const queued = async () => (await db.select({ n: sql<number>`count(*)` }).from(reportConcernChanges))[0]!.n;
    expect(Number(await queued())).toBeGreaterThan(0);

    const answered = async () => {
      const [answer] = await db.select({ answer: confirmationAnswers.answer, method: confirmationAnswers.method }).from(confirmationAnswers).where(eq(confirmationAnswers.confirmationId, request.id)).limit(1);
      return answer;
    };
    expect(await until(async () => (await answered()) !== undefined && Number(await queued()) === 0)).toBe(true);
    expect(await answered()).toEqual({ answer: "expired", method: "system" });

    // The figures count the new concern: its day's "kind: other" figure equals a count from the table.
    const [figure] = await executeSql<{ counted: number; figured: number }>(
      db,
      sql`select
            (select count(*) from concerns c where c.kind = 'other' and c.origin <> 'breach' and c.status not in ('spam', 'merged')) as counted,
            (select coalesce(sum(d.concerns), 0) from report_concern_days d where d.dimension = 'kind' and d.key = 'other') as figured`,
    );
    expect(Number(figure!.figured)).toBe(Number(figure!.counted));

    // The tick logs once every step of it ran (the company's duties come after the expiry).
    expect(await until(async () => tickLines(started.logs).some((line) => line.expired >= 1))).toBe(true);
    const lines = tickLines(server.logs);
    expect(lines.some((line) => line.expired >= 1)).toBe(true);
    expect(lines.some((line) => line.days >= 1 || line.rebuilt)).toBe(true);
    for (const line of lines) {
      if (onMainThread) expect(line.thread).toBe(0);
      else expect(line.thread).toBeGreaterThan(0);
    }
  }, 60_000);
});
