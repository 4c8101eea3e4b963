// What a browser app's code does: only troupe/client, with the registry's type, no Node types.

import { createClient, isActorError } from "troupe/client";
import type { registry } from "./registry.ts";

export async function increment(url: string): Promise<number> {
  const client = createClient<typeof registry>(url);
  const conn = client.counter.getOrCreate(["browser"]).connect();
  conn.on("changed", (count: number) => (document.title = String(count)));
  try {
    return await conn.increment(1);
  } catch (error) {
    if (isActorError(error)) return -1;
    throw error;
  } finally {
    await client.dispose();
  }
}
