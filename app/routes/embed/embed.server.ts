import { HANDLE_PARAM, embedPathFor, withHandle } from "./paths";

/**
 * Runs a portal action inside an embed page and keeps its redirect inside the frame: a portal
 * Location such as /en/concerns/track/… becomes /embed/<site>/en/concerns/track/…?h=<handle>.
 */
export async function keepInFrame(
  request: Request,
  /** The embed route's params: always { site, lang, … }. */
  params: Readonly<Record<string, string | undefined>>,
  run: () => Promise<Response | unknown>,
): Promise<unknown> {
  const site = params.site ?? "";
  const lang = params.lang ?? "";
  const handle = new URL(request.url).searchParams.get(HANDLE_PARAM);
  const rewrite = (value: unknown) => {
    if (!(value instanceof Response)) return value;
    const location = value.headers.get("Location");
    if (!location || value.status < 300 || value.status >= 400) return value;
    const url = new URL(location, request.url);
    const embedded = embedPathFor(url.pathname, site, lang);
    if (!embedded) return value;
    const headers = new Headers(value.headers);
    headers.set("Location", withHandle(embedded + url.search + url.hash, handle));
    return new Response(null, { status: value.status, headers });
  };
  try {
    return rewrite(await run());
  } catch (thrown) {
    throw rewrite(thrown);
  }
}
