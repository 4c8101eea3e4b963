// A React app built with Vite for a browser test, as its users would build it: the app's folder
// (index.html and its sources) built into a temporary folder and served on a port of its own, so
// the page's origin is not the actor server's. Both are removed when disposed.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { build } from "vite";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

/** The package's browser entries, from source (as the "browser" condition of its exports resolves them). */
const ALIASES = { "troupe/react": "react/index.ts", "troupe/client": "client/index.ts" };

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

export interface Page {
  readonly url: string;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Builds the app in `root` with `env` as its `import.meta.env` values, and serves it. */
export async function buildPage(root: string, env: Record<string, string>): Promise<Page> {
  const outDir = mkdtempSync(join(tmpdir(), "troupe-page-"));
  try {
    await build({
      root,
      configFile: false,
      logLevel: "error",
      plugins: [react()],
      define: {
        // React's development build, whatever NODE_ENV the test runner set: its StrictMode mounts
        // every component twice, which the tests want to face.
        "process.env.NODE_ENV": JSON.stringify("development"),
        ...Object.fromEntries(Object.entries(env).map(([name, value]) => [`import.meta.env.${name}`, JSON.stringify(value)])),
      },
      resolve: { alias: Object.entries(ALIASES).map(([find, file]) => ({ find: new RegExp(`^${find}$`), replacement: `${SRC}${file}` })) },
      build: { outDir, emptyOutDir: true },
    });
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
  const server = createServer((req, res) => {
    const path = normalize(new URL(req.url ?? "/", "http://page").pathname);
    const file = join(outDir, path === "/" ? "index.html" : path);
    try {
      if (!file.startsWith(outDir)) throw new Error("outside the page");
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
