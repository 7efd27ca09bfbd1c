/** Faults the fuzz run found, pinned with their failing inputs. */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, type TestApp } from "../support/app";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});

describe("paths with an encoded control character", () => {
  // Was a 500: React Router cannot render links for such a path ("/\n/" is no URL), and a line
  // break escapes even the catch-all route, so no middleware ran and rendering found no language.
  const cases: [string, string][] = [
    ["DELETE", "//concerns/track/%0D"],
    ["POST", "//concerns/track/%0D"],
    ["GET", "/%0A"],
    ["GET", "/en/%0A"],
    ["GET", "/en/ai-systems/%0D"],
    ["POST", "/en/x%0Ay"],
    ["GET", "/%7F"],
    ["GET", "/fr/concerns/track/%00"],
  ];
  for (const [method, path] of cases) {
    it(`${method} ${path} is a plain 404, not a 500, and logs no stack trace`, async () => {
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      const response = await app.request(path, { method, headers: { Origin: "null", "Content-Type": "text/plain" }, body: method === "GET" ? undefined : "intent=no" }).finally(() => logged.mockRestore());
      expect(logged).not.toHaveBeenCalled();
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toContain("text/plain");
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(await response.text()).toBe("Not Found");
    });
  }

  it("pages without control characters still render in full", async () => {
    const response = await app.request("/en/ai-systems");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<html");
  });
});
