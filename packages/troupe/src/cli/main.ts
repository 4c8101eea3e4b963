// The `troupe` command line: `troupe dev [file]`, `troupe start [file]`, `troupe init <dir>`.

import { commandUsage, parseServeArgs, USAGE } from "./args.ts";
import { runCluster } from "./cluster.ts";
import { runDev } from "./dev.ts";
import { runInit } from "./init.ts";
import { runStart } from "./serve.ts";
import { packageVersion } from "./version.ts";

/** Runs the CLI; resolves to an exit code for errors, or keeps serving until a signal. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return 0;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    console.log(packageVersion());
    return 0;
  }
  if (command === "init") return runInit(rest, process.cwd());
  if (command === "cluster") return runCluster(rest, process.env);
  if (command !== "dev" && command !== "start") {
    console.error(`Unknown command "${command}".\n\n${USAGE}`);
    return 1;
  }
  let args: ReturnType<typeof parseServeArgs>;
  try {
    args = parseServeArgs(rest, process.env);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${commandUsage(command)}`);
    return 1;
  }
  if (args === "help") {
    console.log(commandUsage(command));
    return 0;
  }
  try {
    await (command === "dev" ? runDev(args) : runStart(args));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  }
  return 0;
}
