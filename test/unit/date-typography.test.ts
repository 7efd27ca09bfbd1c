import { describe, expect, it } from "vitest";
import { formatWithTypography } from "../../app/utils/date-typography";
import { languageNameIn } from "../../app/utils/language-names";

const first = Date.UTC(2026, 11, 1, 9);
const second = Date.UTC(2026, 11, 2, 9);
const format = (lang: string, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(lang, { ...options, timeZone: "UTC" });

describe("French dates: the first of the month is 1er", () => {
  it("writes 1er in French, short and long, with and without the time", () => {
    expect(formatWithTypography(format("fr", { dateStyle: "medium" }), first, "fr")).toBe("1er déc. 2026");
    expect(formatWithTypography(format("fr", { dateStyle: "long" }), first, "fr")).toBe("1er décembre 2026");
    expect(formatWithTypography(format("fr", { dateStyle: "long", timeStyle: "short" }), first, "fr")).toMatch(/^1er décembre 2026 à 09:00$/);
  });

  it("leaves the other days, numeric dates and other languages as Intl writes them", () => {
    expect(formatWithTypography(format("fr", { dateStyle: "medium" }), second, "fr")).toBe("2 déc. 2026");
    expect(formatWithTypography(format("fr", { dateStyle: "short" }), first, "fr")).toBe("01/12/2026");
    expect(formatWithTypography(format("en", { dateStyle: "medium" }), first, "en")).toBe("Dec 1, 2026");
    expect(formatWithTypography(format("de", { dateStyle: "medium" }), first, "de")).toBe("01.12.2026");
  });
});

describe("language names inside sentences", () => {
  it("are in the sentence's language, lower case in French", () => {
    expect(languageNameIn("fr", "en")).toBe("French");
    expect(languageNameIn("de", "fr")).toBe("allemand");
    expect(languageNameIn("fr", "fr")).toBe("français");
    expect(languageNameIn("ar", "de")).toBe("Arabisch");
    expect(languageNameIn("en", "ar")).toBe("الإنجليزية");
  });
});
