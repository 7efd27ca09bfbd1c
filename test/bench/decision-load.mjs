/**
 * The isolation bench's load generator (test/bench/isolation.ts), in a process of its own so it
 * shares no event loop with the server or with the client that times the pages:
 * `node test/bench/decision-load.mjs` reading `{ url, connections, duration, requests }`
 * (autocannon options) as JSON on stdin. Prints "ready" when the load starts, then one line of JSON:
 * `{ rps, p50, p99, p999, non2xx, errors }` (requests per second; latencies in ms).
 */
import autocannon from "autocannon";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const options = JSON.parse(input);
console.log("ready");
const result = await autocannon(options);
console.log(
  JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    p999: result.latency.p99_9,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }),
);
