// Determinism enforced, not only asked for: in workflow body code (outside its steps) `Date` and
// `Math.random` give the scope's recorded time and seeded randomness, and the timer functions
// throw, as in Temporal's workflow sandbox. The globals are wrapped when a body starts; a wrapper
// asks an AsyncLocalStorage whether body code is running and otherwise calls what it wraps.

import { type AsyncLocalStorage, createAsyncLocalStorage } from "../../../base/async-context.ts";
import { workflowErrors } from "./errors.ts";

/** Where body code gets its time and randomness: the scope (body, branch, iteration) it runs in. */
export interface BodySource {
  now(): number;
  random(): number;
}

let store: AsyncLocalStorage<BodySource | undefined> | undefined;
/** Which body (if any) the running code belongs to; created when the first workflow runs. */
function bodies(): AsyncLocalStorage<BodySource | undefined> {
  store ??= createAsyncLocalStorage();
  return store;
}
/** Each wrapper installed here, and what it wraps. */
const inners = new WeakMap<object, unknown>();
const TIMERS = ["setTimeout", "setInterval", "setImmediate"] as const;
type Timer = (...args: never[]) => unknown;

/** Runs `fn` as body code of `source`: what it starts, and every continuation of it, is body code too. */
export function inBody<T>(source: BodySource, fn: () => T): T {
  guardGlobals();
  return bodies().run(source, fn);
}

/** Runs `fn` as ordinary code: the engine's operations and the steps they start. */
export function outsideBody<T>(fn: () => T): T {
  // Not `bodies.exit`: on Node 20 it disables the storage, and body code that `fn` starts (a
  // branch, an iteration) enables it again, bringing back the store `fn` was to run without.
  return bodies().run(undefined, fn);
}

/** The process's clock (a fake one under fake timers), even in body code. */
export function systemNow(): number {
  const current = globalThis.Date;
  return ((inners.get(current) as DateConstructor | undefined) ?? current).now();
}

/** The process's randomness, even in body code. */
export function systemRandom(): number {
  const current = Math.random;
  return ((inners.get(current) as (() => number) | undefined) ?? current)();
}

/**
 * Wraps whichever globals are not wrapped: on first use, and again when something (fake timers,
 * a spy) replaced a wrapper since. A wrapper inherits from what it wraps, so the properties of
 * that (a fake clock's markers, a spy's calls, `util.promisify.custom`) stay reachable.
 */
function guardGlobals(): void {
  if (!inners.has(globalThis.Date)) globalThis.Date = wrapDate(globalThis.Date);
  if (!inners.has(Math.random)) Math.random = wrapRandom(Math.random);
  const timers = globalThis as unknown as Record<(typeof TIMERS)[number], Timer>;
  for (const name of TIMERS) if (!inners.has(timers[name])) timers[name] = wrapTimer(name, timers[name]);
}

function wrapped<T extends Timer>(wrapper: T, inner: T): T {
  Object.setPrototypeOf(wrapper, inner);
  Object.defineProperty(wrapper, "name", { value: inner.name });
  Object.defineProperty(wrapper, "length", { value: inner.length });
  inners.set(wrapper, inner);
  return wrapper;
}

function wrapDate(inner: DateConstructor): DateConstructor {
  // A function, not a Proxy or subclass: dates keep the prototype (and constructor) they had, and
  // only `new Date()` and `Date.now` cost one store lookup.
  function WorkflowDate(...args: unknown[]): unknown {
    const source = bodies().getStore();
    if (new.target === undefined) return source ? new inner(source.now()).toString() : inner();
    return Reflect.construct(inner, source && args.length === 0 ? [source.now()] : args, new.target);
  }
  WorkflowDate.prototype = inner.prototype;
  WorkflowDate.now = function now(): number {
    const source = bodies().getStore();
    return source ? source.now() : inner.now();
  };
  return wrapped(WorkflowDate as unknown as DateConstructor, inner);
}

function wrapRandom(inner: () => number): () => number {
  return wrapped(function random(): number {
    const source = bodies().getStore();
    return source ? source.random() : inner();
  }, inner);
}

function wrapTimer(name: string, inner: Timer): Timer {
  return wrapped(function (this: unknown, ...args: never[]): unknown {
    if (bodies().getStore() !== undefined) throw workflowErrors.nondeterministicApi(name);
    return inner.apply(this, args);
  }, inner);
}
