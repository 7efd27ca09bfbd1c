import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { isbot } from "isbot";
import { renderToPipeableStream, type RenderToPipeableStreamOptions } from "react-dom/server";
import { isRouteErrorResponse, ServerRouter, type EntryContext, type HandleErrorFunction, type RouterContextProvider } from "react-router";
import { nonceContext } from "./context";
import { getTranslator } from "./middleware/i18n.server";
import { hasControlCharacter } from "./utils/control-characters";
import { TranslatorProvider } from "./utils/i18n";
import { COMMON_SECURITY_HEADERS, RESOURCE_CSP } from "./utils/security-headers";
import { errorFields, log } from "./utils/log.server";

export const streamTimeout = 5_000;

/**
 * Errors React Router reports while answering. A 4xx (an unknown URL, a malformed path, a refused
 * form) is the client's mistake, answered with Candor's own page: it is not logged, so input
 * anyone can send never writes a stack trace (SPEC §9). A request the client aborted is not an
 * error. Anything else is a server fault and is logged with its stack.
 */
/**
 * React Router's own refusals of a request it cannot take (an action whose Origin does not match
 * the request, answered 400 "Bad Request"): the client's doing, so logged without a stack.
 */
function isRefusedRequest(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.message === "Bad Request" || /`origin` header/.test(error.message);
}

export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  if (isRefusedRequest(error)) {
    log.warn({ event: "request.refused", status: 400, method: request.method, path: new URL(request.url).pathname });
    return;
  }
  log.error({ event: "request.failed", method: request.method, path: new URL(request.url).pathname, ...errorFields(error, { withStack: true }) });
};

function tryGetTranslator(loadContext: RouterContextProvider): ReturnType<typeof getTranslator> | undefined {
  try {
    return getTranslator(loadContext);
  } catch {
    return undefined;
  }
}

/** A path holding a control character once decoded (`/%0A`): React Router cannot render links for it. */
function pathHasControlCharacter(url: string): boolean {
  try {
    return hasControlCharacter(decodeURIComponent(new URL(url).pathname));
  } catch {
    return false;
  }
}

function plainNotFound(responseStatusCode: number): Response {
  const status = responseStatusCode >= 400 ? responseStatusCode : 404;
  return new Response(status === 404 ? "Not Found" : "Bad Request", {
    status,
    headers: {
      ...COMMON_SECURITY_HEADERS,
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Security-Policy": RESOURCE_CSP,
      "X-Frame-Options": "DENY",
      "Cache-Control": "no-store",
    },
  });
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: RouterContextProvider,
) {
  if (request.method.toUpperCase() === "HEAD") {
    return new Response(null, { status: responseStatusCode, headers: responseHeaders });
  }
  const nonce = loadContext.get(nonceContext);
  // A path with an encoded control character ("/%0A") cannot be rendered: React Router's links
  // fail on it, and one with a line break escapes even the catch-all route, so no middleware ran
  // (no language to render in). No page has such a URL: answer plainly, never a 500.
  const translator = pathHasControlCharacter(request.url) ? undefined : tryGetTranslator(loadContext);
  if (!translator) return plainNotFound(responseStatusCode);

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const userAgent = request.headers.get("user-agent");
    const readyOption: keyof RenderToPipeableStreamOptions =
      (userAgent && isbot(userAgent)) || routerContext.isSpaMode ? "onAllReady" : "onShellReady";
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(() => abort(), streamTimeout + 1000);

    const { pipe, abort } = renderToPipeableStream(
      <TranslatorProvider translator={translator}>
        <ServerRouter context={routerContext} url={request.url} nonce={nonce} />
      </TranslatorProvider>,
      {
        nonce,
        // React moves a finished Suspense boundary out of place (into a hidden div that only a
        // script reveals) once a page has sent ~12.8 KB; pages must read whole without JavaScript.
        progressiveChunkSize: Number.POSITIVE_INFINITY,
        [readyOption]() {
          shellRendered = true;
          const body = new PassThrough({
            final(callback) {
              clearTimeout(timeoutId);
              timeoutId = undefined;
              callback();
            },
          });
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          pipe(body);
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) log.error({ event: "render.failed", ...errorFields(error, { withStack: true }) });
        },
      },
    );
  });
}
