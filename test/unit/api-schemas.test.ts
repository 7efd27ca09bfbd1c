/**
 * Ids and texts of the API are measured in code points, as their OpenAPI document states
 * (app/api/schemas.ts `text`), also when the check counts without splitting the string.
 */
import { describe, expect, it } from "vitest";
import { CustomerId } from "../../app/api/schemas";

describe("CustomerId length in code points (1–200)", () => {
  const astral = "😀"; // two UTF-16 units, one code point
  it.each([
    ["a", true],
    ["a".repeat(200), true],
    ["a".repeat(201), false],
    [astral, true],
    [astral.repeat(200), true],
    [astral.repeat(201), false],
    ["a".repeat(199) + astral, true],
    ["a".repeat(200) + astral, false],
    ["", false],
    [" a", false],
  ])("case %#", (value, accepted) => {
    const parsed = CustomerId.safeParse(value);
    expect(parsed.success).toBe(accepted);
    if (parsed.success) expect(parsed.data).toBe(value);
  });
});
