// The child-process side of a workload: parse its parameters, run it, print one JSON line.

import type { Results } from "./result.ts";

/** Parameters a workload was started with (`--name=value`); the runner always passes all of them. */
export class Params {
  readonly #values = new Map<string, string>();

  constructor(argv: string[]) {
    for (const arg of argv) {
      const match = /^--([^=]+)=(.*)$/.exec(arg);
      if (!match) throw new Error(`Unexpected workload argument ${arg}; expected --name=value.`);
      this.#values.set(match[1] as string, match[2] as string);
    }
  }

  string(name: string): string {
    const value = this.#values.get(name);
    if (value === undefined) throw new Error(`Missing workload parameter --${name}.`);
    return value;
  }

  int(name: string): number {
    const value = Number(this.string(name));
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer.`);
    return value;
  }
}

/** Runs `main` and writes its results to stdout as one JSON line, then exits (open handles or not). */
export function runWorkload(main: (params: Params) => Promise<Results>): void {
  main(new Params(process.argv.slice(2))).then(
    (results) => {
      process.stdout.write(`${JSON.stringify({ results })}\n`, () => process.exit(0));
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
