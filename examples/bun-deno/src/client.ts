// Connects to the counter, increments it and prints what it hears: run it with the same runtime
// (`bun src/client.ts`, `deno run -A src/client.ts`) or Node (`npx tsx src/client.ts`).

import { createClient } from "troupe/client";
import type { registry } from "./registry.ts";

const client = createClient<typeof registry>(process.env.TROUPE_URL ?? "http://127.0.0.1:3000/api/troupe");
const conn = client.counter.getOrCreate(["shared"]).connect();
const heard = new Promise<number>((resolve) => conn.on("changed", resolve));
const count = await conn.increment(1);
console.log(`increment -> ${count}`);
console.log(`event -> ${await heard}`);
await client.dispose();
