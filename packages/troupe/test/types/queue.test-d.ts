import { actor, createClient, queue, setup } from "troupe";
import { describe, expectTypeOf, test } from "vitest";

interface Job {
  n: number;
}

const worker = actor({
  queues: { jobs: queue<Job, { doubled: number }>(), notes: queue<string>() },
  run: async (c) => {
    for await (const m of c.queue.iter({ names: ["jobs"], completable: true })) {
      expectTypeOf(m.body).toEqualTypeOf<Job>();
      await m.complete({ doubled: m.body.n * 2 });
    }
  },
  actions: {
    any: async (c) => {
      const m = await c.queue.next();
      if (m?.name === "notes") expectTypeOf(m.body).toEqualTypeOf<string>();
      if (m?.name === "jobs") expectTypeOf(m.body).toEqualTypeOf<Job>();
      // @ts-expect-error: no such queue
      await c.queue.send("nope", 1);
      await c.queue.send("notes", "hi");
    },
  },
});
const open = actor({
  run: async (c) => {
    const m = await c.queue.next({ names: ["anything"] });
    expectTypeOf(m?.body).toEqualTypeOf<unknown>();
  },
});
const registry = setup({ use: { worker, open } });
const client = createClient<typeof registry>(registry);

describe("queue types flow from the declarations to senders and consumers", () => {
  test("sends are checked against the declared message types", () => {
    const h = client.worker.getOrCreate("w");
    expectTypeOf(h.send("jobs", { n: 1 })).toEqualTypeOf<Promise<void>>();
    expectTypeOf(h.send("jobs", { n: 1 }, { wait: true })).toEqualTypeOf<
      Promise<{ status: "completed"; response?: { doubled: number } } | { status: "timedOut" }>
    >();
    expectTypeOf(h.queue.notes.send("x")).toEqualTypeOf<Promise<void>>();
    // @ts-expect-error: wrong body type
    void h.send("jobs", { n: "1" });
    // @ts-expect-error: undeclared queue
    void h.queue.nope.send(1);
  });

  test("an actor without declarations takes any queue name and body", () => {
    const h = client.open.getOrCreate("o");
    expectTypeOf(h.send("whatever", { any: 1 })).toEqualTypeOf<Promise<void>>();
    expectTypeOf(h.queue.send(42)).toEqualTypeOf<Promise<void>>();
  });
});
