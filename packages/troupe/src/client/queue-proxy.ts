// `handle.queue.send(body)` sends to the default queue; `handle.queue.<name>.send(body)` to queue `name`.

import { DEFAULT_QUEUE } from "../protocol/query.ts";
import type { SendOptions } from "./driver.ts";

type Send = (name: string, body: unknown, options?: SendOptions & { signal?: AbortSignal }) => Promise<unknown>;

export function queueProxy(send: Send): unknown {
  const named = new Map<string, { send: (body: unknown, options?: SendOptions) => Promise<unknown> }>();
  return new Proxy(
    {},
    {
      get(_target, prop) {
        if (typeof prop === "symbol" || prop === "then") return undefined;
        if (prop === "send") return (body: unknown, options?: SendOptions) => send(DEFAULT_QUEUE, body, options);
        let sender = named.get(prop);
        if (!sender) {
          sender = { send: (body, options) => send(prop, body, options) };
          named.set(prop, sender);
        }
        return sender;
      },
    },
  );
}
