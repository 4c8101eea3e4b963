// Spawns the CLI as a child process and reads its output line by line.

import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { spawnTs } from "../support/child-process.ts";
import { until } from "../support/until.ts";

const RUN_CLI = fileURLToPath(new URL("./run-cli.ts", import.meta.url));

export class CliProcess {
  readonly child: ChildProcess;
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(args: string[], cwd: string, env: Record<string, string> = {}) {
    this.child = spawnTs(RUN_CLI, args, {
      cwd,
      env: { ...process.env, TROUPE_LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let partial = "";
      stream.on("data", (chunk: Buffer) => {
        const lines = (partial + chunk.toString("utf8")).split("\n");
        partial = lines.pop() ?? "";
        this.output.push(...lines);
      });
    }
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => resolve(code)));
  }

  /** Waits for a line matching `pattern` (after `from` lines) and returns its match. */
  async waitFor(pattern: RegExp, from = 0, ms = 20_000): Promise<RegExpMatchArray> {
    const find = () => {
      for (const line of this.output.slice(from)) {
        const match = pattern.exec(line);
        if (match) return match;
      }
      return null;
    };
    const ended = () => this.child.exitCode !== null || this.child.signalCode !== null;
    const failure = () => `expected a line matching ${pattern}; output was:\n${this.output.join("\n")}`;
    await until(`a line matching ${pattern}`, () => find() !== null || ended(), { timeout: ms, detail: failure });
    const match = find();
    if (!match) throw new Error(`the CLI exited: ${failure()}`);
    return match;
  }

  /** The URL it listens on, once it says so. */
  async url(from = 0): Promise<string> {
    return (await this.waitFor(/listening on (http:\/\/\S+)/, from))[1]!;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.exited;
  }
}
