// Child processes for the crash and CLI tests: a TypeScript file run by Node under tsx, whose
// stdout is read line by line; the parent SIGKILLs it at a chosen line, or the child kills itself.

import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { writeSync } from "node:fs";
import { createRequire } from "node:module";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

// Resolved here, so that a child started in another folder (a temporary project) finds it too.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** Starts `file` in a new Node process: under tsx if it is TypeScript (a bundle is JavaScript, bundled-child.ts). */
export function spawnTs(file: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [...(file.endsWith(".ts") ? ["--import", TSX] : []), file, ...args], options);
}

export interface ChildRun {
  /** Every line the child printed to stdout, to its last. */
  readonly lines: string[];
  /** Whether it ended by SIGKILL (the parent's or its own). */
  readonly killed: boolean;
  /** Its exit code, when it exited by itself. */
  readonly code: number | null;
}

/**
 * Runs `file` to its end, SIGKILLing it at the first line for which `killWhen` returns true. Resolves
 * once every line it printed is read, so lines printed just before the kill are there too. Its
 * stderr goes to the test's.
 */
export function runChild(file: string, args: readonly string[], killWhen: (line: string) => boolean = () => false): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawnTs(file, args, { stdio: ["ignore", "pipe", "inherit"] });
    const lines: string[] = [];
    createInterface({ input: child.stdout! }).on("line", (line) => {
      lines.push(line);
      if (!child.killed && killWhen(line)) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ lines, killed: signal === "SIGKILL", code }));
  });
}

/** Runs a child that never ends by itself until `killWhen` says so; fails if it ended first. */
export async function runUntilKilled(file: string, args: readonly string[], killWhen: (line: string) => boolean): Promise<string[]> {
  const run = await runChild(file, args, killWhen);
  if (!run.killed) throw new Error(`${basename(file)} exited with code ${run.code} before it was killed`);
  return run.lines;
}

/**
 * For the child: prints one line to stdout synchronously, so that a line about a write the child
 * saw acknowledged is out before any SIGKILL can cut it off.
 */
export function printLine(line: string): void {
  const bytes = Buffer.from(`${line}\n`);
  // A pipe takes a long line in parts (and may be full for a moment): write until all of it is out.
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      if ((error as { code?: string }).code !== "EAGAIN") throw error;
    }
  }
}
