/**
 * Demo data for Candor: the fictional telecom "Nordlys Telecom".
 *
 * Plain data only. Texts are written for customers in English, French,
 * German and Modern Standard Arabic. Relative dates ("daysAgo") are turned
 * into real timestamps by the seeding script.
 */

export type Lang = "en" | "fr" | "de" | "ar";

export interface AiSystemTextsSeed {
  name: string;
  shortDescription: string;
  riskReason: string;
  purpose: string;
  notFor: string;
  howItWorks: string;
  limitations: string;
  dataOperating: string;
  dataTraining: string;
  legalBasis: string;
  oversight: string;
  risks: string;
  impactAssessment: string;
  retention: string;
}

export interface AiSystemSeed {
  slug: string;
  provider: string;
  riskClass: "minimal" | "limited" | "high";
  autonomy: "answers" | "drafts" | "decides" | "acts";
  channels: ("chat" | "email" | "phone" | "app" | "web" | "sms")[];
  contactEmail: string;
  lastReviewedDaysAgo: number;
  actionKeys: string[];
  texts: Record<Lang, AiSystemTextsSeed>;
  versions: { daysAgo: number; material: boolean; changeNote: Record<Lang, string> }[];
}

export interface ChoiceSeed {
  key: string;
  kind: "action" | "training" | "human_first" | "identity";
  defaultValue: string;
  /** Kind "action" whose actions never involve money (a maximum amount is not offered, SPEC §11.2). */
  involvesAmount?: false;
  notices: {
    version: number;
    daysAgo: number;
    texts: Record<Lang, { label: string; explanation: string }>;
    /** What changed, shown to customers asked to confirm again (later versions only). */
    changeNote?: Record<Lang, string>;
    /** The AI system whose change published this version. */
    system?: string;
  }[];
}

export interface InteractionTemplate {
  channel: "chat" | "email" | "phone" | "app" | "web" | "sms";
  subject: Record<Lang, string>;
  ai: {
    system: string;
    role: "answered" | "drafted" | "summarised" | "routed" | "predicted" | "acted";
    actionKey?: string;
    actionDetail?: Record<Lang, string>;
    humanReviewed: boolean;
    trainingEligible: boolean;
  }[];
  /** Decision checks made without acting (the system asked or was refused, so it did nothing). */
  checks?: { system: string; actionKey: string }[];
  /** Hour of day (company time) when it happens; daytime when not given. */
  hour?: number;
}

export interface StaffReplySeed {
  authorName: string;
  body: Record<Lang, string>;
}

export interface ConcernSeed {
  kind:
    | "explanation"
    | "human_review"
    | "unwanted_action"
    | "wrong_information"
    | "privacy"
    | "unfair_treatment"
    | "not_told_ai"
    | "other";
  description: Record<Lang, string>;
  desiredOutcome: Record<Lang, string>;
}

// ── Canned replies ──────────────────────────────────────────────────────────

/** Replies staff can start from (SPEC §4, §8), one text per language. */
export const DEMO_CANNED_REPLIES: { key: string; texts: Record<Lang, { title: string; body: string }> }[] = [
  {
    key: "acknowledge",
    texts: {
      en: { title: "We are looking into it", body: "Thank you for raising this with us. A member of our team is now looking into your concern personally, and we will come back to you as soon as we know more." },
      fr: { title: "Nous examinons votre demande", body: "Merci de nous avoir fait part de ce point. Un membre de notre équipe examine désormais personnellement votre préoccupation, et nous reviendrons vers vous dès que nous en saurons davantage." },
      de: { title: "Wir kümmern uns darum", body: "Vielen Dank, dass Sie uns darauf hingewiesen haben. Ein Mitglied unseres Teams prüft Ihr Anliegen jetzt persönlich, und wir melden uns bei Ihnen, sobald wir mehr wissen." },
      ar: { title: "ندرس شكواكم", body: "شكرًا لإبلاغنا بذلك. يتولى الآن أحد أعضاء فريقنا دراسة شكواكم بنفسه، وسنعود إليكم فور توفر معلومات إضافية." },
    },
  },
  {
    key: "ask-details",
    texts: {
      en: { title: "Ask for the date and time", body: "So that we can find the right contact, could you please tell us the date and approximate time it happened, and the channel you used (phone, chat, email or app)?" },
      fr: { title: "Demander la date et l’heure", body: "Pour que nous puissions retrouver le bon échange, pourriez-vous nous indiquer la date et l’heure approximative des faits, ainsi que le canal utilisé (téléphone, chat, e-mail ou application) ?" },
      de: { title: "Nach Datum und Uhrzeit fragen", body: "Damit wir den richtigen Kontakt finden, teilen Sie uns bitte Datum und ungefähre Uhrzeit mit sowie den Kanal, den Sie genutzt haben (Telefon, Chat, E-Mail oder App)." },
      ar: { title: "طلب التاريخ والوقت", body: "لكي نتمكن من العثور على التواصل المعني، هل يمكنكم إخبارنا بتاريخ ما حدث ووقته التقريبي، والقناة التي استخدمتموها (الهاتف أو الدردشة أو البريد الإلكتروني أو التطبيق)؟" },
    },
  },
  {
    key: "human-review-done",
    texts: {
      en: { title: "A person reviewed the decision", body: "A member of our team has reviewed the decision made by our AI system, independently of the system. We have explained the outcome and its reasons below. If you disagree, you can reply here or reopen your concern." },
      fr: { title: "Une personne a réexaminé la décision", body: "Un membre de notre équipe a réexaminé la décision prise par notre système d’IA, indépendamment de celui-ci. Vous trouverez ci-dessous le résultat et ses motifs. Si vous n’êtes pas d’accord, vous pouvez répondre ici ou rouvrir votre demande." },
      de: { title: "Ein Mensch hat die Entscheidung geprüft", body: "Ein Mitglied unseres Teams hat die Entscheidung unseres KI-Systems unabhängig vom System überprüft. Das Ergebnis und die Gründe dafür finden Sie unten. Wenn Sie nicht einverstanden sind, können Sie hier antworten oder Ihr Anliegen wieder öffnen." },
      ar: { title: "راجع أحد موظفينا القرار", body: "راجع أحد أعضاء فريقنا القرار الذي اتخذه نظام الذكاء الاصطناعي لدينا، بشكل مستقل عن النظام. وتجدون أدناه النتيجة وأسبابها. وإذا لم توافقوا عليها، يمكنكم الرد هنا أو إعادة فتح شكواكم." },
    },
  },
];

// ── AI systems ──────────────────────────────────────────────────────────────

export const AI_SYSTEMS: AiSystemSeed[] = [
  {
    slug: "chat-assistant",
    provider: "Nordlys Telecom, Mistral AI",
    riskClass: "limited",
    autonomy: "answers",
    channels: ["chat", "app", "web"],
    contactEmail: "ai-transparency@nordlys.example",
    lastReviewedDaysAgo: 34,
    actionKeys: ["disclose_account_information"],
    texts: {
      en: {
        name: "Nora, our chat assistant",
        shortDescription:
          "An AI chat assistant that answers questions about your plan, bills and our services in the app and on our website.",
        riskReason:
          "Nora talks with you directly, so the EU AI Act (Article 50) requires us to tell you that you are chatting with an AI, and we do so at the start of every chat. It only gives information and cannot change your contract or make decisions about you, so it is not high-risk.",
        purpose:
          "Nora answers common questions about bills, plans, roaming, coverage and settings at any time of day, so that you don’t have to wait for a free agent.",
        notFor:
          "Nora does not make decisions about your contract, refunds, compensation or complaints, and it cannot change anything on your account. It is not meant for emergencies or for legal, medical or financial advice.",
        howItWorks:
          "Nora uses a large language model that writes answers based on our help articles, price lists and, once you are logged in, your plan and recent bills. If it is unsure, or if you ask for a person, it hands the chat to a human agent together with a short summary.",
        limitations:
          "Nora can be wrong, especially about unusual bills, recent price changes or special offers. It only knows what is in our help articles and your account, and it may misunderstand questions with several parts.",
        dataOperating:
          "Your messages, your customer number and, when you are logged in, your plan, usage and last six bills. Nora does not see your payment card details or the content of your calls and messages.",
        dataTraining:
          "The base model was trained by Mistral AI on large amounts of public text. We adapted it using our help articles and de-identified chats from customers who agreed to their conversations being used for training.",
        legalBasis:
          "Answering your questions is part of providing the contract you have with us (GDPR Article 6(1)(b)). Using your chats for training is based only on your consent (Article 6(1)(a)), which you can withdraw at any time.",
        oversight:
          "Our customer care quality team checks a random sample of 200 chats every week and corrects help articles when answers are wrong. The Head of Customer Care is accountable for Nora, and you can ask for a person in any chat.",
        risks:
          "The main risk is that Nora gives wrong or outdated information, for example about roaming prices, and you act on it. We limit this by tying answers to our own articles, handing unclear cases to people and correcting charges caused by wrong answers.",
        impactAssessment:
          "We completed a data protection impact assessment before launch and update it every year or after any major change. The latest review found no remaining high risks; a summary is available on request.",
        retention:
          "Chat transcripts are kept for 12 months and then deleted. If you agreed to training, a de-identified copy may be kept for up to 3 years.",
      },
      fr: {
        name: "Nora, notre assistante de chat",
        shortDescription:
          "Une assistante de chat fondée sur l’IA qui répond à vos questions sur votre forfait, vos factures et nos services, dans l’application et sur notre site.",
        riskReason:
          "Nora échange directement avec vous : le règlement européen sur l’IA (article 50) nous oblige donc à vous indiquer que vous parlez à une IA, ce que nous faisons au début de chaque conversation. Elle fournit uniquement des informations et ne peut ni modifier votre contrat ni prendre de décision vous concernant ; elle n’est donc pas à haut risque.",
        purpose:
          "Nora répond à toute heure aux questions courantes sur les factures, les forfaits, l’itinérance, la couverture et les réglages, pour que vous n’ayez pas à attendre qu’un conseiller soit disponible.",
        notFor:
          "Nora ne prend aucune décision sur votre contrat, les remboursements, les indemnisations ou les réclamations, et ne peut rien modifier sur votre compte. Elle n’est pas conçue pour les urgences ni pour des conseils juridiques, médicaux ou financiers.",
        howItWorks:
          "Nora s’appuie sur un grand modèle de langage qui rédige ses réponses à partir de nos articles d’aide, de nos grilles tarifaires et, après connexion à votre compte, de votre forfait et de vos dernières factures. En cas de doute, ou si vous demandez à parler à quelqu’un, elle transmet la conversation à un conseiller avec un court résumé.",
        limitations:
          "Nora peut se tromper, en particulier sur des factures inhabituelles, des changements de prix récents ou des offres spéciales. Elle ne connaît que nos articles d’aide et les données de votre compte, et peut mal comprendre une question qui en contient plusieurs.",
        dataOperating:
          "Vos messages, votre numéro client et, après connexion, votre forfait, votre consommation et vos six dernières factures. Nora n’a accès ni à vos données de carte bancaire ni au contenu de vos appels et messages.",
        dataTraining:
          "Le modèle de base a été entraîné par Mistral AI sur de grandes quantités de textes publics. Nous l’avons adapté à l’aide de nos articles d’aide et de conversations pseudonymisées de clients ayant accepté que leurs échanges servent à l’entraînement.",
        legalBasis:
          "Répondre à vos questions fait partie de l’exécution de votre contrat (article 6.1.b du RGPD). L’utilisation de vos conversations pour l’entraînement repose uniquement sur votre consentement (article 6.1.a), que vous pouvez retirer à tout moment.",
        oversight:
          "Notre équipe qualité du service client vérifie chaque semaine un échantillon aléatoire de 200 conversations et corrige les articles d’aide lorsque des réponses sont erronées. La direction du service client est responsable de Nora, et vous pouvez demander à parler à une personne dans n’importe quelle conversation.",
        risks:
          "Le principal risque est que Nora donne une information erronée ou dépassée, par exemple sur les tarifs d’itinérance, et que vous agissiez en conséquence. Nous le limitons en fondant ses réponses sur nos propres articles, en confiant les cas peu clairs à des personnes et en corrigeant les frais causés par une mauvaise réponse.",
        impactAssessment:
          "Nous avons réalisé une analyse d’impact relative à la protection des données avant le lancement et la mettons à jour chaque année ou après tout changement important. Le dernier examen n’a relevé aucun risque élevé résiduel ; une synthèse est disponible sur demande.",
        retention:
          "Les transcriptions de conversation sont conservées 12 mois, puis supprimées. Si vous avez accepté l’entraînement, une copie pseudonymisée peut être conservée jusqu’à 3 ans.",
      },
      de: {
        name: "Nora, unsere Chat-Assistentin",
        shortDescription:
          "Eine KI-Chat-Assistentin, die in der App und auf unserer Website Fragen zu Ihrem Tarif, Ihren Rechnungen und unseren Diensten beantwortet.",
        riskReason:
          "Nora kommuniziert direkt mit Ihnen, deshalb müssen wir Ihnen nach der KI-Verordnung der EU (Artikel 50) mitteilen, dass Sie mit einer KI chatten – das tun wir zu Beginn jedes Chats. Sie gibt nur Auskünfte und kann weder Ihren Vertrag ändern noch Entscheidungen über Sie treffen, daher ist sie kein Hochrisiko-System.",
        purpose:
          "Nora beantwortet rund um die Uhr häufige Fragen zu Rechnungen, Tarifen, Roaming, Netzabdeckung und Einstellungen, damit Sie nicht warten müssen, bis jemand aus unserem Team frei ist.",
        notFor:
          "Nora entscheidet nicht über Ihren Vertrag, Erstattungen, Entschädigungen oder Beschwerden und kann in Ihrem Konto nichts ändern. Sie ist nicht für Notfälle und nicht für rechtliche, medizinische oder finanzielle Beratung gedacht.",
        howItWorks:
          "Nora nutzt ein großes Sprachmodell, das Antworten auf Grundlage unserer Hilfeartikel, Preislisten und – wenn Sie angemeldet sind – Ihres Tarifs und Ihrer letzten Rechnungen formuliert. Ist sie unsicher oder möchten Sie mit einem Menschen sprechen, übergibt sie den Chat mit einer kurzen Zusammenfassung an unser Kundenservice-Team.",
        limitations:
          "Nora kann sich irren, vor allem bei ungewöhnlichen Rechnungen, kürzlichen Preisänderungen oder Sonderangeboten. Sie kennt nur unsere Hilfeartikel und Ihre Kontodaten und kann Fragen mit mehreren Teilen missverstehen.",
        dataOperating:
          "Ihre Nachrichten, Ihre Kundennummer und – wenn Sie angemeldet sind – Ihr Tarif, Ihr Verbrauch und Ihre letzten sechs Rechnungen. Nora sieht weder Ihre Kartendaten noch den Inhalt Ihrer Anrufe und Nachrichten.",
        dataTraining:
          "Das Basismodell wurde von Mistral AI mit großen Mengen öffentlicher Texte trainiert. Wir haben es mit unseren Hilfeartikeln und pseudonymisierten Chats von Kundinnen und Kunden angepasst, die der Nutzung für das Training zugestimmt haben.",
        legalBasis:
          "Die Beantwortung Ihrer Fragen gehört zur Erfüllung Ihres Vertrags (Art. 6 Abs. 1 lit. b DSGVO). Die Nutzung Ihrer Chats für das Training erfolgt nur mit Ihrer Einwilligung (Art. 6 Abs. 1 lit. a DSGVO), die Sie jederzeit widerrufen können.",
        oversight:
          "Unser Qualitätsteam im Kundenservice prüft jede Woche eine Zufallsstichprobe von 200 Chats und korrigiert Hilfeartikel, wenn Antworten falsch waren. Verantwortlich ist die Leitung des Kundenservice, und Sie können in jedem Chat nach einem Menschen fragen.",
        risks:
          "Das Hauptrisiko besteht darin, dass Nora falsche oder veraltete Auskünfte gibt, etwa zu Roaming-Preisen, und Sie sich darauf verlassen. Wir begrenzen das, indem ihre Antworten an unsere eigenen Artikel gebunden sind, unklare Fälle an Menschen gehen und wir Kosten aus falschen Antworten korrigieren.",
        impactAssessment:
          "Vor dem Start haben wir eine Datenschutz-Folgenabschätzung durchgeführt, die wir jährlich und nach jeder größeren Änderung aktualisieren. Bei der letzten Prüfung blieben keine hohen Risiken bestehen; eine Zusammenfassung erhalten Sie auf Anfrage.",
        retention:
          "Chatverläufe werden 12 Monate gespeichert und dann gelöscht. Wenn Sie dem Training zugestimmt haben, kann eine pseudonymisierte Kopie bis zu 3 Jahre aufbewahrt werden.",
      },
      ar: {
        name: "نورا، مساعدة الدردشة لدينا",
        shortDescription:
          "مساعدة دردشة تعمل بالذكاء الاصطناعي وتجيب عن أسئلتكم حول باقتكم وفواتيركم وخدماتنا في التطبيق وعلى موقعنا الإلكتروني.",
        riskReason:
          "تتحدث نورا معكم مباشرةً، لذا يُلزمنا قانون الاتحاد الأوروبي للذكاء الاصطناعي (المادة 50) بإبلاغكم بأنكم تتحدثون مع نظام ذكاء اصطناعي، ونفعل ذلك في بداية كل محادثة. وهي تقدّم المعلومات فقط ولا يمكنها تعديل عقدكم أو اتخاذ قرارات بشأنكم، ولذلك لا تُصنَّف عالية المخاطر.",
        purpose:
          "تجيب نورا في أي وقت عن الأسئلة الشائعة المتعلقة بالفواتير والباقات والتجوال والتغطية والإعدادات، حتى لا تضطروا إلى انتظار موظف متاح.",
        notFor:
          "لا تتخذ نورا أي قرار بشأن عقدكم أو المبالغ المستردة أو التعويضات أو الشكاوى، ولا يمكنها تغيير أي شيء في حسابكم. وهي غير مخصصة لحالات الطوارئ ولا لتقديم استشارات قانونية أو طبية أو مالية.",
        howItWorks:
          "تعتمد نورا على نموذج لغوي كبير يصوغ الإجابات استنادًا إلى مقالات المساعدة وقوائم الأسعار لدينا، وكذلك إلى باقتكم وآخر فواتيركم بعد تسجيل دخولكم. وإذا لم تكن متأكدة، أو إذا طلبتم التحدث إلى شخص، تحيل المحادثة إلى أحد موظفي خدمة العملاء مع ملخص قصير.",
        limitations:
          "قد تخطئ نورا، خصوصًا في الفواتير غير المعتادة أو تغييرات الأسعار الحديثة أو العروض الخاصة. فهي لا تعرف إلا ما ورد في مقالات المساعدة وبيانات حسابكم، وقد تسيء فهم الأسئلة المكوّنة من عدة أجزاء.",
        dataOperating:
          "رسائلكم ورقم العميل الخاص بكم، وبعد تسجيل الدخول: باقتكم واستهلاككم وآخر ست فواتير. ولا تطّلع نورا على بيانات بطاقة الدفع ولا على محتوى مكالماتكم ورسائلكم.",
        dataTraining:
          "درّبت شركة Mistral AI النموذج الأساسي على كميات كبيرة من النصوص العامة. وقمنا بتكييفه باستخدام مقالات المساعدة لدينا ومحادثات حُذفت منها البيانات التعريفية لعملاء وافقوا على استخدام محادثاتهم في التدريب.",
        legalBasis:
          "الإجابة عن أسئلتكم جزء من تنفيذ العقد المبرم معكم (المادة 6(1)(ب) من اللائحة العامة لحماية البيانات). أما استخدام محادثاتكم في التدريب فيستند فقط إلى موافقتكم (المادة 6(1)(أ))، ويمكنكم سحبها في أي وقت.",
        oversight:
          "يراجع فريق الجودة في خدمة العملاء كل أسبوع عينة عشوائية من 200 محادثة، ويصحّح مقالات المساعدة عند وجود إجابات خاطئة. وتتحمّل إدارة خدمة العملاء المسؤولية عن نورا، ويمكنكم طلب التحدث إلى شخص في أي محادثة.",
        risks:
          "يتمثل الخطر الرئيسي في أن تقدّم نورا معلومات خاطئة أو قديمة، مثل أسعار التجوال، فتتصرفون بناءً عليها. ونحدّ من ذلك بربط إجاباتها بمقالاتنا، وإحالة الحالات غير الواضحة إلى موظفين، وتصحيح أي رسوم نتجت عن إجابة خاطئة.",
        impactAssessment:
          "أجرينا تقييمًا للأثر على حماية البيانات قبل الإطلاق، ونحدّثه كل عام أو بعد أي تغيير جوهري. ولم تُظهر المراجعة الأخيرة أي مخاطر عالية متبقية، ويتوفر ملخص عند الطلب.",
        retention:
          "تُحفظ نصوص المحادثات 12 شهرًا ثم تُحذف. وإذا وافقتم على التدريب، فقد نحتفظ بنسخة حُذفت منها البيانات التعريفية لمدة تصل إلى 3 سنوات.",
      },
    },
    versions: [
      {
        daysAgo: 400,
        material: true,
        changeNote: {
          en: "First version of Nora launched in the app and on the website.",
          fr: "Lancement de la première version de Nora dans l’application et sur le site.",
          de: "Erste Version von Nora in der App und auf der Website gestartet.",
          ar: "إطلاق النسخة الأولى من نورا في التطبيق وعلى الموقع الإلكتروني.",
        },
      },
      {
        daysAgo: 150,
        material: false,
        changeNote: {
          en: "Answers about roaming and EU fair-use rules now use updated help articles.",
          fr: "Les réponses sur l’itinérance et les règles d’utilisation raisonnable dans l’UE s’appuient désormais sur des articles d’aide mis à jour.",
          de: "Antworten zu Roaming und den Fair-Use-Regeln in der EU stützen sich jetzt auf aktualisierte Hilfeartikel.",
          ar: "أصبحت الإجابات المتعلقة بالتجوال وقواعد الاستخدام العادل في الاتحاد الأوروبي تستند إلى مقالات مساعدة محدّثة.",
        },
      },
      {
        daysAgo: 34,
        material: false,
        changeNote: {
          en: "Nora now hands the chat to a person sooner when you ask about a complaint or compensation.",
          fr: "Nora transmet désormais plus tôt la conversation à une personne lorsque vous posez une question sur une réclamation ou une indemnisation.",
          de: "Nora übergibt den Chat jetzt früher an einen Menschen, wenn es um eine Beschwerde oder eine Entschädigung geht.",
          ar: "أصبحت نورا تحيل المحادثة إلى موظف في وقت أبكر عندما تسألون عن شكوى أو تعويض.",
        },
      },
    ],
  },
  {
    slug: "email-reply-drafter",
    provider: "Nordlys Telecom, Mistral AI",
    riskClass: "limited",
    autonomy: "drafts",
    channels: ["email"],
    contactEmail: "ai-transparency@nordlys.example",
    lastReviewedDaysAgo: 58,
    actionKeys: [],
    texts: {
      en: {
        name: "Email reply assistant",
        shortDescription:
          "An AI tool that writes first drafts of replies to your emails, which a staff member checks, edits and sends.",
        riskReason:
          "The tool produces text that ends up in emails to you, so we tell you that AI helped write the reply. A staff member reviews and sends every email and the tool makes no decisions about you, so it is not high-risk.",
        purpose:
          "It saves our agents time on routine emails, such as questions about bills, moving house or contract dates, so that you get a reply sooner.",
        notFor:
          "It never sends emails by itself and does not decide on refunds, complaints or contract changes. Complaints and legal letters are always answered without AI drafts.",
        howItWorks:
          "When your email arrives, the tool reads it together with your account details and our policies and writes a suggested reply. An agent reads it, checks the facts, edits it as needed and sends it under their own name.",
        limitations:
          "Drafts can contain wrong facts or miss a question, and the tone may not fit your situation. That is why no draft is sent without a person checking it.",
        dataOperating:
          "The text of your email and its attachments, your name, customer number, plan, recent bills and previous emails in the same case.",
        dataTraining:
          "The base model was trained by Mistral AI on public text. We adapted it with our policies and de-identified past replies written by our agents, only from cases of customers who agreed to training.",
        legalBasis:
          "Handling your email is part of providing your contract (GDPR Article 6(1)(b)). Using your emails for training is based only on your consent (Article 6(1)(a)).",
        oversight:
          "The agent who sends the email is responsible for its content. Team leaders check 5% of sent emails each week, including how much the agent changed the draft.",
        risks:
          "The main risk is that an agent accepts a wrong draft without checking it carefully enough. We track how often drafts are sent unchanged and give agents further training where that rate is too high.",
        impactAssessment:
          "A data protection impact assessment was carried out before launch and is reviewed every year. No high risks remain with the controls described here.",
        retention:
          "Drafts are kept with your email case for 24 months after the case is closed, so that we can see what the AI suggested and what the agent changed.",
      },
      fr: {
        name: "Assistant de réponse aux e-mails",
        shortDescription:
          "Un outil d’IA qui rédige des premières versions de réponses à vos e-mails, qu’un membre de notre équipe vérifie, modifie et envoie.",
        riskReason:
          "L’outil produit du texte qui figure dans les e-mails que vous recevez, c’est pourquoi nous vous indiquons que l’IA a aidé à rédiger la réponse. Une personne relit et envoie chaque e-mail, et l’outil ne prend aucune décision vous concernant : il n’est donc pas à haut risque.",
        purpose:
          "Il fait gagner du temps à nos conseillers sur les e-mails courants, par exemple sur les factures, les déménagements ou les dates de contrat, afin que vous receviez une réponse plus rapidement.",
        notFor:
          "Il n’envoie jamais d’e-mail de lui-même et ne décide ni des remboursements, ni des réclamations, ni des modifications de contrat. Les réclamations et les courriers juridiques reçoivent toujours une réponse rédigée sans IA.",
        howItWorks:
          "À l’arrivée de votre e-mail, l’outil le lit avec les informations de votre compte et nos règles internes, puis propose une réponse. Un conseiller la lit, vérifie les faits, la modifie si nécessaire et l’envoie en son propre nom.",
        limitations:
          "Une proposition peut contenir des erreurs ou oublier une question, et le ton peut ne pas convenir à votre situation. C’est pourquoi aucune réponse n’est envoyée sans vérification par une personne.",
        dataOperating:
          "Le texte de votre e-mail et de ses pièces jointes, votre nom, votre numéro client, votre forfait, vos dernières factures et les e-mails précédents du même dossier.",
        dataTraining:
          "Le modèle de base a été entraîné par Mistral AI sur des textes publics. Nous l’avons adapté avec nos règles internes et d’anciennes réponses pseudonymisées de nos conseillers, uniquement issues de dossiers de clients ayant accepté l’entraînement.",
        legalBasis:
          "Le traitement de votre e-mail fait partie de l’exécution de votre contrat (article 6.1.b du RGPD). L’utilisation de vos e-mails pour l’entraînement repose uniquement sur votre consentement (article 6.1.a).",
        oversight:
          "Le conseiller qui envoie l’e-mail est responsable de son contenu. Chaque semaine, les chefs d’équipe contrôlent 5 % des e-mails envoyés, y compris l’ampleur des modifications apportées à la proposition.",
        risks:
          "Le principal risque est qu’un conseiller valide une proposition erronée sans la vérifier assez attentivement. Nous suivons la part des propositions envoyées sans modification et formons à nouveau les conseillers lorsque ce taux est trop élevé.",
        impactAssessment:
          "Une analyse d’impact relative à la protection des données a été réalisée avant le lancement et est revue chaque année. Avec les mesures décrites ici, aucun risque élevé ne subsiste.",
        retention:
          "Les propositions sont conservées avec votre dossier e-mail pendant 24 mois après sa clôture, afin que nous puissions voir ce que l’IA a suggéré et ce que le conseiller a modifié.",
      },
      de: {
        name: "Assistent für E-Mail-Antworten",
        shortDescription:
          "Ein KI-Werkzeug, das erste Entwürfe für Antworten auf Ihre E-Mails schreibt, die jemand aus unserem Team prüft, bearbeitet und versendet.",
        riskReason:
          "Das Werkzeug erzeugt Text, der in E-Mails an Sie einfließt, deshalb weisen wir darauf hin, dass KI beim Verfassen geholfen hat. Jede E-Mail wird von einem Menschen geprüft und versendet, und das Werkzeug trifft keine Entscheidungen über Sie – es ist daher kein Hochrisiko-System.",
        purpose:
          "Es spart unserem Team Zeit bei Routine-E-Mails, etwa zu Rechnungen, Umzügen oder Vertragsdaten, damit Sie schneller eine Antwort erhalten.",
        notFor:
          "Es versendet nie selbstständig E-Mails und entscheidet nicht über Erstattungen, Beschwerden oder Vertragsänderungen. Beschwerden und rechtliche Schreiben beantworten wir immer ohne KI-Entwurf.",
        howItWorks:
          "Wenn Ihre E-Mail eingeht, liest das Werkzeug sie zusammen mit Ihren Kontodaten und unseren Richtlinien und schlägt eine Antwort vor. Eine Mitarbeiterin oder ein Mitarbeiter liest den Entwurf, prüft die Fakten, passt ihn bei Bedarf an und versendet ihn unter eigenem Namen.",
        limitations:
          "Entwürfe können falsche Angaben enthalten oder eine Frage übersehen, und der Ton passt nicht immer zu Ihrer Situation. Deshalb wird kein Entwurf ohne menschliche Prüfung versendet.",
        dataOperating:
          "Der Text Ihrer E-Mail und ihrer Anhänge, Ihr Name, Ihre Kundennummer, Ihr Tarif, Ihre letzten Rechnungen und frühere E-Mails im selben Vorgang.",
        dataTraining:
          "Das Basismodell wurde von Mistral AI mit öffentlichen Texten trainiert. Wir haben es mit unseren Richtlinien und pseudonymisierten früheren Antworten unseres Teams angepasst – nur aus Vorgängen von Kundinnen und Kunden, die dem Training zugestimmt haben.",
        legalBasis:
          "Die Bearbeitung Ihrer E-Mail gehört zur Erfüllung Ihres Vertrags (Art. 6 Abs. 1 lit. b DSGVO). Die Nutzung Ihrer E-Mails für das Training erfolgt nur mit Ihrer Einwilligung (Art. 6 Abs. 1 lit. a DSGVO).",
        oversight:
          "Für den Inhalt ist die Person verantwortlich, die die E-Mail versendet. Teamleitungen prüfen jede Woche 5 % der versendeten E-Mails, auch darauf, wie stark der Entwurf geändert wurde.",
        risks:
          "Das Hauptrisiko ist, dass ein fehlerhafter Entwurf ohne ausreichende Prüfung übernommen wird. Wir verfolgen, wie oft Entwürfe unverändert versendet werden, und schulen nach, wenn dieser Anteil zu hoch ist.",
        impactAssessment:
          "Vor dem Start wurde eine Datenschutz-Folgenabschätzung durchgeführt, die jährlich überprüft wird. Mit den hier beschriebenen Maßnahmen bestehen keine hohen Risiken mehr.",
        retention:
          "Entwürfe werden zusammen mit Ihrem E-Mail-Vorgang 24 Monate nach dessen Abschluss aufbewahrt, damit nachvollziehbar bleibt, was die KI vorgeschlagen und was unser Team geändert hat.",
      },
      ar: {
        name: "مساعد الردود على البريد الإلكتروني",
        shortDescription:
          "أداة ذكاء اصطناعي تكتب مسودات أولية للرد على رسائلكم الإلكترونية، يراجعها أحد موظفينا ويعدّلها ثم يرسلها.",
        riskReason:
          "تُنتج الأداة نصوصًا تُدرج في الرسائل التي تصلكم، لذا نبلغكم بأن الذكاء الاصطناعي ساعد في كتابة الرد. ويراجع موظف كل رسالة ويرسلها بنفسه، ولا تتخذ الأداة أي قرار بشأنكم، ولذلك لا تُصنَّف عالية المخاطر.",
        purpose:
          "توفّر الأداة على موظفينا الوقت في الرسائل الروتينية، مثل الأسئلة عن الفواتير أو الانتقال إلى مسكن جديد أو مواعيد العقد، لتحصلوا على الرد بسرعة أكبر.",
        notFor:
          "لا ترسل الأداة أي رسالة من تلقاء نفسها، ولا تقرر بشأن المبالغ المستردة أو الشكاوى أو تعديلات العقد. ونردّ دائمًا على الشكاوى والمراسلات القانونية دون مسودات من الذكاء الاصطناعي.",
        howItWorks:
          "عند وصول رسالتكم، تقرؤها الأداة مع بيانات حسابكم وسياساتنا الداخلية وتقترح ردًا. ثم يقرأ الموظف المسودة ويتحقق من المعلومات ويعدّلها عند الحاجة ويرسلها باسمه.",
        limitations:
          "قد تتضمن المسودات معلومات خاطئة أو تُغفل سؤالًا، وقد لا تناسب نبرتها وضعكم. ولهذا لا تُرسل أي مسودة دون أن يراجعها شخص.",
        dataOperating:
          "نص رسالتكم ومرفقاتها، واسمكم، ورقم العميل، وباقتكم، وآخر فواتيركم، والرسائل السابقة في الملف نفسه.",
        dataTraining:
          "درّبت شركة Mistral AI النموذج الأساسي على نصوص عامة. وقمنا بتكييفه باستخدام سياساتنا وردود سابقة كتبها موظفونا بعد حذف البيانات التعريفية منها، وذلك فقط من ملفات عملاء وافقوا على التدريب.",
        legalBasis:
          "معالجة رسالتكم جزء من تنفيذ عقدكم (المادة 6(1)(ب) من اللائحة العامة لحماية البيانات). أما استخدام رسائلكم في التدريب فيستند فقط إلى موافقتكم (المادة 6(1)(أ)).",
        oversight:
          "يتحمّل الموظف الذي يرسل الرسالة المسؤولية عن محتواها. ويراجع قادة الفرق كل أسبوع 5% من الرسائل المرسلة، بما في ذلك مقدار ما عدّله الموظف في المسودة.",
        risks:
          "يتمثل الخطر الرئيسي في أن يعتمد موظف مسودة خاطئة دون التحقق منها بعناية كافية. ولذلك نتابع نسبة المسودات المرسلة دون تعديل، ونعيد تدريب الموظفين إذا ارتفعت هذه النسبة أكثر من اللازم.",
        impactAssessment:
          "أُجري تقييم للأثر على حماية البيانات قبل الإطلاق، ويُراجَع كل عام. ولا تبقى مخاطر عالية بعد تطبيق الضوابط الموضحة هنا.",
        retention:
          "تُحفظ المسودات مع ملف رسالتكم لمدة 24 شهرًا بعد إغلاقه، لنتمكن من معرفة ما اقترحه الذكاء الاصطناعي وما عدّله الموظف.",
      },
    },
    versions: [
      {
        daysAgo: 300,
        material: true,
        changeNote: {
          en: "Email reply assistant introduced for routine customer emails.",
          fr: "Mise en service de l’assistant de réponse pour les e-mails courants des clients.",
          de: "Assistent für E-Mail-Antworten für Routine-Anfragen eingeführt.",
          ar: "بدء استخدام مساعد الردود للرسائل الإلكترونية الروتينية من العملاء.",
        },
      },
      {
        daysAgo: 58,
        material: false,
        changeNote: {
          en: "Replies to complaints and legal letters are no longer drafted with AI.",
          fr: "Les réponses aux réclamations et aux courriers juridiques ne sont plus rédigées avec l’IA.",
          de: "Antworten auf Beschwerden und rechtliche Schreiben werden nicht mehr mit KI entworfen.",
          ar: "لم تعد الردود على الشكاوى والمراسلات القانونية تُكتب مسوداتها بالذكاء الاصطناعي.",
        },
      },
    ],
  },
  {
    slug: "network-troubleshooter",
    provider: "Nordlys Telecom",
    riskClass: "limited",
    autonomy: "acts",
    channels: ["app", "sms", "phone"],
    contactEmail: "ai-transparency@nordlys.example",
    lastReviewedDaysAgo: 20,
    actionKeys: ["troubleshooting", "orders", "proactive-outreach"],
    texts: {
      en: {
        name: "Network troubleshooting assistant",
        shortDescription:
          "An AI system that detects faults on your line and can fix common problems, such as restarting your line or resetting your router, often before you notice them.",
        riskReason:
          "It acts on your account and contacts you by app, SMS or phone, so we tell you openly what it does and let you choose whether it may act. It is not high-risk under the AI Act because it only manages your own line and equipment: it is not a safety component of the wider network and does not decide on access to services, prices or credit.",
        purpose:
          "To find and fix faults quickly, often at night or before you contact us, and to book a technician when a fault cannot be fixed remotely.",
        notFor:
          "It does not change your plan, prices or bills, and it does not read the content of your calls, messages or internet traffic. It is not used to monitor how you use your connection.",
        howItWorks:
          "It compares technical signals from your line and router, such as signal strength, dropouts and speed, with patterns of known faults. Depending on your choices, it restarts your line, resets your router, adds a temporary data boost, books a technician or asks you first.",
        limitations:
          "It can mistake unusual but normal use for a fault, and some faults, such as a damaged cable inside your home, cannot be detected remotely. A line restart interrupts your connection for about two minutes, and a router reset for about five.",
        dataOperating:
          "Technical data about your line and router: signal levels, error counts, speed tests, device model and firmware, plus your address for technician bookings. It does not use the content of your communications or the websites you visit.",
        dataTraining:
          "It was trained by our network team on two years of technical line data and fault tickets, with customer identifiers removed. No call, message or browsing content was used.",
        legalBasis:
          "Keeping your service working is part of your contract (GDPR Article 6(1)(b)). Technical line data is processed under the rules for traffic data in national telecoms law, and actions follow the choices you have set.",
        oversight:
          "Engineers in our network operations centre monitor all automatic actions in real time and can stop them for an area or for everyone. The Head of Network Operations is accountable, and every action is logged and shown in your account.",
        risks:
          "An action at the wrong moment can interrupt a call or a video meeting, and a router reset restores our default settings, which removes custom settings such as port forwarding (your Wi-Fi name and password are kept). We only act between 01:00 and 05:00 unless the fault is already stopping you from using the service.",
        impactAssessment:
          "A risk assessment was completed before launch and updated when remote router resets were added. It covers interruptions, wrong detections and equipment settings.",
        retention:
          "Technical line data is kept for 90 days. The log of actions taken on your account is kept for 24 months.",
      },
      fr: {
        name: "Assistant de dépannage réseau",
        shortDescription:
          "Un système d’IA qui détecte les pannes sur votre ligne et peut corriger les problèmes courants, par exemple en redémarrant votre ligne ou en réinitialisant votre box, souvent avant que vous ne les remarquiez.",
        riskReason:
          "Il agit sur votre compte et vous contacte par l’application, par SMS ou par téléphone : nous vous expliquons donc ouvertement ce qu’il fait et vous laissons choisir s’il peut agir. Il n’est pas à haut risque au sens du règlement sur l’IA, car il ne gère que votre propre ligne et votre équipement ; il n’est pas un composant de sécurité du réseau et ne décide ni de l’accès aux services, ni des prix, ni du crédit.",
        purpose:
          "Détecter et corriger rapidement les pannes, souvent la nuit ou avant que vous ne nous contactiez, et réserver l’intervention d’un technicien lorsqu’une panne ne peut pas être réparée à distance.",
        notFor:
          "Il ne modifie ni votre forfait, ni vos prix, ni vos factures, et ne lit pas le contenu de vos appels, de vos messages ou de votre trafic internet. Il ne sert pas à surveiller l’usage que vous faites de votre connexion.",
        howItWorks:
          "Il compare les signaux techniques de votre ligne et de votre box, comme la qualité du signal, les coupures et le débit, à des schémas de pannes connues. Selon vos choix, il redémarre votre ligne, réinitialise votre box, ajoute un bonus de données temporaire, réserve un technicien ou vous demande d’abord votre accord.",
        limitations:
          "Il peut confondre une utilisation inhabituelle mais normale avec une panne, et certaines pannes, comme un câble endommagé chez vous, ne sont pas détectables à distance. Un redémarrage de ligne coupe votre connexion environ deux minutes, et une réinitialisation de la box environ cinq minutes.",
        dataOperating:
          "Des données techniques sur votre ligne et votre box : niveaux de signal, nombre d’erreurs, tests de débit, modèle et version logicielle de l’équipement, ainsi que votre adresse pour les rendez-vous avec un technicien. Il n’utilise ni le contenu de vos communications ni les sites que vous consultez.",
        dataTraining:
          "Il a été entraîné par notre équipe réseau sur deux ans de données techniques de lignes et de tickets d’incident, dont les identifiants clients ont été supprimés. Aucun contenu d’appel, de message ou de navigation n’a été utilisé.",
        legalBasis:
          "Maintenir votre service en état de marche fait partie de l’exécution de votre contrat (article 6.1.b du RGPD). Les données techniques de ligne sont traitées selon les règles applicables aux données de trafic en droit national des télécommunications, et les actions suivent les choix que vous avez définis.",
        oversight:
          "Les ingénieurs de notre centre d’exploitation réseau surveillent en temps réel toutes les actions automatiques et peuvent les suspendre pour une zone ou pour tous les clients. La direction des opérations réseau en est responsable, et chaque action est enregistrée et visible dans votre espace client.",
        risks:
          "Une action au mauvais moment peut interrompre un appel ou une visioconférence, et une réinitialisation de la box rétablit nos réglages par défaut, ce qui supprime les réglages personnalisés comme la redirection de ports (le nom et le mot de passe de votre Wi-Fi sont conservés). Nous n’agissons qu’entre 1 h et 5 h, sauf si la panne vous empêche déjà d’utiliser le service.",
        impactAssessment:
          "Une évaluation des risques a été réalisée avant le lancement, puis mise à jour lors de l’ajout des réinitialisations de box à distance. Elle couvre les interruptions, les erreurs de détection et les réglages des équipements.",
        retention:
          "Les données techniques de ligne sont conservées 90 jours. Le journal des actions effectuées sur votre compte est conservé 24 mois.",
      },
      de: {
        name: "Assistent für Netzstörungen",
        shortDescription:
          "Ein KI-System, das Störungen an Ihrem Anschluss erkennt und häufige Probleme behebt, etwa durch einen Neustart Ihrer Leitung oder das Zurücksetzen Ihres Routers, oft bevor Sie etwas bemerken.",
        riskReason:
          "Es handelt in Ihrem Konto und kontaktiert Sie per App, SMS oder Telefon, deshalb legen wir offen, was es tut, und Sie entscheiden, ob es handeln darf. Nach der KI-Verordnung ist es kein Hochrisiko-System, weil es nur Ihren eigenen Anschluss und Ihre Geräte betrifft: Es ist keine Sicherheitskomponente des Netzes und entscheidet nicht über den Zugang zu Diensten, über Preise oder Kredite.",
        purpose:
          "Störungen schnell finden und beheben, oft nachts oder bevor Sie sich bei uns melden, und einen Technikertermin buchen, wenn sich eine Störung nicht aus der Ferne beheben lässt.",
        notFor:
          "Es ändert weder Ihren Tarif noch Ihre Preise oder Rechnungen und liest nicht den Inhalt Ihrer Anrufe, Nachrichten oder Ihres Internetverkehrs. Es dient nicht dazu, Ihre Nutzung zu überwachen.",
        howItWorks:
          "Es vergleicht technische Signale Ihrer Leitung und Ihres Routers, etwa Signalstärke, Verbindungsabbrüche und Geschwindigkeit, mit Mustern bekannter Störungen. Je nach Ihren Einstellungen startet es die Leitung neu, setzt den Router zurück, schaltet vorübergehend zusätzliches Datenvolumen frei, bucht einen Techniker oder fragt Sie vorher.",
        limitations:
          "Es kann ungewöhnliche, aber normale Nutzung für eine Störung halten, und manche Fehler, etwa ein beschädigtes Kabel in Ihrer Wohnung, lassen sich aus der Ferne nicht erkennen. Ein Neustart der Leitung unterbricht Ihre Verbindung für etwa zwei Minuten, das Zurücksetzen des Routers für etwa fünf Minuten.",
        dataOperating:
          "Technische Daten zu Ihrer Leitung und Ihrem Router: Signalwerte, Fehlerzähler, Geschwindigkeitsmessungen, Gerätemodell und Firmware sowie Ihre Adresse für Technikertermine. Der Inhalt Ihrer Kommunikation und die von Ihnen besuchten Websites werden nicht verwendet.",
        dataTraining:
          "Unser Netzteam hat es mit technischen Leitungsdaten und Störungsmeldungen aus zwei Jahren trainiert, aus denen Kundenkennungen entfernt wurden. Inhalte von Anrufen, Nachrichten oder Surfverhalten wurden nicht verwendet.",
        legalBasis:
          "Ihren Dienst funktionsfähig zu halten gehört zur Erfüllung Ihres Vertrags (Art. 6 Abs. 1 lit. b DSGVO). Technische Leitungsdaten verarbeiten wir nach den Regeln für Verkehrsdaten im nationalen Telekommunikationsrecht, und Maßnahmen richten sich nach den von Ihnen gewählten Einstellungen.",
        oversight:
          "Fachleute in unserem Netzbetriebszentrum überwachen alle automatischen Maßnahmen in Echtzeit und können sie für ein Gebiet oder für alle stoppen. Verantwortlich ist die Leitung des Netzbetriebs; jede Maßnahme wird protokolliert und in Ihrem Kundenkonto angezeigt.",
        risks:
          "Eine Maßnahme zum falschen Zeitpunkt kann ein Telefonat oder eine Videokonferenz unterbrechen, und beim Zurücksetzen des Routers werden unsere Standardeinstellungen wiederhergestellt, wodurch eigene Einstellungen wie Portfreigaben verloren gehen (WLAN-Name und Passwort bleiben erhalten). Wir handeln nur zwischen 1 und 5 Uhr nachts, außer die Störung verhindert bereits die Nutzung Ihres Dienstes.",
        impactAssessment:
          "Vor dem Start wurde eine Risikobewertung durchgeführt und aktualisiert, als das Zurücksetzen von Routern aus der Ferne hinzukam. Sie umfasst Unterbrechungen, Fehlerkennungen und Geräteeinstellungen.",
        retention:
          "Technische Leitungsdaten werden 90 Tage gespeichert. Das Protokoll der Maßnahmen in Ihrem Konto wird 24 Monate aufbewahrt.",
      },
      ar: {
        name: "مساعد معالجة أعطال الشبكة",
        shortDescription:
          "نظام ذكاء اصطناعي يكتشف الأعطال في خطكم ويعالج المشكلات الشائعة، مثل إعادة تشغيل الخط أو إعادة ضبط جهاز الراوتر، وغالبًا قبل أن تلاحظوها.",
        riskReason:
          "يتخذ هذا النظام إجراءات على حسابكم ويتواصل معكم عبر التطبيق أو الرسائل النصية أو الهاتف، لذا نوضح لكم بشفافية ما يفعله ونترك لكم اختيار السماح له بالتصرف. ولا يُصنَّف عالي المخاطر وفق قانون الذكاء الاصطناعي لأنه يدير خطكم وأجهزتكم فقط، فهو ليس مكوّن سلامة في تشغيل الشبكة، ولا يقرر بشأن الوصول إلى الخدمات أو الأسعار أو الائتمان.",
        purpose:
          "اكتشاف الأعطال وإصلاحها بسرعة، غالبًا ليلًا أو قبل أن تتواصلوا معنا، وحجز زيارة فني عندما يتعذر إصلاح العطل عن بُعد.",
        notFor:
          "لا يغيّر باقتكم أو أسعاركم أو فواتيركم، ولا يقرأ محتوى مكالماتكم أو رسائلكم أو حركة الإنترنت لديكم. ولا يُستخدم لمراقبة طريقة استخدامكم للاتصال.",
        howItWorks:
          "يقارن الإشارات الفنية الصادرة عن خطكم وجهاز الراوتر، مثل قوة الإشارة وانقطاعات الاتصال والسرعة، بأنماط أعطال معروفة. وبحسب اختياراتكم، يعيد تشغيل الخط أو يعيد ضبط الراوتر أو يضيف باقة بيانات مؤقتة أو يحجز فنيًا أو يطلب موافقتكم أولًا.",
        limitations:
          "قد يخلط بين استخدام غير معتاد لكنه طبيعي وبين عطل، ولا يمكن اكتشاف بعض الأعطال عن بُعد، مثل كابل تالف داخل منزلكم. وتؤدي إعادة تشغيل الخط إلى انقطاع الاتصال نحو دقيقتين، وإعادة ضبط الراوتر نحو خمس دقائق.",
        dataOperating:
          "بيانات فنية عن خطكم وجهاز الراوتر: مستويات الإشارة وعدد الأخطاء واختبارات السرعة وطراز الجهاز وإصدار برنامجه الثابت، إضافة إلى عنوانكم لحجز مواعيد الفنيين. ولا يستخدم محتوى اتصالاتكم ولا المواقع التي تزورونها.",
        dataTraining:
          "درّبه فريق الشبكة لدينا على بيانات فنية للخطوط وبلاغات أعطال تغطي عامين، بعد حذف معرّفات العملاء منها. ولم يُستخدم أي محتوى من المكالمات أو الرسائل أو التصفح.",
        legalBasis:
          "الحفاظ على عمل خدمتكم جزء من تنفيذ عقدكم (المادة 6(1)(ب) من اللائحة العامة لحماية البيانات). وتخضع معالجة البيانات الفنية للخط لقواعد بيانات الحركة في قانون الاتصالات الوطني، وتتبع الإجراءات الاختيارات التي حددتموها.",
        oversight:
          "يراقب مهندسو مركز تشغيل الشبكة جميع الإجراءات التلقائية لحظة بلحظة، ويمكنهم إيقافها في منطقة معينة أو لجميع العملاء. وتتحمّل إدارة تشغيل الشبكة المسؤولية، ويُسجَّل كل إجراء ويظهر لكم في حسابكم.",
        risks:
          "قد يقطع إجراءٌ في توقيت غير مناسب مكالمةً أو اجتماعًا بالفيديو، كما أن إعادة ضبط الراوتر تستعيد إعداداتنا الافتراضية فتُحذف الإعدادات المخصصة مثل إعادة توجيه المنافذ (مع الاحتفاظ باسم شبكة الواي فاي وكلمة مرورها). ولا نتخذ أي إجراء إلا بين الساعة الواحدة والخامسة صباحًا، ما لم يكن العطل يمنعكم بالفعل من استخدام الخدمة.",
        impactAssessment:
          "أُجري تقييم للمخاطر قبل الإطلاق، وحُدّث عند إضافة خاصية إعادة ضبط الراوتر عن بُعد. ويشمل التقييم انقطاع الخدمة والأخطاء في اكتشاف الأعطال وإعدادات الأجهزة.",
        retention:
          "تُحفظ البيانات الفنية للخط 90 يومًا. ويُحفظ سجل الإجراءات المتخذة على حسابكم 24 شهرًا.",
      },
    },
    versions: [
      {
        daysAgo: 260,
        material: true,
        changeNote: {
          en: "Launched with automatic line restarts, temporary data boosts and technician bookings.",
          fr: "Lancement avec redémarrages automatiques de ligne, bonus de données temporaires et réservation de techniciens.",
          de: "Start mit automatischen Leitungsneustarts, vorübergehendem Zusatz-Datenvolumen und Buchung von Technikerterminen.",
          ar: "الإطلاق مع إعادة تشغيل الخط تلقائيًا وباقات بيانات مؤقتة وحجز مواعيد الفنيين.",
        },
      },
      {
        daysAgo: 120,
        material: false,
        changeNote: {
          en: "Better detection of evening slowdowns, which means fewer unnecessary restarts.",
          fr: "Meilleure détection des ralentissements en soirée, donc moins de redémarrages inutiles.",
          de: "Bessere Erkennung abendlicher Verlangsamungen und dadurch weniger unnötige Neustarts.",
          ar: "تحسين اكتشاف بطء الاتصال في المساء، مما يقلل عمليات إعادة التشغيل غير الضرورية.",
        },
      },
      {
        daysAgo: 20,
        material: true,
        changeNote: {
          en: "It can now also reset your router remotely. This restores default settings but keeps your Wi-Fi name and password.",
          fr: "Il peut désormais aussi réinitialiser votre box à distance. Les réglages par défaut sont rétablis, mais le nom et le mot de passe de votre Wi-Fi sont conservés.",
          de: "Es kann Ihren Router jetzt auch aus der Ferne zurücksetzen. Dabei werden die Standardeinstellungen wiederhergestellt, WLAN-Name und Passwort bleiben aber erhalten.",
          ar: "أصبح بإمكانه أيضًا إعادة ضبط جهاز الراوتر عن بُعد. ويؤدي ذلك إلى استعادة الإعدادات الافتراضية مع الاحتفاظ باسم شبكة الواي فاي وكلمة مرورها.",
        },
      },
    ],
  },
  {
    slug: "offer-predictor",
    provider: "Nordlys Telecom",
    riskClass: "limited",
    autonomy: "decides",
    channels: ["email", "app", "phone"],
    contactEmail: "ai-transparency@nordlys.example",
    lastReviewedDaysAgo: 12,
    actionKeys: ["plan-changes", "billing-arrangements", "proactive-outreach"],
    texts: {
      en: {
        name: "Offer and plan assistant",
        shortDescription:
          "An AI model that estimates whether your plan still suits you and suggests better-fitting plans, discounts or payment arrangements.",
        riskReason:
          "It influences which offers you get, so we explain it and let you control what it may do. It does not assess your creditworthiness or set a credit score, which would be high-risk under Annex III of the AI Act, and a staff member must approve any change that would increase your price.",
        purpose:
          "To notice when your plan no longer fits how you use it, or when you might be thinking of leaving, and to offer you a plan, discount or payment arrangement that suits you better.",
        notFor:
          "It is not used to decide whether you can get a contract, a phone on instalments or credit, and it never raises prices by itself. It does not use your age, gender, nationality or any sensitive data.",
        howItWorks:
          "Each month it works out, from your usage, plan, contract dates and contacts with us, how likely you are to leave and which plan would fit you best. Depending on your choices, it sends you an offer, applies a cheaper plan or a fee-free payment arrangement, or asks you first.",
        limitations:
          "Its predictions are estimates and can be wrong, especially for new customers or when your usage changes suddenly. Two customers on similar plans may receive different offers because their usage differs.",
        dataOperating:
          "Your plan, add-ons, contract start and end dates, monthly data, call and roaming usage, bill amounts, payment dates and the number of contacts and complaints. It does not use the content of your calls or messages, your location or your browsing.",
        dataTraining:
          "It was trained by our data science team on three years of de-identified contract, usage and billing records. We test it every quarter to check that offers do not differ unfairly between groups, for example by region.",
        legalBasis:
          "We use it on the basis of our legitimate interest in offering suitable plans and keeping customers (GDPR Article 6(1)(f)); you can object at any time. Changes to your plan or payments are made under your contract and according to your choices.",
        oversight:
          "Our pricing team approves all offer rules and discount limits, and a staff member reviews every change that would raise your price. The Head of Commercial Analytics is accountable, and a fairness review takes place every quarter.",
        risks:
          "It may treat customers differently in ways that feel unfair, or contact you too often with offers. We cap discounts, send no more than one offer message a month and check the results for unfair differences every quarter.",
        impactAssessment:
          "A data protection impact assessment, including a fairness assessment, was completed before launch and is updated every six months. A summary is available on request.",
        retention:
          "Monthly predictions are kept for 13 months. Records of plan changes and payment arrangements are kept for the length of your contract plus 3 years, for billing and legal record-keeping.",
      },
      fr: {
        name: "Assistant offres et forfaits",
        shortDescription:
          "Un modèle d’IA qui estime si votre forfait vous convient toujours et propose des forfaits mieux adaptés, des remises ou des facilités de paiement.",
        riskReason:
          "Il influence les offres que vous recevez : nous vous l’expliquons donc et vous laissons décider de ce qu’il peut faire. Il n’évalue pas votre solvabilité et n’établit pas de score de crédit, ce qui relèverait du haut risque selon l’annexe III du règlement sur l’IA, et toute modification qui augmenterait votre prix doit être approuvée par un membre de notre équipe.",
        purpose:
          "Repérer quand votre forfait ne correspond plus à votre utilisation, ou quand vous envisagez peut-être de nous quitter, et vous proposer un forfait, une remise ou une facilité de paiement mieux adaptés.",
        notFor:
          "Il ne sert pas à décider si vous pouvez obtenir un contrat, un téléphone payable en plusieurs fois ou un crédit, et il n’augmente jamais les prix de lui-même. Il n’utilise ni votre âge, ni votre sexe, ni votre nationalité, ni aucune donnée sensible.",
        howItWorks:
          "Chaque mois, il estime à partir de votre consommation, de votre forfait, des dates de votre contrat et de vos contacts avec nous la probabilité que vous partiez et le forfait qui vous conviendrait le mieux. Selon vos choix, il vous envoie une offre, applique un forfait moins cher ou une facilité de paiement sans frais, ou vous demande d’abord votre accord.",
        limitations:
          "Ses prévisions sont des estimations et peuvent être fausses, notamment pour les nouveaux clients ou lorsque votre consommation change brusquement. Deux clients ayant des forfaits similaires peuvent recevoir des offres différentes, car leur consommation diffère.",
        dataOperating:
          "Votre forfait, vos options, les dates de début et de fin de votre contrat, votre consommation mensuelle de données, d’appels et d’itinérance, le montant de vos factures, vos dates de paiement et le nombre de vos contacts et réclamations. Il n’utilise ni le contenu de vos appels et messages, ni votre localisation, ni votre navigation.",
        dataTraining:
          "Il a été entraîné par notre équipe de science des données sur trois ans de données pseudonymisées de contrats, de consommation et de facturation. Nous le testons chaque trimestre pour vérifier que les offres ne diffèrent pas de façon injuste entre groupes, par exemple selon la région.",
        legalBasis:
          "Nous l’utilisons sur la base de notre intérêt légitime à proposer des forfaits adaptés et à fidéliser nos clients (article 6.1.f du RGPD) ; vous pouvez vous y opposer à tout moment. Les modifications de forfait ou de paiement sont effectuées dans le cadre de votre contrat et selon vos choix.",
        oversight:
          "Notre équipe tarification valide toutes les règles d’offre et les plafonds de remise, et un membre de l’équipe examine chaque modification qui augmenterait votre prix. La direction de l’analyse commerciale en est responsable, et une revue d’équité est menée chaque trimestre.",
        risks:
          "Il peut traiter les clients différemment d’une manière qui semble injuste, ou vous contacter trop souvent avec des offres. Nous plafonnons les remises, n’envoyons pas plus d’un message d’offre par mois et vérifions chaque trimestre l’absence d’écarts injustes.",
        impactAssessment:
          "Une analyse d’impact relative à la protection des données, comprenant une évaluation de l’équité, a été réalisée avant le lancement et est mise à jour tous les six mois. Une synthèse est disponible sur demande.",
        retention:
          "Les prévisions mensuelles sont conservées 13 mois. Les traces des changements de forfait et des facilités de paiement sont conservées pendant toute la durée de votre contrat, puis 3 ans, pour la facturation et nos obligations légales de conservation.",
      },
      de: {
        name: "Assistent für Angebote und Tarife",
        shortDescription:
          "Ein KI-Modell, das einschätzt, ob Ihr Tarif noch zu Ihnen passt, und passendere Tarife, Rabatte oder Zahlungsvereinbarungen vorschlägt.",
        riskReason:
          "Es beeinflusst, welche Angebote Sie erhalten, deshalb erklären wir es und Sie bestimmen, was es tun darf. Es prüft nicht Ihre Kreditwürdigkeit und erstellt keinen Kredit-Score – das wäre nach Anhang III der KI-Verordnung ein Hochrisiko-Einsatz –, und jede Änderung, die Ihren Preis erhöhen würde, muss jemand aus unserem Team freigeben.",
        purpose:
          "Erkennen, wenn Ihr Tarif nicht mehr zu Ihrer Nutzung passt oder Sie vielleicht kündigen möchten, und Ihnen einen passenderen Tarif, einen Rabatt oder eine Zahlungsvereinbarung anbieten.",
        notFor:
          "Es wird nicht verwendet, um zu entscheiden, ob Sie einen Vertrag, ein Handy auf Raten oder einen Kredit bekommen, und es erhöht niemals selbst Preise. Es nutzt weder Ihr Alter noch Ihr Geschlecht, Ihre Staatsangehörigkeit oder andere sensible Daten.",
        howItWorks:
          "Jeden Monat berechnet es aus Ihrer Nutzung, Ihrem Tarif, Ihren Vertragsdaten und Ihren Kontakten mit uns, wie wahrscheinlich eine Kündigung ist und welcher Tarif am besten zu Ihnen passt. Je nach Ihren Einstellungen schickt es Ihnen ein Angebot, stellt auf einen günstigeren Tarif oder eine gebührenfreie Zahlungsvereinbarung um oder fragt Sie vorher.",
        limitations:
          "Seine Vorhersagen sind Schätzungen und können falsch sein, besonders bei neuen Kundinnen und Kunden oder wenn sich Ihre Nutzung plötzlich ändert. Zwei Personen mit ähnlichem Tarif können unterschiedliche Angebote erhalten, weil sich ihre Nutzung unterscheidet.",
        dataOperating:
          "Ihr Tarif, Ihre Zusatzoptionen, Vertragsbeginn und -ende, Ihre monatliche Daten-, Telefonie- und Roaming-Nutzung, Rechnungsbeträge, Zahlungstermine sowie die Anzahl Ihrer Kontakte und Beschwerden. Der Inhalt Ihrer Anrufe und Nachrichten, Ihr Standort und Ihr Surfverhalten werden nicht verwendet.",
        dataTraining:
          "Unser Data-Science-Team hat es mit pseudonymisierten Vertrags-, Nutzungs- und Abrechnungsdaten aus drei Jahren trainiert. Jedes Quartal prüfen wir, ob sich Angebote zwischen Gruppen, etwa nach Region, ungerechtfertigt unterscheiden.",
        legalBasis:
          "Wir setzen es auf Grundlage unseres berechtigten Interesses ein, passende Tarife anzubieten und Kundinnen und Kunden zu halten (Art. 6 Abs. 1 lit. f DSGVO); Sie können jederzeit widersprechen. Änderungen an Tarif oder Zahlungen erfolgen im Rahmen Ihres Vertrags und Ihrer Einstellungen.",
        oversight:
          "Unser Tarifteam genehmigt alle Angebotsregeln und Rabattgrenzen, und jede Änderung, die Ihren Preis erhöhen würde, prüft ein Mensch. Verantwortlich ist die Leitung der Vertriebsanalyse; jedes Quartal findet eine Fairness-Prüfung statt.",
        risks:
          "Es kann Kundinnen und Kunden auf eine Weise unterschiedlich behandeln, die als unfair empfunden wird, oder Sie zu oft mit Angeboten kontaktieren. Wir deckeln Rabatte, senden höchstens eine Angebotsnachricht pro Monat und prüfen die Ergebnisse jedes Quartal auf ungerechtfertigte Unterschiede.",
        impactAssessment:
          "Vor dem Start wurde eine Datenschutz-Folgenabschätzung einschließlich einer Fairness-Bewertung durchgeführt; sie wird alle sechs Monate aktualisiert. Eine Zusammenfassung erhalten Sie auf Anfrage.",
        retention:
          "Monatliche Vorhersagen werden 13 Monate gespeichert. Nachweise über Tarifänderungen und Zahlungsvereinbarungen bewahren wir für die Vertragslaufzeit plus 3 Jahre auf, für die Abrechnung und gesetzliche Aufbewahrungspflichten.",
      },
      ar: {
        name: "مساعد العروض والباقات",
        shortDescription:
          "نموذج ذكاء اصطناعي يقدّر ما إذا كانت باقتكم لا تزال مناسبة لكم، ويقترح باقات أنسب أو خصومات أو ترتيبات سداد.",
        riskReason:
          "يؤثر هذا النموذج في العروض التي تصلكم، لذا نشرحه لكم ونترك لكم تحديد ما يُسمح له بفعله. وهو لا يقيّم جدارتكم الائتمانية ولا يحدد درجة ائتمانية، وهو ما كان سيُعدّ عالي المخاطر وفق الملحق الثالث من قانون الذكاء الاصطناعي، كما يجب أن يوافق أحد موظفينا على أي تغيير يرفع السعر الذي تدفعونه.",
        purpose:
          "ملاحظة الحالات التي لم تعد فيها باقتكم مناسبة لاستخدامكم، أو التي قد تفكرون فيها في ترك خدماتنا، وتقديم باقة أو خصم أو ترتيب سداد يناسبكم أكثر.",
        notFor:
          "لا يُستخدم لتحديد ما إذا كان بإمكانكم الحصول على عقد أو هاتف بالتقسيط أو ائتمان، ولا يرفع الأسعار من تلقاء نفسه أبدًا. ولا يستخدم عمركم أو جنسكم أو جنسيتكم أو أي بيانات حساسة.",
        howItWorks:
          "يحسب كل شهر، استنادًا إلى استخدامكم وباقتكم وتواريخ عقدكم وتواصلكم معنا، مدى احتمال مغادرتكم والباقة الأنسب لكم. وبحسب اختياراتكم، يرسل إليكم عرضًا، أو يطبّق باقة أرخص أو ترتيب سداد دون رسوم، أو يطلب موافقتكم أولًا.",
        limitations:
          "تنبؤاته مجرد تقديرات وقد تكون خاطئة، لا سيما مع العملاء الجدد أو عند تغيّر استخدامكم فجأة. وقد يتلقى عميلان لديهما باقتان متشابهتان عرضين مختلفين لاختلاف استخدامهما.",
        dataOperating:
          "باقتكم وخدماتكم الإضافية، وتاريخ بداية العقد ونهايته، واستخدامكم الشهري للبيانات والمكالمات والتجوال، ومبالغ الفواتير، ومواعيد السداد، وعدد مرات تواصلكم معنا وشكاواكم. ولا يستخدم محتوى مكالماتكم أو رسائلكم ولا موقعكم ولا تصفحكم.",
        dataTraining:
          "درّبه فريق علوم البيانات لدينا على بيانات عقود واستخدام وفوترة تغطي ثلاث سنوات، بعد حذف البيانات التعريفية منها. ونختبره كل ثلاثة أشهر للتأكد من أن العروض لا تختلف بشكل غير عادل بين الفئات، كالمناطق مثلًا.",
        legalBasis:
          "نستخدمه استنادًا إلى مصلحتنا المشروعة في تقديم باقات مناسبة والاحتفاظ بعملائنا (المادة 6(1)(و) من اللائحة العامة لحماية البيانات)، ويحق لكم الاعتراض في أي وقت. أما تغييرات الباقة أو ترتيبات السداد فتتم في إطار عقدكم ووفق اختياراتكم.",
        oversight:
          "يعتمد فريق التسعير جميع قواعد العروض وحدود الخصومات، ويراجع أحد الموظفين كل تغيير من شأنه رفع السعر الذي تدفعونه. وتتحمّل إدارة التحليلات التجارية المسؤولية، وتُجرى مراجعة للإنصاف كل ثلاثة أشهر.",
        risks:
          "قد يعامل العملاء معاملة مختلفة تبدو غير عادلة، أو يتواصل معكم بالعروض أكثر من اللازم. لذلك نضع حدًا أقصى للخصومات، ولا نرسل أكثر من رسالة عرض واحدة شهريًا، ونفحص النتائج كل ثلاثة أشهر بحثًا عن فروق غير عادلة.",
        impactAssessment:
          "أُجري قبل الإطلاق تقييم للأثر على حماية البيانات يشمل تقييمًا للإنصاف، ويُحدَّث كل ستة أشهر. ويتوفر ملخص عند الطلب.",
        retention:
          "تُحفظ التنبؤات الشهرية 13 شهرًا. أما سجلات تغييرات الباقات وترتيبات السداد فتُحفظ طوال مدة عقدكم و3 سنوات بعد انتهائه، لأغراض الفوترة والالتزامات القانونية بحفظ السجلات.",
      },
    },
    versions: [
      {
        daysAgo: 330,
        material: true,
        changeNote: {
          en: "First version: monthly predictions and personal offers by email and in the app.",
          fr: "Première version : prévisions mensuelles et offres personnalisées par e-mail et dans l’application.",
          de: "Erste Version: monatliche Vorhersagen und persönliche Angebote per E-Mail und in der App.",
          ar: "النسخة الأولى: تنبؤات شهرية وعروض شخصية عبر البريد الإلكتروني وفي التطبيق.",
        },
      },
      {
        daysAgo: 90,
        material: true,
        changeNote: {
          en: "It can now apply cheaper plans and fee-free payment arrangements, depending on your choices.",
          fr: "Il peut désormais appliquer des forfaits moins chers et des facilités de paiement sans frais, selon vos choix.",
          de: "Es kann jetzt, je nach Ihren Einstellungen, günstigere Tarife und gebührenfreie Zahlungsvereinbarungen einrichten.",
          ar: "أصبح بإمكانه الآن تطبيق باقات أرخص وترتيبات سداد دون رسوم، بحسب اختياراتكم.",
        },
      },
      {
        daysAgo: 12,
        material: false,
        changeNote: {
          en: "Quarterly fairness review completed; no changes to how offers are chosen.",
          fr: "Revue trimestrielle d’équité effectuée ; aucun changement dans la manière de choisir les offres.",
          de: "Vierteljährliche Fairness-Prüfung abgeschlossen; keine Änderungen an der Auswahl der Angebote.",
          ar: "اكتملت مراجعة الإنصاف الفصلية، ولم يطرأ أي تغيير على طريقة اختيار العروض.",
        },
      },
    ],
  },
  {
    slug: "call-summariser",
    provider: "Fjordtale AS",
    riskClass: "minimal",
    autonomy: "drafts",
    channels: ["phone"],
    contactEmail: "ai-transparency@nordlys.example",
    lastReviewedDaysAgo: 90,
    actionKeys: [],
    texts: {
      en: {
        name: "Call summary assistant",
        shortDescription:
          "An AI tool that transcribes your phone calls with our customer care team and writes a short summary for the agent’s notes.",
        riskReason:
          "It only helps our staff write notes; it does not talk to you or make decisions about you, so it is minimal-risk. We still tell you at the start of each call that it is recorded and summarised with AI.",
        purpose:
          "So that agents can focus on you during the call instead of typing, and so that the next agent you speak to knows what was already agreed.",
        notFor:
          "It is not used to assess your mood, emotions or voice, to identify you by your voice, or to rate agents.",
        howItWorks:
          "Speech recognition turns the call recording into text, and a language model summarises the reason for the call, what was agreed and any next steps. The agent reads and corrects the summary before saving it to your account.",
        limitations:
          "Transcription can be less accurate with background noise, strong accents or several languages in one call. The summary may leave out details, which is why the agent checks it.",
        dataOperating:
          "The call recording, your phone number and customer number, and the agent’s name.",
        dataTraining:
          "The speech recognition and summary models were trained by our supplier Fjordtale AS on licensed and public data. Our calls are not used to train the supplier’s models.",
        legalBasis:
          "Summarising your call helps us provide your contract and keep accurate records (GDPR Article 6(1)(b) and (f)). You can ask at the start of the call not to be recorded, and the agent will then take notes by hand.",
        oversight:
          "The agent checks every summary before it is saved. Each month our customer care quality team compares 50 summaries with the recordings.",
        risks:
          "A summary can record something incorrectly, for example a promised credit, or include personal details you shared only to explain your situation. Agents are trained to remove unnecessary personal details, and you can ask us to correct a summary.",
        impactAssessment:
          "A data protection impact assessment was completed before launch, including a review of the supplier’s data processing agreement. Processing takes place in data centres in the EU.",
        retention:
          "Call recordings and full transcripts are deleted after 30 days. The summary stays in your customer record for the length of your contract plus 12 months.",
      },
      fr: {
        name: "Assistant de résumé d’appels",
        shortDescription:
          "Un outil d’IA qui transcrit vos appels avec notre service client et rédige un court résumé pour les notes du conseiller.",
        riskReason:
          "Il aide seulement nos équipes à prendre des notes ; il ne vous parle pas et ne prend aucune décision vous concernant, il présente donc un risque minimal. Nous vous informons tout de même au début de chaque appel que celui-ci est enregistré et résumé à l’aide de l’IA.",
        purpose:
          "Permettre aux conseillers de se concentrer sur vous pendant l’appel plutôt que de taper des notes, et faire en sorte que le prochain conseiller sache ce qui a déjà été convenu.",
        notFor:
          "Il ne sert pas à évaluer votre humeur, vos émotions ou votre voix, à vous identifier par votre voix ni à noter les conseillers.",
        howItWorks:
          "Un système de reconnaissance vocale transforme l’enregistrement de l’appel en texte, puis un modèle de langage résume le motif de l’appel, ce qui a été convenu et les prochaines étapes. Le conseiller relit et corrige le résumé avant de l’enregistrer dans votre dossier.",
        limitations:
          "La transcription peut être moins précise en cas de bruit de fond, d’accent marqué ou de plusieurs langues dans un même appel. Le résumé peut omettre des détails, c’est pourquoi le conseiller le vérifie.",
        dataOperating:
          "L’enregistrement de l’appel, votre numéro de téléphone, votre numéro client et le nom du conseiller.",
        dataTraining:
          "Les modèles de reconnaissance vocale et de résumé ont été entraînés par notre fournisseur Fjordtale AS sur des données publiques et sous licence. Nos appels ne servent pas à entraîner les modèles du fournisseur.",
        legalBasis:
          "Résumer votre appel nous aide à exécuter votre contrat et à tenir des dossiers exacts (article 6.1.b et 6.1.f du RGPD). Vous pouvez demander au début de l’appel à ne pas être enregistré ; le conseiller prendra alors ses notes à la main.",
        oversight:
          "Le conseiller vérifie chaque résumé avant de l’enregistrer. Chaque mois, notre équipe qualité du service client compare 50 résumés avec les enregistrements.",
        risks:
          "Un résumé peut consigner une information erronée, par exemple un avoir promis, ou contenir des informations personnelles que vous n’avez partagées que pour expliquer votre situation. Les conseillers sont formés à supprimer les détails personnels inutiles, et vous pouvez nous demander de corriger un résumé.",
        impactAssessment:
          "Une analyse d’impact relative à la protection des données a été réalisée avant le lancement, avec un examen du contrat de sous-traitance du fournisseur. Le traitement a lieu dans des centres de données situés dans l’UE.",
        retention:
          "Les enregistrements et les transcriptions complètes sont supprimés au bout de 30 jours. Le résumé reste dans votre dossier client pendant toute la durée de votre contrat, puis 12 mois.",
      },
      de: {
        name: "Assistent für Gesprächszusammenfassungen",
        shortDescription:
          "Ein KI-Werkzeug, das Ihre Telefonate mit unserem Kundenservice transkribiert und eine kurze Zusammenfassung für die Notizen unseres Teams schreibt.",
        riskReason:
          "Es hilft unserem Team nur beim Schreiben von Notizen, spricht nicht mit Ihnen und trifft keine Entscheidungen über Sie – daher ist das Risiko minimal. Trotzdem weisen wir zu Beginn jedes Anrufs darauf hin, dass das Gespräch aufgezeichnet und mit KI zusammengefasst wird.",
        purpose:
          "Damit sich unser Team während des Gesprächs auf Sie konzentrieren kann, statt mitzutippen, und damit die nächste Ansprechperson weiß, was bereits vereinbart wurde.",
        notFor:
          "Es wird nicht eingesetzt, um Ihre Stimmung, Ihre Gefühle oder Ihre Stimme zu bewerten, Sie anhand Ihrer Stimme zu identifizieren oder Mitarbeitende zu beurteilen.",
        howItWorks:
          "Eine Spracherkennung wandelt die Gesprächsaufzeichnung in Text um, und ein Sprachmodell fasst den Anlass des Anrufs, die Vereinbarungen und die nächsten Schritte zusammen. Die Person, die das Gespräch geführt hat, liest und korrigiert die Zusammenfassung, bevor sie in Ihrem Kundenkonto gespeichert wird.",
        limitations:
          "Die Transkription kann bei Hintergrundgeräuschen, starkem Akzent oder mehreren Sprachen in einem Gespräch ungenauer sein. Die Zusammenfassung kann Details auslassen, deshalb wird sie geprüft.",
        dataOperating:
          "Die Gesprächsaufzeichnung, Ihre Telefon- und Kundennummer sowie der Name der Person, die das Gespräch geführt hat.",
        dataTraining:
          "Die Modelle für Spracherkennung und Zusammenfassung wurden von unserem Dienstleister Fjordtale AS mit lizenzierten und öffentlichen Daten trainiert. Unsere Gespräche werden nicht zum Training der Modelle des Dienstleisters verwendet.",
        legalBasis:
          "Die Zusammenfassung hilft uns, Ihren Vertrag zu erfüllen und korrekte Unterlagen zu führen (Art. 6 Abs. 1 lit. b und f DSGVO). Sie können zu Beginn des Anrufs einer Aufzeichnung widersprechen; dann werden die Notizen von Hand geschrieben.",
        oversight:
          "Jede Zusammenfassung wird vor dem Speichern von der Person geprüft, die das Gespräch geführt hat. Unser Qualitätsteam im Kundenservice vergleicht jeden Monat 50 Zusammenfassungen mit den Aufzeichnungen.",
        risks:
          "Eine Zusammenfassung kann etwas falsch festhalten, etwa eine zugesagte Gutschrift, oder persönliche Angaben enthalten, die Sie nur zur Erklärung Ihrer Lage gemacht haben. Unser Team ist darin geschult, unnötige persönliche Angaben zu entfernen, und Sie können eine Korrektur verlangen.",
        impactAssessment:
          "Vor dem Start wurde eine Datenschutz-Folgenabschätzung durchgeführt, einschließlich einer Prüfung des Auftragsverarbeitungsvertrags mit dem Dienstleister. Die Verarbeitung findet in Rechenzentren in der EU statt.",
        retention:
          "Aufzeichnungen und vollständige Transkripte werden nach 30 Tagen gelöscht. Die Zusammenfassung bleibt für die Vertragslaufzeit plus 12 Monate in Ihrem Kundenkonto.",
      },
      ar: {
        name: "مساعد تلخيص المكالمات",
        shortDescription:
          "أداة ذكاء اصطناعي تحوّل مكالماتكم مع خدمة العملاء إلى نص مكتوب وتكتب ملخصًا قصيرًا لملاحظات الموظف.",
        riskReason:
          "تساعد الأداة موظفينا في كتابة الملاحظات فقط، ولا تتحدث معكم ولا تتخذ قرارات بشأنكم، ولذلك فمخاطرها ضئيلة. ومع ذلك نبلغكم في بداية كل مكالمة بأنها تُسجَّل وتُلخَّص بالذكاء الاصطناعي.",
        purpose:
          "لكي يتمكن الموظف من التركيز عليكم أثناء المكالمة بدلًا من الكتابة، ولكي يعرف الموظف التالي الذي تتحدثون إليه ما اتُّفق عليه مسبقًا.",
        notFor:
          "لا تُستخدم لتقييم حالتكم المزاجية أو مشاعركم أو صوتكم، ولا للتعرف على هويتكم من خلال صوتكم، ولا لتقييم الموظفين.",
        howItWorks:
          "يحوّل نظام للتعرف على الكلام تسجيل المكالمة إلى نص، ثم يكتب نموذج لغوي ملخصًا لسبب المكالمة وما اتُّفق عليه والخطوات التالية. ويقرأ الموظف الملخص ويصححه قبل حفظه في حسابكم.",
        limitations:
          "قد تكون دقة التحويل إلى نص أقل عند وجود ضوضاء في الخلفية أو لهجة قوية أو عند استخدام أكثر من لغة في المكالمة نفسها. وقد يُغفل الملخص بعض التفاصيل، ولهذا يراجعه الموظف.",
        dataOperating:
          "تسجيل المكالمة، ورقم هاتفكم، ورقم العميل، واسم الموظف.",
        dataTraining:
          "درّب مورّدنا Fjordtale AS نموذجَي التعرف على الكلام والتلخيص على بيانات مرخّصة وبيانات عامة. ولا تُستخدم مكالماتنا في تدريب نماذج المورّد.",
        legalBasis:
          "يساعدنا تلخيص مكالمتكم على تنفيذ عقدكم والاحتفاظ بسجلات دقيقة (المادة 6(1)(ب) و(و) من اللائحة العامة لحماية البيانات). ويمكنكم أن تطلبوا في بداية المكالمة عدم تسجيلها، وعندئذ يدوّن الموظف الملاحظات يدويًا.",
        oversight:
          "يراجع الموظف كل ملخص قبل حفظه. ويقارن فريق الجودة في خدمة العملاء كل شهر 50 ملخصًا بالتسجيلات الأصلية.",
        risks:
          "قد يسجّل الملخص معلومة خاطئة، مثل رصيد دائن تم التعهد به، أو يتضمن تفاصيل شخصية ذكرتموها فقط لشرح وضعكم. ويتلقى الموظفون تدريبًا على حذف التفاصيل الشخصية غير الضرورية، ويمكنكم أن تطلبوا منا تصحيح أي ملخص.",
        impactAssessment:
          "أُجري تقييم للأثر على حماية البيانات قبل الإطلاق، وشمل مراجعة اتفاقية معالجة البيانات مع المورّد. وتتم المعالجة في مراكز بيانات داخل الاتحاد الأوروبي.",
        retention:
          "تُحذف تسجيلات المكالمات والنصوص الكاملة بعد 30 يومًا. ويبقى الملخص في سجلكم لدى خدمة العملاء طوال مدة العقد و12 شهرًا بعد انتهائه.",
      },
    },
    versions: [
      {
        daysAgo: 240,
        material: true,
        changeNote: {
          en: "Call summaries introduced for customer care calls.",
          fr: "Mise en place des résumés d’appels pour le service client.",
          de: "Gesprächszusammenfassungen für Anrufe beim Kundenservice eingeführt.",
          ar: "بدء استخدام ملخصات المكالمات في مكالمات خدمة العملاء.",
        },
      },
      {
        daysAgo: 90,
        material: false,
        changeNote: {
          en: "New speech recognition model, more accurate for Arabic, French and German.",
          fr: "Nouveau modèle de reconnaissance vocale, plus précis pour l’arabe, le français et l’allemand.",
          de: "Neues Spracherkennungsmodell mit höherer Genauigkeit für Arabisch, Französisch und Deutsch.",
          ar: "نموذج جديد للتعرف على الكلام بدقة أعلى في العربية والفرنسية والألمانية.",
        },
      },
    ],
  },
];

// ── Choices ─────────────────────────────────────────────────────────────────

export const CHOICES: ChoiceSeed[] = [
  {
    key: "plan-changes",
    kind: "action",
    defaultValue: "ask",
    notices: [
      {
        version: 1,
        daysAgo: 200,
        texts: {
          en: {
            label: "Plan and add-on changes",
            explanation:
              "Our offer assistant may move you to a better-fitting plan or add or remove add-ons, for example when you regularly use much less data than you pay for. With “Allowed” it makes the change and tells you straight away, with “Ask me first” it sends you a proposal to accept or decline, and with “Never” only you or a staff member can change your plan. A person always checks any change that would raise your price.",
          },
          fr: {
            label: "Changements de forfait et d’options",
            explanation:
              "Notre assistant offres peut vous faire passer à un forfait mieux adapté, ou ajouter et retirer des options, par exemple si vous utilisez régulièrement beaucoup moins de données que ce que vous payez. Avec « Autorisé », il effectue le changement et vous en informe aussitôt ; avec « Me demander d’abord », il vous envoie une proposition à accepter ou à refuser ; avec « Jamais », seuls vous ou un membre de notre équipe pouvez modifier votre forfait. Toute modification qui augmenterait votre prix est toujours vérifiée par une personne.",
          },
          de: {
            label: "Tarif- und Optionswechsel",
            explanation:
              "Unser Angebotsassistent kann Sie auf einen passenderen Tarif umstellen oder Zusatzoptionen hinzufügen und entfernen, etwa wenn Sie regelmäßig viel weniger Daten nutzen, als Sie bezahlen. Bei „Erlaubt“ nimmt er die Änderung vor und informiert Sie sofort, bei „Mich vorher fragen“ schickt er Ihnen einen Vorschlag zum Annehmen oder Ablehnen, und bei „Nie“ können nur Sie selbst oder unser Team Ihren Tarif ändern. Jede Änderung, die Ihren Preis erhöhen würde, prüft immer ein Mensch.",
          },
          ar: {
            label: "تغيير الباقة والخدمات الإضافية",
            explanation:
              "قد ينقلكم مساعد العروض إلى باقة أنسب أو يضيف خدمات إضافية أو يلغيها، مثلًا عندما تستخدمون بانتظام بيانات أقل بكثير مما تدفعون مقابله. عند اختيار «مسموح» يُجري التغيير ويبلغكم فورًا، وعند اختيار «اسألني أولًا» يرسل إليكم اقتراحًا لقبوله أو رفضه، وعند اختيار «أبدًا» لا يغيّر باقتكم إلا أنتم أو أحد موظفينا. ويراجع شخصٌ دائمًا أي تغيير قد يرفع السعر الذي تدفعونه.",
          },
        },
      },
    ],
  },
  {
    key: "billing-arrangements",
    kind: "action",
    defaultValue: "ask",
    notices: [
      {
        version: 1,
        daysAgo: 200,
        texts: {
          en: {
            label: "Payment arrangements",
            explanation:
              "If a bill is overdue or hard to pay, our offer assistant may set up a fee-free arrangement, such as splitting the amount into up to three monthly payments or moving your payment date. With “Allowed” it sets this up and confirms it to you, with “Ask me first” it proposes it and waits for your answer, and with “Never” you arrange payments with our staff. It never checks your credit with outside agencies.",
          },
          fr: {
            label: "Facilités de paiement",
            explanation:
              "Si une facture est impayée ou difficile à régler, notre assistant offres peut mettre en place une facilité sans frais, par exemple en répartissant le montant sur trois mois au maximum ou en décalant votre date de paiement. Avec « Autorisé », il la met en place et vous la confirme ; avec « Me demander d’abord », il vous la propose et attend votre réponse ; avec « Jamais », vous convenez des paiements avec notre équipe. Il ne consulte jamais votre solvabilité auprès d’organismes extérieurs.",
          },
          de: {
            label: "Zahlungsvereinbarungen",
            explanation:
              "Ist eine Rechnung überfällig oder schwer zu bezahlen, kann unser Angebotsassistent eine gebührenfreie Vereinbarung einrichten, etwa eine Aufteilung auf bis zu drei Monatsraten oder einen späteren Zahlungstermin. Bei „Erlaubt“ richtet er sie ein und bestätigt sie Ihnen, bei „Mich vorher fragen“ schlägt er sie vor und wartet auf Ihre Antwort, und bei „Nie“ vereinbaren Sie Zahlungen mit unserem Team. Er fragt niemals Ihre Bonität bei Auskunfteien ab.",
          },
          ar: {
            label: "ترتيبات السداد",
            explanation:
              "إذا تأخر سداد فاتورة أو صعب عليكم دفعها، فقد يضع مساعد العروض ترتيبًا دون رسوم، مثل تقسيط المبلغ على ثلاث دفعات شهرية كحد أقصى أو تأجيل موعد السداد. عند اختيار «مسموح» يضع الترتيب ويؤكده لكم، وعند اختيار «اسألني أولًا» يقترحه وينتظر ردكم، وعند اختيار «أبدًا» تتفقون على السداد مع موظفينا. ولا يستعلم أبدًا عن جدارتكم الائتمانية لدى جهات خارجية.",
          },
        },
      },
    ],
  },
  {
    key: "troubleshooting",
    kind: "action",
    involvesAmount: false,
    defaultValue: "ask",
    notices: [
      {
        version: 1,
        daysAgo: 200,
        texts: {
          en: {
            label: "Automatic fault fixing",
            explanation:
              "When our troubleshooting assistant detects a fault on your line, it can restart the line remotely, which interrupts your connection for about two minutes, or add a temporary data boost. With “Allowed” it does this straight away, usually at night, with “Ask me first” it sends you a message and waits for your OK, and with “Never” it only tells you about the fault.",
          },
          fr: {
            label: "Résolution automatique des pannes",
            explanation:
              "Lorsque notre assistant de dépannage détecte une panne sur votre ligne, il peut redémarrer la ligne à distance, ce qui coupe votre connexion environ deux minutes, ou ajouter un bonus de données temporaire. Avec « Autorisé », il le fait immédiatement, généralement la nuit ; avec « Me demander d’abord », il vous envoie un message et attend votre accord ; avec « Jamais », il vous signale seulement la panne.",
          },
          de: {
            label: "Automatische Störungsbehebung",
            explanation:
              "Erkennt unser Störungsassistent einen Fehler an Ihrer Leitung, kann er die Leitung aus der Ferne neu starten, wodurch Ihre Verbindung etwa zwei Minuten unterbrochen wird, oder vorübergehend zusätzliches Datenvolumen freischalten. Bei „Erlaubt“ geschieht das sofort, meist nachts, bei „Mich vorher fragen“ schickt er Ihnen eine Nachricht und wartet auf Ihr Okay, und bei „Nie“ informiert er Sie nur über die Störung.",
          },
          ar: {
            label: "إصلاح الأعطال تلقائيًا",
            explanation:
              "عندما يكتشف مساعد معالجة الأعطال خللًا في خطكم، يمكنه إعادة تشغيل الخط عن بُعد، مما يقطع الاتصال نحو دقيقتين، أو إضافة باقة بيانات مؤقتة. عند اختيار «مسموح» يفعل ذلك فورًا، وغالبًا ليلًا، وعند اختيار «اسألني أولًا» يرسل إليكم رسالة وينتظر موافقتكم، وعند اختيار «أبدًا» يكتفي بإبلاغكم بالعطل.",
          },
        },
      },
      {
        version: 2,
        daysAgo: 20,
        system: "network-troubleshooter",
        changeNote: {
          en: "The troubleshooting assistant can now also reset your router remotely. A reset removes custom settings such as port forwarding; your Wi-Fi name and password stay.",
          fr: "L’assistant de dépannage peut désormais aussi réinitialiser votre box à distance. Une réinitialisation efface les réglages personnalisés, comme la redirection de ports ; le nom et le mot de passe de votre Wi-Fi sont conservés.",
          de: "Der Störungsassistent kann Ihren Router jetzt auch aus der Ferne zurücksetzen. Dabei gehen eigene Einstellungen wie Portweiterleitungen verloren; WLAN-Name und Passwort bleiben erhalten.",
          ar: "أصبح بإمكان مساعد معالجة الأعطال الآن أيضًا إعادة ضبط جهاز الراوتر عن بُعد. تحذف إعادة الضبط الإعدادات الخاصة مثل إعادة توجيه المنافذ، ويبقى اسم شبكة الواي فاي وكلمة مرورها كما هما.",
        },
        texts: {
          en: {
            label: "Automatic fault fixing",
            explanation:
              "When our troubleshooting assistant detects a fault, it can restart your line, add a temporary data boost and now also reset your router remotely; a router reset removes custom settings such as port forwarding but keeps your Wi-Fi name and password. With “Allowed” it does this straight away, usually at night, with “Ask me first” it sends you a message and waits for your OK, and with “Never” it only tells you about the fault. Because this choice now covers more, we are asking you again.",
          },
          fr: {
            label: "Résolution automatique des pannes",
            explanation:
              "Lorsque notre assistant de dépannage détecte une panne, il peut redémarrer votre ligne, ajouter un bonus de données temporaire et, désormais, réinitialiser votre box à distance ; cette réinitialisation supprime les réglages personnalisés comme la redirection de ports, mais conserve le nom et le mot de passe de votre Wi-Fi. Avec « Autorisé », il agit immédiatement, généralement la nuit ; avec « Me demander d’abord », il vous envoie un message et attend votre accord ; avec « Jamais », il vous signale seulement la panne. Comme ce choix couvre désormais davantage d’actions, nous vous le demandons à nouveau.",
          },
          de: {
            label: "Automatische Störungsbehebung",
            explanation:
              "Erkennt unser Störungsassistent einen Fehler, kann er Ihre Leitung neu starten, vorübergehend zusätzliches Datenvolumen freischalten und jetzt auch Ihren Router aus der Ferne zurücksetzen; dabei gehen eigene Einstellungen wie Portfreigaben verloren, WLAN-Name und Passwort bleiben erhalten. Bei „Erlaubt“ geschieht das sofort, meist nachts, bei „Mich vorher fragen“ schickt er Ihnen eine Nachricht und wartet auf Ihr Okay, und bei „Nie“ informiert er Sie nur über die Störung. Weil diese Einstellung jetzt mehr umfasst, fragen wir Sie erneut.",
          },
          ar: {
            label: "إصلاح الأعطال تلقائيًا",
            explanation:
              "عندما يكتشف مساعد معالجة الأعطال خللًا، يمكنه إعادة تشغيل خطكم وإضافة باقة بيانات مؤقتة، وأصبح بإمكانه الآن أيضًا إعادة ضبط جهاز الراوتر عن بُعد، وهو ما يحذف الإعدادات المخصصة مثل إعادة توجيه المنافذ مع الاحتفاظ باسم شبكة الواي فاي وكلمة مرورها. عند اختيار «مسموح» يفعل ذلك فورًا، وغالبًا ليلًا، وعند اختيار «اسألني أولًا» يرسل إليكم رسالة وينتظر موافقتكم، وعند اختيار «أبدًا» يكتفي بإبلاغكم بالعطل. ولأن هذا الخيار أصبح يشمل المزيد، نطلب منكم اختياركم من جديد.",
          },
        },
      },
    ],
  },
  {
    key: "proactive-outreach",
    kind: "action",
    involvesAmount: false,
    defaultValue: "ask",
    notices: [
      {
        version: 1,
        daysAgo: 200,
        texts: {
          en: {
            label: "Contacting you first",
            explanation:
              "Our AI systems may contact you before you contact us, by SMS, app notification or email, for example about a fault in your area or an offer that could save you money; offer messages are limited to one a month. With “Allowed” we send these messages, with “Ask me first” we only place a note in your app inbox and contact you in other ways once you reply, and with “Never” we send only the messages required by law or by your contract.",
          },
          fr: {
            label: "Prise de contact à notre initiative",
            explanation:
              "Nos systèmes d’IA peuvent vous contacter avant que vous ne le fassiez, par SMS, par notification dans l’application ou par e-mail, par exemple au sujet d’une panne dans votre secteur ou d’une offre qui pourrait vous faire économiser ; les messages d’offre sont limités à un par mois. Avec « Autorisé », nous envoyons ces messages ; avec « Me demander d’abord », nous déposons seulement une note dans la messagerie de l’application et ne vous contactons autrement qu’après votre réponse ; avec « Jamais », nous n’envoyons que les messages exigés par la loi ou par votre contrat.",
          },
          de: {
            label: "Kontaktaufnahme durch uns",
            explanation:
              "Unsere KI-Systeme können sich bei Ihnen melden, bevor Sie uns kontaktieren – per SMS, App-Benachrichtigung oder E-Mail, etwa zu einer Störung in Ihrer Gegend oder zu einem Angebot, mit dem Sie sparen könnten; Angebotsnachrichten senden wir höchstens einmal im Monat. Bei „Erlaubt“ senden wir diese Nachrichten, bei „Mich vorher fragen“ legen wir nur einen Hinweis in Ihrem App-Postfach ab und melden uns auf anderen Wegen erst nach Ihrer Antwort, und bei „Nie“ erhalten Sie nur Nachrichten, die gesetzlich oder vertraglich vorgeschrieben sind.",
          },
          ar: {
            label: "التواصل معكم بمبادرة منا",
            explanation:
              "قد تتواصل معكم أنظمة الذكاء الاصطناعي لدينا قبل أن تتواصلوا معنا، عبر رسالة نصية أو إشعار في التطبيق أو بريد إلكتروني، مثلًا بشأن عطل في منطقتكم أو عرض قد يوفّر عليكم المال، ولا نرسل أكثر من رسالة عرض واحدة شهريًا. عند اختيار «مسموح» نرسل هذه الرسائل، وعند اختيار «اسألني أولًا» نكتفي بوضع إشعار في صندوق الرسائل داخل التطبيق ولا نتواصل معكم بوسائل أخرى إلا بعد ردكم، وعند اختيار «أبدًا» لا نرسل إلا الرسائل التي يقتضيها القانون أو عقدكم.",
          },
        },
      },
    ],
  },
  {
    key: "orders",
    kind: "action",
    defaultValue: "ask",
    notices: [
      {
        version: 1,
        daysAgo: 200,
        texts: {
          en: {
            label: "Orders and technician visits",
            explanation:
              "Our AI systems may order things you need at no cost to you, such as a replacement SIM card or router, or book a technician visit when a fault cannot be fixed remotely. With “Allowed” they place the order or booking and send you the details, with “Ask me first” they propose it and you confirm or choose another time, and with “Never” you order or book yourself. Nothing that costs you money is ever ordered automatically.",
          },
          fr: {
            label: "Commandes et interventions de techniciens",
            explanation:
              "Nos systèmes d’IA peuvent commander gratuitement ce dont vous avez besoin, comme une carte SIM ou une box de remplacement, ou réserver la visite d’un technicien lorsqu’une panne ne peut pas être réparée à distance. Avec « Autorisé », ils passent la commande ou la réservation et vous envoient les détails ; avec « Me demander d’abord », ils vous la proposent et vous confirmez ou choisissez un autre créneau ; avec « Jamais », vous commandez ou réservez vous-même. Rien de payant n’est jamais commandé automatiquement.",
          },
          de: {
            label: "Bestellungen und Technikertermine",
            explanation:
              "Unsere KI-Systeme können kostenlos bestellen, was Sie brauchen, etwa eine Ersatz-SIM-Karte oder einen Ersatzrouter, oder einen Technikertermin buchen, wenn sich eine Störung nicht aus der Ferne beheben lässt. Bei „Erlaubt“ geben sie die Bestellung oder Buchung auf und schicken Ihnen die Details, bei „Mich vorher fragen“ schlagen sie sie vor und Sie bestätigen oder wählen einen anderen Termin, und bei „Nie“ bestellen oder buchen Sie selbst. Kostenpflichtiges wird nie automatisch bestellt.",
          },
          ar: {
            label: "الطلبات وزيارات الفنيين",
            explanation:
              "قد تطلب أنظمة الذكاء الاصطناعي لدينا ما تحتاجون إليه دون أي تكلفة عليكم، مثل شريحة SIM أو جهاز راوتر بديل، أو تحجز زيارة فني عندما يتعذر إصلاح العطل عن بُعد. عند اختيار «مسموح» تقدّم الطلب أو الحجز وترسل إليكم التفاصيل، وعند اختيار «اسألني أولًا» تقترحه عليكم فتؤكدونه أو تختارون موعدًا آخر، وعند اختيار «أبدًا» تطلبون أو تحجزون بأنفسكم. ولا يُطلب تلقائيًا أبدًا أي شيء يترتب عليه دفع.",
          },
        },
      },
    ],
  },
  {
    key: "disclose_account_information",
    kind: "action",
    involvesAmount: false,
    defaultValue: "ask",
    notices: [
      {
        version: 1,
        daysAgo: 200,
        texts: {
          en: {
            label: "Sharing your account details",
            explanation:
              "Our chat assistant can tell you details from your account, such as your plan, your usage, your recent bills or the address we have on file, when you ask for them in a chat. With “Allowed” it gives them to you straight away, with “Ask me first” it asks you to confirm each request in this portal before it answers, and with “Never” only a member of our staff can give you these details. Your payment card details are never shared.",
          },
          fr: {
            label: "Communication des informations de votre compte",
            explanation:
              "Notre assistant de discussion peut vous communiquer des informations de votre compte, comme votre forfait, votre consommation, vos dernières factures ou l’adresse que nous avons enregistrée, lorsque vous les demandez dans une discussion. Avec « Autorisé », il vous les donne aussitôt ; avec « Me demander d’abord », il vous demande de confirmer chaque demande dans ce portail avant de répondre ; avec « Jamais », seul un membre de notre équipe peut vous donner ces informations. Les données de votre carte de paiement ne sont jamais communiquées.",
          },
          de: {
            label: "Auskunft über Ihre Kontodaten",
            explanation:
              "Unser Chat-Assistent kann Ihnen Angaben aus Ihrem Kundenkonto nennen, etwa Ihren Tarif, Ihren Verbrauch, Ihre letzten Rechnungen oder die bei uns hinterlegte Adresse, wenn Sie im Chat danach fragen. Bei „Erlaubt“ nennt er sie sofort, bei „Mich vorher fragen“ bittet er Sie, jede Anfrage zuerst in diesem Portal zu bestätigen, und bei „Nie“ erhalten Sie diese Angaben nur von unserem Team. Ihre Zahlungskartendaten gibt er nie weiter.",
          },
          ar: {
            label: "مشاركة بيانات حسابكم",
            explanation:
              "يمكن لمساعد الدردشة لدينا أن يطلعكم على بيانات من حسابكم، مثل باقتكم واستهلاككم وفواتيركم الأخيرة أو العنوان المسجّل لدينا، عندما تطلبونها في محادثة. عند اختيار «مسموح» يقدّمها لكم فورًا، وعند اختيار «اسألني أولًا» يطلب منكم تأكيد كل طلب في هذه البوابة قبل أن يجيب، وعند اختيار «أبدًا» لا يقدّم لكم هذه البيانات إلا أحد موظفينا. ولا يشارك أبدًا بيانات بطاقة الدفع الخاصة بكم.",
          },
        },
      },
    ],
  },
  {
    key: "training",
    kind: "training",
    defaultValue: "no",
    notices: [
      {
        version: 1,
        daysAgo: 200,
        texts: {
          en: {
            label: "Use my conversations to improve AI",
            explanation:
              "If you say yes, transcripts of your chats, emails and calls may be used to train and improve our AI systems after names, numbers and addresses have been removed. If you say no, they are used only to handle your requests and are deleted on the usual schedule. You can change this at any time: from then on we stop using your conversations, although models that have already been trained cannot be undone.",
          },
          fr: {
            label: "Utiliser mes échanges pour améliorer l’IA",
            explanation:
              "Si vous répondez oui, les transcriptions de vos conversations, e-mails et appels peuvent servir à entraîner et à améliorer nos systèmes d’IA, après suppression des noms, numéros et adresses. Si vous répondez non, elles servent uniquement à traiter vos demandes et sont supprimées selon les durées habituelles. Vous pouvez changer d’avis à tout moment : nous cessons alors d’utiliser vos échanges, mais les modèles déjà entraînés ne peuvent pas être modifiés rétroactivement.",
          },
          de: {
            label: "Meine Gespräche zur Verbesserung der KI nutzen",
            explanation:
              "Wenn Sie zustimmen, dürfen Transkripte Ihrer Chats, E-Mails und Anrufe zum Training und zur Verbesserung unserer KI-Systeme genutzt werden, nachdem Namen, Nummern und Adressen entfernt wurden. Wenn Sie ablehnen, nutzen wir sie nur zur Bearbeitung Ihrer Anliegen und löschen sie nach den üblichen Fristen. Sie können Ihre Wahl jederzeit ändern: Ab dann nutzen wir Ihre Gespräche nicht mehr, bereits trainierte Modelle lassen sich jedoch nicht rückgängig machen.",
          },
          ar: {
            label: "استخدام محادثاتي لتحسين الذكاء الاصطناعي",
            explanation:
              "إذا وافقتم، فقد تُستخدم نصوص محادثاتكم ورسائلكم الإلكترونية ومكالماتكم لتدريب أنظمة الذكاء الاصطناعي لدينا وتحسينها، بعد حذف الأسماء والأرقام والعناوين منها. وإذا رفضتم، فلا تُستخدم إلا لمعالجة طلباتكم وتُحذف وفق المدد المعتادة. ويمكنكم تغيير اختياركم في أي وقت، فنتوقف عندئذ عن استخدام محادثاتكم، غير أنه لا يمكن التراجع عن تدريب النماذج التي دُرّبت بالفعل.",
          },
        },
      },
    ],
  },
  {
    key: "human-first",
    kind: "human_first",
    defaultValue: "no",
    notices: [
      {
        version: 1,
        daysAgo: 200,
        texts: {
          en: {
            label: "Human first",
            explanation:
              "If you say yes, your chats, emails and calls go to a person in our customer care team first instead of to our AI assistants, which may mean longer waits at busy times. If you say no, an AI assistant answers first, and you can ask for a person at any time.",
          },
          fr: {
            label: "Un humain d’abord",
            explanation:
              "Si vous répondez oui, vos conversations, e-mails et appels sont d’abord traités par une personne de notre service client plutôt que par nos assistants IA, ce qui peut allonger l’attente aux heures chargées. Si vous répondez non, un assistant IA répond en premier, et vous pouvez demander à parler à une personne à tout moment.",
          },
          de: {
            label: "Zuerst ein Mensch",
            explanation:
              "Wenn Sie zustimmen, landen Ihre Chats, E-Mails und Anrufe zuerst bei einem Menschen in unserem Kundenservice statt bei unseren KI-Assistenten – zu Stoßzeiten kann das längere Wartezeiten bedeuten. Wenn Sie ablehnen, antwortet zuerst ein KI-Assistent, und Sie können jederzeit nach einem Menschen fragen.",
          },
          ar: {
            label: "التحدث إلى موظف أولًا",
            explanation:
              "إذا وافقتم، تصل محادثاتكم ورسائلكم الإلكترونية ومكالماتكم أولًا إلى موظف في فريق خدمة العملاء بدلًا من مساعدي الذكاء الاصطناعي، وقد يعني ذلك انتظارًا أطول في أوقات الذروة. وإذا رفضتم، يجيب مساعد ذكاء اصطناعي أولًا، ويمكنكم طلب التحدث إلى موظف في أي وقت.",
          },
        },
      },
    ],
  },
  {
    key: "identity-verification",
    kind: "identity",
    defaultValue: "yes",
    notices: [
      {
        version: 1,
        daysAgo: 200,
        texts: {
          en: {
            label: "Check that it is me first",
            explanation:
              "If you say yes, our AI systems may act on your account or share your account details only after they have checked that they are really talking to you, for example through your app login or a code sent to your phone. Without that check they do nothing, and a person helps you instead. This protects you if someone else contacts us pretending to be you. If you say no, an AI system may act or share details without this check, within your other choices.",
          },
          fr: {
            label: "Vérifier d’abord que c’est bien moi",
            explanation:
              "Si vous répondez oui, nos systèmes d’IA ne peuvent agir sur votre compte ou communiquer des informations de votre compte qu’après avoir vérifié qu’ils échangent bien avec vous, par exemple grâce à votre connexion à l’application ou à un code envoyé sur votre téléphone. Sans cette vérification, ils ne font rien et une personne vous aide à la place. Cela vous protège si quelqu’un d’autre nous contacte en se faisant passer pour vous. Si vous répondez non, un système d’IA peut agir ou communiquer ces informations sans cette vérification, dans le cadre de vos autres choix.",
          },
          de: {
            label: "Zuerst prüfen, dass ich es bin",
            explanation:
              "Wenn Sie zustimmen, dürfen unsere KI-Systeme in Ihrem Konto nur handeln oder Angaben daraus nennen, nachdem sie geprüft haben, dass sie wirklich mit Ihnen sprechen, zum Beispiel über Ihre Anmeldung in der App oder einen Code, den wir an Ihr Telefon senden. Ohne diese Prüfung tun sie nichts, und ein Mensch hilft Ihnen weiter. Das schützt Sie, wenn sich jemand anderes bei uns als Sie ausgibt. Wenn Sie ablehnen, darf ein KI-System auch ohne diese Prüfung handeln oder Angaben nennen, im Rahmen Ihrer anderen Einstellungen.",
          },
          ar: {
            label: "التحقق من هويتي أولًا",
            explanation:
              "إذا وافقتم، فلا يجوز لأنظمة الذكاء الاصطناعي لدينا أن تتخذ أي إجراء على حسابكم أو تشارك بيانات منه إلا بعد أن تتحقق من أنها تتحدث إليكم أنتم فعلًا، مثلًا عبر تسجيل دخولكم في التطبيق أو رمز نرسله إلى هاتفكم. ودون هذا التحقق لا تفعل شيئًا، ويساعدكم أحد موظفينا بدلًا منها. ويحميكم ذلك إذا تواصل معنا شخص آخر منتحلًا صفتكم. وإذا رفضتم، يجوز لنظام الذكاء الاصطناعي أن يتخذ إجراءً أو يشارك البيانات دون هذا التحقق، في حدود خياراتكم الأخرى.",
          },
        },
      },
    ],
  },
];

// ── Interaction templates ───────────────────────────────────────────────────

export const INTERACTION_TEMPLATES: Record<string, InteractionTemplate> = {
  "roaming-bill": {
    channel: "chat",
    subject: {
      en: "Roaming charges on your last bill",
      fr: "Frais d’itinérance sur votre dernière facture",
      de: "Roaming-Gebühren auf Ihrer letzten Rechnung",
      ar: "رسوم التجوال في فاتورتكم الأخيرة",
    },
    ai: [{ system: "chat-assistant", role: "answered", humanReviewed: false, trainingEligible: true }],
  },
  "slow-internet": {
    channel: "app",
    hour: 2,
    subject: {
      en: "Slow internet in the evening",
      fr: "Internet lent en soirée",
      de: "Langsames Internet am Abend",
      ar: "بطء الإنترنت في المساء",
    },
    ai: [
      {
        system: "network-troubleshooter",
        role: "acted",
        actionKey: "troubleshooting",
        actionDetail: {
          en: "Restarted your fibre line remotely at 02:10 after repeated dropouts",
          fr: "Redémarrage à distance de votre ligne fibre à 2 h 10 après des coupures répétées",
          de: "Ihre Glasfaserleitung nach wiederholten Abbrüchen um 2:10 Uhr aus der Ferne neu gestartet",
          ar: "أعاد تشغيل خط الألياف الضوئية لديكم عن بُعد في الساعة 2:10 بعد انقطاعات متكررة",
        },
        humanReviewed: false,
        trainingEligible: false,
      },
    ],
  },
  "router-reset": {
    channel: "sms",
    hour: 2,
    subject: {
      en: "Your router was reset remotely",
      fr: "Votre box a été réinitialisée à distance",
      de: "Ihr Router wurde aus der Ferne zurückgesetzt",
      ar: "أُعيد ضبط جهاز الراوتر لديكم عن بُعد",
    },
    ai: [
      {
        system: "network-troubleshooter",
        role: "acted",
        actionKey: "troubleshooting",
        actionDetail: {
          en: "Reset your router remotely after it stopped responding; Wi-Fi name and password kept, custom port forwarding removed",
          fr: "Réinitialisation à distance de votre box, qui ne répondait plus ; nom et mot de passe du Wi-Fi conservés, redirections de ports personnalisées supprimées",
          de: "Router aus der Ferne zurückgesetzt, nachdem er nicht mehr reagierte; WLAN-Name und Passwort erhalten, eigene Portfreigaben entfernt",
          ar: "أعاد ضبط جهاز الراوتر عن بُعد بعد توقفه عن الاستجابة، مع الاحتفاظ باسم شبكة الواي فاي وكلمة مرورها وحذف إعدادات إعادة توجيه المنافذ المخصصة",
        },
        humanReviewed: true,
        trainingEligible: false,
      },
    ],
  },
  "offer-email": {
    channel: "email",
    subject: {
      en: "An offer for a plan that fits your data use",
      fr: "Une offre de forfait adaptée à votre consommation de données",
      de: "Ein Tarifangebot, das zu Ihrer Datennutzung passt",
      ar: "عرض لباقة تناسب استخدامكم للبيانات",
    },
    ai: [
      { system: "offer-predictor", role: "predicted", humanReviewed: false, trainingEligible: false },
      {
        system: "offer-predictor",
        role: "acted",
        actionKey: "proactive-outreach",
        actionDetail: {
          en: "Emailed you a personal offer: Mobile 40 GB at your current price for 12 months",
          fr: "Envoi par e-mail d’une offre personnalisée : Mobile 40 Go au prix de votre forfait actuel pendant 12 mois",
          de: "Ihnen per E-Mail ein persönliches Angebot geschickt: Mobil 40 GB zum bisherigen Preis für 12 Monate",
          ar: "أرسل إليكم بالبريد الإلكتروني عرضًا شخصيًا: باقة موبايل 40 غيغابايت بسعر باقتكم الحالية لمدة 12 شهرًا",
        },
        humanReviewed: false,
        trainingEligible: false,
      },
    ],
  },
  "plan-changed": {
    channel: "app",
    subject: {
      en: "Your plan was changed to Mobile 15 GB",
      fr: "Votre forfait est passé à Mobile 15 Go",
      de: "Ihr Tarif wurde auf Mobil 15 GB umgestellt",
      ar: "تم تغيير باقتكم إلى موبايل 15 غيغابايت",
    },
    ai: [
      {
        system: "offer-predictor",
        role: "acted",
        actionKey: "plan-changes",
        actionDetail: {
          en: "Changed your plan from Mobile 40 GB to Mobile 15 GB, saving €8 a month; you used less than 10 GB in each of the last four months",
          fr: "Passage de votre forfait Mobile 40 Go à Mobile 15 Go, soit 8 € d’économie par mois ; vous avez consommé moins de 10 Go chacun des quatre derniers mois",
          de: "Ihren Tarif von Mobil 40 GB auf Mobil 15 GB umgestellt, 8 € weniger pro Monat; Sie haben in jedem der letzten vier Monate weniger als 10 GB genutzt",
          ar: "غيّر باقتكم من موبايل 40 غيغابايت إلى موبايل 15 غيغابايت بتوفير 8 يورو شهريًا، إذ استخدمتم أقل من 10 غيغابايت في كل شهر من الأشهر الأربعة الأخيرة",
        },
        humanReviewed: false,
        trainingEligible: true,
      },
    ],
  },
  "technician": {
    channel: "phone",
    subject: {
      en: "Technician visit for a fibre fault",
      fr: "Visite d’un technicien pour une panne de fibre",
      de: "Technikertermin wegen einer Glasfaserstörung",
      ar: "زيارة فني لإصلاح عطل في الألياف الضوئية",
    },
    ai: [
      {
        system: "network-troubleshooter",
        role: "acted",
        actionKey: "orders",
        actionDetail: {
          en: "Booked a technician visit for the next morning, between 08:00 and 12:00",
          fr: "Réservation de la visite d’un technicien le lendemain matin, entre 8 h et 12 h",
          de: "Technikertermin für den nächsten Vormittag zwischen 8 und 12 Uhr gebucht",
          ar: "حجز زيارة فني في صباح اليوم التالي بين الساعة الثامنة والثانية عشرة ظهرًا",
        },
        humanReviewed: true,
        trainingEligible: false,
      },
      { system: "call-summariser", role: "summarised", humanReviewed: true, trainingEligible: false },
    ],
  },
  "contract-end": {
    channel: "phone",
    subject: {
      en: "Question about your contract end date",
      fr: "Question sur la date de fin de votre contrat",
      de: "Frage zum Enddatum Ihres Vertrags",
      ar: "استفسار عن تاريخ انتهاء عقدكم",
    },
    ai: [{ system: "call-summariser", role: "summarised", humanReviewed: true, trainingEligible: true }],
  },
  "direct-debit": {
    channel: "email",
    subject: {
      en: "Direct debit collected twice",
      fr: "Prélèvement effectué deux fois",
      de: "Lastschrift doppelt eingezogen",
      ar: "خصم قيمة الفاتورة مرتين",
    },
    ai: [{ system: "email-reply-drafter", role: "drafted", humanReviewed: true, trainingEligible: true }],
  },
  "sim-replacement": {
    channel: "sms",
    subject: {
      en: "Your replacement SIM card is on its way",
      fr: "Votre carte SIM de remplacement est en route",
      de: "Ihre Ersatz-SIM-Karte ist unterwegs",
      ar: "شريحة SIM البديلة في طريقها إليكم",
    },
    ai: [
      {
        system: "network-troubleshooter",
        role: "acted",
        actionKey: "orders",
        actionDetail: {
          en: "Ordered a free replacement SIM card to your address on file after your SIM stopped connecting to the network",
          fr: "Commande d’une carte SIM de remplacement gratuite à votre adresse enregistrée, car votre SIM ne se connectait plus au réseau",
          de: "Kostenlose Ersatz-SIM-Karte an Ihre hinterlegte Adresse bestellt, weil sich Ihre SIM nicht mehr mit dem Netz verbunden hat",
          ar: "طلب شريحة SIM بديلة مجانية إلى عنوانكم المسجّل بعد أن توقفت شريحتكم عن الاتصال بالشبكة",
        },
        humanReviewed: false,
        trainingEligible: false,
      },
    ],
  },
  "payment-arrangement": {
    channel: "app",
    subject: {
      en: "Payment arrangement for your overdue bill",
      fr: "Facilité de paiement pour votre facture en retard",
      de: "Zahlungsvereinbarung für Ihre überfällige Rechnung",
      ar: "ترتيب سداد لفاتورتكم المتأخرة",
    },
    ai: [
      { system: "chat-assistant", role: "answered", humanReviewed: false, trainingEligible: false },
      {
        system: "offer-predictor",
        role: "acted",
        actionKey: "billing-arrangements",
        actionDetail: {
          en: "Split your outstanding €84.60 into three monthly payments of €28.20, with no fees",
          fr: "Répartition de votre solde de 84,60 € en trois mensualités de 28,20 €, sans frais",
          de: "Ihren offenen Betrag von 84,60 € gebührenfrei auf drei Monatsraten zu je 28,20 € aufgeteilt",
          ar: "قسّم المبلغ المستحق البالغ 84.60 يورو على ثلاث دفعات شهرية قيمة كل منها 28.20 يورو، دون رسوم",
        },
        humanReviewed: false,
        trainingEligible: false,
      },
    ],
  },
  "moving-house": {
    channel: "email",
    subject: {
      en: "Moving house: transferring your broadband",
      fr: "Déménagement : transfert de votre abonnement internet",
      de: "Umzug: Mitnahme Ihres Internetanschlusses",
      ar: "الانتقال إلى مسكن جديد: نقل اشتراك الإنترنت",
    },
    ai: [{ system: "email-reply-drafter", role: "drafted", humanReviewed: true, trainingEligible: false }],
  },
  "premium-sms": {
    channel: "chat",
    subject: {
      en: "Disputed premium SMS charge – chat passed to a person",
      fr: "Contestation de frais de SMS surtaxés – conversation transmise à un conseiller",
      de: "Strittige Premium-SMS-Gebühr – Chat an einen Menschen übergeben",
      ar: "اعتراض على رسوم رسائل نصية مميزة – إحالة المحادثة إلى موظف",
    },
    ai: [
      { system: "chat-assistant", role: "answered", humanReviewed: false, trainingEligible: true },
      { system: "chat-assistant", role: "routed", humanReviewed: true, trainingEligible: true },
    ],
  },
  "outage-boost": {
    channel: "sms",
    subject: {
      en: "Extra mobile data while your broadband is repaired",
      fr: "Données mobiles en plus pendant la réparation de votre connexion internet",
      de: "Zusätzliches mobiles Datenvolumen, bis Ihr Internetanschluss repariert ist",
      ar: "بيانات جوال إضافية ريثما يُصلَح اتصال الإنترنت المنزلي",
    },
    ai: [
      {
        system: "network-troubleshooter",
        role: "acted",
        actionKey: "proactive-outreach",
        actionDetail: {
          en: "Sent you an SMS about a cable fault in your street and the expected repair time",
          fr: "Envoi d’un SMS vous informant d’une panne de câble dans votre rue et du délai de réparation prévu",
          de: "Sie per SMS über einen Kabelschaden in Ihrer Straße und die voraussichtliche Reparaturdauer informiert",
          ar: "أرسل إليكم رسالة نصية بشأن عطل في الكابل في شارعكم والمدة المتوقعة للإصلاح",
        },
        humanReviewed: false,
        trainingEligible: false,
      },
      {
        system: "network-troubleshooter",
        role: "acted",
        actionKey: "troubleshooting",
        actionDetail: {
          en: "Added 20 GB of free mobile data for 72 hours so you can use your phone as a hotspot",
          fr: "Ajout de 20 Go de données mobiles gratuites pendant 72 heures pour que vous puissiez utiliser votre téléphone en partage de connexion",
          de: "20 GB kostenloses mobiles Datenvolumen für 72 Stunden freigeschaltet, damit Sie Ihr Handy als Hotspot nutzen können",
          ar: "أضاف 20 غيغابايت من بيانات الجوال المجانية لمدة 72 ساعة لتتمكنوا من استخدام هاتفكم نقطةَ اتصال",
        },
        humanReviewed: false,
        trainingEligible: false,
      },
    ],
  },
  "cancel-call": {
    channel: "phone",
    subject: {
      en: "Your call about cancelling your contract",
      fr: "Votre appel concernant la résiliation de votre contrat",
      de: "Ihr Anruf zur Kündigung Ihres Vertrags",
      ar: "مكالمتكم بشأن إلغاء عقدكم",
    },
    ai: [
      { system: "offer-predictor", role: "predicted", humanReviewed: true, trainingEligible: false },
      { system: "call-summariser", role: "summarised", humanReviewed: true, trainingEligible: false },
    ],
  },
  "bill-question": {
    channel: "chat",
    subject: {
      en: "Why your bill was higher this month",
      fr: "Pourquoi votre facture était plus élevée ce mois-ci",
      de: "Warum Ihre Rechnung diesen Monat höher war",
      ar: "سبب ارتفاع فاتورتكم هذا الشهر",
    },
    ai: [{ system: "chat-assistant", role: "answered", humanReviewed: false, trainingEligible: true }],
  },
  "wifi-password": {
    channel: "chat",
    subject: {
      en: "Changing your Wi-Fi password",
      fr: "Changer le mot de passe de votre Wi-Fi",
      de: "Ihr WLAN-Passwort ändern",
      ar: "تغيير كلمة مرور شبكة الواي فاي",
    },
    ai: [{ system: "chat-assistant", role: "answered", humanReviewed: false, trainingEligible: true }],
  },
  "technician-by-staff": {
    channel: "phone",
    subject: {
      en: "Technician visit booked by our team",
      fr: "Visite d’un technicien réservée par notre équipe",
      de: "Technikertermin durch unser Team gebucht",
      ar: "زيارة فني حجزها فريقنا",
    },
    ai: [{ system: "call-summariser", role: "summarised", humanReviewed: true, trainingEligible: false }],
  },
  "compensation-chat": {
    channel: "chat",
    subject: {
      en: "Compensation for your broadband outage",
      fr: "Indemnisation pour votre panne internet",
      de: "Entschädigung für Ihre Internetstörung",
      ar: "التعويض عن انقطاع الإنترنت لديكم",
    },
    ai: [{ system: "chat-assistant", role: "answered", humanReviewed: false, trainingEligible: false }],
  },
  "roaming-switzerland": {
    channel: "chat",
    subject: {
      en: "Is roaming in Switzerland included?",
      fr: "L’itinérance en Suisse est-elle incluse ?",
      de: "Ist Roaming in der Schweiz inbegriffen?",
      ar: "هل التجوال في سويسرا مشمول؟",
    },
    ai: [{ system: "chat-assistant", role: "answered", humanReviewed: false, trainingEligible: false }],
  },
  "late-payment-call": {
    channel: "phone",
    subject: {
      en: "Your call about a late payment",
      fr: "Votre appel au sujet d’un retard de paiement",
      de: "Ihr Anruf wegen einer verspäteten Zahlung",
      ar: "مكالمتكم بشأن تأخر في السداد",
    },
    ai: [{ system: "call-summariser", role: "summarised", humanReviewed: false, trainingEligible: false }],
  },
  "fault-asked": {
    channel: "sms",
    subject: {
      en: "A fault on your line: we asked you before fixing it",
      fr: "Panne sur votre ligne : nous vous avons demandé votre accord avant d’intervenir",
      de: "Störung an Ihrer Leitung: Wir haben Sie vor der Behebung gefragt",
      ar: "عطل في خطكم: سألناكم قبل إصلاحه",
    },
    ai: [{ system: "network-troubleshooter", role: "predicted", humanReviewed: false, trainingEligible: false }],
    // The choice was widened after the customer's "Allowed": until they confirm it, the system must ask.
    checks: [{ system: "network-troubleshooter", actionKey: "troubleshooting" }],
  },
};

// ── Staff messages and outcomes ─────────────────────────────────────────────

/** Public staff replies, each about the concern it answers (see DEMO_STORIES). */
export const STAFF_REPLIES: Record<"offer-explained" | "outage-details" | "roaming-refund" | "summary-corrected", StaffReplySeed> = {
  "offer-explained": {
    authorName: "Samira, Customer Care",
    body: {
      en: "Thank you for your message. The offer you received was proposed automatically by our offer assistant because your data use over the last three months was well above what your plan includes; it did not use your payment history, your age or any other personal characteristics. Other customers may see different offers because their usage is different, and you are under no obligation to accept: your current plan stays as it is unless you decide to change it.",
      fr: "Merci pour votre message. L’offre que vous avez reçue a été proposée automatiquement par notre assistant offres, car votre consommation de données des trois derniers mois dépassait nettement ce que comprend votre forfait ; il n’a utilisé ni votre historique de paiement, ni votre âge, ni aucune autre caractéristique personnelle. D’autres clients peuvent voir des offres différentes parce que leur consommation diffère, et vous n’avez aucune obligation d’accepter : votre forfait actuel reste inchangé tant que vous ne décidez pas de le modifier.",
      de: "Vielen Dank für Ihre Nachricht. Das Angebot wurde von unserem Angebotsassistenten automatisch vorgeschlagen, weil Ihre Datennutzung in den letzten drei Monaten deutlich über dem Volumen Ihres Tarifs lag; Ihre Zahlungshistorie, Ihr Alter oder andere persönliche Merkmale wurden dabei nicht berücksichtigt. Andere Kundinnen und Kunden können abweichende Angebote sehen, weil ihre Nutzung anders ist, und Sie müssen nichts annehmen: Ihr aktueller Tarif bleibt bestehen, solange Sie ihn nicht selbst ändern.",
      ar: "شكرًا على رسالتكم. اقترح مساعد العروض هذا العرض تلقائيًا لأن استخدامكم للبيانات خلال الأشهر الثلاثة الماضية تجاوز بكثير ما تشمله باقتكم، ولم يستخدم سجل مدفوعاتكم أو عمركم أو أي خصائص شخصية أخرى. وقد يرى عملاء آخرون عروضًا مختلفة لأن استخدامهم مختلف، ولا يلزمكم قبول العرض، إذ تبقى باقتكم الحالية كما هي ما لم تقرروا تغييرها.",
    },
  },
  "outage-details": {
    authorName: "Jonas, Customer Care",
    body: {
      en: "Thank you for asking for a person to look at this. I am reviewing your outage myself, independently of Nora. Our records show the fault from the first day and a technician visit booked by our team two days later, but nothing about the dropouts after that. Could you tell me on which days the line was still dropping before the technician came, and roughly at what times? I will then decide on compensation for every day the service did not work.",
      fr: "Merci d’avoir demandé qu’une personne examine votre situation. J’examine moi-même votre panne, indépendamment de Nora. Nos relevés montrent la panne dès le premier jour et la visite d’un technicien réservée par notre équipe deux jours plus tard, mais aucune trace des coupures survenues ensuite. Pourriez-vous m’indiquer les jours où la ligne coupait encore avant le passage du technicien, et à quelles heures environ ? Je déciderai ensuite de l’indemnisation pour chaque jour où le service n’a pas fonctionné.",
      de: "Vielen Dank, dass Sie eine Prüfung durch einen Menschen verlangt haben. Ich prüfe Ihre Störung selbst, unabhängig von Nora. Unsere Aufzeichnungen zeigen die Störung ab dem ersten Tag und einen Technikertermin, den unser Team zwei Tage später gebucht hat, aber nichts zu den Abbrüchen danach. Können Sie mir sagen, an welchen Tagen die Verbindung vor dem Besuch des Technikers noch abgebrochen ist, und ungefähr zu welchen Uhrzeiten? Danach entscheide ich über die Entschädigung für jeden Tag, an dem der Dienst nicht funktioniert hat.",
      ar: "شكرًا لطلبكم أن يراجع أحد موظفينا حالتكم. أراجع بنفسي العطل الذي أصاب خطكم، بشكل مستقل عن نورا. تُظهر سجلاتنا العطل منذ اليوم الأول وزيارة فني حجزها فريقنا بعد يومين، لكنها لا تتضمن شيئًا عن الانقطاعات التي حدثت بعد ذلك. هل يمكنكم إخباري بالأيام التي ظل فيها الخط ينقطع قبل مجيء الفني، وبالأوقات التقريبية لذلك؟ وسأقرر بعدها التعويض عن كل يوم لم تعمل فيه الخدمة.",
    },
  },
  "roaming-refund": {
    authorName: "Léa, Customer Care",
    body: {
      en: "You are right, and I am sorry. Switzerland is not part of the EU roaming area, so roaming there is not included in your plan, although Nora said it was. Because you relied on that answer, we are refunding the €23.40 in full; the credit will appear on your next bill. We have also corrected the help article Nora used, so that it now gives the right answer about Switzerland.",
      fr: "Vous avez raison, et je vous prie de nous en excuser. La Suisse ne fait pas partie de la zone d’itinérance de l’UE : l’itinérance n’y est donc pas incluse dans votre forfait, contrairement à ce qu’a répondu Nora. Comme vous avez fait confiance à cette réponse, nous vous remboursons intégralement les 23,40 € ; l’avoir figurera sur votre prochaine facture. Nous avons aussi corrigé l’article d’aide utilisé par Nora, qui donne désormais la bonne réponse pour la Suisse.",
      de: "Sie haben recht, und das tut mir leid. Die Schweiz gehört nicht zum EU-Roaming-Gebiet, Roaming ist dort also nicht in Ihrem Tarif enthalten – Noras Antwort war falsch. Weil Sie sich auf diese Antwort verlassen haben, erstatten wir Ihnen die 23,40 € vollständig; die Gutschrift erscheint auf Ihrer nächsten Rechnung. Außerdem haben wir den Hilfeartikel korrigiert, den Nora verwendet hat, sodass sie zur Schweiz jetzt richtig antwortet.",
      ar: "الحق معكم، ونعتذر عن ذلك. فسويسرا ليست ضمن منطقة التجوال في الاتحاد الأوروبي، ولذلك فالتجوال فيها غير مشمول في باقتكم، خلافًا لما ذكرته نورا. ولأنكم اعتمدتم على تلك الإجابة، سنرد إليكم مبلغ 23.40 يورو كاملًا، وسيظهر الرصيد في فاتورتكم القادمة. كما صحّحنا مقالة المساعدة التي استخدمتها نورا، فأصبحت تقدّم الإجابة الصحيحة بشأن سويسرا.",
    },
  },
  "summary-corrected": {
    authorName: "Karim, Data Protection",
    body: {
      en: "Thank you for telling us. I have removed the mention of your hospital stay from the summary of your call about the late payment; the corrected summary now only says that the payment was delayed. Until the correction, the summary could be seen by the customer care agents who opened your account; it was not shared outside Nordlys Telecom. We also keep the recording of the call for 30 days: would you like us to delete it now?",
      fr: "Merci de nous l’avoir signalé. J’ai supprimé la mention de votre séjour à l’hôpital du résumé de votre appel concernant le retard de paiement ; le résumé corrigé indique seulement que le paiement a été retardé. Jusqu’à cette correction, le résumé pouvait être consulté par les conseillers du service client qui ont ouvert votre dossier ; il n’a pas été communiqué en dehors de Nordlys Telecom. Nous conservons aussi l’enregistrement de l’appel pendant 30 jours : souhaitez-vous que nous le supprimions dès maintenant ?",
      de: "Vielen Dank für Ihren Hinweis. Ich habe die Erwähnung Ihres Krankenhausaufenthalts aus der Zusammenfassung Ihres Anrufs zur verspäteten Zahlung entfernt; die korrigierte Zusammenfassung sagt nur noch, dass sich die Zahlung verzögert hat. Bis zur Korrektur konnten die Mitarbeitenden im Kundenservice, die Ihr Konto geöffnet haben, die Zusammenfassung sehen; sie wurde nicht außerhalb von Nordlys Telecom weitergegeben. Die Aufzeichnung des Anrufs bewahren wir 30 Tage auf: Sollen wir sie jetzt löschen?",
      ar: "شكرًا لإبلاغنا. لقد حذفت الإشارة إلى إقامتكم في المستشفى من ملخص مكالمتكم بشأن التأخر في السداد، وأصبح الملخص المصحَّح يذكر فقط أن السداد تأخر. وحتى هذا التصحيح، كان بإمكان موظفي خدمة العملاء الذين فتحوا حسابكم الاطلاع على الملخص، ولم يُشارَك خارج نوردليس تيليكوم. كما نحتفظ بتسجيل المكالمة لمدة 30 يومًا: هل تريدون أن نحذفه الآن؟",
    },
  },
};

/** Outcome reasons of resolved concerns. Any choice they quote must be the customer's actual value. */
export const OUTCOME_REASONS: Record<"offer-explained" | "roaming-refunded", Record<Lang, string>> = {
  "offer-explained": {
    en: "We explained how your offer was chosen: our offer assistant proposed Mobile 40 GB at your current price only because your data use over the last three months was well above what your plan includes. It did not use your payment history, your age or any other personal characteristics, and your plan was not changed. Since then you have set “Contacting you first” to “Never”, so our AI systems no longer send you offers.",
    fr: "Nous vous avons expliqué comment votre offre a été choisie : notre assistant offres vous a proposé Mobile 40 Go au prix de votre forfait actuel uniquement parce que votre consommation de données des trois derniers mois dépassait nettement ce que comprend votre forfait. Il n’a utilisé ni votre historique de paiement, ni votre âge, ni aucune autre caractéristique personnelle, et votre forfait n’a pas été modifié. Depuis, vous avez réglé « Prise de contact à notre initiative » sur « Jamais » : nos systèmes d’IA ne vous envoient donc plus d’offres.",
    de: "Wir haben Ihnen erklärt, wie Ihr Angebot zustande kam: Unser Angebotsassistent hat Ihnen Mobil 40 GB zum bisherigen Preis nur deshalb vorgeschlagen, weil Ihre Datennutzung in den letzten drei Monaten deutlich über dem Volumen Ihres Tarifs lag. Ihre Zahlungshistorie, Ihr Alter oder andere persönliche Merkmale wurden nicht verwendet, und Ihr Tarif wurde nicht geändert. Inzwischen haben Sie „Kontaktaufnahme durch uns“ auf „Nie“ gesetzt; unsere KI-Systeme schicken Ihnen daher keine Angebote mehr.",
    ar: "شرحنا لكم طريقة اختيار العرض المقدَّم لكم: فقد اقترح عليكم مساعد العروض باقة موبايل 40 غيغابايت بسعر باقتكم الحالية فقط لأن استخدامكم للبيانات خلال الأشهر الثلاثة الماضية تجاوز بكثير ما تشمله باقتكم. ولم يستخدم سجل مدفوعاتكم أو عمركم أو أي خصائص شخصية أخرى، ولم تتغير باقتكم. ومنذ ذلك الحين ضبطتم خيار «التواصل معكم بمبادرة منا» على «أبدًا»، فلم تعد أنظمة الذكاء الاصطناعي لدينا ترسل إليكم عروضًا.",
  },
  "roaming-refunded": {
    en: "Upheld: Nora’s answer about roaming in Switzerland was wrong. We refunded the €23.40 roaming charges as a credit on your next bill and corrected the help article Nora relies on.",
    fr: "Demande fondée : la réponse de Nora sur l’itinérance en Suisse était erronée. Nous vous avons remboursé les 23,40 € de frais d’itinérance sous forme d’avoir sur votre prochaine facture et avons corrigé l’article d’aide sur lequel s’appuie Nora.",
    de: "Berechtigt: Noras Antwort zum Roaming in der Schweiz war falsch. Wir haben Ihnen die 23,40 € Roaming-Gebühren als Gutschrift auf Ihrer nächsten Rechnung erstattet und den Hilfeartikel korrigiert, auf den sich Nora stützt.",
    ar: "الشكوى مقبولة: كانت إجابة نورا بشأن التجوال في سويسرا خاطئة. وقد رددنا إليكم رسوم التجوال البالغة 23.40 يورو رصيدًا في فاتورتكم القادمة، وصحّحنا مقالة المساعدة التي تعتمد عليها نورا.",
  },
};

/** What customers wrote back in a conversation. */
export const CUSTOMER_REPLIES: Record<"delete-recording", Record<Lang, string>> = {
  "delete-recording": {
    en: "Yes, please delete the recording as well. Thank you for removing my hospital stay from the summary.",
    fr: "Oui, supprimez aussi l’enregistrement, s’il vous plaît. Merci d’avoir retiré mon séjour à l’hôpital du résumé.",
    de: "Ja, bitte löschen Sie auch die Aufzeichnung. Danke, dass Sie meinen Krankenhausaufenthalt aus der Zusammenfassung entfernt haben.",
    ar: "نعم، أرجو حذف التسجيل أيضًا. وشكرًا لحذف إقامتي في المستشفى من الملخص.",
  },
};

// ── Customer concerns ───────────────────────────────────────────────────────

export const CONCERN_TEXTS: ConcernSeed[] = [
  {
    kind: "explanation",
    description: {
      en: "Last week I got an email offering me Mobile 40 GB at my current price for 12 months. My partner has the same plan and was offered a bigger discount. I’d like to understand why the system offered me this and what information about me it used.",
      fr: "La semaine dernière, j’ai reçu un e-mail me proposant Mobile 40 Go au prix de mon forfait actuel pendant 12 mois. Mon conjoint a le même forfait et s’est vu proposer une remise plus importante. J’aimerais comprendre pourquoi le système m’a fait cette offre et quelles informations me concernant il a utilisées.",
      de: "Letzte Woche habe ich per E-Mail ein Angebot für Mobil 40 GB zum bisherigen Preis für 12 Monate bekommen. Mein Partner hat denselben Tarif und hat einen höheren Rabatt angeboten bekommen. Ich möchte verstehen, warum das System mir dieses Angebot gemacht hat und welche Daten über mich es dafür verwendet hat.",
      ar: "تلقيت الأسبوع الماضي رسالة بالبريد الإلكتروني تعرض عليّ باقة موبايل 40 غيغابايت بسعر باقتي الحالية لمدة 12 شهرًا. ولدى زوجي الباقة نفسها، وقد عُرض عليه خصم أكبر. أودّ أن أفهم لماذا قدّم لي النظام هذا العرض، وما المعلومات التي استخدمها عني.",
    },
    desiredOutcome: {
      en: "A clear explanation of how my offer was chosen and which data was used.",
      fr: "Une explication claire de la manière dont mon offre a été choisie et des données utilisées.",
      de: "Eine verständliche Erklärung, wie mein Angebot ausgewählt wurde und welche Daten dabei genutzt wurden.",
      ar: "شرح واضح لطريقة اختيار العرض المقدَّم لي والبيانات التي استُخدمت.",
    },
  },
  {
    kind: "human_review",
    description: {
      en: "My home internet was down for four days last month, but Nora told me I’m only entitled to compensation for two days because the fault was “resolved” on the second day. The line kept dropping until the technician came. I’d like a person, not the chat assistant, to look at the outage record and decide.",
      fr: "Ma connexion internet à la maison a été coupée pendant quatre jours le mois dernier, mais Nora m’a dit que je n’avais droit à une indemnisation que pour deux jours, car la panne avait été « résolue » le deuxième jour. La ligne a continué à couper jusqu’au passage du technicien. Je souhaite qu’une personne, et non l’assistante de chat, examine l’historique de la panne et prenne la décision.",
      de: "Mein Internetanschluss zu Hause war letzten Monat vier Tage lang gestört, aber Nora hat mir gesagt, dass mir nur für zwei Tage eine Entschädigung zusteht, weil die Störung am zweiten Tag „behoben“ gewesen sei. Die Verbindung ist aber bis zum Besuch des Technikers immer wieder abgebrochen. Ich möchte, dass ein Mensch und nicht die Chat-Assistentin sich den Störungsverlauf ansieht und entscheidet.",
      ar: "انقطع الإنترنت المنزلي لديّ أربعة أيام في الشهر الماضي، لكن نورا أخبرتني بأنني لا أستحق تعويضًا إلا عن يومين لأن العطل «حُلّ» في اليوم الثاني. غير أن الاتصال ظل ينقطع حتى جاء الفني. أريد أن يراجع موظف، لا مساعدة الدردشة، سجل العطل ويتخذ القرار.",
    },
    desiredOutcome: {
      en: "A staff member reviews the outage and compensates me for all four days.",
      fr: "Un examen de la panne par une personne et une indemnisation pour les quatre jours.",
      de: "Eine Prüfung der Störung durch einen Menschen und eine Entschädigung für alle vier Tage.",
      ar: "أن يراجع موظف العطل، وأن أحصل على تعويض عن الأيام الأربعة كلها.",
    },
  },
  {
    kind: "unwanted_action",
    description: {
      en: "Early one morning last week my router was reset automatically, and my home security camera stopped working because the port-forwarding settings were gone. I didn’t realise the system could do this; I thought it only restarted the line. I don’t want my router reset without being asked.",
      fr: "La semaine dernière, tôt le matin, ma box a été réinitialisée automatiquement et ma caméra de surveillance a cessé de fonctionner, car les redirections de ports avaient disparu. Je ne savais pas que le système pouvait faire cela ; je pensais qu’il se contentait de redémarrer la ligne. Je ne veux pas que ma box soit réinitialisée sans qu’on me demande mon accord.",
      de: "Letzte Woche wurde mein Router in den frühen Morgenstunden automatisch zurückgesetzt, und meine Überwachungskamera funktionierte nicht mehr, weil die Portfreigaben weg waren. Mir war nicht klar, dass das System so etwas tun kann; ich dachte, es startet nur die Leitung neu. Ich möchte nicht, dass mein Router ohne Nachfrage zurückgesetzt wird.",
      ar: "في ساعات الصباح الأولى من أحد أيام الأسبوع الماضي، أُعيد ضبط جهاز الراوتر لديّ تلقائيًا، فتوقفت كاميرا المراقبة في منزلي عن العمل لأن إعدادات إعادة توجيه المنافذ حُذفت. لم أكن أعلم أن النظام يستطيع فعل ذلك، وظننت أنه يعيد تشغيل الخط فقط. لا أريد أن يُعاد ضبط الراوتر دون سؤالي.",
    },
    desiredOutcome: {
      en: "Ask me before any router reset in future, and help me restore my settings.",
      fr: "Qu’on me demande mon accord avant toute réinitialisation de ma box, et de l’aide pour rétablir mes réglages.",
      de: "Künftig vor jedem Zurücksetzen des Routers gefragt werden und Hilfe beim Wiederherstellen meiner Einstellungen bekommen.",
      ar: "أن تسألوني قبل أي إعادة ضبط للراوتر في المستقبل، وأن تساعدوني على استعادة إعداداتي.",
    },
  },
  {
    kind: "wrong_information",
    description: {
      en: "Before my trip to Switzerland I asked Nora whether roaming there was included in my plan, and it said yes. My bill now shows €23.40 in roaming charges for Switzerland. I relied on that answer and would not have used mobile data otherwise.",
      fr: "Avant mon voyage en Suisse, j’ai demandé à Nora si l’itinérance y était incluse dans mon forfait, et elle m’a répondu que oui. Ma facture indique maintenant 23,40 € de frais d’itinérance pour la Suisse. J’ai fait confiance à cette réponse, sans quoi je n’aurais pas utilisé les données mobiles.",
      de: "Vor meiner Reise in die Schweiz habe ich Nora gefragt, ob Roaming dort in meinem Tarif enthalten ist, und sie hat Ja gesagt. Auf meiner Rechnung stehen jetzt 23,40 € Roaming-Gebühren für die Schweiz. Ich habe mich auf diese Antwort verlassen und hätte sonst keine mobilen Daten genutzt.",
      ar: "قبل سفري إلى سويسرا سألت نورا عمّا إذا كان التجوال هناك مشمولًا في باقتي، فأجابت بنعم. والآن تظهر في فاتورتي رسوم تجوال في سويسرا قدرها 23.40 يورو. لقد اعتمدت على تلك الإجابة، ولولاها لما استخدمت بيانات الجوال.",
    },
    desiredOutcome: {
      en: "A refund of the €23.40 and a correction of the answer so that others are not misled.",
      fr: "Le remboursement des 23,40 € et la correction de la réponse, pour que d’autres clients ne soient pas induits en erreur.",
      de: "Eine Erstattung der 23,40 € und eine Korrektur der Antwort, damit andere nicht falsch informiert werden.",
      ar: "استرداد مبلغ 23.40 يورو وتصحيح الإجابة حتى لا يُضلَّل عملاء آخرون.",
    },
  },
  {
    kind: "privacy",
    description: {
      en: "When I called about a late payment, I explained that I had been in hospital. I can now see in my account that the call summary mentions my hospital stay. I only said this to explain the delay, and I don’t want it stored in my customer record.",
      fr: "Lorsque j’ai appelé au sujet d’un retard de paiement, j’ai expliqué que j’avais fait un séjour à l’hôpital. Je vois maintenant dans mon espace client que le résumé de l’appel mentionne ce séjour. Je l’ai dit uniquement pour expliquer le retard, et je ne veux pas que cela soit conservé dans mon dossier client.",
      de: "Als ich wegen einer verspäteten Zahlung angerufen habe, habe ich erklärt, dass ich im Krankenhaus war. Jetzt sehe ich in meinem Kundenkonto, dass die Gesprächszusammenfassung meinen Krankenhausaufenthalt erwähnt. Das habe ich nur gesagt, um die Verspätung zu erklären, und ich möchte nicht, dass es in meiner Kundenakte gespeichert bleibt.",
      ar: "عندما اتصلت بشأن تأخر في السداد، أوضحت أنني كنت في المستشفى. والآن أرى في حسابي أن ملخص المكالمة يذكر إقامتي في المستشفى. لقد ذكرت ذلك فقط لتفسير التأخير، ولا أريد أن يُحفظ في سجلي لدى خدمة العملاء.",
    },
    desiredOutcome: {
      en: "Remove the health details from the summary and tell me who has been able to see them.",
      fr: "La suppression des informations de santé du résumé, et savoir qui a pu les consulter.",
      de: "Die Gesundheitsangaben aus der Zusammenfassung löschen und mir sagen, wer sie einsehen konnte.",
      ar: "حذف المعلومات الصحية من الملخص وإبلاغي بمن استطاع الاطلاع عليها.",
    },
  },
  {
    kind: "not_told_ai",
    description: {
      en: "I exchanged several emails with customer service about moving house, and only today did I learn from this page that the replies were drafted with AI. Nothing in the emails said so. I would like to know whether a person actually read my emails.",
      fr: "J’ai échangé plusieurs e-mails avec le service client au sujet de mon déménagement, et ce n’est qu’aujourd’hui, sur cette page, que j’ai appris que les réponses avaient été rédigées avec l’IA. Rien dans les e-mails ne l’indiquait. J’aimerais savoir si une personne a réellement lu mes e-mails.",
      de: "Ich habe mit dem Kundenservice mehrere E-Mails zu meinem Umzug ausgetauscht und erst heute auf dieser Seite erfahren, dass die Antworten mit KI entworfen wurden. In den E-Mails stand davon nichts. Ich möchte wissen, ob ein Mensch meine E-Mails wirklich gelesen hat.",
      ar: "تبادلت عدة رسائل بالبريد الإلكتروني مع خدمة العملاء بشأن انتقالي إلى مسكن جديد، ولم أعلم إلا اليوم من هذه الصفحة أن مسودات الردود كُتبت بالذكاء الاصطناعي. ولم يرد في الرسائل ما يشير إلى ذلك. أودّ أن أعرف هل قرأ شخصٌ رسائلي فعلًا.",
    },
    desiredOutcome: {
      en: "Confirmation that a person read and sent the replies, and a clear note in future emails when AI helped write them.",
      fr: "La confirmation qu’une personne a lu et envoyé les réponses, et une mention claire dans les prochains e-mails lorsque l’IA a aidé à les rédiger.",
      de: "Eine Bestätigung, dass ein Mensch die Antworten gelesen und verschickt hat, und künftig einen klaren Hinweis in E-Mails, wenn KI beim Schreiben geholfen hat.",
      ar: "تأكيد أن شخصًا قرأ الردود وأرسلها، وإشارة واضحة في الرسائل المقبلة عندما يساعد الذكاء الاصطناعي في كتابتها.",
    },
  },
];

// ── The two demo customers' stories ────────────────────────────────────────

/**
 * One customer's history, in the order it happened. The seed replays it chronologically, so each
 * decision check sees the choices the customer had at that moment; an AI that "acted" must have
 * been allowed, and a concern names the interaction and AI system it is about.
 */
export interface CustomerStory {
  id: string;
  email: string;
  locale: Lang;
  /** Choices the customer saved on the portal, with when. */
  choices: { daysAgo: number; values: Record<string, string> }[];
  /** Interactions (see INTERACTION_TEMPLATES); `label` lets a concern refer to one. */
  interactions: { daysAgo: number; template: string; label?: string }[];
  concerns: ConcernStory[];
}

export interface ConcernStory {
  kind: ConcernSeed["kind"];
  /** The label of the interaction it is about; its AI system must be involved in that interaction. */
  interaction: string;
  system: string;
  contactMethod: "email" | "portal";
  filedDaysAgo: number;
  reply?: { daysAgo: number; text: keyof typeof STAFF_REPLIES; internalNote?: string };
  /** Where the concern stands today. */
  state: "new" | "waiting_customer" | "resolved";
  customerReply?: { daysAgo: number; text: keyof typeof CUSTOMER_REPLIES };
  outcome?: { daysAgo: number; code: "upheld" | "partly_upheld" | "not_upheld" | "explained" | "action_reversed"; reason: keyof typeof OUTCOME_REASONS };
}

export const DEMO_STORIES: CustomerStory[] = [
  {
    // Alex lets the troubleshooter fix faults and (until the offer email) let us contact them first;
    // never lets AI change the plan; never chose about orders, so those stay at "Ask me first".
    id: "demo-customer-1",
    email: "alex.morgan@example.com",
    locale: "en",
    choices: [
      { daysAgo: 170, values: { "plan-changes": "never", troubleshooting: "allow", "proactive-outreach": "allow", training: "no" } },
      { daysAgo: 100, values: { "billing-arrangements": "allow" } },
      // After the offer email they asked about: no more contact on our initiative.
      { daysAgo: 42, values: { "proactive-outreach": "never" } },
      // Confirmed "Allowed" under the widened notice (router resets) published 20 days ago.
      { daysAgo: 18, values: { troubleshooting: "allow" } },
    ],
    interactions: [
      { daysAgo: 166, template: "contract-end" },
      { daysAgo: 159, template: "slow-internet" },
      { daysAgo: 152, template: "direct-debit" },
      { daysAgo: 145, template: "premium-sms" },
      { daysAgo: 138, template: "slow-internet" },
      { daysAgo: 131, template: "wifi-password" },
      { daysAgo: 124, template: "roaming-bill" },
      { daysAgo: 117, template: "cancel-call" },
      { daysAgo: 110, template: "slow-internet" },
      { daysAgo: 97, template: "payment-arrangement" },
      { daysAgo: 90, template: "bill-question" },
      { daysAgo: 83, template: "slow-internet" },
      { daysAgo: 74, template: "moving-house" },
      { daysAgo: 66, template: "slow-internet" },
      { daysAgo: 52, template: "outage-boost" },
      // Orders are "Ask me first" for Alex, so a person booked the technician.
      { daysAgo: 50, template: "technician-by-staff" },
      { daysAgo: 47, template: "offer-email", label: "offer" },
      { daysAgo: 33, template: "compensation-chat", label: "compensation" },
      { daysAgo: 25, template: "bill-question" },
      { daysAgo: 14, template: "wifi-password" },
      { daysAgo: 9, template: "router-reset", label: "router-reset" },
      { daysAgo: 2, template: "roaming-bill" },
    ],
    concerns: [
      {
        kind: "explanation",
        interaction: "offer",
        system: "offer-predictor",
        contactMethod: "email",
        filedDaysAgo: 44,
        reply: { daysAgo: 43, text: "offer-explained" },
        state: "resolved",
        outcome: { daysAgo: 41, code: "explained", reason: "offer-explained" },
      },
      {
        kind: "human_review",
        interaction: "compensation",
        system: "chat-assistant",
        contactMethod: "portal",
        filedDaysAgo: 30,
        reply: { daysAgo: 29, text: "outage-details", internalNote: "Internal: the outage ticket shows the fault from day 1 and the technician visit on day 3; nothing logged about the dropouts in between. Waiting for the customer's dates." },
        state: "waiting_customer",
      },
      { kind: "unwanted_action", interaction: "router-reset", system: "network-troubleshooter", contactMethod: "portal", filedDaysAgo: 4, state: "new" },
    ],
  },
  {
    // Camille lets AI order free replacements and fix faults (plan changes stay at the default,
    // "Ask me first", so the offer assistant has changed nothing); she has not yet
    // confirmed the widened fault-fixing notice, so the troubleshooter now asks her first. After
    // Nora's wrong roaming answer she chose to reach a person first.
    id: "demo-customer-2",
    email: "camille.durand@example.fr",
    locale: "fr",
    choices: [
      { daysAgo: 175, values: { orders: "allow", troubleshooting: "allow", training: "yes" } },
      { daysAgo: 60, values: { training: "no" } },
      { daysAgo: 27, values: { "human-first": "yes" } },
    ],
    interactions: [
      { daysAgo: 172, template: "bill-question" },
      { daysAgo: 165, template: "slow-internet" },
      { daysAgo: 158, template: "technician" },
      { daysAgo: 151, template: "wifi-password" },
      { daysAgo: 144, template: "sim-replacement" },
      { daysAgo: 137, template: "direct-debit" },
      { daysAgo: 130, template: "slow-internet" },
      { daysAgo: 123, template: "premium-sms" },
      { daysAgo: 116, template: "bill-question" },
      { daysAgo: 109, template: "moving-house" },
      { daysAgo: 102, template: "contract-end" },
      { daysAgo: 95, template: "slow-internet" },
      { daysAgo: 88, template: "bill-question" },
      { daysAgo: 74, template: "slow-internet" },
      { daysAgo: 67, template: "cancel-call" },
      { daysAgo: 52, template: "slow-internet" },
      { daysAgo: 45, template: "roaming-switzerland", label: "roaming-answer" },
      { daysAgo: 38, template: "slow-internet" },
      { daysAgo: 31, template: "roaming-bill" },
      { daysAgo: 16, template: "late-payment-call", label: "late-payment" },
      { daysAgo: 6, template: "fault-asked" },
    ],
    concerns: [
      {
        kind: "wrong_information",
        interaction: "roaming-answer",
        system: "chat-assistant",
        contactMethod: "portal",
        filedDaysAgo: 30,
        reply: { daysAgo: 29, text: "roaming-refund" },
        state: "resolved",
        outcome: { daysAgo: 28, code: "upheld", reason: "roaming-refunded" },
      },
      {
        kind: "privacy",
        interaction: "late-payment",
        system: "call-summariser",
        contactMethod: "portal",
        filedDaysAgo: 12,
        reply: { daysAgo: 11, text: "summary-corrected", internalNote: "Internal: summary corrected and the health detail removed from the CRM copy; asked whether to delete the recording too." },
        state: "waiting_customer",
        customerReply: { daysAgo: 10, text: "delete-recording" },
      },
    ],
  },
];
