// Calls the counter over the network. Start the server first (`npm run dev`), then `npm run client`.

import { createClient } from "troupe/client";
import type { registry } from "./registry.ts";

const client = createClient<typeof registry>(process.env.TROUPE_URL ?? "http://127.0.0.1:6420");
const counter = client.counter.getOrCreate("my-counter");

// A connection receives the events the actor broadcasts.
const conn = counter.connect();
const changed = new Promise<number>((resolve) => conn.once("changed", resolve));
await conn.ready;
console.log(`increment -> ${await conn.increment(1)}`);
console.log(`changed event -> ${await changed}`);
// A stateless call, without a connection.
console.log(`getCount -> ${await counter.getCount()}`);
await client.dispose();
