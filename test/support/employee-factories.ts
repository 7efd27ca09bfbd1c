/**
 * Employee reports for tests (SPEC §12): filed through the domain, with a description that is
 * unique to the test so a page can be searched for it whatever the demo seed holds.
 */
import { eq } from "drizzle-orm";
import { fileEmployeeReport, type EmployeeReportInput } from "../../app/domain/concerns/index.server";
import type { Db } from "../../app/utils/db.server";
import { aiSystems, staffUsers } from "../../db/schema";

let counter = 0;

/** The id of a demo staff member by role ("agent", "supervisor", "admin"). */
export async function demoStaffId(db: Db, role: "agent" | "supervisor" | "admin"): Promise<number> {
  const [staff] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, `${role}@nordlys.example`)).limit(1);
  return staff!.id;
}

/** The register id of an AI system by slug. */
export async function systemId(db: Db, slug: string): Promise<number> {
  const [system] = await db.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.slug, slug)).limit(1);
  return system!.id;
}

/** Files an employee report (public and anonymous unless told otherwise); returns its reference, token and description. */
export async function fileTestEmployeeReport(db: Db, overrides: Partial<EmployeeReportInput> = {}) {
  const description = overrides.description ?? `Employee saw the assistant misbehave, case ${++counter}-${Date.now().toString(36)}`;
  const filed = await fileEmployeeReport(db, { kind: "wrong_information", systemId: null, lang: "en", ...overrides, description });
  return { ...filed, description };
}
