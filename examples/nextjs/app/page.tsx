"use client";
// Calls the counter through the app's own /api/troupe routes (HTTP: route handlers take no WebSockets).

import { useState } from "react";
import { createClient } from "troupe/client";
import type { registry } from "../src/registry.ts";

const client = createClient<typeof registry>(`${globalThis.location?.origin ?? "http://localhost:3000"}/api/troupe`);

export default function Page() {
  const [count, setCount] = useState<number | undefined>(undefined);
  const increment = async () => setCount(await client.counter.getOrCreate(["page"]).increment(1));
  return (
    <main>
      <p>Count: {count ?? "press the button"}</p>
      <button type="button" onClick={increment}>
        Increment
      </button>
    </main>
  );
}
