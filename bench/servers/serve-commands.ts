// The server side of lib/server-process.ts: announce, answer commands, close when stdin ends.
// Every server answers "cpu" with the CPU time it has used (µs, user + system): the work a call
// costs the server, which a shared machine's load changes far less than the wall-clock rates.

import { createInterface } from "node:readline";
import type { Message } from "../lib/server-process.ts";

export type Handlers = Record<string, (command: Message) => Promise<Message> | Message>;

export function serveCommands(info: Message, handlers: Handlers, close: () => Promise<void>): void {
  process.stdout.write(`${JSON.stringify(info)}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const command = JSON.parse(line) as Message;
    const handler = command.cmd === "cpu" ? cpuTime : handlers[String(command.cmd)];
    Promise.resolve(handler ? handler(command) : { error: `unknown command ${String(command.cmd)}` }).then(
      (reply) => process.stdout.write(`${JSON.stringify(reply)}\n`),
      (error: unknown) => process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`),
    );
  });
  lines.on("close", () => {
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exit(1);
      },
    );
  });
}

function cpuTime(): Message {
  const { user, system } = process.cpuUsage();
  return { cpuUs: user + system };
}
