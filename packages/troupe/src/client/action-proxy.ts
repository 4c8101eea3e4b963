// Turns property access into action calls: `handle.chat.send(x)` calls "chat.send". The names a
// handle or connection keeps for itself (protocol/handle-members.ts) are never action proxies.

import { FUNCTION_MEMBERS, isObjectMember, PROXY_EXCLUDED } from "../protocol/handle-members.ts";

type Call = (name: string, args: unknown[]) => Promise<unknown>;

const EXCLUDED: ReadonlySet<string> = new Set(PROXY_EXCLUDED);
const FUNCTION_OWN: ReadonlySet<string> = new Set([...PROXY_EXCLUDED, ...FUNCTION_MEMBERS]);

function actionProxy(call: Call, name: string): unknown {
  const children = new Map<string, unknown>();
  const fn = (...args: unknown[]) => call(name, args);
  return new Proxy(fn, {
    get(target, prop) {
      if (typeof prop === "symbol" || FUNCTION_OWN.has(prop)) return Reflect.get(target, prop);
      let child = children.get(prop);
      if (child === undefined) {
        child = actionProxy(call, `${name}.${prop}`);
        children.set(prop, child);
      }
      return child;
    },
  });
}

/** Wraps `target`: its `members` (and Object's) stay, any other string property is an action proxy. */
export function withActionProxies<T extends object>(target: T, members: readonly string[], call: Call): T {
  const own: ReadonlySet<string> = new Set(members);
  const proxies = new Map<string, unknown>();
  return new Proxy(target, {
    get(obj, prop) {
      if (typeof prop === "symbol" || own.has(prop) || isObjectMember(prop)) {
        const value = Reflect.get(obj, prop, obj);
        return typeof value === "function" ? value.bind(obj) : value;
      }
      // Handles are not thenables: `await handle` must not call an action named "then".
      if (EXCLUDED.has(prop)) return undefined;
      let proxy = proxies.get(prop);
      if (proxy === undefined) {
        proxy = actionProxy(call, prop);
        proxies.set(prop, proxy);
      }
      return proxy;
    },
  });
}
