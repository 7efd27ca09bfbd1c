import { data } from "react-router";
import { servicesContext } from "~/context";
import { companyLogo } from "~/domain/settings.server";
import type { Route } from "./+types/brand-logo";

/**
 * GET: the company logo (SPEC §12) at a URL that names its version (a content hash), so it is
 * cached for a year and a new logo gets a new URL. Only the current version answers; anything
 * else is a 404. Served with the type its bytes were checked to be, never sniffed, and inside a
 * sandboxing CSP (an image needs no scripts).
 */
export async function loader({ params, context }: Route.LoaderArgs) {
  const { db } = context.get(servicesContext);
  if (!/^[0-9a-f]{16}$/.test(params.version)) throw data(null, { status: 404 });
  const logo = await companyLogo(db, params.version);
  if (!logo) throw data(null, { status: 404 });
  return new Response(new Uint8Array(logo.bytes), {
    headers: {
      "Content-Type": logo.contentType,
      "Content-Length": String(logo.bytes.byteLength),
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cross-Origin-Resource-Policy": "same-site",
    },
  });
}
