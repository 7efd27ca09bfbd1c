/**
 * S0 (SPEC §10): the bare baseline for the agents' hot path. A plain node:http server doing only
 * the essential work on the same SQLite file: the key's SHA-256 looked up in an in-memory map, one
 * prepared statement, the same decision insert, JSON.stringify. No validation library, no
 * framework, no scopes, no limits. Started by test/bench/run.ts.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import Database from "better-sqlite3";

const db = new Database(process.env.DATABASE_PATH!);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL");
db.pragma("busy_timeout = 5000");

const keys = new Set((db.prepare("select key_hash from api_keys where revoked_at is null").all() as { key_hash: string }[]).map((r) => r.key_hash));
const decisionFacts = db.prepare<[string, string], { version: number; value: string | null }>(
  `select c.preference_version as version, coalesce(p.value, d.default_value) as value
   from customers c join choice_definitions d on d.key = ? and d.kind = 'action'
   left join preferences p on p.customer_id = c.id and p.choice_key = d.key
   where c.id = ? and c.erased_at is null`,
);
const insert = db.prepare(
  `insert into decisions (id, customer_id, action_key, ai_system_slug, interaction_id, decision, reason, preference_version, created_at)
   values (?, ?, ?, ?, null, ?, ?, ?, ?)`,
);
const preferences = db.prepare<[string], { version: number; key: string; kind: string; defaultValue: string; dnv: number; value: string | null; pnv: number | null; method: string | null; updatedAt: number | null }>(
  `select c.preference_version as version, d.key as key, d.kind as kind, d.default_value as defaultValue, d.notice_version as dnv,
          p.value as value, p.notice_version as pnv, p.method as method, p.updated_at as updatedAt
   from customers c join choice_definitions d left join preferences p on p.customer_id = c.id and p.choice_key = d.key
   where c.id = ? and c.erased_at is null order by d.position`,
);
const DECISION: Record<string, string> = { allow: "allow", ask: "ask", never: "deny" };

function authorised(header: string | undefined): boolean {
  return !!header && keys.has(createHash("sha256").update(header.slice(7)).digest("hex"));
}
function send(res: import("node:http").ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

createServer((req, res) => {
  if (!authorised(req.headers.authorization)) return send(res, 401, { error: "unauthorized" });
  if (req.method === "POST" && req.url === "/api/v1/decisions") {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const input = JSON.parse(Buffer.concat(chunks).toString()) as { customerId: string; action: string; aiSystem: string };
      const facts = decisionFacts.get(input.action, input.customerId);
      const decision = facts ? (DECISION[facts.value ?? ""] ?? "deny") : "deny";
      const reason = facts ? `preference_${facts.value}` : "unknown";
      const id = randomUUID();
      insert.run(id, input.customerId, input.action, input.aiSystem, decision, reason, facts?.version ?? 0, Date.now());
      send(res, 200, { decision, reason, decisionId: id, preferenceVersion: facts?.version ?? 0 });
    });
    return;
  }
  const match = req.method === "GET" && /^\/api\/v1\/customers\/([^/]+)\/preferences$/.exec(req.url ?? "");
  if (match) {
    const rows = preferences.all(decodeURIComponent(match[1]!));
    if (rows.length === 0) return send(res, 404, { error: "not found" });
    return send(res, 200, {
      customerId: match[1],
      preferenceVersion: rows[0]!.version,
      choices: rows.map((r) => ({
        key: r.key,
        kind: r.kind,
        value: r.value ?? r.defaultValue,
        isDefault: r.value === null,
        noticeVersion: r.pnv ?? r.dnv,
        needsReconfirmation: r.value !== null && (r.pnv ?? 0) < r.dnv,
        method: r.method,
        updatedAt: r.updatedAt === null ? null : new Date(r.updatedAt).toISOString(),
      })),
    });
  }
  send(res, 404, { error: "not found" });
}).listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
