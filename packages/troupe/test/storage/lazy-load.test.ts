// `import "troupe"` must not load better-sqlite3: it is loaded when a SQLite database is opened,
// so that the package imports where the native module is missing or unwanted (memory storage,
// another runtime's SQLite, a client-only process).

import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";

const child = join(import.meta.dirname, "fixtures", "lazy-load-child.ts");

test("better-sqlite3 is loaded only when an actor's database is first opened", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", child]);
  const steps = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { step: string; loaded: boolean });
  expect(steps).toEqual([
    { step: "import", loaded: false },
    { step: "an actor on the memory storage", loaded: false },
    // What shows that the child sees better-sqlite3 once it is loaded.
    { step: "an actor with a database on the memory storage", loaded: true },
  ]);
});
