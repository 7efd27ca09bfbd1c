/**
 * GET /api/v1/ai-systems (JSON, or CSV with ?format=csv): the public register as open data (SPEC §12,
 * §5.1). The one API endpoint without a key, exempted by its own route in the router (nothing
 * else is): readable from any origin (CORS `*`), cacheable (ETag, five minutes), limited per
 * client address like the other anonymous entry points.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { openRegister, openRegisterCsv } from "../domain/ai-register-open.server";
import type { Services } from "../services.server";
import { writeSecureHead } from "../http-security.server";
import { DEFAULT_LANG } from "../utils/languages";
import { sendProblem, zodIssues } from "./http.server";
import * as s from "./schemas";

/** Headers every answer of the open data carries (problems included): any origin may read it. */
const CORS = { "access-control-allow-origin": "*", "access-control-expose-headers": "etag, retry-after" };

/**
 * The client's address for the rate limit: the socket's, or with TRUST_PROXY set the last
 * X-Forwarded-For entry (the address the trusted proxy saw), as the pages' limits use Express's.
 */
function clientAddress(req: IncomingMessage): string {
  if (process.env.TRUST_PROXY) {
    const forwarded = req.headers["x-forwarded-for"];
    const list = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? "")).split(",").map((a) => a.trim()).filter(Boolean);
    if (list.length > 0) return list[list.length - 1]!;
  }
  return req.socket?.remoteAddress ?? "unknown";
}

/** OPTIONS (a CORS preflight): GET and HEAD from any origin, no credentials. */
export function openDataPreflight(res: ServerResponse): void {
  writeSecureHead(res, 204, [
    ...Object.entries(CORS).flat(),
    "access-control-allow-methods", "GET, HEAD, OPTIONS",
    "access-control-allow-headers", "if-none-match",
    "access-control-max-age", "86400",
    "allow", "GET, HEAD, OPTIONS",
  ]);
  res.end();
}

/**
 * Answers the register in `?lang=` (default English) as JSON, or as CSV with `?format=csv`. 400
 * for an unknown language or format, 429 (Retry-After) past the per-address limit, 304 when
 * If-None-Match holds the current ETag.
 */
export async function getOpenRegister(req: IncomingMessage, res: ServerResponse, services: Services, search: URLSearchParams) {
  const wait = await services.rateLimits.consume("openData", clientAddress(req));
  if (wait !== null) return sendProblem(res, "rate_limited", `Try again in ${wait} s.`, { headers: { ...CORS, "retry-after": String(wait) } });
  const parsed = s.OpenRegisterQuery.safeParse(Object.fromEntries(search));
  if (!parsed.success) return sendProblem(res, "validation", "See issues.", { issues: zodIssues(parsed.error), headers: CORS });
  const lang = parsed.data.lang ?? DEFAULT_LANG;
  const format = parsed.data.format ?? "json";
  const entries = await openRegister(services.db, lang);
  const body =
    format === "csv"
      ? openRegisterCsv(entries)
      : JSON.stringify({ lang, count: entries.length, items: entries });
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const headers = [
    ...Object.entries(CORS).flat(),
    "cache-control", "public, max-age=300",
    "etag", etag,
    "content-language", lang,
  ];
  const presented = req.headers["if-none-match"];
  if (presented && presented.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
    writeSecureHead(res, 304, headers);
    return void res.end();
  }
  const type = format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
  const extra = format === "csv" ? ["content-disposition", `attachment; filename="ai-register-${lang}.csv"`] : [];
  writeSecureHead(res, 200, [...headers, "content-type", type, "content-length", String(Buffer.byteLength(body)), ...extra]);
  res.end(body);
}
