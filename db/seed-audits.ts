/**
 * Demo audits of Nordlys Telecom's AI systems (SPEC §12 "Audits of AI systems"): each system has
 * a coherent audit history with public summaries in en/fr/de/ar. The network troubleshooter's
 * audit is overdue (6-month interval, last audit 8 months ago); the email reply drafter has open
 * actions (one overdue, one due in 5 days). Days are relative to `now` in the company's time zone.
 */
import { aiSystemAudits } from "./schema";
import { addAuditAction, AuditInputError, completeAuditAction, recordAudit, setAuditInterval, type AuditResult } from "../app/domain/audits.server";
import { findStaffByEmail } from "../app/domain/staff.server";
import { companyTimeZone } from "../app/domain/settings.server";
import { addDays, dayStart, localDay } from "../app/utils/calendar";
import type { Db } from "../app/utils/db.server";

type Summaries = { en: string; fr: string; de: string; ar: string };

interface DemoAction {
  text: string;
  owner: "admin" | "supervisor" | null;
  dueInDays: number;
  doneAfterDays?: number;
}

interface DemoAudit {
  daysAgo: number;
  auditorName: string;
  auditorIsStaff?: "admin" | "supervisor";
  scope: string;
  findings: string;
  result: AuditResult;
  summaries: Summaries;
  actions?: DemoAction[];
}

/** The demo's audit history per AI system (its public summaries are translated: db/demo-content.ts). */
export const AUDITS: { slug: string; intervalMonths: number; audits: DemoAudit[] }[] = [
  {
    slug: "chat-assistant",
    intervalMonths: 12,
    audits: [
      {
        daysAgo: 395,
        auditorName: "Ada Admin (AI governance)",
        auditorIsStaff: "admin",
        scope: "Accuracy of answers on 400 sampled chats, the AI notice at the start of every chat, hand-over to a person.",
        findings: "94% of sampled answers were correct. Roaming prices in 9 answers were out of date because two help articles had not been updated. The AI notice was shown in every chat.",
        result: "passed_with_actions",
        summaries: {
          en: "We checked 400 chats with Nora. Most answers were correct and every chat said clearly that you were talking to an AI. Some answers about roaming prices were out of date, so we updated the help articles Nora uses.",
          fr: "Nous avons vérifié 400 conversations avec Nora. La plupart des réponses étaient justes et chaque conversation indiquait clairement que vous parliez à une IA. Certaines réponses sur les prix en itinérance n’étaient plus à jour : nous avons mis à jour les articles d’aide utilisés par Nora.",
          de: "Wir haben 400 Chats mit Nora geprüft. Die meisten Antworten waren richtig, und jeder Chat hat klar gesagt, dass Sie mit einer KI sprechen. Einige Antworten zu Roaming-Preisen waren veraltet; deshalb haben wir die Hilfeartikel aktualisiert, die Nora nutzt.",
          ar: "راجعنا 400 محادثة مع نورا. كانت معظم الإجابات صحيحة، وأوضحت كل محادثة أنكم تتحدثون مع ذكاء اصطناعي. وكانت بعض الإجابات عن أسعار التجوال قديمة، فحدّثنا مقالات المساعدة التي تستخدمها نورا.",
        },
        actions: [{ text: "Update the two roaming help articles and re-test the 9 wrong answers.", owner: "supervisor", dueInDays: 30, doneAfterDays: 21 }],
      },
      {
        daysAgo: 30,
        auditorName: "Ada Admin (AI governance)",
        auditorIsStaff: "admin",
        scope: "Accuracy on 400 sampled chats, hand-over to a person, use of chats for training only with consent.",
        findings: "97% of sampled answers were correct; every request for a person was handed over. Only chats of customers who agreed were in the training set.",
        result: "passed",
        summaries: {
          en: "We checked 400 chats with Nora again. Nearly all answers were correct, every request to speak to a person was passed on, and only chats of customers who agreed were used to improve Nora.",
          fr: "Nous avons de nouveau vérifié 400 conversations avec Nora. Presque toutes les réponses étaient justes, chaque demande de parler à une personne a été transmise, et seules les conversations des clients qui l’avaient accepté ont servi à améliorer Nora.",
          de: "Wir haben erneut 400 Chats mit Nora geprüft. Fast alle Antworten waren richtig, jeder Wunsch nach einer Person wurde weitergegeben, und nur Chats von Kundinnen und Kunden, die zugestimmt hatten, wurden zur Verbesserung von Nora genutzt.",
          ar: "راجعنا 400 محادثة مع نورا مرة أخرى. كانت جميع الإجابات تقريبًا صحيحة، ونُقل كل طلب للتحدث مع موظف، ولم نستخدم لتحسين نورا إلا محادثات العملاء الذين وافقوا على ذلك.",
        },
      },
    ],
  },
  {
    slug: "email-reply-drafter",
    intervalMonths: 12,
    audits: [
      {
        daysAgo: 200,
        auditorName: "Sam Supervisor (customer care quality)",
        auditorIsStaff: "supervisor",
        scope: "Drafts reviewed by agents before sending, tone and accuracy of 300 drafts, personal data in prompts.",
        findings: "Every draft was read by an agent before sending. 12 drafts quoted an old cancellation period. Prompts contained full account numbers where the last four digits would do.",
        result: "passed_with_actions",
        summaries: {
          en: "We checked 300 email replies drafted by AI. A person read every draft before it was sent. Some drafts mentioned an old cancellation period, and the system saw more of your account number than it needs; we are fixing both.",
          fr: "Nous avons vérifié 300 réponses par e-mail préparées par l’IA. Une personne a relu chaque brouillon avant l’envoi. Certains brouillons citaient un ancien délai de résiliation, et le système voyait une plus grande partie de votre numéro de compte que nécessaire : nous corrigeons ces deux points.",
          de: "Wir haben 300 von der KI vorbereitete E-Mail-Antworten geprüft. Jeder Entwurf wurde vor dem Versand von einer Person gelesen. Einige Entwürfe nannten eine alte Kündigungsfrist, und das System sah mehr von Ihrer Kontonummer als nötig; wir beheben beides.",
          ar: "راجعنا 300 رد بالبريد الإلكتروني أعدّها الذكاء الاصطناعي. قرأ موظف كل مسودة قبل إرسالها. وذكرت بعض المسودات مدة إلغاء قديمة، وكان النظام يرى من رقم حسابكم أكثر مما يحتاج؛ ونعمل على إصلاح الأمرين.",
        },
        actions: [
          { text: "Replace the old cancellation period in the drafting templates.", owner: "supervisor", dueInDays: 195, doneAfterDays: 14 },
          { text: "Send only the last four digits of the account number to the model.", owner: "admin", dueInDays: 195 },
          { text: "Re-check 100 drafts after both fixes.", owner: "supervisor", dueInDays: 205 },
        ],
      },
    ],
  },
  {
    slug: "network-troubleshooter",
    intervalMonths: 6,
    audits: [
      {
        daysAgo: 245,
        auditorName: "Nordlys network operations audit team",
        scope: "Correctness of line diagnoses on 250 cases, remote resets only with the customer's permission.",
        findings: "Diagnoses matched the engineer's finding in 91% of cases. Every remote reset had a valid permission.",
        result: "passed",
        summaries: {
          en: "We compared 250 line checks by the troubleshooter with what our engineers found. It was right in 9 out of 10 cases, and it never restarted equipment without the customer’s permission.",
          fr: "Nous avons comparé 250 diagnostics de ligne de l’outil avec les constats de nos techniciens. Il avait raison dans 9 cas sur 10 et n’a jamais redémarré un équipement sans l’autorisation du client.",
          de: "Wir haben 250 Leitungsprüfungen des Systems mit den Ergebnissen unserer Technikerinnen und Techniker verglichen. Es lag in 9 von 10 Fällen richtig und hat nie ein Gerät ohne Erlaubnis der Kundin oder des Kunden neu gestartet.",
          ar: "قارنّا 250 فحصًا للخطوط أجراها النظام بما وجده مهندسونا. كان محقًا في 9 حالات من 10، ولم يُعِد تشغيل أي جهاز دون إذن العميل.",
        },
      },
    ],
  },
  {
    slug: "offer-predictor",
    intervalMonths: 6,
    audits: [
      {
        daysAgo: 240,
        auditorName: "Fairlytics GmbH (external auditor)",
        scope: "Fairness of offer predictions across age groups and regions; whether protected characteristics or proxies are used.",
        findings: "No protected characteristics are used, but the postcode acted as a proxy: customers in two postcode areas with many older residents received fewer discount offers.",
        result: "failed",
        summaries: {
          en: "An external auditor checked whether our offer predictions treat customers fairly. The postcode turned out to favour some areas over others, which is not acceptable. We stopped using the postcode and retrained the model.",
          fr: "Un auditeur externe a vérifié si nos prédictions d’offres traitent les clients de façon équitable. Le code postal favorisait certaines zones par rapport à d’autres, ce qui n’est pas acceptable. Nous avons cessé d’utiliser le code postal et réentraîné le modèle.",
          de: "Ein externer Prüfer hat kontrolliert, ob unsere Angebotsvorhersagen Kundinnen und Kunden fair behandeln. Die Postleitzahl hat manche Gebiete bevorzugt, das ist nicht akzeptabel. Wir nutzen die Postleitzahl nicht mehr und haben das Modell neu trainiert.",
          ar: "تحقق مدقِّق خارجي مما إذا كانت توقعات العروض لدينا تعامل العملاء بإنصاف. وتبيّن أن الرمز البريدي كان يفضّل بعض المناطق على غيرها، وهذا غير مقبول. فتوقفنا عن استخدام الرمز البريدي وأعدنا تدريب النموذج.",
        },
        actions: [{ text: "Remove the postcode feature and retrain the model; repeat the fairness test.", owner: "admin", dueInDays: 60, doneAfterDays: 45 }],
      },
      {
        daysAgo: 60,
        auditorName: "Fairlytics GmbH (external auditor)",
        scope: "Repeat of the fairness test after removing the postcode feature; accuracy of offer predictions.",
        findings: "Offer rates now differ by less than 2 percentage points between age groups and regions. Accuracy fell slightly (from 81% to 79%).",
        result: "passed",
        summaries: {
          en: "The external auditor repeated the fairness test after we removed the postcode. Offers are now shared out evenly between age groups and regions, with only a small loss in accuracy.",
          fr: "L’auditeur externe a refait le test d’équité après la suppression du code postal. Les offres sont désormais réparties de façon égale entre les tranches d’âge et les régions, avec une faible perte de précision.",
          de: "Der externe Prüfer hat den Fairness-Test wiederholt, nachdem wir die Postleitzahl entfernt hatten. Angebote verteilen sich jetzt gleichmäßig auf Altersgruppen und Regionen, bei nur wenig geringerer Genauigkeit.",
          ar: "أعاد المدقِّق الخارجي اختبار الإنصاف بعد أن أزلنا الرمز البريدي. وأصبحت العروض تتوزع الآن بالتساوي بين الفئات العمرية والمناطق، مع انخفاض طفيف في الدقة.",
        },
      },
    ],
  },
  {
    slug: "call-summariser",
    intervalMonths: 12,
    audits: [
      {
        daysAgo: 100,
        auditorName: "Sam Supervisor (customer care quality)",
        auditorIsStaff: "supervisor",
        scope: "Accuracy of 150 call summaries, deletion of recordings after summarising, data kept in the EU.",
        findings: "Summaries were accurate in 96% of calls. Recordings were deleted within 24 hours. Processing stayed in the EU.",
        result: "passed",
        summaries: {
          en: "We checked 150 call summaries against the calls. They were accurate, the recordings were deleted within a day as promised, and all processing stayed in the EU.",
          fr: "Nous avons comparé 150 résumés d’appels avec les appels eux-mêmes. Ils étaient exacts, les enregistrements ont été supprimés en moins d’un jour comme promis, et tout le traitement est resté dans l’UE.",
          de: "Wir haben 150 Gesprächszusammenfassungen mit den Gesprächen verglichen. Sie waren zutreffend, die Aufnahmen wurden wie versprochen innerhalb eines Tages gelöscht, und die gesamte Verarbeitung blieb in der EU.",
          ar: "قارنّا 150 ملخصًا للمكالمات بالمكالمات نفسها. كانت الملخصات دقيقة، وحُذفت التسجيلات خلال يوم واحد كما وعدنا، وبقيت المعالجة كلها داخل الاتحاد الأوروبي.",
        },
      },
    ],
  },
];

/**
 * Records the demo audits (oldest first, through the audits domain, so each is in the audit log),
 * after the register (`seedDemo`) and the demo staff (`seedDemoStaff`, which it needs for owners
 * and the recording actor). `now`: ms since epoch; days are relative to it. Idempotent: does
 * nothing when any audit exists. Resolves to the number of audits recorded.
 */
export async function seedAudits(db: Db, now = Date.now()): Promise<number> {
  const [existing] = await db.select({ id: aiSystemAudits.id }).from(aiSystemAudits).limit(1);
  if (existing) return 0;
  const admin = await findStaffByEmail(db, "admin@nordlys.example");
  const supervisor = await findStaffByEmail(db, "supervisor@nordlys.example");
  if (!admin || !supervisor) throw new Error("seedAudits needs the demo staff (seedDemoStaff) first");
  const staff = { admin: admin.id, supervisor: supervisor.id };
  const zone = companyTimeZone();
  const today = localDay(now, zone);
  const at = (day: string) => dayStart(day, zone) + 10 * 3_600_000;
  const actor = { staffId: admin.id };

  type Step = { at: number; apply: () => Promise<void> };
  const steps: Step[] = [];
  let recorded = 0;
  for (const system of AUDITS) {
    await setAuditInterval(db, system.slug, system.intervalMonths, actor, now - 400 * 86_400_000).catch((error: unknown) => {
      if (!(error instanceof AuditInputError && error.code === "notFound")) throw error;
    });
    for (const audit of system.audits) {
      const auditedOn = addDays(today, -audit.daysAgo);
      steps.push({
        at: at(auditedOn),
        apply: async () => {
          const id = await recordAudit(
            db,
            system.slug,
            {
              auditedOn,
              auditorName: audit.auditorName,
              auditorStaffId: audit.auditorIsStaff ? staff[audit.auditorIsStaff] : null,
              scope: audit.scope,
              findings: audit.findings,
              result: audit.result,
              summaries: audit.summaries,
            },
            [],
            actor,
            at(auditedOn),
          );
          recorded += 1;
          for (const action of audit.actions ?? []) {
            const actionId = await addAuditAction(
              db,
              system.slug,
              id,
              { text: action.text, ownerId: action.owner ? staff[action.owner] : null, dueOn: addDays(auditedOn, action.dueInDays) },
              actor,
              at(auditedOn) + 60_000,
            );
            if (action.doneAfterDays !== undefined) {
              const doneAt = at(addDays(auditedOn, action.doneAfterDays));
              steps.push({ at: doneAt, apply: () => completeAuditAction(db, system.slug, actionId, { staffId: action.owner ? staff[action.owner] : admin.id }, doneAt) });
            }
          }
        },
      });
    }
  }
  // In time order, so the audit log reads as it happened (completions are queued as they are created).
  while (steps.length) {
    steps.sort((a, b) => a.at - b.at);
    await steps.shift()!.apply();
  }
  return recorded;
}

/** For tests: the demo's system with an overdue audit and the one with open actions. */
export const DEMO_AUDIT_STATES = { overdue: "network-troubleshooter", openActions: "email-reply-drafter" } as const;
