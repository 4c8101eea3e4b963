import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { afterEach, expect, test, vi } from "vitest";
import { newActorId } from "../../src/host/actor-id.ts";

const VERSION_7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

afterEach(() => {
  vi.useRealTimers();
});

test("an actor id is a version 7 UUID whose first 48 bits are the time it was made", () => {
  const at = Date.UTC(2026, 10, 27, 12, 0, 0, 123);
  const id = newActorId(at);
  expect(id).toMatch(VERSION_7);
  expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
});

test("ids made later sort after ids made earlier; ids of the same millisecond differ", () => {
  const ids = Array.from({ length: 2000 }, (_, i) => newActorId(1_700_000_000_000 + Math.floor(i / 100)));
  const times = (list: string[]) => list.map((id) => id.slice(0, 13));
  expect(times([...ids].sort())).toEqual(times(ids));
  expect(new Set(ids).size).toBe(ids.length);
});

test("actors get time-ordered ids in the order they are created", async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.UTC(2026, 0, 1) });
  const registry = setup({ use: { counter: actor({ state: { count: 0 }, actions: { id: (c: { actorId: string }) => c.actorId } }) } });
  const t = setupTest(registry);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    ids.push(await t.client.counter.getOrCreate([`k${i}`]).id());
    vi.setSystemTime(Date.now() + 1);
  }
  for (const id of ids) expect(id).toMatch(VERSION_7);
  expect(ids[0]?.slice(0, 13)).toBe(newActorId(Date.UTC(2026, 0, 1)).slice(0, 13));
  expect([...ids].sort()).toEqual(ids);
});
