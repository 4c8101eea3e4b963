// Spawns the CLI as a child process and reads its output line by line.

import { fileURLToPath } from "node:url";
import { spawnTs } from "../support/child-process.ts";
import { LineProcess } from "../support/line-process.ts";

const RUN_CLI = fileURLToPath(new URL("./run-cli.ts", import.meta.url));

export class CliProcess extends LineProcess {
  constructor(args: string[], cwd: string, env: Record<string, string> = {}) {
    super(
      spawnTs(RUN_CLI, args, {
        cwd,
        env: { ...process.env, TROUPE_LOG_LEVEL: "warn", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
  }

  /** The URL it listens on, once it says so. */
  async url(from = 0): Promise<string> {
    return (await this.waitFor(/listening on (http:\/\/\S+)/, from))[1]!;
  }
}
