/**
 * Zod 4 compiles object parsers with `new Function`, probing for it first; under Candor's CSP (no
 * 'unsafe-eval') the browser reports that probe as a violation even though Zod catches the error.
 * In the browser Zod runs without it. Zod decides per schema when the schema is built, so this
 * module is the first import of app/root.tsx (the first route module the browser evaluates).
 * The server keeps the faster compiled parsers.
 */
import { z } from "zod";

if (typeof document !== "undefined") z.config({ jitless: true });
