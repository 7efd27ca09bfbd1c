import { createElement, Fragment, isValidElement, type ReactElement, type ReactNode } from "react";
import { Scripts, useMatches } from "react-router";

/**
 * A route's `handle` asking for its page's JavaScript after the first contentful paint. Worth it
 * where hydration is short: once the page paints early, Lighthouse counts the hydration that
 * follows as blocking (a choices page with 124 KB of JavaScript: FCP 1.3 → 1.0 s but TBT
 * 103 → 226 ms, score 0.99 → 0.96). Routes import the type only, so this module stays in the
 * root's chunk.
 */
export interface ScriptsAfterPaintHandle {
  scriptsAfterPaint: true;
}

/** Whether the page being rendered (its deepest route) has a `ScriptsAfterPaintHandle`. */
export function usePageScriptsAfterPaint(): boolean {
  const handle = useMatches().at(-1)?.handle as { scriptsAfterPaint?: unknown } | undefined;
  return handle?.scriptsAfterPaint === true;
}

/** The two inert blocks the loader reads: the module preloads (HTML) and React Router's module script. */
const PRELOADS_ID = "scripts-after-paint-preloads";
const MODULE_ID = "scripts-after-paint-module";

/**
 * Runs in the page, before any module: once the browser reports the first contentful paint, it
 * adds the module preloads to `<head>` and runs React Router's module script (with this script's
 * CSP nonce). A hidden page, or a browser without paint timing, starts at once; 3 s is a ceiling.
 */
const LOADER = `(function(){var started=false,nonce=document.currentScript.nonce;function start(){if(started)return;started=true;document.head.insertAdjacentHTML("beforeend",document.getElementById("${PRELOADS_ID}").textContent);var script=document.createElement("script");script.type="module";script.nonce=nonce;script.textContent=document.getElementById("${MODULE_ID}").textContent;document.body.appendChild(script)}var types=window.PerformanceObserver&&PerformanceObserver.supportedEntryTypes;if(document.visibilityState!=="visible"||!types||types.indexOf("paint")<0)return start();new PerformanceObserver(function(list,observer){if(list.getEntriesByName("first-contentful-paint").length){observer.disconnect();start()}}).observe({type:"paint",buffered:true});setTimeout(start,3000)})()`;

/** A module preload with only these set is rewritten; one with more (crossorigin, integrity) is left alone. */
const PLAIN_PRELOAD_PROPS = new Set(["rel", "href", "nonce", "suppressHydrationWarning"]);

type ElementProps = { rel?: string; href?: string; type?: string; children?: ReactNode; dangerouslySetInnerHTML?: { __html: string } };

function attribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** What `<Scripts>` rendered, flattened: its fragments opened, nulls dropped. */
function flatten(node: ReactNode, into: ReactElement<ElementProps>[] = []): ReactElement<ElementProps>[] {
  if (Array.isArray(node)) for (const child of node) flatten(child, into);
  else if (isValidElement<ElementProps>(node)) {
    if (typeof node.type === "string") into.push(node);
    else flatten(node.props.children, into);
  }
  return into;
}

/**
 * React Router's `<Scripts>` (same props: `nonce`), with the page's JavaScript fetched and run only
 * after the first contentful paint (SPEC §10 "Pages", Lighthouse ≥ 0.98). Every page works without
 * JavaScript, so nothing the first paint shows needs it; fetched during the first paint, the
 * modules compete with it for the network and the main thread (Lighthouse's simulated mobile load
 * counts each module that arrived before the paint as blocking it: FCP 2.0 s instead of 0.7 s on
 * the register). The module preloads and the module script travel as inert text (types the
 * browser does not run, readable by tools that list a page's scripts); a small inline script
 * starts them. On the browser, while hydrating, it renders what the server sent (the blocks' text
 * differs there, as React Router's own does: hydration keeps the server's).
 * Anything else `<Scripts>` renders (the router context script) stays as it is. Should React
 * Router render anything this does not know (an import map, integrity hashes), the page gets
 * `<Scripts>` unchanged.
 */
export function ScriptsAfterFirstPaint(props: { nonce?: string }) {
  // <Scripts> is called, not rendered, to rework its output; its hooks run as this component's own
  // (the same ones on every render).
  const elements = flatten(Scripts(props));
  if (elements.length === 0) return null;
  const preloads = elements.filter((element) => element.type === "link" && element.props.rel === "modulepreload");
  const modules = elements.filter((element) => element.type === "script" && element.props.type === "module");
  const rest = elements.filter((element) => !preloads.includes(element) && !modules.includes(element));
  const plainPreload = (link: ReactElement<ElementProps>) => Object.entries(link.props).every(([key, value]) => PLAIN_PRELOAD_PROPS.has(key) || value === undefined);
  const plainScript = (script: ReactElement<ElementProps>) => script.type === "script" && script.props.type === undefined;
  if (modules.length !== 1 || !preloads.every(plainPreload) || !rest.every(plainScript)) return <Scripts {...props} />;
  const preloadsHtml = preloads.map((link) => `<link rel="modulepreload" href="${attribute(link.props.href ?? "")}">`).join("");
  return createElement(
    Fragment,
    null,
    ...rest,
    <script type="text/html" id={PRELOADS_ID} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: preloadsHtml }} />,
    <script type="text/x-module" id={MODULE_ID} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: modules[0]!.props.dangerouslySetInnerHTML?.__html ?? "" }} />,
    // The browser hydrates over the server's text, so its bundle need not carry the loader.
    <script nonce={props.nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: import.meta.env.SSR ? LOADER : "" }} />,
  );
}
