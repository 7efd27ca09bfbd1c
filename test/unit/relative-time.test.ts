import { describe, expect, it } from "vitest";
import { formatDate, formatMoney, formatNumber, formatRelativeTime } from "../../app/utils/format.server";

const NOW = Date.UTC(2026, 10, 30, 12, 0);
const HOUR = 3_600_000;

describe("relative times in the page's language (Intl.RelativeTimeFormat, numeric, on the server)", () => {
  it.each([
    ["en", 23 * HOUR, "in 23 hours"],
    ["en", 30 * HOUR, "in 1 day"],
    ["de", -2 * 24 * HOUR, "vor 2 Tagen"],
    ["fr", 3 * 24 * HOUR, "dans 3 jours"],
    ["pl", 5 * HOUR, "za 5 godzin"],
    ["pl", 2 * HOUR, "za 2 godziny"],
    ["fi", 30 * 60_000, "30 minuutin päästä"],
    ["en", 20_000, "in 0 minutes"],
    ["en", 35 * 24 * HOUR, "in 1 month"],
  ])("%s %d ms → %s", (lang, offset, expected) => {
    expect(formatRelativeTime(NOW + offset, NOW, lang)).toBe(expected);
  });

  it("Arabic uses its own plural forms (two hours is a dual)", () => {
    expect(formatRelativeTime(NOW + 2 * HOUR, NOW, "ar")).toBe("خلال ساعتين");
  });
});

describe("numbers, money and dates per language", () => {
  it("writes numbers and euros as each language does", () => {
    expect(formatNumber(1234567.5, "de")).toBe("1.234.567,5");
    expect(formatNumber(1234567.5, "fi")).toBe("1\u00a0234\u00a0567,5");
    expect(formatMoney(8460, "EUR", "pl")).toBe("84,60\u00a0€");
    expect(formatMoney(8460, "EUR", "en")).toBe("€84.60");
    expect(formatMoney(8460, "EUR", "ga")).toBe("€84.60");
  });

  it("names months in the customer's language and zone", () => {
    expect(formatDate(NOW, "el", "date", "Europe/Athens")).toBe("30 Νοε 2026");
    expect(formatDate(NOW, "hu", "date", "Europe/Budapest")).toBe("2026. nov. 30.");
  });
});
