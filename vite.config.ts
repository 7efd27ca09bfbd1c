import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vitest/config";

// Under Vitest the React Router plugin is left out: it cannot find its preamble there.
const underVitest = Boolean(process.env.VITEST);

export default defineConfig(({ isSsrBuild }) => ({
  plugins: underVitest ? [] : [reactRouter()],
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  server: { port: 3000 },
  build: {
    // CANDOR_SOURCEMAP=1: source maps, to see what each chunk is made of (never shipped).
    sourcemap: process.env.CANDOR_SOURCEMAP === "1",
    // Locale files stay files (fetched on demand by app/utils/i18n-browser.ts), never inlined.
    assetsInlineLimit: (file: string) => (file.endsWith(".json") ? false : undefined),
    rollupOptions: {
      // The server build's entry is app/server.ts, which bundles the React Router build with it.
      ...(isSsrBuild ? { input: "./app/server.ts" } : {}),
      // Browser build: tiny shared chunks merged into their neighbours (fewer requests, less
      // JavaScript per page). Measured with 27 languages (issue 12), gzipped, overview / register /
      // choices: 1000 → 119.1 / 118.5 / 119.0 KB in 14 / 13 / 13 files; 2000 merged a customer
      // chunk into a staff one (the trainings tables) and every customer page loaded it:
      // 120.7 / 120.7 / 120.6 KB; 0 (off) → 119.2 / 118.5 / 118.3 KB but 15–20 files.
      ...(isSsrBuild ? {} : { output: { experimentalMinChunkSize: 1000 } }),
      onwarn(warning, warn) {
        // Harmless, and not ours to fix: resource routes (loader/action only) have no client code,
        // so their client chunk is empty; zod's sources carry comments Rollup cannot place.
        if (warning.code === "EMPTY_BUNDLE") return;
        if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("/node_modules/")) return;
        warn(warning);
      },
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/template-setup.ts"],
          setupFiles: ["test/support/after-each-file.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/integration/global-setup.ts"],
          setupFiles: ["test/support/after-each-file.ts"],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: "fuzz",
          include: ["test/fuzz/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/integration/global-setup.ts"],
          // Thousands of cases per property; the in-memory rate limits would answer most of them.
          // React's production build, as the server runs it (and 3× cheaper per rendered page).
          // LOG_LEVEL: hundreds of thousands of refused inputs would each write a log line.
          env: { RATE_LIMITS: "off", NODE_ENV: "production", LOG_LEVEL: "silent" },
          testTimeout: 30 * 60_000,
          // A ceiling, so a property that retains memory fails its own worker, not the machine (each
          // case yields to the event loop, so Node's cleanups run; see test/fuzz/support.ts).
          execArgv: ["--max-old-space-size=768"],
        },
      },
    ],
  },
}));
