import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { expect, test } from "vitest";

const ledger = actor({
  state: { entries: [] as string[] },
  actions: {
    append: (c, entry: string) => {
      c.state.entries.push(entry);
      return c.state.entries.length;
    },
    entries: (c) => c.state.entries,
  },
});

const clerk = actor({
  state: { forwarded: 0 },
  actions: {
    // Calls another actor through the typed client every actor has. An actor that names its own
    // registry's type needs an explicit return type, or TypeScript sees a cycle.
    record: async (c, book: string, entry: string): Promise<number> => {
      const client = c.client<typeof registry>();
      const size = await client.ledger.getOrCreate(book).append(entry);
      c.state.forwarded++;
      return size;
    },
    identity: (c) => ({ name: c.name, key: c.key, id: c.actorId, hasLog: typeof c.log.info === "function" }),
  },
});

const relaxed = actor({
  state: { value: 0 },
  actions: {
    setAndSave: async (c, value: number) => {
      c.state.value = value;
      await c.saveState({ immediate: true });
    },
    read: (c) => c.state.value,
  },
  options: { durability: "relaxed", stateSaveInterval: 60_000 },
});

const registry = setup({ use: { ledger, clerk, relaxed } });

test("c.client() calls other actors of the registry", async () => {
  const t = setupTest(registry);
  const desk = t.client.clerk.getOrCreate("desk");
  expect(await desk.record("book-1", "first")).toBe(1);
  expect(await desk.record("book-1", "second")).toBe(2);
  expect(await t.client.ledger.get("book-1").entries()).toEqual(["first", "second"]);
});

test("c.name, c.key, c.actorId and c.log describe the actor", async () => {
  const t = setupTest(registry);
  const h = t.client.clerk.getOrCreate(["a", "b"]);
  expect(await h.identity()).toEqual({ name: "clerk", key: ["a", "b"], id: await h.resolve(), hasLog: true });
});

test("saveState({ immediate: true }) makes a relaxed actor's change durable before it returns", async () => {
  const t = setupTest(registry);
  await t.client.relaxed.getOrCreate("r").setAndSave(41);
  await t.client.relaxed.getOrCreate("lost").setAndSave(1);
  // A crash right after the calls: the saved changes are on disk although the save interval is a minute.
  await t.crash();
  expect(await t.client.relaxed.getOrCreate("r").read()).toBe(41);
  expect(await t.client.relaxed.getOrCreate("lost").read()).toBe(1);
});

test("without saveState a relaxed actor's latest change is lost in a crash (what relaxed means)", async () => {
  const t = setupTest(registry);
  const h = t.client.relaxed.getOrCreate("r");
  await h.setAndSave(1);
  const instance = t.host.instances.get(await h.resolve());
  (instance?.state as { value: number }).value = 2;
  await t.crash();
  expect(await h.read()).toBe(1);
});
