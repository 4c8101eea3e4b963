// Runs the agent in this process: two clients watch the tokens stream in while a third asks.
// `npm start` (in examples/agent). Data goes to .troupe/ in the current folder.

import { createClient } from "troupe";
import { registry } from "./agent.ts";

const client = createClient(registry);
const watcher = client.agent.getOrCreate("agent-123").connect();
const second = client.agent.getOrCreate("agent-123").connect();
watcher.on("token", (delta) => process.stdout.write(String(delta)));
watcher.on("done", () => process.stdout.write("\n"));
let secondTokens = 0;
second.on("token", () => secondTokens++);
await Promise.all([watcher.ready, second.ready]);

const sender = client.agent.getOrCreate("agent-123");
for (const text of ["how many r's in strawberry?", "hello there"]) {
  console.log(`> ${text}`);
  const result = await sender.queue.send({ text }, { wait: true, timeout: 30_000 });
  if (result.status !== "completed") console.log("(no answer in time)");
}
console.log(`(the second client received ${secondTokens} tokens too)`);
await watcher.dispose();
await second.dispose();
await registry.shutdown();
