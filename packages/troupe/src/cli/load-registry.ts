// Loads the user's registry module, TypeScript or JavaScript, with no build step. Bun and Deno (and
// Node with type stripping) import TypeScript themselves. On Node, tsx (an optional peer dependency,
// loaded only here) is used when installed: with it each load is a fresh module graph, which is what
// lets `troupe dev` reload the registry and the files it imports after an edit. Without it, the
// runtime imports the registry itself, and only the registry's own file reloads.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { TroupeServer, ServeOptions } from "../server/node/serve.ts";

/** What the CLI needs of a registry: checked by shape, since the module may hold its own copy of troupe. */
export interface ServableRegistry {
  readonly definitions: Record<string, unknown>;
  serve(options: ServeOptions): Promise<ServedRegistry>;
  shutdown?(): Promise<void>;
}

/** A served registry; `inspector` and `metrics` are where they are, when they are on (older copies of troupe have neither). */
export interface ServedRegistry extends TroupeServer {
  readonly inspector?: { readonly url: string; readonly token: string } | undefined;
  readonly metrics?: { readonly url: string; readonly tokenRequired: boolean } | undefined;
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
  /** Local source files the module imported (for watching): only the registry's own without tsx. */
  files: string[];
  /** "tsx", or "runtime" when the runtime imported it (Bun, Deno, or Node without tsx). */
  loader: "tsx" | "runtime";
}

/** The part of tsx's API (tsx/esm/api) the CLI uses. */
export type TsImport = (specifier: string, options: { parentURL: string; onImport?: (url: string) => void }) => Promise<unknown>;

const TYPESCRIPT = /\.[cm]?tsx?$/;
export const INSTALL_TSX = "npm install -D tsx";
let nodeLoads = 0;

/**
 * Loads the registry in `path`. The local files it imports are added to `files` as they load, so
 * that after a failed load the caller still knows which files to watch for the fix.
 */
export async function loadRegistry(
  path: string,
  findTsImport: () => Promise<TsImport | undefined> = importTsx,
  files: Set<string> = new Set(),
): Promise<LoadedRegistry> {
  files.add(path);
  const tsImport = runtimeImportsTypeScript() === "always" ? undefined : await findTsImport();
  let mod: Record<string, unknown>;
  if (tsImport) {
    mod = (await tsImport(pathToFileURL(path).href, {
      parentURL: import.meta.url,
      onImport: (url) => {
        if (url.startsWith("file:") && !url.includes("/node_modules/")) files.add(new URL(url).pathname);
      },
    })) as Record<string, unknown>;
  } else if (TYPESCRIPT.test(path) && runtimeImportsTypeScript() === "no") {
    throw new Error(`${path} is TypeScript, which troupe loads with tsx, and tsx is not installed. Install it: ${INSTALL_TSX}`);
  } else {
    // A new URL each time, so that a reload gets the edited file rather than Node's cached module.
    mod = (await import(`${pathToFileURL(path).href}?load=${++nodeLoads}`)) as Record<string, unknown>;
  }
  const registry = [mod.registry, mod.default].find(isRegistry);
  if (!registry) throw new Error(`${path} must export the registry made with setup(), as \`export const registry\` or a default export.`);
  return { registry, files: [...files], loader: tsImport ? "tsx" : "runtime" };
}

/**
 * Whether the runtime imports TypeScript by itself: "always" on Bun and Deno (tsx, made for Node,
 * is not tried there), "also" on a Node that strips types (tsx still preferred), else "no".
 */
export function runtimeImportsTypeScript(): "always" | "also" | "no" {
  if (process.versions.bun !== undefined || (globalThis as { Deno?: unknown }).Deno !== undefined) return "always";
  return (process.features as { typescript?: unknown }).typescript ? "also" : "no";
}

/** tsx's loader, or undefined when tsx is not installed. */
async function importTsx(): Promise<TsImport | undefined> {
  try {
    return (await import("tsx/esm/api")).tsImport;
  } catch (error) {
    const missing = (error as { code?: string }).code === "ERR_MODULE_NOT_FOUND" && String(error).includes("'tsx'");
    if (missing) return undefined;
    throw error;
  }
}

function isRegistry(value: unknown): value is ServableRegistry {
  const r = value as ServableRegistry | undefined;
  return typeof r === "object" && r !== null && typeof r.serve === "function" && typeof r.definitions === "object";
}
