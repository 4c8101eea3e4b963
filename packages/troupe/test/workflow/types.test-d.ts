import { actor, queue } from "troupe";
import { Loop, type WorkflowMessage, workflow } from "troupe/workflow";
import { expectTypeOf, test } from "vitest";

test("the workflow context is typed from the actor it runs in", () => {
  actor({
    state: { count: 0 },
    vars: { label: "x" },
    queues: { jobs: queue<{ n: number }, { ok: boolean }>(), other: queue<string>() },
    run: workflow(async (ctx) => {
      const n = await ctx.step("read", (c) => {
        expectTypeOf(c.state).toEqualTypeOf<{ count: number }>();
        expectTypeOf(c.vars).toEqualTypeOf<{ label: string }>();
        expectTypeOf(c.attempt).toEqualTypeOf<number>();
        return c.state.count;
      });
      expectTypeOf(n).toEqualTypeOf<number>();
      const job = await ctx.queue.next("job", { names: ["jobs"], completable: true });
      expectTypeOf(job.body).toEqualTypeOf<{ n: number }>();
      expectTypeOf(job.name).toEqualTypeOf<"jobs">();
      await job.complete?.({ ok: true });
      // @ts-expect-error: not the completion type of "jobs"
      await job.complete?.({ ok: "yes" });
      const maybe = await ctx.queue.next("maybe", { names: ["other"], timeout: 1_000 });
      expectTypeOf(maybe).toEqualTypeOf<({ name: "other" } & WorkflowMessage<string, never>) | undefined>();
      // @ts-expect-error: no such queue
      await ctx.queue.next("bad", { names: ["missing"] });
      const both = await ctx.join("both", { a: async () => 1, b: { run: async () => "two" } });
      expectTypeOf(both).toEqualTypeOf<{ a: number; b: string }>();
      const total = await ctx.loop({ name: "sum", state: 0, run: async (_ctx, i) => (i > 3 ? Loop.break(`${i}`) : Loop.continue(i + 1)) });
      expectTypeOf(total).toEqualTypeOf<string>();
    }),
  });
});
