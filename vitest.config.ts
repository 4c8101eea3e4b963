import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = fileURLToPath(new URL("./packages/troupe/src/", import.meta.url));

/** The package's subpaths as its exports map resolves them (the "node" condition for troupe/client). */
const SUBPATHS: Record<string, string> = {
  troupe: "index.ts",
  "troupe/client": "client/node.ts",
  "troupe/test": "testing/index.ts",
  "troupe/db": "features/db/index.ts",
  "troupe/db/drizzle": "features/db/drizzle/index.ts",
  "troupe/workflow": "features/workflow/index.ts",
  "troupe/react": "react/index.ts",
  "troupe/errors": "errors.ts",
  "troupe/utils": "utils.ts",
  "troupe/unstable/migrations": "features/db/migrations.ts",
};

export default defineConfig({
  resolve: {
    alias: Object.entries(SUBPATHS).map(([name, file]) => ({ find: new RegExp(`^${name}$`), replacement: `${src}${file}` })),
  },
  test: {
    include: [
      "packages/*/test/**/*.test.ts",
      "packages/troupe/starter/test/**/*.test.ts",
      "examples/*/test/**/*.test.ts",
      "bench/test/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: { enabled: true, include: ["packages/*/test/**/*.test-d.ts"] },
  },
});
