import { actor, setup } from "troupe";
import { expect, test, vi } from "vitest";

test("an unknown config key is ignored with a warning naming the nearest known key (docs/compatibility.md)", () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  actor({ state: {}, onWakee: () => {} } as never);
  expect(warn).toHaveBeenCalledWith(expect.stringMatching(/unknown actor\(\) config key "onWakee" is ignored\. Did you mean "onWake"\?/));
  warn.mockRestore();
});

test("state and createState together are rejected", () => {
  expect(() => actor({ state: {}, createState: () => ({}) } as never)).toThrow(/either `state` or `createState`/);
});

test("an unknown option is ignored with a warning; an invalid one is rejected", () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  actor({ options: { sleepTimout: 5 } } as never);
  expect(warn).toHaveBeenCalledWith(
    expect.stringMatching(/unknown actor\(\) option "sleepTimout" is ignored\. Did you mean "sleepTimeout"\?/),
  );
  warn.mockRestore();
  expect(() => actor({ options: { sleepTimeout: -1 } })).toThrow(/options.sleepTimeout must be a non-negative number/);
});

test("hooks must be functions and actions must be functions or objects", () => {
  expect(() => actor({ onWake: 5 } as never)).toThrow(/`onWake` must be a function/);
  expect(() => actor({ actions: { a: 5 } } as never)).toThrow(/Action "a" must be a function/);
});

test("nested actions flatten to dotted names", () => {
  const def = actor({ actions: { a: { b: () => 1, c: { d: () => 2 } }, e: () => 3 } });
  expect([...def.actions.keys()]).toEqual(["a.b", "a.c.d", "e"]);
});

test("setup validates names and definitions", () => {
  expect(() => setup({ use: { "bad name": actor({}) } })).toThrow(/Actor name "bad name" is invalid/);
  expect(() => setup({ use: { x: {} as never } })).toThrow(/not an actor definition/);
  expect(() => setup({ use: {}, usee: 1 } as never)).not.toThrow();
});
