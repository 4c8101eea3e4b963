// What crosses the wire, for whoever counts it (the metrics): bytes each way and the errors sent to
// clients, by transport. The server reports it only when an extension asks (ServerExtension.traffic).

import type { ActorError } from "../base/errors.ts";
import type { ServerExtension } from "./extension.ts";

export type Transport = "http" | "websocket";

export interface TrafficObserver {
  /** A request body (its declared length) or a WebSocket frame came in. */
  received(transport: Transport, bytes: number): void;
  /** A response body (its declared length) or a WebSocket frame went out. */
  sent(transport: Transport, bytes: number): void;
  /** An error went to a client, in the public form it was sent in. */
  failed(transport: Transport, error: ActorError): void;
}

/** The extensions' traffic observers as one, or undefined when none counts (then nothing is measured). */
export function trafficOf(extensions: readonly ServerExtension[]): TrafficObserver | undefined {
  const observers = extensions.flatMap((e) => (e.traffic === undefined ? [] : [e.traffic]));
  if (observers.length <= 1) return observers[0];
  return {
    received: (transport, bytes) => {
      for (const o of observers) o.received(transport, bytes);
    },
    sent: (transport, bytes) => {
      for (const o of observers) o.sent(transport, bytes);
    },
    failed: (transport, error) => {
      for (const o of observers) o.failed(transport, error);
    },
  };
}

/** The Content-Length of a request or response: 0 when it has none (a streamed body is not counted). */
export function declaredLength(headers: Headers): number {
  const length = Number(headers.get("content-length"));
  return Number.isFinite(length) && length > 0 ? length : 0;
}
