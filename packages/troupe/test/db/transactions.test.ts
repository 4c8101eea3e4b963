import { actor, setup } from "troupe";
import { db, type SqlTransaction } from "troupe/db";
import { setupTest } from "troupe/test";
import { expect, test } from "vitest";

/** Lets a test hold a transaction open until it says so, and know when it is open. */
function gate() {
  let open!: () => void;
  let began!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const started = new Promise<void>((resolve) => (began = resolve));
  return { open, opened, began, started };
}
const gates = new Map<string, ReturnType<typeof gate>>();

const describeError = (error: unknown) => {
  const { group, code, message } = error as { group?: string; code?: string; message: string };
  return { group, code, message };
};

const ledger = actor({
  db: db({ onMigrate: (tx) => tx.execute("CREATE TABLE IF NOT EXISTS log (n INTEGER, who TEXT)") }),
  actions: {
    insertBoth: (c, a: number, b: number) =>
      c.db.transaction(async (tx) => {
        await tx.execute("INSERT INTO log (n) VALUES (?)", a);
        await tx.execute("INSERT INTO log (n) VALUES (?)", b);
        return "done";
      }),
    insertThenFail: async (c, n: number) => {
      try {
        await c.db.transaction(async (tx) => {
          await tx.execute("INSERT INTO log (n) VALUES (?)", n);
          throw new Error("changed my mind");
        });
      } catch (error) {
        return (error as Error).message;
      }
    },
    /** A transaction that waits for the test's gate halfway through. */
    slow: (c, gateName: string) =>
      c.db.transaction(async (tx) => {
        await tx.execute("INSERT INTO log (n, who) VALUES (1, 'slow')");
        gates.get(gateName)?.began();
        await gates.get(gateName)?.opened;
        await tx.execute("INSERT INTO log (n, who) VALUES (2, 'slow')");
      }),
    insert: (c, n: number, who: string) => c.db.execute("INSERT INTO log (n, who) VALUES (?, ?)", n, who),
    rows: (c) => c.db.execute<{ n: number; who: string | null }>("SELECT n, who FROM log ORDER BY rowid"),
    outerInside: (c) =>
      c.db
        .transaction(async () => {
          await c.db.execute("SELECT 1");
        })
        .catch(describeError),
    nestedOuter: (c) => c.db.transaction(() => c.db.transaction(() => 1)).catch(describeError),
    savepoints: (c) =>
      c.db.transaction(async (tx) => {
        await tx.execute("INSERT INTO log (n) VALUES (10)");
        await tx
          .transaction(async (inner) => {
            await inner.execute("INSERT INTO log (n) VALUES (11)");
            throw new Error("inner only");
          })
          .catch(() => {});
        await tx.transaction((inner) => inner.execute("INSERT INTO log (n) VALUES (12)"));
      }),
    expire: async (c) => {
      let late: unknown;
      const kept: { tx?: SqlTransaction } = {};
      const result = await c.db
        .transaction(
          async (tx) => {
            kept.tx = tx;
            await tx.execute("INSERT INTO log (n) VALUES (99)");
            await new Promise((resolve) => setTimeout(resolve, 200));
            late = await tx.execute("INSERT INTO log (n) VALUES (100)").catch(describeError);
          },
          { timeout: 50 },
        )
        .catch(describeError);
      await new Promise((resolve) => setTimeout(resolve, 250));
      return { result, late };
    },
    reuse: async (c) => {
      const kept: { tx?: SqlTransaction } = {};
      await c.db.transaction((tx) => {
        kept.tx = tx;
      });
      return kept.tx!.execute("SELECT 1").catch(describeError);
    },
    queueFull: async (c, gateName: string) => {
      const held = c.db.transaction(() => gates.get(gateName)?.opened);
      const waiting = Array.from({ length: 129 }, (_, i) => c.db.execute("SELECT ?", i).then(() => "ok", describeError));
      gates.get(gateName)?.open();
      await held;
      const results = await Promise.all(waiting);
      return { ok: results.filter((r) => r === "ok").length, failed: results.filter((r) => r !== "ok") };
    },
  },
});
const registry = setup({ use: { ledger } });

test("a transaction commits all of its statements", async () => {
  const t = setupTest(registry);
  const h = t.client.ledger.getOrCreate(["a"]);
  expect(await h.insertBoth(1, 2)).toBe("done");
  expect((await h.rows()).map((r) => r.n)).toEqual([1, 2]);
});

test("a transaction whose callback throws is rolled back, and the error reaches the caller", async () => {
  const t = setupTest(registry);
  const h = t.client.ledger.getOrCreate(["a"]);
  expect(await h.insertThenFail(7)).toBe("changed my mind");
  expect(await h.rows()).toEqual([]);
  // A failed transaction leaves the database usable.
  await h.insertBoth(3, 4);
  expect((await h.rows()).map((r) => r.n)).toEqual([3, 4]);
});

test("other SQL waits for a transaction to end, then runs in arrival order", async () => {
  const t = setupTest(registry);
  const h = t.client.ledger.getOrCreate(["a"]);
  const g = gate();
  gates.set("fifo", g);
  const slow = h.slow("fifo");
  await g.started;
  const others = [h.insert(3, "first"), h.insert(4, "second"), h.insertBoth(5, 6), h.insert(7, "third")];
  // Give the calls time to reach the database and park behind the transaction.
  await new Promise((resolve) => setTimeout(resolve, 20));
  g.open();
  await Promise.all([slow, ...others]);
  expect(await h.rows()).toEqual([
    { n: 1, who: "slow" },
    { n: 2, who: "slow" },
    { n: 3, who: "first" },
    { n: 4, who: "second" },
    { n: 5, who: null },
    { n: 6, who: null },
    { n: 7, who: "third" },
  ]);
});

test("using the outer c.db inside its own transaction fails at once instead of deadlocking", async () => {
  const t = setupTest(registry);
  const h = t.client.ledger.getOrCreate(["a"]);
  expect(await h.outerInside()).toMatchObject({ group: "sqlite", code: "transaction_reentrant", message: expect.stringContaining("tx") });
  expect(await h.nestedOuter()).toMatchObject({ code: "transaction_reentrant" });
  // Nested transactions go through `tx` as savepoints: the failed one alone is undone.
  await h.savepoints();
  expect((await h.rows()).map((r) => r.n)).toEqual([10, 12]);
});

test("a transaction past its timeout is rolled back; its handle then refuses to run", async () => {
  const t = setupTest(registry);
  const h = t.client.ledger.getOrCreate(["a"]);
  const { result, late } = await h.expire();
  expect(result).toMatchObject({
    group: "sqlite",
    code: "transaction_expired",
    message: "The transaction expired after 50 ms and was rolled back.",
  });
  expect(late).toMatchObject({ code: "transaction_expired" });
  expect(await h.rows()).toEqual([]);
  expect(await h.reuse()).toMatchObject({ code: "transaction_closed", message: expect.stringContaining("already committed") });
});

test("at most 128 calls wait behind a transaction; the next fails with sqlite.transaction_queue_full", async () => {
  const t = setupTest(registry);
  gates.set("full", gate());
  const { ok, failed } = await t.client.ledger.getOrCreate(["a"]).queueFull("full");
  expect(ok).toBe(128);
  expect(failed).toEqual([expect.objectContaining({ group: "sqlite", code: "transaction_queue_full" })]);
});
