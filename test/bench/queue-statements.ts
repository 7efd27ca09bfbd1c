/**
 * The queue's domain call alone, per size, without HTTP or rendering: `npx tsx
 * test/bench/queue-statements.ts [--engine sqlite|postgres] [--sizes 10000,1000000]` times
 * listQueue (its statements and row mapping) for the growth bench's filtered and searched views
 * on the cached databases (growth-support.ts), p50 of 100 after 10 warm-up calls, interleaved.
 * Tells whether a growth ratio comes from the statements or from the rest of the page.
 */
import { aiSystemNames } from "../../app/domain/ai-register.server";
import { listQueue, type QueueFilters } from "../../app/domain/concerns/index.server";
import { findStaffByEmail } from "../../app/domain/staff.server";
import { DEMO_STAFF } from "../../db/seed";
import { ensureFullQueuePages, percentile, QUEUE_SYSTEM, QUEUE_WORD, seedTag, targetFor } from "./growth-support";

const argv = process.argv.slice(2);
const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const engine = (arg("--engine") ?? "sqlite") as "sqlite" | "postgres";
const sizes = (arg("--sizes") ?? "10000,1000000").split(",").map(Number);

const opened = [];
for (const size of sizes) {
  const target = await targetFor(engine, size, seedTag());
  await ensureFullQueuePages(target);
  const database = target.open();
  const agent = (await findStaffByEmail(database.db, DEMO_STAFF.find((s) => s.role === "agent")!.email))!;
  const systemId = [...(await aiSystemNames(database.db, "en"))].find(([, s]) => s.slug === QUEUE_SYSTEM)![0];
  opened.push({ size, database, agent, systemId });
}
const views: [string, (systemId: number) => Partial<QueueFilters>][] = [
  ["first page", () => ({})],
  ["filtered (system + mine)", (systemId) => ({ systemId, assignee: "me" })],
  ["search", () => ({ q: QUEUE_WORD })],
];
try {
  for (const [name, filters] of views) {
    const times = opened.map(() => [] as number[]);
    for (let i = 0; i < 110; i++) {
      for (const [n, { database, agent, systemId }] of opened.entries()) {
        const started = performance.now();
        await listQueue(database.db, { status: "open", sort: "due", page: 1, ...filters(systemId) }, agent, "en");
        if (i >= 10) times[n]!.push(performance.now() - started);
      }
    }
    console.log(`listQueue, ${name} (${engine}): ${opened.map(({ size }, n) => `${size.toLocaleString("en")}: ${percentile(times[n]!.sort((a, b) => a - b), 50).toFixed(2)} ms`).join(", ")}`);
  }
} finally {
  for (const { database } of opened) await database.close();
}
