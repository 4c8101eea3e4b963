// Talks to the running server: `npx tsx examples/counter/src/client.ts` while `troupe dev` runs.

import { createClient } from "troupe/client";
import type { registry } from "./registry.ts";

const client = createClient<typeof registry>(process.env.TROUPE_URL ?? "http://127.0.0.1:6420");
const room = client.counter.getOrCreate(["room-1"]);
const conn = room.connect();
conn.on("changed", (count) => console.log("changed:", count));
console.log("increment ->", await conn.increment(1));
console.log("get ->", await room.get());
await client.dispose();
