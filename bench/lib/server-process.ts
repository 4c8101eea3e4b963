// A server (Troupe, or a bare floor) in a process of its own, so that it has a core of its own as
// a real server would and the client's work is not counted against it. It is driven by JSON
// lines: its first stdout line describes it, and each command written to its stdin gets one reply.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { nodeFlags, ROOT } from "./build.ts";

export type Message = Record<string, unknown>;

export interface ServerProcess extends AsyncDisposable {
  /** What the server printed first, e.g. its URL. */
  readonly info: Message;
  command(command: Message): Promise<Message>;
  /** The CPU time the server has used so far, in µs (see servers/serve-commands.ts). */
  cpuUs(): Promise<number>;
}

/** Starts bench/servers/<script> (it inherits the environment, so it runs the same build). */
export async function startServer(script: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeFlags(), `bench/servers/${script}`], { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Message> => {
    const line = await lines.next();
    if (line.done) throw new Error(`bench/servers/${script} exited early`);
    return JSON.parse(line.value) as Message;
  };
  const info = await next();
  const command = (message: Message) => {
    child.stdin.write(`${JSON.stringify(message)}\n`);
    return next();
  };
  return {
    info,
    command,
    cpuUs: async () => Number((await command({ cmd: "cpu" })).cpuUs),
    async [Symbol.asyncDispose]() {
      const exited = once(child, "exit");
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
