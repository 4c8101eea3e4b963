// Calls the served registry from another process with troupe/client; prints one JSON line.

import { createClient } from "troupe/client";
import type { registry } from "./registry.ts";

const client = createClient<typeof registry>(process.env.TROUPE_URL ?? "http://127.0.0.1:6420");
const counter = client.counter.getOrCreate(["consumer"]);
const conn = counter.connect();
const events: number[] = [];
conn.on("changed", (count) => events.push(count));
await conn.ready;
const counts = [await conn.increment(2), await counter.increment(3)];
const error = await counter.increment(0).catch((e: { code?: string }) => e.code);
await client.greeter.getOrCreate(["g"]).queue.names.send("ada");
let greeted: string[] = [];
for (let i = 0; i < 100 && greeted.length === 0; i++) {
  greeted = await client.greeter.getOrCreate(["g"]).greeted();
  if (greeted.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
}
console.log(JSON.stringify({ counts, events, error, logged: await counter.logged(), greeted }));
await client.dispose();
