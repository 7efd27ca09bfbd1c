/**
 * The security headers of SPEC §9, defined once. The node:http wrapper in app/server.ts puts
 * them on every response (static files, the lean API, answers given before React Router);
 * documents rendered by React Router carry their own per-request CSP (nonce, embed
 * frame-ancestors) from app/middleware/security.server.ts, built from the same values.
 */

export const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";

/** Two years, subdomains included (the HSTS preload list's minimum is one year). */
export const HSTS = "max-age=63072000; includeSubDomains";

/** CSP for anything that is not a React Router document: nothing may run, load or frame it. */
export const RESOURCE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Headers every response carries, whatever answered it. */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Permissions-Policy": PERMISSIONS_POLICY,
  "Cross-Origin-Opener-Policy": "same-origin",
};

/**
 * The full set for one response. `production`: adds Strict-Transport-Security (HTTPS is
 * terminated in front of Candor in production; browsers ignore it over plain HTTP).
 */
export function securityHeaders(options: { production: boolean }): Record<string, string> {
  return {
    ...COMMON_SECURITY_HEADERS,
    "Content-Security-Policy": RESOURCE_CSP,
    "X-Frame-Options": "DENY",
    ...(options.production ? { "Strict-Transport-Security": HSTS } : {}),
  };
}
