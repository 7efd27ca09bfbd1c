/**
 * The security headers of SPEC §9 on every answer of the production listener (app/http.server.ts),
 * the agents' hot path included: kept apart because it runs before every response.
 */
import { ServerResponse as ServerResponseClass, type RequestListener, type ServerResponse } from "node:http";
import { securityHeaders } from "./utils/security-headers";

/** Paths whose answers hold or lead to personal data: never stored by a browser or proxy. */
const NO_STORE_PATHS = /^\/l(\/|$)/;

const writeHead = ServerResponseClass.prototype.writeHead;

/** Headers as a flat [name, value, …] list with lower-case names (node:http's cheapest form). */
const flatList = (headers: Record<string, string>): readonly string[] => Object.freeze(Object.entries(headers).flatMap(([name, value]) => [name.toLowerCase(), value]));

/**
 * What each wrapper (its writeHead, installed on every response it sees) adds: `writeSecureHead`
 * finds it here and writes it in one go instead of the wrapper checking header by header.
 */
const wrapperHeaders = new WeakMap<ServerResponse["writeHead"], readonly string[]>();

/** Outside a wrapper (handlers tested on their own), answers still carry the headers, without HSTS. */
const UNWRAPPED_HEADERS = flatList(securityHeaders({ production: false }));

/**
 * Sets the security headers (utils/security-headers.ts) on every response of `next`, whatever
 * writes it: each header the handler did not set itself is added just before the head is sent,
 * so a React Router document keeps its own CSP (nonce, embed frame-ancestors) and X-Frame-Options
 * stays off when that CSP allows framing. Strict-Transport-Security in production.
 * `/l/<token>` answers are always `Cache-Control: no-store`.
 */
export function withSecurityHeaders(next: RequestListener, options: { production: boolean }): RequestListener {
  const headers = securityHeaders(options);
  const defaults = Object.entries(headers).map(([name, value]) => ({ name, lower: name.toLowerCase(), value }));
  // One function per wrapper rather than a closure per request: this runs before every answer.
  function secureWriteHead(this: ServerResponse, ...args: unknown[]) {
    // writeHead(status, [message], [headers]): headers passed here win over setHeader().
    const given = (typeof args[1] === "object" ? args[1] : args[2]) as Record<string, unknown> | unknown[] | null | undefined;
    const rawNames = Array.isArray(given) ? new Set(given.filter((_, i) => i % 2 === 0).map((n) => String(n).toLowerCase())) : undefined;
    const has = (name: string, lower: string) =>
      this.hasHeader(name) || (rawNames ? rawNames.has(lower) : given ? Object.hasOwn(given, lower) || Object.hasOwn(given, name) : false);
    const documentCsp = has("Content-Security-Policy", "content-security-policy");
    for (const { name, lower, value } of defaults) {
      if (lower === "x-frame-options" && documentCsp) continue;
      if (!has(name, lower)) this.setHeader(name, value);
    }
    if (NO_STORE_PATHS.test(this.req?.url ?? "/")) {
      if (given && !Array.isArray(given)) for (const key of Object.keys(given)) if (key.toLowerCase() === "cache-control") delete given[key];
      this.setHeader("Cache-Control", "no-store");
    }
    return writeHead.apply(this, args as Parameters<ServerResponse["writeHead"]>);
  }
  wrapperHeaders.set(secureWriteHead as ServerResponse["writeHead"], flatList(headers));
  return (req, res) => {
    res.writeHead = secureWriteHead as ServerResponse["writeHead"];
    next(req, res);
  };
}

/**
 * Writes the head of an answer that sets none of the security headers itself (the lean API's
 * JSON answers): `status` and `headers` (flat [name, value, …], lower-case names, none of them a
 * security header), with the security headers the response's `withSecurityHeaders` adds (HSTS in
 * production) — written in one list, which node:http processes several microseconds faster than
 * the wrapper's header-by-header check (the agents' hot path). Same headers as `res.writeHead`
 * would send; headers set earlier with `setHeader` (Connection: close during a shutdown) are kept.
 * Outside any wrapper, the security headers without Strict-Transport-Security.
 */
export function writeSecureHead(res: ServerResponse, status: number, headers: readonly string[]): void {
  const added = wrapperHeaders.get(res.writeHead);
  if (added === undefined) {
    res.writeHead(status, UNWRAPPED_HEADERS.concat(headers));
    return;
  }
  // The wrapper's own rules (Cache-Control on /l/) for anything that is not a plain answer.
  if (NO_STORE_PATHS.test(res.req?.url ?? "/")) {
    const object: Record<string, string> = {};
    for (let i = 0; i < headers.length; i += 2) object[headers[i]!] = headers[i + 1]!;
    res.writeHead(status, object);
    return;
  }
  writeHead.call(res, status, added.concat(headers));
}
