/** Fuzz of the staff console's form actions, half 1 of 2 (signed in as an admin, or not; see forms.ts). */
import { describe, expect, it } from "vitest";
import { actionRoutes, fuzzActionRoute } from "./forms";

const all = actionRoutes().filter((r) => r.pattern.startsWith("/staff"));
const routes = all.filter((_, index) => index % 2 === 1 - 1);

describe("staff form actions under fuzzing (half 1)", () => {
  it("finds the routes with an action", () => {
    expect(all.map((r) => r.pattern)).toEqual(expect.arrayContaining(["/staff/login", "/staff/concerns/:ref", "/staff/users", "/staff/embed-sites"]));
    expect(routes.length).toBeGreaterThan(5);
  });
  routes.forEach((route, index) => fuzzActionRoute(route, 100 + 2 * index + 1));
});
