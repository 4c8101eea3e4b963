// Loads the user's registry module (TypeScript or JavaScript, no build step) with tsx. Each load
// is a fresh module graph, which is what lets `troupe dev` reload after an edit.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";
import type { TroupeServer, ServeOptions } from "../server/node/serve.ts";

/** What the CLI needs of a registry: checked by shape, since the module may hold its own copy of troupe. */
export interface ServableRegistry {
  readonly definitions: Record<string, unknown>;
  serve(options: ServeOptions): Promise<TroupeServer>;
}

export const DEFAULT_FILES = ["src/registry.ts", "src/registry.js", "registry.ts", "registry.js"];

export function findRegistryFile(file: string | undefined, cwd: string): string {
  if (file !== undefined) {
    const path = resolve(cwd, file);
    if (!existsSync(path)) throw new Error(`${file} does not exist.`);
    return path;
  }
  const found = DEFAULT_FILES.map((f) => resolve(cwd, f)).find((p) => existsSync(p));
  if (!found)
    throw new Error(`No registry file given and none of ${DEFAULT_FILES.join(", ")} exists. Pass the file: troupe dev path/to/registry.ts`);
  return found;
}

export interface LoadedRegistry {
  registry: ServableRegistry;
  /** Local source files the module imported (for watching). */
  files: string[];
}

export async function loadRegistry(path: string): Promise<LoadedRegistry> {
  const files = new Set<string>();
  const mod = (await tsImport(pathToFileURL(path).href, {
    parentURL: import.meta.url,
    onImport: (url) => {
      if (url.startsWith("file:") && !url.includes("/node_modules/")) files.add(new URL(url).pathname);
    },
  })) as Record<string, unknown>;
  const registry = [mod.registry, mod.default].find(isRegistry);
  if (!registry) throw new Error(`${path} must export the registry made with setup(), as \`export const registry\` or a default export.`);
  files.add(path);
  return { registry, files: [...files] };
}

function isRegistry(value: unknown): value is ServableRegistry {
  const r = value as ServableRegistry | undefined;
  return typeof r === "object" && r !== null && typeof r.serve === "function" && typeof r.definitions === "object";
}
