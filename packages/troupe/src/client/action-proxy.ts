// Turns property access into action calls: `handle.chat.send(x)` calls "chat.send".

type Call = (name: string, args: unknown[]) => Promise<unknown>;

function actionProxy(call: Call, name: string): unknown {
  const children = new Map<string, unknown>();
  const fn = (...args: unknown[]) => call(name, args);
  return new Proxy(fn, {
    get(target, prop) {
      if (typeof prop === "symbol" || prop === "then") return Reflect.get(target, prop);
      let child = children.get(prop);
      if (child === undefined) {
        child = actionProxy(call, `${name}.${prop}`);
        children.set(prop, child);
      }
      return child;
    },
  });
}

/** Wraps `target`: its own members stay, any other string property is an action proxy. */
export function withActionProxies<T extends object>(target: T, call: Call): T {
  const proxies = new Map<string, unknown>();
  return new Proxy(target, {
    get(obj, prop) {
      if (typeof prop === "symbol" || prop in obj) {
        const value = Reflect.get(obj, prop, obj);
        return typeof value === "function" ? value.bind(obj) : value;
      }
      // Handles are not thenables: `await handle` must not call an action named "then".
      if (prop === "then") return undefined;
      let proxy = proxies.get(prop);
      if (proxy === undefined) {
        proxy = actionProxy(call, prop);
        proxies.set(prop, proxy);
      }
      return proxy;
    },
  });
}
