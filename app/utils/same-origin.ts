/**
 * CSRF rule (SPEC §9) that does not depend on cookies (it has to work inside cross-site iframes
 * too): a state-changing request must come from this origin, judged by Sec-Fetch-Site, and an
 * Origin header, when sent, must be this origin. Requests with neither header (non-browser
 * clients) carry no ambient browser credentials worth forging and pass — the same rule as Go's
 * CrossOriginProtection. `ownOrigin`: scheme://host[:port] of this server as the request saw it.
 * Returns true when the request may proceed.
 */
export function isSameOriginRequest(request: { method: string; secFetchSite: string | null; origin: string | null; ownOrigin: string }): boolean {
  if (["GET", "HEAD", "OPTIONS"].includes(request.method.toUpperCase())) return true;
  const { secFetchSite: site, origin, ownOrigin } = request;
  // "null": sandboxed or privacy-sensitive contexts; only trusted when the browser vouches for it.
  if (origin && origin !== "null" && origin !== ownOrigin) return false;
  return site ? site === "same-origin" || site === "none" : origin !== "null";
}
