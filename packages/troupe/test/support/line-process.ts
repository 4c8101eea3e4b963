// A child process whose stdout and stderr are read line by line, for tests that wait for what it
// prints (a server's URL) and end it when they are done, even after a failed assertion (`await using`).

import type { ChildProcess } from "node:child_process";
import { until } from "./until.ts";

export class LineProcess {
  readonly child: ChildProcess;
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;

  /** `child` must have been spawned with stdout and stderr piped. */
  constructor(child: ChildProcess) {
    this.child = child;
    for (const stream of [child.stdout!, child.stderr!]) {
      let partial = "";
      stream.on("data", (chunk: Buffer) => {
        const lines = (partial + chunk.toString("utf8")).split("\n");
        partial = lines.pop() ?? "";
        this.output.push(...lines);
      });
      stream.on("end", () => {
        if (partial !== "") this.output.push(partial);
        partial = "";
      });
    }
    this.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
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
    if (!match) throw new Error(`the process exited: ${failure()}`);
    return match;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.exited;
  }
}
