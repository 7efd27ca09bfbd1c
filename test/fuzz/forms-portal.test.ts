/** Fuzz of the customer portal's form actions and personal links (see forms.ts). */
import { describe, expect, it } from "vitest";
import { actionRoutes, fuzzActionRoute } from "./forms";

const routes = actionRoutes().filter((r) => !r.pattern.startsWith("/staff") && !r.pattern.startsWith("/embed"));

describe("portal form actions under fuzzing", () => {
  it("finds the routes with an action", () => {
    expect(routes.map((r) => r.pattern)).toEqual(expect.arrayContaining(["/l/:token", "/:lang/me/preferences", "/:lang/me/concerns/new", "/:lang/sign-out"]));
  });
  routes.forEach((route, index) => fuzzActionRoute(route, index));
});
