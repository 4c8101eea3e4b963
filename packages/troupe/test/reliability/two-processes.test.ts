// Two processes on one SQLite storage file: the file has one owner at a time. The second process is
// refused at once, with an error that names the owner; the owner's lock goes with it however it
// ends (SIGKILL included), so the next process takes the file and finds every acknowledged write.

import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { expect, onTestFinished, test } from "vitest";
import { spawnTs } from "../support/child-process.ts";
import { tempDir } from "../support/temp-dir.ts";
import { until } from "../support/until.ts";

const child = join(import.meta.dirname, "fixtures", "owner-child.ts");
const ACTORS = 4;

interface Running {
  process: ChildProcess;
  lines: string[];
  exit: Promise<number | null>;
}

function start(path: string): Running {
  const proc = spawnTs(child, [path, String(ACTORS)], { stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  createInterface({ input: proc.stdout! }).on("line", (line) => lines.push(line));
  const exit = new Promise<number | null>((resolve) => proc.on("close", (code) => resolve(code)));
  onTestFinished(() => {
    proc.kill("SIGKILL");
  });
  return { process: proc, lines, exit };
}

const first = (run: Running) => run.lines[0] ?? "";

test("two processes started at once on one file: one owns it, the other is refused naming it", { timeout: 60_000 }, async () => {
  const path = join(tempDir("troupe-two-processes-"), "troupe.db");
  const runs = [start(path), start(path)];
  await until("both processes answered", () => runs.every((run) => run.lines.length > 0), { timeout: 30_000 });
  const owner = runs.find((run) => first(run).startsWith("ready "));
  const refused = runs.find((run) => first(run).startsWith("refused "));
  expect(owner, `first lines: ${runs.map(first).join(" | ")}`).toBeDefined();
  expect(refused, `first lines: ${runs.map(first).join(" | ")}`).toBeDefined();
  expect(await refused!.exit).toBe(3);
  const message = first(refused!);
  expect(message).toContain('"group":"storage","code":"locked"');
  // The refusal names the owner and says what to do.
  expect(message).toContain(`process ${owner!.process.pid} on host`);
  expect(message).toContain("stop that process");

  // The owner serves; once it is SIGKILLed, a new process takes the file: no stale lock is left.
  await until("acknowledged increments", () => owner!.lines.filter((l) => l.startsWith("ack ")).length >= 50, { timeout: 30_000 });
  owner!.process.kill("SIGKILL");
  await owner!.exit;
  const acked = new Map<number, number>();
  for (const line of owner!.lines) {
    const [kind, i, value] = line.split(" ");
    if (kind === "ack") acked.set(Number(i), Math.max(acked.get(Number(i)) ?? 0, Number(value)));
  }
  const next = start(path);
  await until("the next process read every count", () => next.lines.filter((l) => l.startsWith("state ")).length === ACTORS, {
    timeout: 30_000,
    detail: () => next.lines.slice(0, 3).join(" | "),
  });
  expect(first(next)).toBe(`ready ${next.process.pid}`);
  for (const line of next.lines.filter((l) => l.startsWith("state "))) {
    const [, i, value] = line.split(" ");
    expect(Number(value), `actor c${i}`).toBeGreaterThanOrEqual(acked.get(Number(i)) ?? 0);
  }
});
