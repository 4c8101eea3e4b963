// Deep change tracking for `c.state`: one memoized proxy per object, every write validated
// and reported, including writes through Map, Set, Date and typed-array methods.

import { PROTO_KEY } from "../base/values.ts";
import { RAW, unwrap } from "./raw.ts";
import { fail, PROTO_KEY_REFUSED, toStorable } from "./serializable.ts";

export { unwrap };

const MAP_WRITES = new Set(["set", "delete", "clear"]);
const SET_WRITES = new Set(["add", "delete", "clear"]);
const TYPED_WRITES = new Set(["set", "fill", "copyWithin", "reverse", "sort"]);
const VALUE_READS = new Set(["get", "values", "entries", "forEach", Symbol.iterator]);

export interface StateHooks {
  /** Called before a write is applied; throwing rejects the write. */
  beforeStateWrite(): void;
  /** Called after a write is applied, with the object written to (none when the whole state was replaced). */
  stateChanged(target?: object, key?: string | symbol): void;
}

/**
 * The tracker is itself the proxy handler of every object it wraps (its `get`, `set`,
 * `deleteProperty` and `defineProperty` are the traps; it must have no other member named like a
 * trap), so a live actor pays for no handler objects or closures. The root state object has a slot
 * of its own; the maps for nested objects are created when the first nested object is wrapped.
 *
 * State objects behave as dictionaries for `__proto__`: reading it gives undefined and writing it
 * is refused, so that `c.state.m[userKey] ??= {}` can neither reach nor replace a prototype.
 */
export class StateTracker implements ProxyHandler<object> {
  #root: object | undefined;
  #rootProxy: object | undefined;
  #proxies: WeakMap<object, object> | undefined;
  #paths: WeakMap<object, string> | undefined;
  /** Level of each wrapped object in the state (the root is 1), to bound the nesting of writes. */
  #depths: WeakMap<object, number> | undefined;
  readonly #hooks: StateHooks;

  constructor(hooks: StateHooks) {
    this.#hooks = hooks;
  }

  /** The tracked view of the root state object (its path is "state"). */
  root<T>(value: T): T {
    if (typeof value !== "object" || value === null) return value;
    if (value !== this.#root) {
      this.#root = value;
      this.#rootProxy = new Proxy(value, this);
    }
    return this.#rootProxy as T;
  }

  /** The tracked view of `value`, found at `path` (used in error messages), `depth` levels down. */
  wrap<T>(value: T, path: string, depth: number): T {
    if (typeof value !== "object" || value === null) return value;
    if (value === this.#root) return this.#rootProxy as T;
    this.#proxies ??= new WeakMap();
    const cached = this.#proxies.get(value);
    if (cached) return cached as T;
    (this.#paths ??= new WeakMap()).set(value, path);
    (this.#depths ??= new WeakMap()).set(value, depth);
    const proxy = new Proxy(value, this);
    this.#proxies.set(value, proxy);
    return proxy as T;
  }

  /** Validates `value` as a write to `key` of `target` at `path`, `depth` levels down, then reports the change around `apply(storable value)`. */
  write<R>(path: string, value: unknown, apply: (storable: unknown) => R, depth = 1, target?: object, key?: string | symbol): R {
    this.#hooks.beforeStateWrite();
    const storable = toStorable(value, path, new Set(), depth);
    const result = apply(storable);
    this.#hooks.stateChanged(target, key);
    return result;
  }

  #pathOf(target: object): string {
    return this.#paths?.get(target) ?? "state";
  }

  #depthOf(target: object): number {
    return this.#depths?.get(target) ?? 1;
  }

  get(target: object, prop: string | symbol, receiver: unknown): unknown {
    if (prop === RAW) return target;
    if (prop === PROTO_KEY) return undefined;
    if (target instanceof Map || target instanceof Set) return this.#collectionMember(target, prop);
    if (target instanceof Date || ArrayBuffer.isView(target)) return this.#boundMember(target, prop);
    const value = Reflect.get(target, prop, receiver);
    if (typeof prop === "symbol" || typeof value !== "object" || value === null) return value;
    const path = `${this.#pathOf(target)}${Array.isArray(target) ? `[${prop}]` : `.${prop}`}`;
    return this.wrap(value, path, this.#depthOf(target) + 1);
  }

  set(target: object, prop: string | symbol, value: unknown): boolean {
    const path = `${this.#pathOf(target)}.${String(prop)}`;
    if (prop === PROTO_KEY) fail(path, PROTO_KEY_REFUSED);
    return this.write(path, value, (storable) => Reflect.set(target, prop, storable), this.#depthOf(target) + 1, target, prop);
  }

  setPrototypeOf(target: object): boolean {
    fail(this.#pathOf(target), "given a prototype, which state cannot keep");
  }

  deleteProperty(target: object, prop: string | symbol): boolean {
    this.#hooks.beforeStateWrite();
    const result = Reflect.deleteProperty(target, prop);
    this.#hooks.stateChanged(target, prop);
    return result;
  }

  defineProperty(target: object, prop: string | symbol, descriptor: PropertyDescriptor): boolean {
    const path = `${this.#pathOf(target)}.${String(prop)}`;
    if (prop === PROTO_KEY) fail(path, PROTO_KEY_REFUSED);
    return this.write(
      path,
      descriptor.value,
      (storable) => Reflect.defineProperty(target, prop, "value" in descriptor ? { ...descriptor, value: storable } : descriptor),
      this.#depthOf(target) + 1,
      target,
      prop,
    );
  }

  #collectionMember(target: Map<unknown, unknown> | Set<unknown>, prop: string | symbol): unknown {
    const member = Reflect.get(target, prop, target);
    if (typeof member !== "function") return member;
    const path = this.#pathOf(target);
    const depth = this.#depthOf(target) + 1;
    const writes = target instanceof Map ? MAP_WRITES : SET_WRITES;
    if (writes.has(prop as string)) {
      return (...args: unknown[]) => {
        if (prop === "clear" || prop === "delete") {
          return this.write(`${path}.${String(prop)}()`, undefined, () => member.apply(target, args.map(unwrap)), depth, target);
        }
        const index = target instanceof Map ? 1 : 0;
        return this.write(
          `${path}.${String(prop)}()`,
          args[index],
          (storable) => {
            const stored = [...args];
            stored[index] = storable;
            if (target instanceof Map) stored[0] = toStorable(args[0], `${path}<key>`, new Set(), depth);
            return member.apply(target, stored);
          },
          depth,
          target,
        );
      };
    }
    if (!VALUE_READS.has(prop)) return member.bind(target);
    const wrapValue = (v: unknown) => this.wrap(v, `${path}<value>`, depth);
    if (prop === "get") return (k: unknown) => wrapValue((target as Map<unknown, unknown>).get(k));
    if (prop === "forEach") {
      return (fn: (v: unknown, k: unknown, c: unknown) => void) =>
        target.forEach((v: unknown, k: unknown) => {
          fn(wrapValue(v), k, this.wrap(target, path, depth - 1));
        });
    }
    return function* (this: unknown) {
      const inner = member.call(target) as Iterable<unknown>;
      const isEntries = prop === "entries" || (prop === Symbol.iterator && target instanceof Map);
      for (const item of inner) {
        yield isEntries ? [(item as [unknown, unknown])[0], wrapValue((item as [unknown, unknown])[1])] : wrapValue(item);
      }
    };
  }

  #boundMember(target: object, prop: string | symbol): unknown {
    const member = Reflect.get(target, prop, target);
    if (typeof member !== "function") return member;
    const mutates = target instanceof Date ? typeof prop === "string" && prop.startsWith("set") : TYPED_WRITES.has(prop as string);
    if (!mutates) return member.bind(target);
    return (...args: unknown[]) => {
      this.#hooks.beforeStateWrite();
      const result = member.apply(target, args);
      this.#hooks.stateChanged(target);
      return result;
    };
  }
}
