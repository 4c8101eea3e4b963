import { actor, setup } from "troupe";
import { expect, test } from "vitest";

test("unknown config keys are rejected with the list of known keys", () => {
  expect(() => actor({ state: {}, onStart: () => {} } as never)).toThrow(
    /Unknown actor config key "onStart"\. Known keys: state, vars, connState, actions, createState/,
  );
});

test("state and createState together are rejected", () => {
  expect(() => actor({ state: {}, createState: () => ({}) } as never)).toThrow(/either `state` or `createState`/);
});

test("unknown or invalid options are rejected", () => {
  expect(() => actor({ options: { sleepTimout: 5 } } as never)).toThrow(/Unknown actor option "sleepTimout"/);
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
  expect(() => setup({ use: {}, nope: 1 } as never)).toThrow(/Unknown registry config key nope/);
});
