import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = fileURLToPath(new URL("./packages/troupe/src/", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^troupe$/, replacement: `${src}index.ts` },
      // As the "node" export condition of troupe/client resolves it.
      { find: /^troupe\/client$/, replacement: `${src}client/node.ts` },
      { find: /^troupe\/(.*)$/, replacement: `${src}$1/index.ts` },
    ],
  },
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/*/test/**/*.test.ts", "bench/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: { enabled: true, include: ["packages/*/test/**/*.test-d.ts"] },
  },
});
