/** Fuzz of the embedded (help center) pages' form actions (see forms.ts). */
import { describe, expect, it } from "vitest";
import { actionRoutes, fuzzActionRoute } from "./forms";

const routes = actionRoutes().filter((r) => r.pattern.startsWith("/embed"));

describe("embed form actions under fuzzing", () => {
  it("finds the routes with an action", () => {
    expect(routes.map((r) => r.pattern)).toEqual(expect.arrayContaining(["/embed/:site/:lang/concerns/new", "/embed/:site/:lang/me/preferences"]));
  });
  routes.forEach((route, index) => fuzzActionRoute(route, 50 + index));
});
