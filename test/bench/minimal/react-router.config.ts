import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "@react-router/dev/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** The baseline of the pages bench: the same framework mode and future flags as Candor's config. */
export default {
  ssr: true,
  // Beside Candor's own build (build-x → build-x-minimal), outside the sources that lint and tsc read.
  buildDirectory: path.join(root, `${process.env.CANDOR_BUILD_DIR ?? "build"}-minimal`),
  future: {
    v8_middleware: true,
    v8_splitRouteModules: false,
    v8_viteEnvironmentApi: false,
    v8_passThroughRequests: false,
    v8_trailingSlashAwareDataRequests: false,
  },
} satisfies Config;
