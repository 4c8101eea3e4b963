// The same registry in-process, with troupe/test's setupTest outside a test runner; and the
// compile-time checks a consumer relies on (they fail the type check if the types regress).

import { createClient } from "troupe";
import { setupTest } from "troupe/test";
import { registry } from "./registry.ts";

const t = setupTest(registry, { storage: "memory" });
const conn = t.client.counter.getOrCreate(["in-process"]).connect();
const seen: number[] = [];
conn.on("changed", (count) => seen.push(count));
// @ts-expect-error a misspelt event name
conn.on("chnaged", () => {});
await conn.ready;
const count: number = await conn.increment(4);
await t.cleanup();

console.log(JSON.stringify({ count, seen }));

/** Never called: what must not compile. */
export function typeErrors() {
  const local = createClient(registry);
  // @ts-expect-error increment takes a number
  void local.counter.getOrCreate("x").increment("1");
  // @ts-expect-error no such actor
  void local.counters;
  // @ts-expect-error the registry's runtime (and the host inside it) is not public
  void registry.runtime();
}
