// House style: a source file past 400 lines says why, in a `// Long because ...` line of the comment
// it starts with.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";

const SRC = join(import.meta.dirname, "..", "..", "src");
const MAX_LINES = 400;

/** The comment lines a module starts with. */
function header(lines: string[]): string[] {
  const end = lines.findIndex((line) => !line.startsWith("//"));
  return end === -1 ? lines : lines.slice(0, end);
}

test(`source files over ${MAX_LINES} lines give a reason in their first comment lines ("// Long because ...")`, () => {
  const offenders: string[] = [];
  for (const file of readdirSync(SRC, { recursive: true, encoding: "utf8" }).sort()) {
    if (!file.endsWith(".ts")) continue;
    const lines = readFileSync(join(SRC, file), "utf8").replace(/\n$/, "").split("\n");
    if (lines.length <= MAX_LINES) continue;
    if (!header(lines).some((line) => line.startsWith("// Long because"))) offenders.push(`src/${file}: ${lines.length} lines`);
  }
  expect(offenders, "split these files, or say why they are long").toEqual([]);
});
