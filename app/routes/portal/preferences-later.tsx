import { lazy, memo, Suspense, useEffect, type ComponentType } from "react";
import type * as PartsModule from "./preferences-parts";

type Parts = typeof PartsModule;

let parts: Parts | undefined;
let loading: Promise<Parts> | undefined;
let wanted: (() => void) | undefined;
const whenWanted = new Promise<void>((resolve) => (wanted = resolve));

/**
 * The server's copy of the parts (preferences-page.server.ts imports them): rendered at once, so
 * every answer carries them whole, also to browsers without JavaScript.
 */
export function provideChoiceParts(module: Parts): void {
  parts = module;
}

/**
 * Loads the parts' code (once) and lets the parts waiting for it hydrate. The choices page's
 * `clientLoader` awaits it before a client-side navigation or a revalidation renders the page;
 * `useChoicePartsOnDemand` calls it at the customer's first interaction.
 */
export function loadChoiceParts(): Promise<Parts> {
  wanted?.();
  return (loading ??= import("./preferences-parts").then((module) => (parts = module)));
}

const INTERACTIONS = ["pointerdown", "keydown", "focusin"] as const;

/**
 * The parts' code is fetched when the customer first touches the page (a pointer press, a key, a
 * focus), not with the page: until then their server HTML is all they need.
 */
export function useChoicePartsOnDemand(): void {
  useEffect(() => {
    const load = () => {
      for (const type of INTERACTIONS) document.removeEventListener(type, load, true);
      void loadChoiceParts();
    };
    for (const type of INTERACTIONS) document.addEventListener(type, load, true);
    return () => {
      for (const type of INTERACTIONS) document.removeEventListener(type, load, true);
    };
  }, []);
}

/** Same props, or props that read the same (a new array of the same errors): the part need not render again. */
function sameProps(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => a[key] === b[key] || JSON.stringify(a[key]) === JSON.stringify(b[key]));
}

/**
 * One part of "My choices" whose code is not in the page's first JavaScript. The server renders it
 * in full; in the browser React keeps that HTML as it is — a Suspense boundary not yet hydrated,
 * where forms post, links and `<details>` work as plain HTML — until the code is wanted
 * (`loadChoiceParts`), then hydrates it. It renders again only when its props read differently: a
 * part still waiting for its code would otherwise drop its server HTML on every render of the page.
 */
function later<P extends object>(pick: (module: Parts) => ComponentType<P>) {
  const Part = lazy(
    () =>
      // Already here (the server, or a later render in the browser): a thenable that answers at once,
      // so React renders the part in the same pass instead of suspending.
      (parts
        ? { then: (resolve: (m: { default: ComponentType<P> }) => void) => resolve({ default: pick(parts!) }) }
        : whenWanted.then(loadChoiceParts).then((m) => ({ default: pick(m) }))) as Promise<{ default: ComponentType<P> }>,
  );
  return memo(function Later(props: P) {
    return (
      <Suspense fallback={null}>
        <Part {...props} />
      </Suspense>
    );
  }, sameProps as (a: P, b: P) => boolean);
}

export const ChoicesForm = later((m) => m.ChoicesForm);
export const ChoiceHistory = later((m) => m.ChoiceHistory);
export const ReconfirmChoice = later((m) => m.ReconfirmChoice);
