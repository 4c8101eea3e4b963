import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CODES } from "troupe";
import { expect, test } from "vitest";
import { ERRORS_DOC, renderErrorsDoc } from "../../../../scripts/errors-doc.ts";

test("docs/errors.md lists every error code (run `npm run docs:errors` to update it)", () => {
  expect(readFileSync(ERRORS_DOC, "utf8")).toBe(renderErrorsDoc());
});

test("every error code the source can throw is in the table", () => {
  const src = join(import.meta.dirname, "..", "..", "src");
  const thrown = new Set<string>();
  for (const file of readdirSync(src, { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".ts")) continue;
    const text = readFileSync(join(src, file), "utf8");
    for (const match of text.matchAll(/new ActorError\(\s*"(\w+)",\s*"(\w+)"/g)) thrown.add(`${match[1]}.${match[2]}`);
  }
  const missing = [...thrown].filter((code) => !(code in ERROR_CODES));
  expect(missing).toEqual([]);
});
