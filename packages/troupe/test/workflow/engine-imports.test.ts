// The workflow engine depends on no actor code (actor/, the other features, client/, the host,
// pino): its files import only each other, base/ and Node's built-ins. What it needs from an
// actor it asks of its host (engine/host.ts); the adapter beside it supplies that.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { expect, test } from "vitest";

const src = join(import.meta.dirname, "../../src");
const engine = join(src, "features/workflow/engine");
const allowed = [engine, join(src, "base")];

/** Every module specifier in `text`: static imports and re-exports, side-effect and dynamic imports. */
function specifiers(text: string): string[] {
  return [...text.matchAll(/\bfrom\s+"([^"]+)"|\bimport\s*\(?\s*"([^"]+)"/g)].map((m) => (m[1] ?? m[2]) as string);
}

test("the workflow engine imports only itself, base/ and node: modules", () => {
  const files = readdirSync(engine).filter((file) => file.endsWith(".ts"));
  expect(files.length).toBeGreaterThan(20);
  const outside: string[] = [];
  for (const file of files) {
    for (const spec of specifiers(readFileSync(join(engine, file), "utf8"))) {
      if (spec.startsWith("node:")) continue;
      const target = spec.startsWith(".") ? resolve(dirname(join(engine, file)), spec) : undefined;
      if (target !== undefined && allowed.some((dir) => target.startsWith(`${dir}/`))) continue;
      outside.push(`${file} imports ${target ? relative(src, target) : spec}`);
    }
  }
  expect(outside).toEqual([]);
});
