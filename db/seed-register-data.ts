/**
 * The demo register's data sharing and fairness (SPEC §12), for the five systems of
 * db/seed-data.ts, told to match their descriptions: the chat and email assistants run on a
 * Mistral AI model (EU provider, hosting sub-processor in the UK, training excluded by contract);
 * the network troubleshooter and the offer model are in-house (no outside recipient; the offer
 * model uses no protected characteristics and is checked for postcode as a proxy); the call
 * summariser is Fjordtale AS in Norway (EEA) with an EU data centre, training excluded by contract.
 */
import { and, eq } from "drizzle-orm";
import { aiSystemTexts, aiSystems } from "./schema";
import type { Db } from "../app/utils/db.server";
import type { AiSystemDataTexts, DataRecipient, ProviderDataUse } from "../app/domain/ai-register-data";
import type { Lang } from "./seed-data";

const DAY = 24 * 60 * 60 * 1000;

interface RegisterDataSeed {
  slug: string;
  recipients: DataRecipient[];
  providerDataUse: ProviderDataUse;
  usesProtectedCharacteristics: boolean;
  /** Days before the seed's `now` of the last bias and accuracy test (rounded to the day). */
  fairnessTestedDaysAgo: number;
  texts: Record<Lang, AiSystemDataTexts>;
}

const MISTRAL: DataRecipient = { name: "Mistral AI SAS", role: "provider", country: "FR", safeguard: "eu_eea" };
const MISTRAL_HOST: DataRecipient = { name: "Stratus Compute Ltd (hosting for Mistral AI)", role: "sub_processor", country: "GB", safeguard: "adequacy" };

export const REGISTER_DATA: RegisterDataSeed[] = [
  {
    slug: "chat-assistant",
    recipients: [MISTRAL, MISTRAL_HOST],
    providerDataUse: "contractually_excluded",
    usesProtectedCharacteristics: false,
    fairnessTestedDaysAgo: 41,
    texts: {
      en: {
        providerUseClause:
          "Our contract with Mistral AI forbids it to use your chats for its own purposes or to train its models. It processes them only to write Nora's answers and deletes them within 30 days.",
        protectedCharacteristicsNote:
          "Nora does not use your age, gender, origin, health or other protected characteristics, and it is told not to guess them from your messages.",
        fairnessTestMethod:
          "We asked Nora the same 600 questions in English, French, German and Arabic, written in plain and in less fluent language, and checked the answers against our help articles.",
        fairnessTestResult:
          "94% of answers were correct in every language; answers to less fluent questions were 3 points less accurate, so we added more examples of simple wording.",
      },
      fr: {
        providerUseClause:
          "Notre contrat avec Mistral AI lui interdit d’utiliser vos conversations pour ses propres besoins ou pour entraîner ses modèles. Il les traite uniquement pour rédiger les réponses de Nora et les supprime sous 30 jours.",
        protectedCharacteristicsNote:
          "Nora n’utilise pas votre âge, votre sexe, votre origine, votre santé ni d’autres caractéristiques protégées, et elle a pour consigne de ne pas les deviner à partir de vos messages.",
        fairnessTestMethod:
          "Nous avons posé à Nora les mêmes 600 questions en anglais, en français, en allemand et en arabe, rédigées simplement ou de façon moins fluide, et comparé les réponses à nos articles d’aide.",
        fairnessTestResult:
          "94 % des réponses étaient justes dans chaque langue ; pour les questions moins fluides, la précision était inférieure de 3 points, nous avons donc ajouté des exemples de formulations simples.",
      },
      de: {
        providerUseClause:
          "Unser Vertrag mit Mistral AI verbietet, Ihre Chats für eigene Zwecke oder zum Training seiner Modelle zu nutzen. Mistral AI verarbeitet sie nur, um Noras Antworten zu schreiben, und löscht sie innerhalb von 30 Tagen.",
        protectedCharacteristicsNote:
          "Nora nutzt weder Ihr Alter noch Ihr Geschlecht, Ihre Herkunft, Ihre Gesundheit oder andere geschützte Merkmale und ist angewiesen, sie nicht aus Ihren Nachrichten zu erraten.",
        fairnessTestMethod:
          "Wir haben Nora dieselben 600 Fragen auf Englisch, Französisch, Deutsch und Arabisch gestellt, in einfacher und in weniger flüssiger Sprache, und die Antworten mit unseren Hilfeartikeln verglichen.",
        fairnessTestResult:
          "94 % der Antworten waren in jeder Sprache richtig; bei weniger flüssig formulierten Fragen lag die Genauigkeit 3 Punkte niedriger, deshalb haben wir mehr Beispiele in einfacher Sprache ergänzt.",
      },
      ar: {
        providerUseClause:
          "يمنع عقدنا مع Mistral AI استخدام محادثاتكم لأغراضها الخاصة أو لتدريب نماذجها. فهي تعالجها فقط لكتابة ردود نورا وتحذفها خلال 30 يومًا.",
        protectedCharacteristicsNote:
          "لا تستخدم نورا عمركم أو جنسكم أو أصلكم أو حالتكم الصحية أو غيرها من الخصائص المحمية، ولديها تعليمات بعدم تخمينها من رسائلكم.",
        fairnessTestMethod:
          "طرحنا على نورا الأسئلة نفسها، وعددها 600 سؤال، بالإنجليزية والفرنسية والألمانية والعربية، بصياغة بسيطة وأخرى أقل طلاقة، وقارنّا الإجابات بمقالات المساعدة لدينا.",
        fairnessTestResult:
          "كانت 94٪ من الإجابات صحيحة في كل لغة، وكانت دقة الإجابات عن الأسئلة الأقل طلاقة أدنى بثلاث نقاط، لذلك أضفنا أمثلة أكثر بصياغة بسيطة.",
      },
    },
  },
  {
    slug: "email-reply-drafter",
    recipients: [MISTRAL, MISTRAL_HOST],
    providerDataUse: "contractually_excluded",
    usesProtectedCharacteristics: false,
    fairnessTestedDaysAgo: 63,
    texts: {
      en: {
        providerUseClause:
          "Our contract with Mistral AI forbids it to use your emails for its own purposes or to train its models. It processes them only to write the draft and deletes them within 30 days.",
        protectedCharacteristicsNote:
          "The tool does not use protected characteristics. Your name can hint at your origin, so agents check that drafts treat every customer the same way.",
        fairnessTestMethod:
          "Team leaders compared 300 drafts with the replies agents finally sent, for emails written in our four languages and for customers with names of different origins.",
        fairnessTestResult:
          "Agents had to correct facts in 8% of drafts, with no difference by language or by name.",
      },
      fr: {
        providerUseClause:
          "Notre contrat avec Mistral AI lui interdit d’utiliser vos e-mails pour ses propres besoins ou pour entraîner ses modèles. Il les traite uniquement pour rédiger le brouillon et les supprime sous 30 jours.",
        protectedCharacteristicsNote:
          "L’outil n’utilise pas de caractéristiques protégées. Votre nom peut laisser deviner votre origine : les conseillers vérifient donc que les brouillons traitent chaque client de la même façon.",
        fairnessTestMethod:
          "Les responsables d’équipe ont comparé 300 brouillons aux réponses finalement envoyées, pour des e-mails rédigés dans nos quatre langues et pour des clients dont les noms sont d’origines différentes.",
        fairnessTestResult:
          "Les conseillers ont dû corriger des faits dans 8 % des brouillons, sans différence selon la langue ou le nom.",
      },
      de: {
        providerUseClause:
          "Unser Vertrag mit Mistral AI verbietet, Ihre E-Mails für eigene Zwecke oder zum Training seiner Modelle zu nutzen. Mistral AI verarbeitet sie nur, um den Entwurf zu schreiben, und löscht sie innerhalb von 30 Tagen.",
        protectedCharacteristicsNote:
          "Das Tool nutzt keine geschützten Merkmale. Ihr Name kann auf Ihre Herkunft hindeuten, deshalb prüfen die Mitarbeitenden, dass die Entwürfe alle Kundinnen und Kunden gleich behandeln.",
        fairnessTestMethod:
          "Teamleitungen haben 300 Entwürfe mit den tatsächlich gesendeten Antworten verglichen, für E-Mails in unseren vier Sprachen und für Kundinnen und Kunden mit Namen unterschiedlicher Herkunft.",
        fairnessTestResult:
          "In 8 % der Entwürfe mussten Fakten korrigiert werden, ohne Unterschied nach Sprache oder Name.",
      },
      ar: {
        providerUseClause:
          "يمنع عقدنا مع Mistral AI استخدام رسائلكم الإلكترونية لأغراضها الخاصة أو لتدريب نماذجها. فهي تعالجها فقط لكتابة المسودة وتحذفها خلال 30 يومًا.",
        protectedCharacteristicsNote:
          "لا تستخدم الأداة أي خصائص محمية. قد يدل اسمكم على أصلكم، لذلك يتحقق الموظفون من أن المسودات تعامل جميع العملاء بالطريقة نفسها.",
        fairnessTestMethod:
          "قارن قادة الفرق 300 مسودة بالردود التي أرسلها الموظفون في النهاية، لرسائل مكتوبة بلغاتنا الأربع ولعملاء بأسماء من أصول مختلفة.",
        fairnessTestResult:
          "احتاج الموظفون إلى تصحيح معلومات في 8٪ من المسودات، دون أي فرق بحسب اللغة أو الاسم.",
      },
    },
  },
  {
    slug: "network-troubleshooter",
    recipients: [],
    providerDataUse: "no",
    usesProtectedCharacteristics: false,
    fairnessTestedDaysAgo: 27,
    texts: {
      en: {
        providerUseClause:
          "Our own network team built and runs this system, so no outside company receives your line data.",
        protectedCharacteristicsNote:
          "It uses only technical line data. Your address is used for technician bookings but not to decide whether to act, so it cannot favour one area over another.",
        fairnessTestMethod:
          "We compared its fault detections with engineers' findings on 5,000 lines, split into cities and rural areas and by router model.",
        fairnessTestResult:
          "It found 91% of real faults with 4% false alarms, with the same accuracy in rural areas and in cities.",
      },
      fr: {
        providerUseClause:
          "Notre propre équipe réseau a conçu ce système et le fait fonctionner : aucune entreprise extérieure ne reçoit les données de votre ligne.",
        protectedCharacteristicsNote:
          "Il n’utilise que des données techniques de la ligne. Votre adresse sert à prendre rendez-vous avec un technicien, pas à décider d’agir, il ne peut donc pas favoriser une zone plutôt qu’une autre.",
        fairnessTestMethod:
          "Nous avons comparé ses détections de pannes aux constats des techniciens sur 5 000 lignes, réparties entre villes et zones rurales et par modèle de box.",
        fairnessTestResult:
          "Il a détecté 91 % des vraies pannes avec 4 % de fausses alertes, avec la même précision en zone rurale et en ville.",
      },
      de: {
        providerUseClause:
          "Unser eigenes Netzwerkteam hat dieses System entwickelt und betreibt es, daher erhält kein externes Unternehmen die Daten Ihres Anschlusses.",
        protectedCharacteristicsNote:
          "Es nutzt nur technische Daten des Anschlusses. Ihre Adresse dient der Terminbuchung für Technikerinnen und Techniker, nicht der Entscheidung, ob es handelt; so kann es keine Gegend bevorzugen.",
        fairnessTestMethod:
          "Wir haben die erkannten Störungen auf 5.000 Anschlüssen mit den Befunden der Technik verglichen, getrennt nach Stadt und Land und nach Routermodell.",
        fairnessTestResult:
          "Es erkannte 91 % der echten Störungen bei 4 % Fehlalarmen, auf dem Land genauso genau wie in der Stadt.",
      },
      ar: {
        providerUseClause:
          "صمّم فريق الشبكات لدينا هذا النظام ويشغّله بنفسه، لذلك لا تتلقى أي شركة خارجية بيانات خطكم.",
        protectedCharacteristicsNote:
          "لا يستخدم إلا البيانات الفنية للخط. يُستخدم عنوانكم لحجز موعد مع فني، لا لتقرير التدخل، لذلك لا يمكنه تفضيل منطقة على أخرى.",
        fairnessTestMethod:
          "قارنّا الأعطال التي اكتشفها بما وجده المهندسون على 5000 خط، مقسمة بين المدن والمناطق الريفية وبحسب طراز جهاز الراوتر.",
        fairnessTestResult:
          "اكتشف 91٪ من الأعطال الحقيقية مع 4٪ من الإنذارات الخاطئة، وبالدقة نفسها في الريف والمدن.",
      },
    },
  },
  {
    slug: "offer-predictor",
    recipients: [],
    providerDataUse: "no",
    usesProtectedCharacteristics: false,
    fairnessTestedDaysAgo: 19,
    texts: {
      en: {
        providerUseClause:
          "Our own data science team built and runs this model, so no outside company receives your data for it.",
        protectedCharacteristicsNote:
          "It does not use your age, gender, nationality or any sensitive data. Your postcode could stand in for origin or income, so it is not an input, and we check every quarter that offers do not differ unfairly between regions.",
        fairnessTestMethod:
          "We compared how often customers received offers, and how large the discounts were, across regions and age groups, using age from a separate protected test set that the model never sees.",
        fairnessTestResult:
          "Offer rates differed by at most 3 percentage points between regions and age groups, and every larger gap was explained by usage.",
      },
      fr: {
        providerUseClause:
          "Notre propre équipe de science des données a conçu ce modèle et le fait fonctionner : aucune entreprise extérieure ne reçoit vos données pour lui.",
        protectedCharacteristicsNote:
          "Il n’utilise ni votre âge, ni votre sexe, ni votre nationalité, ni aucune donnée sensible. Votre code postal pourrait révéler votre origine ou vos revenus : il ne fait donc pas partie des données utilisées, et nous vérifions chaque trimestre que les offres ne diffèrent pas injustement d’une région à l’autre.",
        fairnessTestMethod:
          "Nous avons comparé la fréquence des offres et le montant des remises selon les régions et les tranches d’âge, à l’aide d’un jeu de test protégé et séparé que le modèle ne voit jamais.",
        fairnessTestResult:
          "Les taux d’offres différaient d’au plus 3 points entre régions et tranches d’âge, et chaque écart plus grand s’expliquait par l’usage.",
      },
      de: {
        providerUseClause:
          "Unser eigenes Data-Science-Team hat dieses Modell entwickelt und betreibt es, daher erhält kein externes Unternehmen Ihre Daten dafür.",
        protectedCharacteristicsNote:
          "Es nutzt weder Ihr Alter noch Ihr Geschlecht, Ihre Staatsangehörigkeit oder sensible Daten. Ihre Postleitzahl könnte auf Herkunft oder Einkommen schließen lassen; deshalb wird sie nicht verwendet, und wir prüfen jedes Quartal, dass sich Angebote zwischen Regionen nicht unfair unterscheiden.",
        fairnessTestMethod:
          "Wir haben verglichen, wie oft Kundinnen und Kunden Angebote erhielten und wie hoch die Rabatte waren, nach Region und Altersgruppe; das Alter stammt aus einem getrennten, geschützten Testdatensatz, den das Modell nie sieht.",
        fairnessTestResult:
          "Die Angebotsquoten unterschieden sich zwischen Regionen und Altersgruppen um höchstens 3 Prozentpunkte, und jeder größere Unterschied ließ sich durch die Nutzung erklären.",
      },
      ar: {
        providerUseClause:
          "صمّم فريق علوم البيانات لدينا هذا النموذج ويشغّله بنفسه، لذلك لا تتلقى أي شركة خارجية بياناتكم من أجله.",
        protectedCharacteristicsNote:
          "لا يستخدم عمركم أو جنسكم أو جنسيتكم أو أي بيانات حساسة. قد يدل الرمز البريدي على الأصل أو الدخل، لذلك لا يُستخدم، ونتحقق كل ثلاثة أشهر من أن العروض لا تختلف بشكل غير عادل بين المناطق.",
        fairnessTestMethod:
          "قارنّا عدد مرات تلقي العملاء للعروض وحجم الخصومات بين المناطق والفئات العمرية، مستخدمين العمر من مجموعة اختبار منفصلة ومحمية لا يراها النموذج أبدًا.",
        fairnessTestResult:
          "اختلفت نسب العروض بثلاث نقاط مئوية على الأكثر بين المناطق والفئات العمرية، وكان لكل فرق أكبر تفسير في طريقة الاستخدام.",
      },
    },
  },
  {
    slug: "call-summariser",
    recipients: [
      { name: "Fjordtale AS", role: "provider", country: "NO", safeguard: "eu_eea" },
      { name: "Kallio Data Centres Oy (hosting for Fjordtale)", role: "sub_processor", country: "FI", safeguard: "eu_eea" },
    ],
    providerDataUse: "contractually_excluded",
    usesProtectedCharacteristics: false,
    fairnessTestedDaysAgo: 95,
    texts: {
      en: {
        providerUseClause:
          "Our contract with Fjordtale AS forbids it to use our calls for its own purposes or to train its models. It processes recordings only to make the transcript and summary for us.",
        protectedCharacteristicsNote:
          "It does not analyse your voice, mood or emotions, and it does not identify you by your voice. Accents can affect how well it transcribes, which we test.",
        fairnessTestMethod:
          "We measured transcription errors on 400 recorded calls from customers with different regional accents and with non-native speakers, and compared summaries with the recordings.",
        fairnessTestResult:
          "About 7 words in 100 were wrong on average and 11 for strong accents; agents check every summary, and no agreed step was missing.",
      },
      fr: {
        providerUseClause:
          "Notre contrat avec Fjordtale AS lui interdit d’utiliser nos appels pour ses propres besoins ou pour entraîner ses modèles. Il traite les enregistrements uniquement pour produire pour nous la transcription et le résumé.",
        protectedCharacteristicsNote:
          "Il n’analyse pas votre voix, votre humeur ni vos émotions, et ne vous identifie pas par votre voix. Les accents peuvent influencer la qualité de la transcription : nous le testons.",
        fairnessTestMethod:
          "Nous avons mesuré les erreurs de transcription sur 400 appels enregistrés de clients aux accents régionaux différents et de personnes dont ce n’est pas la langue maternelle, et comparé les résumés aux enregistrements.",
        fairnessTestResult:
          "Environ 7 mots sur 100 étaient erronés en moyenne, et 11 pour les accents marqués ; les conseillers vérifient chaque résumé, et aucune étape convenue ne manquait.",
      },
      de: {
        providerUseClause:
          "Unser Vertrag mit Fjordtale AS verbietet, unsere Anrufe für eigene Zwecke oder zum Training seiner Modelle zu nutzen. Fjordtale verarbeitet die Aufnahmen nur, um für uns Mitschrift und Zusammenfassung zu erstellen.",
        protectedCharacteristicsNote:
          "Es wertet weder Ihre Stimme noch Ihre Stimmung oder Gefühle aus und erkennt Sie nicht an Ihrer Stimme. Akzente können die Qualität der Mitschrift beeinflussen; das testen wir.",
        fairnessTestMethod:
          "Wir haben die Fehler der Mitschrift bei 400 aufgezeichneten Anrufen von Kundinnen und Kunden mit verschiedenen regionalen Akzenten und von Nicht-Muttersprachlern gemessen und die Zusammenfassungen mit den Aufnahmen verglichen.",
        fairnessTestResult:
          "Im Schnitt waren etwa 7 von 100 Wörtern falsch, bei starkem Akzent 11; die Mitarbeitenden prüfen jede Zusammenfassung, und kein vereinbarter Schritt fehlte.",
      },
      ar: {
        providerUseClause:
          "يمنع عقدنا مع Fjordtale AS استخدام مكالماتنا لأغراضها الخاصة أو لتدريب نماذجها. فهي تعالج التسجيلات فقط لإعداد النص المكتوب والملخص لنا.",
        protectedCharacteristicsNote:
          "لا يحلل صوتكم أو مزاجكم أو مشاعركم، ولا يتعرف عليكم من صوتكم. قد تؤثر اللهجات في دقة التفريغ النصي، ونحن نختبر ذلك.",
        fairnessTestMethod:
          "قسنا أخطاء التفريغ النصي في 400 مكالمة مسجلة لعملاء بلهجات محلية مختلفة ولمتحدثين بغير لغتهم الأم، وقارنّا الملخصات بالتسجيلات.",
        fairnessTestResult:
          "كانت 7 كلمات من كل 100 خاطئة في المتوسط و11 مع اللهجات القوية، ويتحقق الموظفون من كل ملخص، ولم تغب أي خطوة متفق عليها.",
      },
    },
  },
];

/**
 * Fills the data sharing and fairness of the demo's registered systems (SPEC §12): the facts on
 * `ai_systems` and the texts of each language the system already has. `now`: ms since epoch UTC;
 * test dates are whole UTC days before it. A system missing from the register is skipped.
 */
export async function seedRegisterData(db: Db, now: number): Promise<void> {
  await db.transaction(async (tx) => {
    for (const entry of REGISTER_DATA) {
      const [system] = await tx.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.slug, entry.slug)).limit(1);
      if (!system) continue;
      const tested = now - entry.fairnessTestedDaysAgo * DAY;
      await tx
        .update(aiSystems)
        .set({
          dataRecipients: entry.recipients,
          providerDataUse: entry.providerDataUse,
          usesProtectedCharacteristics: entry.usesProtectedCharacteristics,
          fairnessTestedAt: tested - (tested % DAY),
        })
        .where(eq(aiSystems.id, system.id));
      for (const [lang, texts] of Object.entries(entry.texts)) {
        await tx.update(aiSystemTexts).set(texts).where(and(eq(aiSystemTexts.systemId, system.id), eq(aiSystemTexts.lang, lang)));
      }
    }
  });
}
