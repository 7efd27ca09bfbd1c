/** Small factories for the audits and public statistics tests: a fresh AI system, an audit, a concern with a given outcome. */
import { eq } from "drizzle-orm";
import { createAiSystem } from "../../app/domain/ai-register.server";
import { recordAudit, type ActionInput, type AuditInput } from "../../app/domain/audits.server";
import { findStaffByEmail } from "../../app/domain/staff.server";
import type { Db } from "../../app/utils/db.server";
import { aiSystems, concerns } from "../../db/schema";
import { concernFor } from "./factories";

const TEXT_FIELDS = ["shortDescription", "riskReason", "purpose", "notFor", "howItWorks", "limitations", "dataOperating", "dataTraining", "legalBasis", "oversight", "risks", "impactAssessment", "retention"] as const;

let counter = 0;

/** A new AI system (English texts only) registered at `createdAt` (ms); returns its id and slug. */
export async function auditSystem(db: Db, options: { name?: string; createdAt?: number; slug?: string } = {}): Promise<{ id: number; slug: string; name: string }> {
  const slug = options.slug ?? `audit-test-${++counter}-${Math.random().toString(36).slice(2, 7)}`;
  const name = options.name ?? `Audit test system ${counter}`;
  const texts = { name, ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, `${name}: ${f}`])) } as Parameters<typeof createAiSystem>[1]["texts"][string];
  const id = await createAiSystem(db, {
    slug,
    provider: "Test provider",
    riskClass: "limited",
    autonomy: "answers",
    channels: ["chat"],
    contactEmail: "ai@nordlys.example",
    lastReviewedAt: Date.now(),
    actionKeys: [],
    texts: { en: texts },
    versions: [{ changeNote: { en: "First version." }, material: false, createdAt: Date.now() }],
  });
  if (options.createdAt !== undefined) await db.update(aiSystems).set({ createdAt: options.createdAt }).where(eq(aiSystems.id, id));
  return { id, slug, name };
}

/** The demo admin's staff id (the template has the demo staff). */
export async function demoStaffId(db: Db, role: "admin" | "supervisor" | "agent" = "admin"): Promise<number> {
  const staff = await findStaffByEmail(db, `${role}@nordlys.example`);
  if (!staff) throw new Error(`no demo ${role}`);
  return staff.id;
}

/** Records an audit of `slug` on `auditedOn` with defaults for everything else; returns its id. */
export async function auditOf(db: Db, slug: string, auditedOn: string, overrides: Partial<AuditInput> = {}, actions: ActionInput[] = []): Promise<number> {
  return recordAudit(
    db,
    slug,
    {
      auditedOn,
      auditorName: "Test Auditor",
      auditorStaffId: null,
      scope: "Accuracy and fairness.",
      findings: "Nothing to report.",
      result: "passed",
      summaries: { en: `Summary of the audit on ${auditedOn}.` },
      ...overrides,
    },
    actions,
    { staffId: await demoStaffId(db) },
  );
}

/**
 * A concern about `systemId` filed at `filedAt` (ms), optionally answered after `answerAfterMs`
 * and resolved with `outcome` — written straight into the row, as the statistics only read it.
 */
export async function statisticsConcern(
  db: Db,
  systemId: number | null,
  filedAt: number,
  options: { answerAfterMs?: number; outcome?: string; status?: string; origin?: string } = {},
): Promise<number> {
  const concern = await concernFor(db);
  const resolved = options.outcome !== undefined;
  await db
    .update(concerns)
    .set({
      systemId,
      createdAt: filedAt,
      firstResponseAt: options.answerAfterMs === undefined ? null : filedAt + options.answerAfterMs,
      status: options.status ?? (resolved ? "resolved" : "new"),
      outcomeCode: options.outcome ?? null,
      resolvedAt: resolved ? filedAt + (options.answerAfterMs ?? 0) + 1000 : null,
      ...(options.origin ? { origin: options.origin } : {}),
    })
    .where(eq(concerns.ref, concern.ref));
  const [row] = await db.select({ id: concerns.id }).from(concerns).where(eq(concerns.ref, concern.ref)).limit(1);
  return row!.id;
}
