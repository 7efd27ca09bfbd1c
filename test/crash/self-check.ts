/**
 * `npm run crash-test -- --self-check`: proves the checks can fail. After the first round, on
 * SQLite, each kind of damage a crash could leave is made on its own copy of the database — an
 * acknowledged write removed, a change without its companion row, an edited audit entry, a broken
 * foreign key — and the checks must name it. On PostgreSQL (no cheap copies) only the integrity
 * check is proven, with an orphan row written and deleted again.
 */
import type { PostgresDatabase } from "../../app/utils/db-postgres.server";
import type { SqliteDatabase } from "../../app/utils/db-sqlite.server";
import type { CrashFixture } from "./fixture";
import type { Journal, PreferenceOutcome } from "./load";
import { checkIntegrity, checkRound } from "./verify";

interface Damage {
  name: string;
  /** What the checks must say (a fragment of one problem line). */
  expect: string;
  apply(client: SqliteDatabase["client"], journal: Journal): void;
}

const DAMAGES: Damage[] = [
  {
    name: "an acknowledged decision removed",
    expect: "acknowledged but not stored",
    apply: (client, journal) => client.prepare("delete from decisions where id = ?").run(journal.decisions.at(-1)!.id),
  },
  {
    name: "an acknowledged preference save removed (its consent event)",
    expect: "its consent event is missing",
    apply: (client, journal) => {
      const save = journal.preferences.at(-1)!;
      client.prepare("delete from consent_events where customer_id = ? and created_at = ?").run(save.customerId, save.savedAt);
    },
  },
  {
    name: "a preference changed without its consent event",
    expect: "but the last consent event says",
    apply: (client, journal) => {
      const save = journal.preferences.at(-1)!;
      client.prepare("update preferences set value = case value when 'allow' then 'ask' else 'allow' end, updated_at = updated_at + 1 where customer_id = ? and choice_key = 'orders'").run(save.customerId);
    },
  },
  {
    name: "a preference change without its webhook",
    expect: "preferences.changed webhooks",
    apply: (client, journal) => {
      const save = journal.preferences.at(-1)!;
      const rows = client.prepare("select id, payload from webhook_deliveries where event = 'preferences.changed'").all() as { id: number; payload: string }[];
      const own = rows.filter((r) => r.payload.includes(`"${save.customerId}"`)).at(-1)!;
      client.prepare("delete from webhook_deliveries where id = ?").run(own.id);
    },
  },
  {
    name: "an acknowledged concern removed",
    expect: "acknowledged but not stored",
    apply: (client, journal) => client.prepare("delete from concerns where ref = ?").run(journal.concerns.at(-1)!.ref),
  },
  {
    name: "a concern without its receipt email",
    expect: "without its receipt email",
    apply: (client, journal) => client.prepare("delete from outbox_emails where concern_id = (select id from concerns where ref = ?)").run(journal.concerns.at(-1)!.ref),
  },
  {
    name: "an acknowledged staff note removed",
    expect: "acknowledged but not stored",
    apply: (client, journal) => client.prepare("delete from concern_messages where body = ?").run(journal.notes.at(-1)!.body),
  },
  {
    name: "an audit entry edited",
    expect: "audit chain broken: edited",
    apply: (client) => client.prepare("update audit_log set details = '{}' where id = (select max(id) from audit_log where action = 'concern.filed')").run(),
  },
  {
    name: "the chain's last entries lost",
    expect: "audit chain broken: truncated",
    apply: (client) => client.prepare("delete from audit_log where id = (select max(id) from audit_log)").run(),
  },
  {
    name: "a row whose parent is gone",
    expect: "foreign_key_check",
    apply: (client) => {
      client.pragma("foreign_keys = OFF");
      client.prepare("update concern_messages set concern_id = 999999 where id = (select max(id) from concern_messages)").run();
      client.pragma("foreign_keys = ON");
    },
  },
];

/**
 * Applies each damage to a fresh copy (`openCopy`) and runs the round's checks on it. `round` and
 * `outcomes` are the last round's. Resolves to the names of the damages no problem line mentioned.
 */
export async function selfCheck(
  openCopy: () => Promise<{ database: SqliteDatabase; close(): Promise<void> }>,
  fixture: CrashFixture,
  journal: Journal,
  last: { round: number; outcomes: PreferenceOutcome[]; random: () => number },
): Promise<string[]> {
  const missed: string[] = [];
  for (const damage of DAMAGES) {
    const copy = await openCopy();
    try {
      damage.apply(copy.database.client, journal);
      const result = await checkRound(copy.database, fixture, journal, { round: last.round, outcomes: last.outcomes, full: true, previousAuditEntries: 0, random: last.random });
      const integrity = await checkIntegrity(copy.database);
      const found = [...result.problems, ...integrity.problems].some((line) => line.includes(damage.expect));
      console.log(`  self-check: ${damage.name}: ${found ? "found" : "MISSED"}`);
      if (!found) missed.push(damage.name);
    } finally {
      await copy.close();
    }
  }
  return missed;
}

/**
 * PostgreSQL (`--self-check`): a committed row whose parent is missing (written with the foreign
 * key triggers off, `session_replication_role = replica`, which needs a superuser) must be named
 * by checkIntegrity; the row is deleted again. Resolves to the damages missed (empty: found), or
 * null when the server does not allow switching the triggers off.
 */
export async function selfCheckPostgres(database: PostgresDatabase): Promise<string[] | null> {
  const client = await database.pool.connect();
  let id: number;
  try {
    await client.query("begin");
    try {
      await client.query("set local session_replication_role = replica");
    } catch {
      await client.query("rollback");
      return null;
    }
    const { rows } = await client.query<{ id: number }>(
      "insert into concern_messages (concern_id, author, visibility, body, created_at) values (2147483000, 'staff', 'internal', 'self-check: an orphan', 0) returning id",
    );
    await client.query("commit");
    id = rows[0]!.id;
  } finally {
    client.release();
  }
  try {
    const integrity = await checkIntegrity(database);
    const found = integrity.problems.some((line) => line.includes("concern_messages") && line.includes("foreign key"));
    console.log(`  self-check: a row whose parent is gone: ${found ? "found" : "MISSED"}`);
    return found ? [] : ["a row whose parent is gone"];
  } finally {
    await database.pool.query("delete from concern_messages where id = $1", [id]);
  }
}
