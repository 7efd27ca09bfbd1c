/**
 * Zod 4 compiles object parsers with `new Function`, probing for it first; under Candor's CSP (no
 * 'unsafe-eval') the browser reports that probe as a violation even though Zod catches the error.
 * In the browser Zod runs without it. Zod reads its settings from `globalThis.__zod_globalConfig`
 * (shared by every copy of Zod, created on first load unless present) and decides per schema when
 * the schema is built; so this module sets `jitless` there before any page module loads Zod —
 * without loading Zod itself, which only pages with a form need. It is the first import of
 * app/root.tsx (the first route module the browser evaluates). The server keeps the faster
 * compiled parsers.
 */
declare global {
  var __zod_globalConfig: { jitless?: boolean } | undefined;
}

if (typeof document !== "undefined") globalThis.__zod_globalConfig = { ...globalThis.__zod_globalConfig, jitless: true };

export {};
