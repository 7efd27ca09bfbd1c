import { describe, expect, it } from "vitest";
import { matchLanguage, negotiateLanguage, parseAcceptLanguage } from "../../app/utils/languages";

describe("negotiateLanguage", () => {
  it.each([
    ["es,fr", "fr"],
    ["pt-BR,pt;q=0.9,de;q=0.8", "de"],
    ["fr-CA", "fr"],
    ["de-AT,de;q=0.9,en;q=0.5", "de"],
    ["ar-EG;q=0.7, ja, ko;q=0.9", "ar"],
    ["en;q=0.2, fr;q=0.9", "fr"],
    ["fr;q=0, de;q=0.1", "de"],
    ["fr-CH, de", "fr"],
    ["zh-Hant-TW, de-CH;q=0.5", "de"],
    ["es, *;q=0.5", "en"],
    ["en;q=0, *", "fr"],
    ["ES , FR-be", "fr"],
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
    ["pt-BR", null],
    ["", null],
    [null, null],
  ])("%j → %j", (tag, expected) => {
    expect(matchLanguage(tag)).toBe(expected);
  });
});
