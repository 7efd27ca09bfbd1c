import type { Config } from "@react-router/dev/config";

export default {
  ssr: true,
  // Tests run in parallel working copies can build side by side (CANDOR_BUILD_DIR=build-x).
  buildDirectory: process.env.CANDOR_BUILD_DIR ?? "build",
  // The other v8 flags stay off (today's behaviour); naming them silences the build's reminders.
  future: {
    v8_middleware: true,
    v8_splitRouteModules: false,
    v8_viteEnvironmentApi: false,
    v8_passThroughRequests: false,
    v8_trailingSlashAwareDataRequests: false,
  },
  // Every page sends `Referrer-Policy: no-referrer`, so browsers send `Origin: null` with plain
  // (no-JavaScript) form posts. Our own same-origin check (app/middleware/security.server.ts)
  // refuses cross-site posts by Sec-Fetch-Site, so React Router may accept the "null" origin.
  allowedActionOrigins: ["null"],
} satisfies Config;
