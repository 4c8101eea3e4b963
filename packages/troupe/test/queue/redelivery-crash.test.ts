import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { expect, test } from "vitest";

const child = join(import.meta.dirname, "fixtures", "redelivery-child.ts");

/** Runs the child until it prints `until` (then SIGKILLs it); returns the lines it printed. */
function runUntil(path: string, phase: string, until: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", child, path, phase], { stdio: ["ignore", "pipe", "inherit"] });
    const lines: string[] = [];
    createInterface({ input: proc.stdout }).on("line", (line) => {
      lines.push(line);
      if (line === until) proc.kill("SIGKILL");
    });
    proc.on("error", reject);
    // "close" comes after the last line is read; the child may also end on its own once it has
    // printed `until` (nothing keeps it alive), which is as good as being killed there.
    proc.on("close", (code, signal) => {
      if (signal === "SIGKILL" || lines.includes(until)) resolve(lines);
      else reject(new Error(`child exited with ${code ?? signal} before printing "${until}"; it printed ${JSON.stringify(lines)}`));
    });
  });
}

test("a completable message whose consumer was SIGKILLed is delivered again after the restart", { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "troupe-redelivery-"));
  try {
    const path = join(dir, "troupe.db");
    const first = await runUntil(path, "send", "got b 1");
    expect(first.filter((l) => l !== "sent")).toEqual(["got a 1", "done a", "got b 1"]);
    const second = await runUntil(path, "resume", "done c");
    expect(second.filter((l) => l.startsWith("got") || l.startsWith("done"))).toEqual(["got b 2", "done b", "got c 1", "done c"]);
    const third = await runUntil(path, "resume", 'state ["a","b","c"]');
    expect(third).toContain('state ["a","b","c"]');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
