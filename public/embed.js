/*
 * Candor help-center embed (SPEC §6). On the host page:
 *   <div data-candor-embed data-site="your-site" data-page="concerns/new"></div>
 *   <script src="https://portal.example/embed.js" async></script>
 * Optional attributes: data-lang (else the host page's <html lang>, else the browser's
 * languages), data-token (a short-lived customer token signed by the site's backend), data-title
 * (the frame's accessible name).
 * The frame's height follows its content through postMessage, accepted only from the portal's
 * origin and only from that frame's own window.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var portal = new URL(script.src).origin;
  // The portal's languages (app/utils/languages.ts) and the frame's accessible name in each
  // (locales/<lang>/embed.json frameTitle); test/unit/embed-script.test.ts keeps them in step.
  var LANGS = [
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it",
    "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "ar", "tr", "uk",
  ];
  var TITLES = {
    bg: "ИИ в обслужването на клиенти",
    cs: "AI v zákaznické péči",
    da: "AI i kundeservice",
    de: "KI im Kundenservice",
    el: "ΤΝ στην εξυπηρέτηση πελατών",
    en: "AI in customer service",
    es: "La IA en la atención al cliente",
    et: "TI klienditeeninduses",
    fi: "Tekoäly asiakaspalvelussa",
    fr: "L’IA dans le service client",
    ga: "IS sa tseirbhís do chustaiméirí",
    hr: "UI u korisničkoj podršci",
    hu: "MI az ügyfélszolgálatban",
    it: "L'IA nel servizio clienti",
    lt: "DI klientų aptarnavime",
    lv: "MI klientu apkalpošanā",
    mt: "L-IA fis-servizz tal-klijenti",
    nl: "AI in de klantenservice",
    pl: "AI w obsłudze klienta",
    pt: "A IA no apoio ao cliente",
    ro: "IA în relația cu clienții",
    sk: "AI v zákazníckom servise",
    sl: "UI v podpori strankam",
    sv: "AI i kundtjänsten",
    ar: "الذكاء الاصطناعي في خدمة العملاء",
    tr: "Müşteri hizmetlerinde yapay zekâ",
    uk: "ШІ в обслуговуванні клієнтів",
  };

  // The first of the wanted languages Candor has, each tried as written and then with its last
  // subtag dropped (pt-BR → pt, zh-Hant-TW → zh-Hant → zh) — the portal's negotiateLanguage.
  function pickLang(wanted) {
    for (var i = 0; i < wanted.length; i++) {
      var tag = String(wanted[i] || "").trim().toLowerCase().replace(/_/g, "-");
      while (tag) {
        if (LANGS.indexOf(tag) >= 0) return tag;
        tag = tag.replace(/-?[^-]*$/, "");
      }
    }
    return "";
  }

  function mount(container) {
    if (container.getAttribute("data-candor-mounted")) return;
    container.setAttribute("data-candor-mounted", "1");
    var site = container.getAttribute("data-site");
    if (!site || !/^[a-z0-9-]{1,40}$/.test(site)) return;
    // data-lang, else the host page's language, else the visitor's browser languages, else English.
    var wanted = [container.getAttribute("data-lang"), document.documentElement.lang].concat(navigator.languages || []);
    var lang = pickLang(wanted) || "en";
    var page = (container.getAttribute("data-page") || "").replace(/^\/+|\/+$/g, "");
    if (!/^[a-z0-9/-]*$/i.test(page)) page = "";
    var src = new URL("/embed/" + site + "/" + lang + (page ? "/" + page : ""), portal);
    var token = container.getAttribute("data-token");
    if (token) src.searchParams.set("token", token);

    var frame = document.createElement("iframe");
    frame.src = src.href;
    frame.title = container.getAttribute("data-title") || TITLES[lang];
    frame.setAttribute("referrerpolicy", "strict-origin");
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.display = "block";
    frame.style.height = "600px";
    container.appendChild(frame);

    window.addEventListener("message", function (event) {
      // Only the portal, and only this very frame, may resize it.
      if (event.origin !== portal || event.source !== frame.contentWindow) return;
      var data = event.data;
      if (!data || data.type !== "candor:resize" || typeof data.height !== "number") return;
      var height = Math.max(150, Math.min(Math.ceil(data.height), 20000));
      frame.style.height = height + "px";
    });
  }

  function mountAll() {
    var containers = document.querySelectorAll("[data-candor-embed]");
    for (var i = 0; i < containers.length; i++) mount(containers[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
