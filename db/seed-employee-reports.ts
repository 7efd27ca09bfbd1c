/**
 * Demo employee reports (SPEC §12 "Employees report AI concerns too"), one per shipped language:
 * two filed from the console by the demo agent and supervisor, one from the public form with a
 * name, one anonymous. They sit in the queue marked "Employee report"; only supervisors and admins
 * see who filed them. Needs the demo staff and register (seedDemoStaff, seedChoicesAndRegister).
 */
import { eq } from "drizzle-orm";
import { fileEmployeeReport } from "../app/domain/concerns/employee.server";
import type { ConcernKind } from "../app/domain/vocabulary";
import type { Db } from "../app/utils/db.server";
import { aiSystems, concerns, staffUsers } from "./schema";

const DAY = 24 * 60 * 60 * 1000;

interface DemoEmployeeReport {
  lang: "en" | "fr" | "de" | "ar";
  daysAgo: number;
  kind: ConcernKind;
  system: string | null;
  /** Console: the demo staff member's email; public form: null. */
  staffEmail: string | null;
  /** Public form: the name the reporter typed (null: anonymous). */
  name: string | null;
  description: string;
}

export const DEMO_EMPLOYEE_REPORTS: DemoEmployeeReport[] = [
  {
    lang: "en",
    daysAgo: 9,
    kind: "unwanted_action",
    system: "offer-predictor",
    staffEmail: "agent@nordlys.example",
    name: null,
    description:
      "On three calls this week the offer predictor put the premium upgrade at the top of my screen right after the customer said they wanted a cheaper plan. One customer was upset that we 'ignored' them. Can someone check why it ranks upgrades first for people who ask to lower their bill?",
  },
  {
    lang: "fr",
    daysAgo: 6,
    kind: "not_told_ai",
    system: "chat-assistant",
    staffEmail: null,
    name: "Camille Martin",
    description:
      "Dans le chat, une cliente a demandé « Je parle à une vraie personne ? » et l’assistant a répondu sans dire clairement qu’il s’agissait d’une IA. Elle l’a appris seulement au moment du transfert vers moi. Je pense que le message d’accueil devrait le dire plus tôt.",
  },
  {
    lang: "de",
    daysAgo: 3,
    kind: "wrong_information",
    system: "network-troubleshooter",
    staffEmail: null,
    name: null,
    description:
      "Der Störungsassistent hat einem Kunden gesagt, dass noch am selben Tag ein Techniker kommt. Im Einsatzplan war aber für die ganze Woche niemand frei. Der Kunde hat den ganzen Tag gewartet und sich danach bei der Hotline beschwert.",
  },
  {
    lang: "ar",
    daysAgo: 1,
    kind: "privacy",
    system: "call-summariser",
    staffEmail: "supervisor@nordlys.example",
    name: null,
    description:
      "لاحظتُ أن ملخّص المكالمة الذي أعدّه النظام تضمّن رقم البطاقة المصرفية الذي قرأه العميل بصوت عالٍ أثناء المكالمة. يجب ألا تُحفَظ هذه البيانات في الملخّصات. أرجو التحقق من المكالمات الأخرى أيضًا.",
  },
];

/**
 * Files the demo employee reports (DEMO_EMPLOYEE_REPORTS) through the domain, dated `now` (ms
 * since epoch UTC) minus their days. Idempotent: does nothing once any employee report exists.
 * Resolves to the number filed.
 */
export async function seedEmployeeReports(db: Db, now: number): Promise<number> {
  const [existing] = await db.select({ id: concerns.id }).from(concerns).where(eq(concerns.origin, "employee")).limit(1);
  if (existing) return 0;
  let filed = 0;
  for (const report of DEMO_EMPLOYEE_REPORTS) {
    const [system] = report.system ? await db.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.slug, report.system)).limit(1) : [];
    const [staff] = report.staffEmail ? await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, report.staffEmail)).limit(1) : [];
    await fileEmployeeReport(db, {
      kind: report.kind,
      systemId: system?.id ?? null,
      description: report.description,
      lang: report.lang,
      reporterStaffId: staff?.id ?? null,
      reporterName: report.name,
      now: now - report.daysAgo * DAY,
    });
    filed++;
  }
  return filed;
}
