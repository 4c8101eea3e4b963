// Joins a room through the app's /api/troupe mount, posts a message and prints what arrives.

import { createClient } from "troupe/client";
import type { registry } from "./registry.ts";

const client = createClient<typeof registry>(process.env.APP_URL ?? "http://127.0.0.1:3000/api/troupe");
const room = client.room.getOrCreate(["lobby"]);
const conn = room.connect();
conn.on("message", (message) => console.log(`${message.from}: ${message.text}`));
await conn.post("ada", "hello from the client");
console.log("history:", await room.history());
await client.dispose();
