import { describe, expect, it } from "vitest";
import { LANGUAGES, LANGUAGE_NAMES, matchLanguage, negotiateLanguage, parseAcceptLanguage, pathInLanguage, STAFF_LANGUAGES, textDirection } from "../../app/utils/languages";

describe("negotiateLanguage", () => {
  it.each([
    ["es,fr", "es"],
    ["pt-BR,pt;q=0.9,de;q=0.8", "pt"],
    ["nb-NO, sv;q=0.8, da;q=0.9", "da"],
    ["ja, zh;q=0.9, pl;q=0.1", "pl"],
    ["el-GR", "el"],
    ["uk-UA,ru;q=0.9,en;q=0.8", "uk"],
    ["ga-IE;q=0.5, mt;q=0.6", "mt"],
    ["tr-TR;q=0", "en"],
    ["fr-CA", "fr"],
    ["de-AT,de;q=0.9,en;q=0.5", "de"],
    ["ar-EG;q=0.7, ja, ko;q=0.9", "ar"],
    ["en;q=0.2, fr;q=0.9", "fr"],
    ["fr;q=0, de;q=0.1", "de"],
    ["fr-CH, de", "fr"],
    ["zh-Hant-TW, de-CH;q=0.5", "de"],
    ["xx, *;q=0.5", "en"],
    ["en;q=0, *", "bg"],
    ["ES , FR-be", "es"],
    ["de_DE", "de"],
    ["fr;q=2, de", "de"],
    ["fr;q=abc, ar", "ar"],
    ["ja", "en"],
    ["", "en"],
  ])("%j → %s", (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });

  it("falls back to English without a header", () => {
    expect(negotiateLanguage(null)).toBe("en");
    expect(negotiateLanguage(undefined)).toBe("en");
  });

  it("keeps the visitor's order among equal q-values", () => {
    expect(parseAcceptLanguage("es, fr;q=0.5, de;q=0.5, ar").map((r) => r.tag)).toEqual(["es", "ar", "fr", "de"]);
  });
});

describe("matchLanguage", () => {
  it.each([
    ["fr-CA", "fr"],
    ["DE_at", "de"],
    ["ar-Arab-EG", "ar"],
    ["en", "en"],
    ["pt-BR", "pt"],
    ["no", null],
    ["", null],
    [null, null],
  ])("%j → %j", (tag, expected) => {
    expect(matchLanguage(tag)).toBe(expected);
  });
});

describe("the 27 languages", () => {
  it("are the 24 official EU languages, Arabic, Turkish and Ukrainian, each named in itself", () => {
    expect([...LANGUAGES].sort()).toEqual("ar bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv tr uk".split(" "));
    for (const lang of LANGUAGES) {
      // The switcher's name is the language's own name for itself (ICU's, capitalised as a menu item).
      const own = new Intl.DisplayNames([lang], { type: "language" }).of(lang)!;
      expect(LANGUAGE_NAMES[lang].toLocaleLowerCase(lang), lang).toBe(own.toLocaleLowerCase(lang));
    }
  });

  it("only Arabic is written right to left", () => {
    expect(LANGUAGES.filter((l) => textDirection(l) === "rtl")).toEqual(["ar"]);
  });

  it("keeps the page when switching language", () => {
    expect(pathInLanguage("/fi/me/preferences", "el")).toBe("/el/me/preferences");
    expect(pathInLanguage("/ga", "mt")).toBe("/mt");
  });

  it("the staff console negotiates among its own languages only", () => {
    expect(negotiateLanguage("fi, sv;q=0.9, de;q=0.5", STAFF_LANGUAGES)).toBe("de");
    expect(negotiateLanguage("fi", STAFF_LANGUAGES)).toBe("en");
    expect(negotiateLanguage("pl-PL", STAFF_LANGUAGES)).toBe("pl");
    expect(matchLanguage("fi-FI", STAFF_LANGUAGES)).toBeNull();
  });
});
