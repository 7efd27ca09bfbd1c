import { describe, expect, it } from "vitest";
import { hashToken, newConcernRef, newToken, normaliseConcernRef } from "../../app/utils/tokens.server";

describe("tokens", () => {
  it("makes 256-bit URL-safe tokens and stores only a SHA-256 hash", () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(token);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toContain(token);
  });

  it("makes concern references in Crockford base32 without I, L, O, U", () => {
    for (let i = 0; i < 500; i++) {
      expect(newConcernRef()).toMatch(/^C-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    }
  });

  it("normalises what people type into a reference", () => {
    expect(normaliseConcernRef("c-7k3f-9q2m")).toBe("C-7K3F-9Q2M");
    expect(normaliseConcernRef("7K3F9Q2M")).toBe("C-7K3F-9Q2M");
    expect(normaliseConcernRef("C-7K3F-9Q2O")).toBe("C-7K3F-9Q20");
    expect(normaliseConcernRef("C-7K3F-9Q2")).toBeNull();
    expect(normaliseConcernRef("C-7K3F-9Q2U")).toBeNull();
  });
});
