/**
 * S0 on PostgreSQL (SPEC §10 "Both engines"): test/bench/s0.ts's bare node:http server on a
 * node-postgres pool of the shipped server's size (10), running the SAME SQL as the shipped hot
 * path (`postgresHotPathStatements`: its facts statement, insert and preferences statement, as
 * named prepared statements) with S0's own rules and answer building; one autocommit insert per
 * decision. Int8 and numeric values are parsed as numbers, as the shipped server does.
 * DATABASE_URL: the bench's database. Started by test/bench/run.ts (`BENCH_ENGINE=postgres`);
 * prints "listening" when ready.
 */
import pg from "pg";
import { postgresHotPathStatements } from "../../app/domain/decision-hot-path.server";
import { KEYS_SQL, serveS0, type S0Facts, type S0PreferenceRow } from "./s0";

/** The shipped server's pool size (app/utils/db-postgres.server.ts). */
const POOL_SIZE = 10;

pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL!, max: POOL_SIZE });
const statements = postgresHotPathStatements();
type Row = Record<string, unknown>;
const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

/** The shipped facts row in S0's terms; undefined for an unknown customer or action. */
function s0Facts(row: Row | undefined): S0Facts | undefined {
  if (!row?.hasCustomer || !row.hasDefinition) return undefined;
  return {
    version: Number(row.preferenceVersion),
    timeZone: text(row.timeZone),
    own: text(row.value),
    value: String(row.value ?? row.defaultValue),
    limits: text(row.limits),
    identity: text(row.identityValue ?? row.identityDefault),
  };
}

const preferenceRow = (r: Row): S0PreferenceRow => ({
  version: Number(r.version),
  timeZone: text(r.timeZone),
  key: String(r.key),
  kind: String(r.kind),
  defaultValue: String(r.defaultValue),
  dnv: Number(r.definitionNoticeVersion),
  value: text(r.value),
  pnv: r.preferenceNoticeVersion === null ? null : Number(r.preferenceNoticeVersion),
  method: text(r.method),
  updatedAt: r.updatedAt === null ? null : Number(r.updatedAt),
  limits: text(r.limits),
});

serveS0({
  keyHashes: new Set((await pool.query<{ key_hash: string }>(KEYS_SQL)).rows.map((r) => r.key_hash)),
  facts: async ({ action, customerId, aiSystem }) => {
    const values = statements.facts.values({ customerId, actionKey: action, aiSystemSlug: aiSystem, interactionRef: null, confirmationId: null });
    return s0Facts((await pool.query<Row>({ name: "s0_facts", text: statements.facts.text, values })).rows[0]);
  },
  insert: ([id, customerId, actionKey, aiSystemSlug, decision, reason, preferenceVersion, context, createdAt]) =>
    pool.query({
      name: "s0_insert",
      text: statements.insert.text,
      values: statements.insert.values({ id, customerId, actionKey, aiSystemSlug, interactionId: null, decision, reason, preferenceVersion, confirmationId: null, context, retryAfter: null, createdAt }),
    }),
  preferences: async (customerId) => (await pool.query<Row>({ name: "s0_preferences", text: statements.preferences.text, values: statements.preferences.values({ customerId }) })).rows.filter((r) => r.key !== null).map(preferenceRow),
});
