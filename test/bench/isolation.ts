/**
 * Isolation (issue 10 item 3, SPEC §10): staff work must not delay the agents' decisions, and the
 * queue must stay usable under decision load. Run by `npm run bench:growth -- --isolation` at its
 * largest size, against the production server it started:
 * 1. decision p99.9 alone: ISOLATION_SECONDS (10) of autocannon, ISOLATION_CONNECTIONS (10)
 *    connections, POST /api/v1/decisions over 500 bulk customers;
 * 2. the same while one client loads the reports page back to back and another searches the queue
 *    back to back (target: p99.9 within 2x of alone);
 * 3. the queue's first page, requested back to back by one client (p50/p99) during a 50-connection
 *    decision load (target: p99 < 250 ms).
 * Returns a markdown table; the figures are for the machine the bench ran on, with what else ran on it.
 */
import autocannon from "autocannon";
import type { Auth } from "./growth";

const SECONDS = Number(process.env.ISOLATION_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.ISOLATION_CONNECTIONS ?? 10);

function decisionLoad(base: string, auth: Auth, connections: number) {
  return autocannon({
    url: base,
    connections,
    duration: SECONDS,
    requests: auth.customers.map((customerId) => ({
      method: "POST" as const,
      path: "/api/v1/decisions",
      headers: { Authorization: `Bearer ${auth.apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ customerId, action: "plan-changes", aiSystem: "offer-predictor", identity: { verified: true } }),
    })),
  });
}

/** Requests `path` back to back until `until` resolves; returns the sorted latencies (ms). */
async function loop(base: string, path: string, cookie: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  const stop = () => (done = true);
  void until.then(stop, stop);
  const times: number[] = [];
  while (!done) {
    const started = performance.now();
    const response = await fetch(base + path, { headers: { Cookie: cookie }, redirect: "manual" });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

const at = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
type LoadResult = Awaited<ReturnType<typeof autocannon>>;
const p999 = (result: LoadResult) => (result.latency as unknown as Record<string, number>).p99_9 ?? NaN;
const ms = (value: number) => (value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString("en"));

/** Runs the three isolation measures against `base`; returns them as a markdown table. */
export async function runIsolation(base: string, auth: Auth, log: (line: string) => void): Promise<string> {
  log(`isolation: decisions alone (${SECONDS} s, ${CONNECTIONS} connections)`);
  const alone = await decisionLoad(base, auth, CONNECTIONS);

  log("isolation: decisions during a reports loop and a queue search loop");
  const loaded = decisionLoad(base, auth, CONNECTIONS);
  const [during, reports, searches] = await Promise.all([loaded, loop(base, "/staff/reports", auth.supervisorCookie, loaded), loop(base, "/staff/concerns?q=munchen", auth.staffCookie, loaded)]);

  log("isolation: the queue page during a 50-connection decision load");
  const heavy = decisionLoad(base, auth, 50);
  const [heavyResult, queue] = await Promise.all([heavy, loop(base, "/staff/concerns", auth.staffCookie, heavy)]);

  const ratio = p999(during) / p999(alone);
  const queueP99 = at(queue, 99);
  const rows = [
    `### Isolation at ${auth.size.toLocaleString("en")} customers (${SECONDS} s per run)`,
    "",
    "| measure | figure | target | result |",
    "|---|---:|---|---|",
    `| decisions alone (${CONNECTIONS} conn.): req/s, p50 / p99 / p99.9 ms | ${Math.round(alone.requests.average)} req/s, ${ms(alone.latency.p50)} / ${ms(alone.latency.p99)} / ${ms(p999(alone))} | | |`,
    `| decisions during reports + search loops: req/s, p50 / p99 / p99.9 ms | ${Math.round(during.requests.average)} req/s, ${ms(during.latency.p50)} / ${ms(during.latency.p99)} / ${ms(p999(during))} | p99.9 ≤ 2x alone | ${ratio.toFixed(2)}x ${ratio <= 2 ? "PASS" : "FAIL"} |`,
    `| reports pages / searches done meanwhile: p50 ms | ${reports.length} (${ms(at(reports, 50))}) / ${searches.length} (${ms(at(searches, 50))}) | | |`,
    `| queue page during 50-conn. decisions: p50 / p99 ms (${queue.length} pages; decisions ${Math.round(heavyResult.requests.average)} req/s) | ${ms(at(queue, 50))} / ${ms(queueP99)} | p99 < 250 ms | ${queueP99 < 250 ? "PASS" : "FAIL"} |`,
  ];
  for (const result of [alone, during, heavyResult]) {
    if (result.non2xx > 0 || result.errors > 0) rows.push("", `!! non-2xx: ${result.non2xx}, errors: ${result.errors}`);
  }
  return rows.join("\n");
}
