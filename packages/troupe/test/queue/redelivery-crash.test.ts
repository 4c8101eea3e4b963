import { join } from "node:path";
import { expect, test } from "vitest";
import { runChild } from "../support/child-process.ts";
import { tempDir } from "../support/temp-dir.ts";

const child = join(import.meta.dirname, "fixtures", "redelivery-child.ts");

/** Runs the child until it prints `last` (then SIGKILLs it); returns the lines it printed. */
async function runUntil(path: string, phase: string, last: string): Promise<string[]> {
  const { lines, killed, code } = await runChild(child, [path, phase], (line) => line === last);
  // The child may also end on its own once it has printed `last` (nothing keeps it alive), which
  // is as good as being killed there.
  if (!killed && !lines.includes(last)) {
    throw new Error(`child exited with ${code} before printing "${last}"; it printed ${JSON.stringify(lines)}`);
  }
  return lines;
}

test("a completable message whose consumer was SIGKILLed is delivered again after the restart", { timeout: 60_000 }, async () => {
  const path = join(tempDir("troupe-redelivery-"), "troupe.db");
  const first = await runUntil(path, "send", "got b 1");
  expect(first.filter((l) => l !== "sent")).toEqual(["got a 1", "done a", "got b 1"]);
  const second = await runUntil(path, "resume", "done c");
  expect(second.filter((l) => l.startsWith("got") || l.startsWith("done"))).toEqual(["got b 2", "done b", "got c 1", "done c"]);
  const third = await runUntil(path, "resume", 'state ["a","b","c"]');
  expect(third).toContain('state ["a","b","c"]');
});
