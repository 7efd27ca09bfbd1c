import { describe, expect, it } from "vitest";
import { optionalText, text } from "../../app/utils/forms";
import { fitsLength, normaliseLineBreaks, textLength, truncateText } from "../../app/utils/text";

describe("textLength and line breaks (issue 7.11)", () => {
  it("counts a line break once, whatever the browser sent", () => {
    expect(normaliseLineBreaks("a\r\nb\rc\nd")).toBe("a\nb\nc\nd");
    expect(textLength("a\r\nb")).toBe(3);
    expect(textLength("\r\n".repeat(40))).toBe(40);
  });

  it("counts characters as people see them: emoji, flags, families and accents are one", () => {
    expect(textLength("😀")).toBe(1);
    expect(textLength("👍🏽")).toBe(1);
    expect(textLength("🇧🇪")).toBe(1);
    expect(textLength("👨‍👩‍👧")).toBe(1);
    expect(textLength("e\u0301")).toBe(1);
    expect(textLength("Überweisung")).toBe(11);
    expect(textLength("مرحبا")).toBe(5);
  });

  it("refuses text stacked far beyond its storage size", () => {
    expect(fitsLength("😀".repeat(10), 10)).toBe(true);
    expect(fitsLength("😀".repeat(11), 10)).toBe(false);
    expect(fitsLength(`a${"\u0301".repeat(500)}`, 10)).toBe(false);
  });
});

describe("the shared text schema", () => {
  const schema = text({ max: 4000, min: 10 });

  it("normalises, trims and counts what the user typed", () => {
    const typed = Array.from({ length: 40 }, () => "y".repeat(98)).join("\n").slice(0, 3999);
    expect(schema.parse(`  ${typed.replace(/\n/g, "\r\n")}\r\n`)).toBe(typed);
    expect(schema.safeParse("😀".repeat(4000)).success).toBe(true);
  });

  it("reports the limit as a translation key", () => {
    const over = schema.safeParse("x".repeat(4001));
    expect(over.success).toBe(false);
    expect(over.error?.issues[0]?.message).toBe("errors.tooLong?max=4000");
    expect(schema.safeParse("short").error?.issues[0]?.message).toBe("errors.tooShort?min=10");
    expect(schema.safeParse("   ").error?.issues[0]?.message).toBe("errors.required");
    expect(schema.safeParse(undefined).error?.issues[0]?.message).toBe("errors.required");
  });

  it("optional text: blank is not given", () => {
    const optional = optionalText(3);
    expect(optional.parse("  ")).toBeUndefined();
    expect(optional.parse("a\r\nb")).toBe("a\nb");
    expect(optional.safeParse("abcd").success).toBe(false);
  });
});

describe("the shared text schema and malformed input", () => {
  it("two values for one field are an error, never a crash", () => {
    const schema = text({ max: 10 });
    expect(schema.safeParse(["", ""]).success).toBe(false);
    expect(schema.safeParse(["abc", "def"]).success).toBe(false);
    expect(schema.safeParse(42).success).toBe(false);
    expect(optionalText(10).safeParse(["a"]).success).toBe(false);
  });
});

describe("truncateText", () => {
  it("cuts by characters, never inside an emoji or an accent", () => {
    expect(truncateText("abc", 3)).toBe("abc");
    expect(truncateText("abcd", 3)).toBe("ab…");
    expect(truncateText("👍🏽🇧🇪👨‍👩‍👧e\u0301", 3)).toBe("👍🏽🇧🇪…");
    expect(truncateText(`${"x".repeat(138)}🇧🇪🇧🇪`, 140)).toBe(`${"x".repeat(138)}🇧🇪🇧🇪`);
    expect(truncateText(`${"x".repeat(138)}🇧🇪🇧🇪z`, 140)).toBe(`${"x".repeat(138)}🇧🇪…`);
  });
  // The rule as first written (count the whole text, then cut): the fast path must give its answers.
  function truncateByCounting(value: string, max: number): string {
    if (textLength(value) <= max) return value;
    const segments = [...new Intl.Segmenter("und", { granularity: "grapheme" }).segment(value)].map((s) => s.segment);
    return `${segments.slice(0, max - 1).join("")}…`;
  }

  it("keeps a text of exactly max characters and cuts one of max + 1", () => {
    expect(truncateText("abcde", 5)).toBe("abcde");
    expect(truncateText("abcdef", 5)).toBe("abcd…");
    expect(truncateText("e\u0301".repeat(5), 5)).toBe("e\u0301".repeat(5));
    expect(truncateText("e\u0301".repeat(6), 5)).toBe(`${"e\u0301".repeat(4)}…`);
  });

  it("counts combining marks, emoji sequences and CRLF as one character each", () => {
    const family = "👨\u200d👩\u200d👧\u200d👦";
    expect(truncateText(family.repeat(3), 3)).toBe(family.repeat(3));
    expect(truncateText(family.repeat(4), 3)).toBe(`${family.repeat(2)}…`);
    expect(truncateText("a\u0301\u0302\u0303b", 2)).toBe("a\u0301\u0302\u0303b");
    expect(truncateText("a\r\nb", 3)).toBe("a\r\nb");
    expect(truncateText("a\r\nbc", 3)).toBe("a\r\n…");
    expect(truncateText("\r\n".repeat(4), 4)).toBe("\r\n".repeat(4));
  });

  it("gives the answers of counting the whole text, for every length around the limit", () => {
    const pieces = ["a", "é", "e\u0301", "👍🏽", "🇧🇪", "👨\u200d👩\u200d👧", "\r\n", "\r", "\n", "ß", "ال", " ", "’", "–", "€", "·", "\u00ad", "\u20dd", "\u200d"];
    for (let seed = 1; seed <= 200; seed++) {
      let value = "";
      for (let i = 0; i < (seed % 13) + 1; i++) value += pieces[(seed * 7 + i * 5) % pieces.length];
      for (let max = 1; max <= 16; max++) expect(truncateText(value, max), `${JSON.stringify(value)} ${max}`).toBe(truncateByCounting(value, max));
    }
  });

  it("cuts a long text of emoji with modifiers", () => {
    const long = "👍🏽".repeat(20_000);
    expect(truncateText(long, 140)).toBe(`${"👍🏽".repeat(139)}…`);
  });
});
